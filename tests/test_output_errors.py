"""Errors as data, worded at the edge: an OutputError, RenderError, PdfError or BatchError is a code
and its parameters, worded by one catalogue (baocao.messages_output) for the CLI or for the web page.

No sentence is reworded after it is made: the page's sentence of a workbook left out of a batch, or
of a report that could not be written, is phrased from the same data as the CLI's, with the page's
advice where the CLI's says "rồi chạy lại".
"""

from __future__ import annotations

import ast
import errno
import os
import pickle
import shutil
from pathlib import Path

import pytest

from baocao import messages
from baocao.batch.run import BatchOptions, run_batch
from baocao.errors import BatchError, CodedError, OutputError, PdfError, RenderError, WorkbookError, about
from baocao.messages import ADVICE, Audience, phrase
from baocao.messages_output import OUTPUT_ERRORS
from baocao.problems import WARNING, FileName, Problem, unusable
from baocao.stages import Held, Hold
from baocao.web.jobs import Job, Upload
from baocao.web.results import result_view
from baocao.write import os_error
from tests.conftest import ROOT
from tests.test_identity import NHI_CHIEU_REPORT, SAMPLE, set_saved_time
from tests.test_workbook_errors import cli_advice_for_the_page

CLASSES = ("OutputError", "RenderError", "PdfError", "BatchError")
PATH = Path("/tmp/ket-qua/bao-cao.docx")
FAILED_WRITE = BatchError("report-failed", kind="timeout", memory=1 << 31, seconds=300.0, detail="")

# code → parameters as its raising site gives them, and words its CLI sentence holds
SAMPLES: dict[str, tuple[dict, str]] = {
    "no-space": ({"path": PATH}, "Không đủ chỗ trống trên ổ đĩa để ghi /tmp/ket-qua/bao-cao.docx."),
    "no-write-permission": ({"path": PATH, "folder": PATH.parent}, "không có quyền ghi vào thư mục /tmp/ket-qua,"),
    "name-too-long": ({"name": "a" * 60}, "Tên tệp quá dài để ghi (aaaa"),
    "file-in-the-way": ({"path": PATH, "blocker": PATH.parent}, "/tmp/ket-qua là một tệp, không phải thư mục."),
    "folder-in-the-way": ({"path": PATH}, "ở đó đã có một thư mục cùng tên."),
    "file-open": ({"path": PATH, "error": "Permission denied"}, "(Permission denied): tệp cũ đang mở"),
    "output-folder-is-file": ({"folder": PATH, "blocker": PATH.parent}, "Không tạo được thư mục kết quả"),
    "output-folder-no-permission": ({"folder": PATH, "parent": PATH.parent}, "không có quyền ghi vào /tmp/ket-qua."),
    "package-broken": ({"name": "a.docx", "problem": "tệp nén không mở được"}, "Lỗi nội bộ: a.docx vừa tạo"),
    "zip-broken": ({"name": "a.zip", "member": "a.docx"}, "vừa tạo bị hỏng ở a.docx"),
    "would-overwrite-input": ({"output": PATH, "source": Path("in.xlsx")}, "ghi đè lên bảng tính đầu vào in.xlsx."),
    "template-unreadable": ({"path": Path("mau.docx"), "error": "No such file"}, "Không đọc được mẫu Word mau.docx"),
    "template-undefined": ({"template": "mau.docx", "error": "'v' is undefined"}, "dùng một biến không có"),
    "template-syntax": ({"template": "mau.docx", "error": "unexpected end"}, "có thẻ Jinja sai: unexpected end."),
    "no-libreoffice": ({}, "Chưa cài LibreOffice nên không tạo được PDF."),
    "pdf-failed": ({"files": "a.docx, b.docx"}, "LibreOffice không chuyển được sang PDF: a.docx, b.docx."),
    "pdf-not-made": ({}, "Không tạo được tệp PDF."),
    "other-province": ({"province": "Lai Châu", "wanted": "Hải Phòng"}, "bảng tính của Lai Châu, không thuộc"),
    "copies-saved-together": ({"name": "Xã A", "count": 2, "files": "a.xlsx, b.xlsx"}, "lưu cùng lúc"),
    "city-shared-errors": ({"city": "tp.xlsx", "count": 4, "errors": True}, "Thông tin chung của tp.xlsx có 4 lỗi"),
    "column-unnamed": ({"letter": "F", "cell": "Biểu mẫu 1!F1"}, "cột F chưa ghi tên đơn vị ở Biểu mẫu 1!F1:"),
    "column-not-split": ({"letter": "F", "unit": "Xã A", "error": "ValueError"}, "cột F (Xã A) của bảng tính"),
    "problem": (
        {"problem": Problem("far-cell", WARNING, "a.xlsx", params={"far": "XFD1"})},
        "có dữ liệu ở ô XFD1",
    ),
    "report-failed": (FAILED_WRITE.params, "không lập được báo cáo (chạy quá 300 giây);"),
    "report-internal": ({"name": "Xã A", "error": "KeyError"}, "Lỗi nội bộ khi lập báo cáo của Xã A (KeyError);"),
    "unit-not-made": ({"unit": "a.xlsx", "error": FAILED_WRITE}, "a.xlsx: không lập được báo cáo (chạy quá 300"),
    "roll-up-failed": (
        {"province": "Lai Châu", "period": "Quý I", "error": OutputError("no-space", path=PATH)},
        "Tổng hợp Lai Châu, Quý I: Không đủ chỗ trống",
    ),
    "roll-up-not-made": ({"province": "Lai Châu", "period": "Quý I", "error": FAILED_WRITE}, "Báo cáo tổng hợp"),
    "roll-up-internal": ({"province": "Lai Châu", "period": "Quý I", "error": "KeyError"}, "Lỗi nội bộ khi tổng"),
    "other-error": ({"text": "Một câu của lỗi khác."}, "Một câu của lỗi khác."),
}


