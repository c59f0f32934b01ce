"""One bad file never corrupts or overwrites anything (issue 10, points 2, 4, 6 and 8), through the CLI.

- text XML cannot hold is removed at reading time, with a warning naming the cell;
- every .docx/.xlsx written is parsed back before it is renamed into place;
- OS errors (unreadable input, -o a file, read-only folder, full disk, long names) give one
  Vietnamese line, exit 1, no traceback, and the batch goes on; usage errors and Ctrl+C too;
- an output never replaces an input; text is written into workbooks as text, never a formula.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from baocao.batch.run import BatchOptions, run_batch
from baocao.errors import OutputError
from baocao.write import package_problem, write_atomic
from tests.conftest import ROOT, all_text, make_workbook, run_cli
from tests.xlsx_inject import NASTY, inject

SAMPLE = ROOT / "inputs" / "nhi_chieu_2026_6thang.xlsx"
REPORT = "nhi-chieu_phuong_bao-cao-cchc_6-thang-dau-nam-2026.docx"
TEXT_CELLS = [  # (sheet, cell) of text a clerk types: names, narrative, signer, remarks
    ("Thông tin chung", "B7"),
    ("Thông tin chung", "B16"),
    ("Thông tin chung", "B18"),
    ("Thông tin chung", "B21"),
    ("Thông tin chung", "B22"),
    ("Biểu mẫu 1", "E2"),
    ("Nội dung", "B4"),
    ("Nội dung", "B5"),
]


def parts_that_do_not_parse(folder: Path) -> list[str]:
    """Every .docx/.xlsx under folder that Word/Excel would refuse: the zip or an XML part."""
    bad = []
    for path in sorted(folder.rglob("*")):
        if path.suffix not in (".docx", ".xlsx"):
            continue
        try:
            with zipfile.ZipFile(path) as z:
                for name in z.namelist():
                    if name.endswith((".xml", ".rels")):
                        etree.fromstring(z.read(name))
        except (zipfile.BadZipFile, etree.XMLSyntaxError, ValueError) as e:
            bad.append(f"{path.name}: {e}")
    return bad


def snapshot(*paths: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in paths}


def no_traceback(done: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in done.stderr + done.stdout
    assert "Error:" not in done.stderr and "Usage:" not in done.stderr


def temporary_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


# --- point 2: text XML cannot hold ----------------------------------------------------------


def test_characters_xml_cannot_hold_are_removed_with_a_warning_naming_the_cell(tmp_path: Path) -> None:
    wb = inject(
        SAMPLE,
        tmp_path / "in" / "nhi_chieu.xlsx",
        {
            ("Thông tin chung", "B21"): "Lãnh\x0b Duy Tiến",
            ("Nội dung", "B4"): "Chỉ đạo\ufffe kịp thời\uffff.",
            ("Biểu mẫu 1", "E2"): "Ghi chú\ufdd0 riêng",
            ("Thông tin chung", "B7"): "Nhị\U0010fffe Chiểu",
        },
    )
    before = snapshot(wb)
    done = run_cli(wb, "-o", tmp_path / "out")
    no_traceback(done)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[1:5] == [
        "    [Cảnh báo] Thông tin chung!B7 (Tên đơn vị): đã bỏ 1 ký tự không hợp lệ (U+10FFFE) khỏi nội dung ô. "
        "Kiểm tra lại nội dung ô này.",
        "    [Cảnh báo] Thông tin chung!B21 (Người ký): đã bỏ 1 ký tự không hợp lệ (U+000B) khỏi nội dung ô. "
        "Kiểm tra lại nội dung ô này.",
        "    [Cảnh báo] Biểu mẫu 1!E2: đã bỏ 1 ký tự không hợp lệ (U+FDD0) khỏi nội dung ô. Kiểm tra lại nội dung ô này.",
        "    [Cảnh báo] Nội dung!B4 (I. Công tác chỉ đạo, điều hành CCHC): đã bỏ 2 ký tự không hợp lệ "
        "(U+FFFE, U+FFFF) khỏi nội dung ô. Kiểm tra lại nội dung ô này.",
    ]
    assert parts_that_do_not_parse(tmp_path / "out") == []
    text = all_text(docx.Document(tmp_path / "out" / REPORT))
    assert "Lãnh Duy Tiến" in text and "Chỉ đạo kịp thời." in text
    assert snapshot(wb) == before


def test_batch_with_such_text_rolls_up_into_files_that_open(tmp_path: Path) -> None:
    """The roll-up (consolidated .docx, tong_hop.xlsx, zip) used to fail with an lxml ValueError."""
    first = inject(
        SAMPLE,
        tmp_path / "in" / "a.xlsx",
        {("Nội dung", "B4"): "Tốt\ufffe", ("Thông tin chung", "B7"): "Nhị\x01 Chiểu"},
    )
    second = make_workbook(tmp_path / "in" / "b.xlsx", info={"unit_name": "An\ufdef Biên"})
    before = snapshot(first, second)
    done = run_cli(tmp_path / "in", "-o", tmp_path / "out")
    no_traceback(done)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "✓ " + str(tmp_path / "out" / "tong_hop.xlsx") in done.stdout
    assert parts_that_do_not_parse(tmp_path / "out") == []
    assert snapshot(first, second) == before


def test_a_package_that_would_not_open_is_never_written_and_the_old_file_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "bao-cao.docx"
    target.write_bytes(b"old")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document>\ufffe</w:document>".encode())
    with pytest.raises(OutputError) as caught:
        write_atomic(target, buffer.getvalue())
    assert str(caught.value).startswith(
        "Lỗi nội bộ: bao-cao.docx vừa tạo không mở được (phần word/document.xml không phải XML hợp lệ: "
    )
    assert str(caught.value).endswith(
        "nên không được ghi; tệp cũ (nếu có) được giữ nguyên. Hãy gửi bảng tính cho bộ phận công nghệ thông tin."
    )
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["bao-cao.docx"]


@pytest.mark.parametrize(
    ("xml", "why"),
    [
        (b"<w:document/>", "Namespace prefix w on document is not defined, line 1, column 12"),
        (
            b'<d xmlns:w="u"><w:p w:x="1" v:y="2"/></d>',
            "Namespace prefix v for y on p is not defined, line 1, column 36",
        ),
        (b"<d>\x01</d>", "PCDATA invalid Char value 1, line 1, column 4"),
        (b"<d><p></d>", "Opening and ending tag mismatch: p line 1 and d, line 1, column 11"),
        (b"<d>&nbsp;</d>", "Entity 'nbsp' not defined, line 1, column 10"),
    ],
)
def test_the_package_check_refuses_what_a_tree_parse_refuses(xml: bytes, why: str) -> None:
    """The check builds no tree, yet refuses what lxml's tree parse refuses, with its words (an
    undeclared prefix included, which only the tree parse stops at)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", xml)
    assert package_problem("a.docx", buffer.getvalue()) == f"phần word/document.xml không phải XML hợp lệ: {why}"
    with pytest.raises(etree.XMLSyntaxError) as caught:
        etree.fromstring(xml)
    assert caught.value.msg == why


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cells=st.dictionaries(
        st.sampled_from(TEXT_CELLS),
        st.text(st.one_of(st.characters(exclude_categories=()), st.sampled_from(NASTY)), max_size=40),
        min_size=1,
        max_size=4,
    ),
    raw=st.booleans(),
)
def test_any_unicode_in_text_cells_never_crashes_or_corrupts(tmp_path_factory, cells, raw: bool) -> None:
    """No filtering: noncharacters, lone surrogates (as Excel's _xD800_ or as invalid UTF-8), controls."""
    folder = tmp_path_factory.mktemp("any")
    hostile = inject(SAMPLE, folder / "in" / "hostile.xlsx", cells, raw=raw)
    good = make_workbook(folder / "in" / "good.xlsx", info={"unit_name": "An Biên"})
    before = snapshot(hostile, good)
    result = run_batch([hostile, good], folder / "out", BatchOptions(workers=1))  # must not raise
    assert any(c.written and c.source == good for c in result.checked)
    assert parts_that_do_not_parse(folder / "out") == []
    assert temporary_files(folder) == []
    assert snapshot(hostile, good) == before


def test_any_unicode_through_the_cli_exits_0_or_1_without_traceback(tmp_path: Path) -> None:
    wb = inject(SAMPLE, tmp_path / "in" / "x.xlsx", dict.fromkeys(TEXT_CELLS, f"a{NASTY}b&<>"))
    done = run_cli(wb, "-o", tmp_path / "out")
    no_traceback(done)
    assert done.returncode in (0, 1)
    assert parts_that_do_not_parse(tmp_path / "out") == []


# --- point 8: text is written as text -------------------------------------------------------


FORMULAS = ['=HYPERLINK("http://x.invalid","y")', "+1+2", "-3+4", "@SUM(A1)"]


def test_unit_names_that_look_like_formulas_stay_text_in_tong_hop(tmp_path: Path) -> None:
    """Names, file names and notes beginning with = + - @ are text in tong_hop.xlsx: no <f> in its XML."""
    inputs = [
        make_workbook(tmp_path / "in" / f"{name}.xlsx", info={"unit_type": name, "unit_name": f"Tên {i}"})
        for i, name in enumerate(FORMULAS[1:], 1)
    ]
    inputs.append(make_workbook(tmp_path / "in" / "=1+2.xlsx", info={"unit_name": "=SUM(1)"}))
    inputs.append(make_workbook(tmp_path / "in" / "tot.xlsx", info={"unit_name": "An Biên"}))  # a real commune
    done = run_cli(*inputs, "-o", tmp_path / "out")
    no_traceback(done)
    summary = tmp_path / "out" / "tong_hop.xlsx"
    with zipfile.ZipFile(summary) as z:
        sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not [s for s in sheets if re.search(rb"<(\w+:)?f[ >]", s)]
    ws = openpyxl.load_workbook(summary)["Đơn vị"]
    cells = {c.value: c for row in ws.iter_rows(min_row=4) for c in row if isinstance(c.value, str)}
    expected = [f"{name.lower()} Tên {i}" for i, name in enumerate(FORMULAS[1:], 1)]
    expected += [f"{n}.xlsx" for n in FORMULAS[1:]] + ["=1+2.xlsx", "phường =SUM(1)"]
    assert {name: cells[name].data_type for name in expected} == dict.fromkeys(expected, "s")
    assert cells["=1+2.xlsx"].quotePrefix