def _raising_sites() -> dict[str, set[frozenset[str]]]:
    """code → the parameter names given where one of these errors is made, read from the package's source."""
    sites: dict[str, set[frozenset[str]]] = {}
    for file in sorted((ROOT / "baocao").rglob("*.py")):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for call in ast.walk(tree):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in CLASSES):
                continue
            code = call.args[0]
            assert isinstance(code, ast.Constant), f"{file}:{call.lineno}: a code is a literal"
            names = frozenset(k.arg for k in call.keywords if k.arg) | (
                {"*"} if any(not k.arg for k in call.keywords) else set()
            )
            sites.setdefault(code.value, set()).add(names)
    return sites


def test_every_code_made_has_a_sentence_and_every_sentence_is_made() -> None:
    assert set(_raising_sites()) == set(OUTPUT_ERRORS) == set(SAMPLES)


@pytest.mark.parametrize("code", sorted(OUTPUT_ERRORS))
def test_every_code_is_phrased_for_both_audiences_with_its_parameters(code: str) -> None:
    params, words = SAMPLES[code]
    error = BatchError(code, **params)
    sites = _raising_sites()[code]
    assert frozenset(params) in sites or any("*" in s for s in sites), "the parameters its making site gives"
    cli, page = error.phrased(Audience.CLI), error.phrased(Audience.PAGE)
    for text in (cli, page):
        assert text and "{" not in text and "}" not in text and text == text.strip()
    assert words in cli
    assert str(error) == cli == error.message == error.args[0]
    assert page == cli_advice_for_the_page(cli)
    assert "rồi chạy lại" not in page and "python generate.py" not in page
    back = pickle.loads(pickle.dumps(error))
    assert (type(back), back.code, back.params, str(back), back.args) == (type(error), code, params, cli, error.args)
    assert back == error


@pytest.mark.parametrize("kind", [OutputError, RenderError, PdfError, BatchError])
def test_each_kind_is_data_of_the_one_catalogue(kind: type[CodedError]) -> None:
    error = kind("no-space", path=PATH)
    assert str(error) == OUTPUT_ERRORS["no-space"].format(path=PATH, rerun="rồi chạy lại")
    assert "rồi tải lên lại" in error.phrased(Audience.PAGE)
    with pytest.raises(KeyError):
        kind("no-space")  # a missing parameter fails where the error is made