@pytest.mark.parametrize("text", FORMULAS)
def test_commune_workbooks_keep_typed_text_as_text(tmp_path: Path, text: str) -> None:
    """The writer behind new-input and the city split (each city column becomes such a workbook)."""
    wb = make_workbook(tmp_path / "w.xlsx", info={"signer_name": text}, remarks={"directive_docs": text})
    sheets = openpyxl.load_workbook(wb)
    assert (sheets["Thông tin chung"]["B21"].value, sheets["Thông tin chung"]["B21"].data_type) == (text, "s")
    assert (sheets["Biểu mẫu 1"]["E2"].value, sheets["Biểu mẫu 1"]["E2"].data_type) == (text, "s")
    done = run_cli("check", wb)
    assert "công thức" not in done.stdout


# --- point 6: outputs never touch inputs ----------------------------------------------------


def test_a_clerk_workbook_named_like_the_summary_is_never_overwritten(tmp_path: Path) -> None:
    folder = tmp_path / "nhan"
    clerk = make_workbook(folder / "tong_hop.xlsx", info={"unit_name": "An Dương"})
    other = make_workbook(folder / "b.xlsx", info={"unit_name": "An Biên"})
    before = snapshot(clerk, other)
    done = run_cli(folder, "-o", folder)
    no_traceback(done)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"✗ Không chạy: kết quả {folder / 'tong_hop.xlsx'} sẽ ghi đè lên bảng tính đầu vào {clerk}. Chưa ghi tệp "
        "nào. Chọn thư mục kết quả khác (-o), hoặc đổi tên hay chuyển bảng tính đó đi, rồi chạy lại."
    )
    assert sorted(p.name for p in folder.iterdir()) == ["b.xlsx", "tong_hop.xlsx"]
    assert snapshot(clerk, other) == before
    elsewhere = run_cli(folder, "-o", tmp_path / "out")
    assert elsewhere.returncode == 0 and (tmp_path / "out" / "tong_hop.xlsx").is_file()
    assert snapshot(clerk, other) == before