def test_no_sentence_is_reworded_after_it_is_made() -> None:
    assert not hasattr(messages, "for_the_page") and not hasattr(messages, "PAGE_WORDING")
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "baocao").rglob("*.py"))
    assert "generate\\.py new-input" not in source and "chạy lại\\b" not in source


def _batch_of_two_copies(tmp_path: Path) -> tuple[Job, list]:
    data = tmp_path / "tai-len"
    data.mkdir()
    for name in ("a.xlsx", "b.xlsx"):
        set_saved_time(shutil.copy(SAMPLE, data / name), "2026-06-10T08:00:00Z")
        os.utime(data / name, (1_000_000_000, 1_000_000_000))
    job = Job("x" * 20, tmp_path, [Upload("Bản A.xlsx", data / "a.xlsx"), Upload("Bản B.xlsx", data / "b.xlsx")], False)
    job.result = run_batch(sorted(data.iterdir()), job.out_dir, BatchOptions(workers=1, zip=False))
    return job, job.result.checked


def test_an_excluded_workbook_is_worded_for_each_audience_from_the_same_data(tmp_path: Path) -> None:
    job, checked = _batch_of_two_copies(tmp_path)
    held = checked[0].held
    assert held is not None and held.kind is Hold.EXCLUDED and isinstance(held.why, BatchError)
    cli = (
        "phường Nhị Chiểu có 2 bảng tính cùng kỳ (a.xlsx, b.xlsx), lưu cùng lúc: không lập báo cáo và không tổng "
        "hợp đơn vị này. Giữ lại một tệp rồi chạy lại."
    )
    assert held.line == held.reason == cli
    assert held.phrased(Audience.PAGE) == cli.replace("rồi chạy lại", "rồi tải lên lại")
    listed = unusable("a.xlsx", held.why)
    assert (phrase(listed), phrase(listed, Audience.PAGE)) == (cli, held.phrased(Audience.PAGE))
    statuses = {e.file: e.status for e in result_view(job).entries}
    assert statuses["Bản A.xlsx"] == (
        "Phường Nhị Chiểu có 2 bảng tính cùng kỳ (Bản A.xlsx, Bản B.xlsx), lưu cùng lúc: không lập báo cáo và "
        "không tổng hợp đơn vị này. Giữ lại một tệp rồi tải lên lại."
    )
    assert pickle.loads(pickle.dumps(held)) == held


def test_a_report_not_written_is_worded_for_each_audience_from_the_same_data(tmp_path: Path) -> None:
    out = tmp_path / "ket-qua"
    (out / NHI_CHIEU_REPORT).mkdir(parents=True)  # a folder where the report goes
    result = run_batch([shutil.copy(SAMPLE, tmp_path / "a.xlsx")], out, BatchOptions(workers=1, zip=False))
    (held,) = [c.held for c in result.checked]
    assert held is not None and held.kind is Hold.NOT_WRITTEN and isinstance(held.why, OutputError)
    assert held.why.code == "folder-in-the-way"
    cli = (
        f"Không ghi đè được {out / NHI_CHIEU_REPORT}: ở đó đã có một thư mục cùng tên. Đổi tên hoặc chuyển thư "
        "mục đó đi rồi chạy lại. Tệp cũ được giữ nguyên."
    )
    assert held.line == cli
    assert held.phrased(Audience.PAGE) == cli.replace("rồi chạy lại", "rồi tải lên lại")


def test_a_note_names_its_error_for_each_audience() -> None:
    error = OutputError("no-write-permission", path=PATH, folder=PATH.parent)
    note = BatchError("roll-up-failed", province="Lai Châu", period="Quý I", error=error)
    assert str(note) == f"Tổng hợp Lai Châu, Quý I: {error}"
    assert note.said(Audience.PAGE) == f"Tổng hợp Lai Châu, Quý I: {error.said(Audience.PAGE)}"
    unreadable = WorkbookError("a.xlsx", "password")
    note = BatchError("roll-up-failed", province="Lai Châu", period="Quý I", error=unreadable)
    assert note.said(Audience.PAGE).endswith("a.xlsx: " + unreadable.phrased(Audience.PAGE))
    assert ADVICE[Audience.PAGE]["rerun"] in note.said(Audience.PAGE)


def test_an_os_error_is_said_by_its_code() -> None:
    assert os_error(PATH, OSError(errno.ENOSPC, "No space")).code == "no-space"
    assert os_error(PATH, OSError(errno.EISDIR, "Is a directory")).code == "folder-in-the-way"
    assert os_error(PATH, OSError(errno.EIO, "I/O error")).params["error"] == "I/O error"
    held = Held(Hold.NOT_WRITTEN, os_error(PATH, OSError(errno.ENOSPC, "No space")))
    assert held.line == str(held.why)


def test_file_names_are_shown_as_the_names_mapping_says() -> None:
    """A file name in an error or a problem is data (FileName): the page passes the clerk's names
    (stored name → name uploaded), applied to the exact names only; the CLI passes none."""
    names = {"a.xlsx": "Báo cáo (a) [1]+.xlsx", "tp.xlsx": "Thành phố.xlsx"}
    copies = BatchError("copies-saved-together", name=FileName("a.xlsx"), count=2,
                        files=[FileName("a.xlsx"), FileName("a.xlsx-2.xlsx")])  # fmt: skip
    assert copies.said(Audience.CLI).startswith("a.xlsx có 2 bảng tính cùng kỳ (a.xlsx, a.xlsx-2.xlsx), lưu cùng")
    assert copies.said(Audience.PAGE, names).startswith(
        "Báo cáo (a) [1]+.xlsx có 2 bảng tính cùng kỳ (Báo cáo (a) [1]+.xlsx, a.xlsx-2.xlsx), lưu cùng"
    )
    column = FileName("tp.xlsx", ", cột D (Xã A)")
    assert str(column) == "tp.xlsx, cột D (Xã A)" and column.shown(names) == "Thành phố.xlsx, cột D (Xã A)"
    assert pickle.loads(pickle.dumps(column)).shown(names) == column.shown(names)
    params = {"count": "2", "official": "xã A", "workbooks": [column, FileName("a.xlsx")], "moment": "08:00"}
    newest = Problem("newest-copy-used", WARNING, column, params=params)
    assert "(tp.xlsx, cột D (Xã A), a.xlsx)" in phrase(newest)
    assert "(Thành phố.xlsx, cột D (Xã A), Báo cáo (a) [1]+.xlsx)" in phrase(newest, Audience.PAGE, names)
    unreadable = WorkbookError("/tmp/a.xlsx", "empty-file")
    assert unreadable.said(Audience.PAGE, names).startswith("Báo cáo (a) [1]+.xlsx: tệp rỗng")


def test_another_coded_error_is_carried_as_itself() -> None:
    """`other-error` carries a CodedError itself, worded for the same audience and names; only an error
    that is not data (a FormError's sentence) is carried as its text."""
    other = WorkbookError("tp.xlsx", "password")
    carried = about(other, Path("a.xlsx"))
    assert carried.params == {"error": other}
    assert carried.said(Audience.CLI) == f"a.xlsx: {other.said(Audience.CLI)}"
    names = {"a.xlsx": "A.xlsx", "tp.xlsx": "Thành phố.xlsx"}
    assert carried.said(Audience.PAGE, names) == f"A.xlsx: Thành phố.xlsx: {other.phrased(Audience.PAGE)}"
    assert "rồi tải lên lại" in carried.said(Audience.PAGE)
    assert pickle.loads(pickle.dumps(carried)) == carried
    note = BatchError("roll-up-failed", province="Hà Nội", period="6 tháng", error=WorkbookError("a.xlsx", "bad-zip"))
    assert "A.xlsx: tệp bị hỏng" in note.said(Audience.PAGE, names)