# --- point 4: OS errors ---------------------------------------------------------------------


def test_output_that_is_a_file(tmp_path: Path) -> None:
    wb = make_workbook(tmp_path / "a.xlsx")
    blocker = tmp_path / "ket_qua"
    blocker.write_text("không phải thư mục", encoding="utf-8")
    done = run_cli(wb, "-o", blocker)
    no_traceback(done)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"✗ Không tạo được thư mục kết quả {blocker}: {blocker} là một tệp, không phải thư mục. "
        "Chọn thư mục khác (-o) rồi chạy lại."
    )
    done = run_cli(wb, "-o", blocker / "con")
    assert done.returncode == 1 and f"{blocker} là một tệp, không phải thư mục" in done.stderr


@contextlib.contextmanager
def small_filesystem(folder: Path, options: str) -> Iterator[bool]:
    """A tmpfs mounted at folder (CI runs as root); yields False when mounting is not allowed."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = (
        subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True).returncode
        == 0
        if shutil.which("mount") and os.geteuid() == 0
        else False
    )
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=True)


def _limited(limit: int) -> None:
    """In the child: files larger than `limit` bytes cannot be written (EFBIG, as a full disk does ENOSPC)."""
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_full_disk_is_one_message_per_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    inputs = [make_workbook(tmp_path / "in" / f"{n}.xlsx", info={"unit_name": n}) for n in ("An Biên", "An Dương")]
    before = snapshot(*inputs)
    out = tmp_path / "day"
    with small_filesystem(out, "size=24k") as mounted:
        if mounted:
            done = run_cli(*inputs, "-o", out)
        else:  # no mount permission: the same failure while writing, from a file size limit
            done = subprocess.run(
                [sys.executable, str(ROOT / "generate.py"), *map(str, inputs), "-o", str(out)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                preexec_fn=lambda: _limited(20_000),
                check=False,
            )
        no_traceback(done)
        assert done.returncode == 1
        for name in ("an-bien", "an-duong"):
            path = out / f"{name}_phuong_bao-cao-cchc_6-thang-dau-nam-2026.docx"
            if mounted:
                assert (
                    f"  ✗ Không đủ chỗ trống trên ổ đĩa để ghi {path}. Giải phóng bớt dung lượng hoặc chọn thư mục trên "
                    "ổ khác (-o) rồi chạy lại; tệp cũ (nếu có) được giữ nguyên."
                ) in done.stderr.splitlines()
            else:
                assert f"  ✗ Không ghi đè được {path} (File too large)" in done.stderr
        assert "0/2 báo cáo; 2 đơn vị lỗi" in done.stdout
        assert temporary_files(out) == []
        assert parts_that_do_not_parse(out) == []
    assert snapshot(*inputs) == before


def test_read_only_output_folder(tmp_path: Path) -> None:
    wb = make_workbook(tmp_path / "in" / "a.xlsx")
    out = tmp_path / "chi_doc"
    with small_filesystem(out, "ro,size=64k") as mounted:
        if not mounted:
            out.chmod(0o555)
        done = run_cli(wb, "-o", out)
        no_traceback(done)
        assert done.returncode == 1
        path = out / "thu-nghiem_phuong_bao-cao-cchc_6-thang-dau-nam-2026.docx"
        assert (
            f"  ✗ Không ghi được {path}: không có quyền ghi vào thư mục {out}, hoặc tệp cũ đang mở (trong Word, "
            "Excel?). Đóng tệp, xin quyền ghi hoặc chọn thư mục khác (-o), rồi chạy lại; tệp cũ được giữ nguyên."
        ) in done.stderr.splitlines()
        assert "0/1 báo cáo; 1 đơn vị lỗi" in done.stdout
        if not mounted:
            out.chmod(0o755)


def test_unreadable_input_fails_alone(tmp_path: Path) -> None:
    """Root reads every file, so as root the CLI runs without the capabilities that bypass permissions."""
    secret = make_workbook(tmp_path / "bi_mat.xlsx", info={"unit_name": "Bí Mật"})
    good = make_workbook(tmp_path / "tot.xlsx")
    secret.chmod(0o000)
    drop = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
    done = subprocess.run(
        [*drop, sys.executable, str(ROOT / "generate.py"), str(secret), str(good), "-o", str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    secret.chmod(0o644)
    no_traceback(done)
    assert done.returncode == 1
    assert (
        "  ✗ bi_mat.xlsx: không có quyền đọc tệp này. Chép tệp sang thư mục của mình (hoặc xin quyền đọc) rồi chạy lại."
    ) in done.stderr.splitlines()
    assert (tmp_path / "out" / "thu-nghiem_phuong_bao-cao-cchc_6-thang-dau-nam-2026.docx").is_file()


def test_a_250_character_unit_name_gets_a_shortened_unique_file_name(tmp_path: Path) -> None:
    long_a, long_b = "Nhị Chiểu " * 25, "Nhị Chiểu " * 24 + "Khác"
    inputs = [
        make_workbook(tmp_path / "in" / "a.xlsx", info={"unit_name": long_a.strip()}),
        make_workbook(tmp_path / "in" / "b.xlsx", info={"unit_name": long_b.strip()}),
    ]
    for workbook in inputs:  # one at a time: a roll-up would refuse names that are no commune of the province
        done = run_cli(workbook, "-o", tmp_path / "out")
        no_traceback(done)
        assert done.returncode == 0, done.stdout + done.stderr
    reports = sorted(p.name for p in (tmp_path / "out").glob("*_bao-cao-cchc_*.docx"))
    assert len(reports) == 2 and all(len(name.encode()) <= 160 for name in reports)
    assert all(name.startswith("nhi-chieu-nhi-chieu-") for name in reports)


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["--workers", "99", "inputs"],
            "✗ Giá trị không hợp lệ cho tùy chọn “--workers”: “99” phải từ 0 đến 64. "
            "Xem hướng dẫn: python generate.py render --help.",
        ),
        (
            ["--wokers", "2"],
            "✗ Không có tùy chọn “--wokers”. Có phải ý bạn là --workers? Xem hướng dẫn: python generate.py render --help.",
        ),
        (
            ["check"],
            "✗ Thiếu đối số PATHS (tệp hoặc thư mục bảng tính). Xem hướng dẫn: python generate.py check --help.",
        ),
        (["new-input"], "✗ Thiếu tùy chọn “-o / --output”. Xem hướng dẫn: python generate.py new-input --help."),
        (["new-input", "--form"], "✗ Tùy chọn “--form” cần một giá trị đi kèm."),
        (["forms", "thừa"], "✗ Thừa đối số: thừa. Xem hướng dẫn: python generate.py forms --help."),
        (
            ["check-form", "khong-co.yaml"],
            "✗ Giá trị không hợp lệ cho đối số FORM_FILE (tệp biểu mẫu form.yaml): “khong-co.yaml” không tồn tại. "
            "Xem hướng dẫn: python generate.py check-form --help.",
        ),
    ],
)
def test_usage_errors_are_one_vietnamese_line(args: list[str], line: str) -> None:
    done = run_cli(*args)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [line]
    no_traceback(done)


def test_ctrl_c_prints_one_line_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    assert run_cli("demo-data", "--communes", "30", "-o", inputs).returncode == 0
    before = snapshot(*sorted(inputs.glob("*.xlsx")))
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "generate.py"), str(inputs), "-o", str(out), "--workers", "2"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a group of its own, as a terminal's Ctrl+C reaches the workers too
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 300
    while not list(out.glob("*.docx")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=300)
    if process.returncode == 0:  # the run ended before the signal arrived: nothing to check
        pytest.fail("the batch finished before Ctrl+C; use more communes")
    assert process.returncode == 130
    assert stderr.strip().splitlines() == ["Đã dừng theo yêu cầu (Ctrl+C); không tệp nào bị ghi dở."]
    assert temporary_files(tmp_path) == []
    assert parts_that_do_not_parse(out) == []
    assert snapshot(*sorted(inputs.glob("*.xlsx"))) == before


def test_two_runs_into_one_folder_at_once(tmp_path: Path) -> None:
    """The zip used to go through one fixed '.zip.tmp' name: the second run crashed on the first's."""
    names = ("An Biên", "An Dương", "An Hải")  # communes of Hải Phòng: a roll-up matches every name
    inputs = [make_workbook(tmp_path / "in" / f"{n}.xlsx", info={"unit_name": n}) for n in names]
    command = [sys.executable, str(ROOT / "generate.py"), *map(str, inputs), "-o", str(tmp_path / "out")]
    runs = [
        subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in "ab"
    ]
    results = [(p.wait(timeout=600), p.stdout.read(), p.stderr.read()) for p in runs]
    for status, stdout, stderr in results:
        assert "Traceback" not in stderr
        assert status == 0, stdout + stderr
    assert temporary_files(tmp_path) == []
    assert parts_that_do_not_parse(tmp_path / "out") == []


def test_file_names_xml_cannot_hold_never_reach_a_document(tmp_path: Path) -> None:
    """A control character in a file name, and a name that is not UTF-8 (Linux allows both)."""
    folder = tmp_path / "in"
    make_workbook(folder / "a\x01b.xlsx", info={"unit_name": "An Biên"})
    make_workbook(folder / "c.xlsx", info={"unit_name": "An Dương"})
    undecodable = Path(os.fsdecode(bytes(folder) + b"/=x\xffy.xlsx"))
    make_workbook(undecodable, info={"unit_name": "An Hải"})
    before = snapshot(*folder.iterdir())
    done = subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), str(folder), "-o", str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        errors="surrogateescape",  # the terminal gets the name's own bytes, as `ls` shows them
        check=False,
    )
    no_traceback(done)
    assert done.returncode == 1
    assert (  # stderr escapes what it cannot encode (Python's backslashreplace)
        "  ✗ =x\\udcffy.xlsx: tên tệp hoặc thư mục có ký tự không đọc được (không phải UTF-8). Đổi tên tệp rồi chạy lại."
    ) in done.stderr.splitlines()
    assert "2/3 báo cáo; 1 đơn vị lỗi; 112 thiếu" in done.stdout
    assert (tmp_path / "out" / "tong_hop.xlsx").is_file()
    assert parts_that_do_not_parse(tmp_path / "out") == []
    assert snapshot(*folder.iterdir()) == before


def test_not_xml_is_exactly_what_a_workbook_cannot_hold() -> None:
    """Every code point: removed exactly when XML 1.0 cannot hold it or it is a Unicode noncharacter
    (xmltext.NOT_XML is written as a complement, for speed; this pins the set it stands for)."""
    from baocao.xmltext import NOT_XML

    def cannot_hold(c: int) -> bool:
        xml_char = c in (0x9, 0xA, 0xD) or 0x20 <= c <= 0xD7FF or 0xE000 <= c <= 0xFFFD or 0x10000 <= c <= 0x10FFFF
        noncharacter = 0xFDD0 <= c <= 0xFDEF or (c & 0xFFFF) in (0xFFFE, 0xFFFF)
        return not xml_char or noncharacter

    wrong = [hex(c) for c in range(0x110000) if bool(NOT_XML.fullmatch(chr(c))) != cannot_hold(c)]
    assert wrong == []


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_outputs_are_ordinary_files_that_follow_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    """Written through a private temporary file (mkstemp: 0600), each output still gets the mode any
    new file would: readable by the others of a shared folder under the usual umask 022."""
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), str(SAMPLE), "-o", str(out), "--pdf"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=lambda: os.umask(umask),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    written = sorted(p for p in out.iterdir() if p.is_file())
    assert {p.suffix for p in written} >= {".docx", ".pdf"}
    assert {p.name: oct(p.stat().st_mode & 0o777) for p in written} == {p.name: oct(mode) for p in written}
