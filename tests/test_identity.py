"""Commune identity in a roll-up, through the CLI: every workbook's commune is matched against its
province's official list; a name without accents matches with a warning when it is unique, any other
name that is not official is an error with the closest official names; of two workbooks of one
commune the one saved last (docProps/core.xml dcterms:modified) is used, the other listed as replaced;
a commune is summed once. Figures are read back from the consolidated .docx and tong_hop.xlsx."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baocao.batch.decide import saved_at
from baocao.communes import match_commune
from baocao.messages import CATALOGUE
from baocao.problems import ERROR, WARNING
from tests.conftest import ROOT, appendix_rows, make_workbook, paragraphs, run_cli

SAMPLE = ROOT / "inputs" / "nhi_chieu_2026_6thang.xlsx"
STEM = "tong-hop_thanh-pho-hai-phong_6-thang-dau-nam-2026"
NHI_CHIEU_REPORT = "nhi-chieu_phuong_bao-cao-cchc_6-thang-dau-nam-2026.docx"


def renamed(source: Path, target: Path, unit_name: str, unit_type: str | None = None) -> Path:
    """A copy of the workbook whose Tên đơn vị (and Loại đơn vị) a clerk retyped."""
    wb = openpyxl.load_workbook(source)
    ws = wb["Thông tin chung"]
    for r in range(1, ws.max_row + 1):
        if ws.cell(row=r, column=1).value == "Tên đơn vị":
            ws.cell(row=r, column=2).value = unit_name
        if unit_type and ws.cell(row=r, column=1).value == "Loại đơn vị":
            ws.cell(row=r, column=2).value = unit_type
    wb.save(target)
    return target


def set_saved_time(path: Path, moment: str) -> Path:
    """Set the workbook's own saved time (dcterms:modified in docProps/core.xml), as Excel writes it."""
    with zipfile.ZipFile(path) as z:
        entries = [(info, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + moment.encode(), data)
            out.writestr(info, data)
    return path


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.xlsx"))}


def bm3(out: Path) -> dict[str, str]:
    return {r[0]: r[3] for r in appendix_rows(docx.Document(out / f"{STEM}.docx"))["Biểu mẫu 3"]}


def unit_rows(out: Path) -> list[list]:
    ws = openpyxl.load_workbook(out / "tong_hop.xlsx")["Đơn vị"]
    return [[c.value for c in row] for row in ws.iter_rows(min_row=4) if row[1].value]


def test_a_name_without_accents_beside_the_official_one_is_summed_once(tmp_path: Path) -> None:
    """The reproduction of issue 10: 'Nhi Chieu' beside 'Nhị Chiểu' gave 18.550 where the one commune had 9.275."""
    data = tmp_path / "in"
    data.mkdir()
    official = set_saved_time(shutil.copy(SAMPLE, data / "nhi_chieu.xlsx"), "2026-06-09T02:00:00Z")
    plain = set_saved_time(renamed(SAMPLE, data / "nhi_chieu_khong_dau.xlsx", "Nhi Chieu"), "2026-06-10T03:04:05Z")
    before = digests(data)
    out = tmp_path / "out"
    done = run_cli(data, "-o", out)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert f"• {official}" in lines and f"• {plain}" in lines
    assert (
        "    [Cảnh báo] Thông tin chung!B7 (Tên đơn vị): “Phường Nhi Chieu” được hiểu là Phường Nhị Chiểu (tên viết "
        "không dấu). Hãy ghi đúng tên chính thức “Nhị Chiểu”."
    ) in lines
    replaced = next(line for line in lines if "không dùng bảng tính này" in line)
    assert replaced.startswith(
        "    [Cảnh báo] không dùng bảng tính này: phường Nhị Chiểu đã có bảng tính lưu sau (nhi_chieu_khong_dau.xlsx, "
    )
    assert lines[-1] == "1/1 báo cáo; 0 đơn vị lỗi; 113 thiếu"
    assert bm3(out)["2.1.1."] == "9.275"  # not 18.550
    body = "\n".join(paragraphs(docx.Document(out / f"{STEM}.docx")))
    assert "của 1/114 xã, phường, đặc khu trên địa bàn thành phố Hải Phòng" in body
    rows = [r for r in unit_rows(out) if r[2] != "thiếu"]
    assert [(r[1], r[2]) for r in rows] == [("phường Nhị Chiểu", "đủ")]
    assert len(unit_rows(out)) == 114  # every commune once
    figures = openpyxl.load_workbook(out / "tong_hop.xlsx")["Số liệu tổng hợp"]
    [files] = [r[4].value for r in figures.iter_rows() if (r[0].value, r[1].value) == ("Biểu mẫu 3", "2.1.1.")]
    assert files == 9275
    assert [p.name for p in out.glob("*_bao-cao-cchc_*.docx")] == [NHI_CHIEU_REPORT]
    assert digests(data) == before


def test_a_name_that_is_no_commune_is_an_error_with_the_closest_names(tmp_path: Path) -> None:
    data = tmp_path / "in"
    data.mkdir()
    shutil.copy(SAMPLE, data / "nhi_chieu.xlsx")
    renamed(SAMPLE, data / "sai_dau.xlsx", "Nhị Chiễu")
    renamed(SAMPLE, data / "khong_co.xlsx", "Không Tồn Tại", "Xã")
    renamed(SAMPLE, data / "cam_giang.xlsx", "Cam Giang", "Xã")
    before = digests(data)
    out = tmp_path / "out"
    done = run_cli(data, "-o", out)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert (
        "    [LỖI] Thông tin chung!B7 (Tên đơn vị): “Phường Nhị Chiễu” không có trong danh sách xã, phường, đặc khu "
        "của thành phố Hải Phòng: không tổng hợp đơn vị này. Tên gần nhất: Phường Nhị Chiểu. Hãy ghi đúng tên "
        "chính thức."
    ) in lines
    assert (
        "    [LỖI] Thông tin chung!B7 (Tên đơn vị): “Xã Không Tồn Tại” không có trong danh sách xã, phường, đặc khu "
        "của thành phố Hải Phòng: không tổng hợp đơn vị này. Hãy ghi đúng tên chính thức."
    ) in lines
    assert (
        "    [LỖI] Thông tin chung!B7 (Tên đơn vị): “Xã Cam Giang” viết không dấu nên không biết là Xã Cẩm Giang và "
        "Xã Cẩm Giàng: không tổng hợp đơn vị này. Hãy ghi tên có dấu đúng như tên chính thức."
    ) in lines
    assert "  ✗ sai_dau.xlsx: có 1 lỗi, chưa lập được báo cáo." in done.stderr.splitlines()
    assert lines[-1] == "1/4 báo cáo; 3 đơn vị lỗi; 113 thiếu"
    assert bm3(out)["2.1.1."] == "9.275"
    statuses = {r[1]: r[2] for r in unit_rows(out)}
    assert statuses["phường Nhị Chiểu"] == "đủ" and statuses["phường Nhị Chiễu"] == "lỗi"
    assert statuses["xã Không Tồn Tại"] == "lỗi" and statuses["xã Cẩm Giang"] == "thiếu"
    assert [p.name for p in out.glob("*_bao-cao-cchc_*.docx")] == [NHI_CHIEU_REPORT]
    assert (out / "sai-dau.kiem-tra.txt").read_text(encoding="utf-8").count("Tên gần nhất: Phường Nhị Chiểu.") == 1
    assert digests(data) == before


def test_one_workbook_alone_is_not_matched(tmp_path: Path) -> None:
    """Outside a roll-up nothing is summed: a unit of no official list still gets its report."""
    workbook = make_workbook(tmp_path / "thu.xlsx")  # "Phường Thử Nghiệm"
    done = run_cli(workbook, "-o", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "Tên đơn vị" not in done.stdout


def test_of_two_copies_the_one_saved_last_is_used(tmp_path: Path) -> None:
    data = tmp_path / "in"
    data.mkdir()
    newer = set_saved_time(shutil.copy(SAMPLE, data / "a_ban_moi.xlsx"), "2026-06-10T08:00:00Z")
    older = set_saved_time(shutil.copy(SAMPLE, data / "b_ban_cu.xlsx"), "2026-06-09T08:00:00Z")
    os.utime(newer, (1_000_000_000, 1_000_000_000))  # the file's own time says the opposite: not used
    out = tmp_path / "out"
    done = run_cli(data, "-o", out)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    at = lines.index(f"• {newer}")
    assert lines[at + 1].startswith(
        "    [Cảnh báo] có 2 bảng tính của phường Nhị Chiểu cùng kỳ (a_ban_moi.xlsx, b_ban_cu.xlsx): dùng bảng tính "
        "này, lưu sau cùng ("
    )
    assert lines[at + 2] == f"  ✓ {out / NHI_CHIEU_REPORT}"
    at = lines.index(f"• {older}")
    assert "không dùng bảng tính này: phường Nhị Chiểu đã có bảng tính lưu sau (a_ban_moi.xlsx, " in lines[at + 1]
    assert lines[at + 2].startswith("• ") or lines[at + 2].startswith("Chưa gửi")  # no ✗: a warning only
    assert lines[-1] == "1/1 báo cáo; 0 đơn vị lỗi; 113 thiếu"
    assert bm3(out)["2.1.1."] == "9.275"


def test_two_copies_saved_at_the_same_moment_are_both_refused(tmp_path: Path) -> None:
    data = tmp_path / "in"
    data.mkdir()
    for name in ("a.xlsx", "b.xlsx"):
        set_saved_time(shutil.copy(SAMPLE, data / name), "2026-06-10T08:00:00Z")
        os.utime(data / name, (1_000_000_000, 1_000_000_000))
    done = run_cli(data, "-o", tmp_path / "out")
    assert done.returncode == 1
    assert (
        "  ✗ phường Nhị Chiểu có 2 bảng tính cùng kỳ (a.xlsx, b.xlsx), lưu cùng lúc: không lập báo cáo và không tổng "
        "hợp đơn vị này. Giữ lại một tệp rồi chạy lại."
    ) in done.stderr.splitlines()
    assert done.stdout.splitlines()[-1] == "0/2 báo cáo; 1 đơn vị lỗi; 113 thiếu"  # one commune, two files


def test_saved_time_is_the_workbooks_own_then_the_files(tmp_path: Path) -> None:
    workbook = set_saved_time(shutil.copy(SAMPLE, tmp_path / "a.xlsx"), "2026-06-10T08:00:00Z")
    assert saved_at(workbook) == 1781078400.0
    with zipfile.ZipFile(SAMPLE) as z, zipfile.ZipFile(tmp_path / "b.xlsx", "w") as out:
        for info in z.infolist():
            if info.filename != "docProps/core.xml":
                out.writestr(info, z.read(info))
    os.utime(tmp_path / "b.xlsx", (1_700_000_000, 1_700_000_000))
    assert saved_at(tmp_path / "b.xlsx") == 1_700_000_000


@pytest.mark.parametrize(
    ("unit_type", "name", "severity", "official"),
    [
        ("Phường", "Nhị Chiểu", "", "Nhị Chiểu"),
        ("Phường", "Hòa Bình", "", "Hoà Bình"),  # the tone mark on another vowel is the same name
        ("Phường", "nhi chieu", "cảnh báo", "Nhị Chiểu"),
        ("Xã", "Cẩm Giàng", "", "Cẩm Giàng"),
        ("Xã", "Cẩm Giang", "", "Cẩm Giang"),
        ("Xã", "Cam Giang", "lỗi", None),
        ("Xã", "Nhị Chiểu", "lỗi", None),  # the name of a phường, typed as a xã
    ],
)
def test_match_commune(unit_type: str, name: str, severity: str, official: str | None) -> None:
    match = match_commune("Hải Phòng", unit_type, name)
    assert match is not None and match.severity == {"": None, "cảnh báo": WARNING, "lỗi": ERROR}[severity]
    assert (match.commune.name if match.commune else None) == official


def test_no_official_list_no_match() -> None:
    assert match_commune("Tỉnh Hải Dương", "Xã", "Chi Lăng Nam") is None  # a province of before 2025
    assert match_commune("Hải Phòng", "Huyện", "Thanh Miện") is None  # a district


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.sampled_from(["Xã", "Phường", "Đặc khu", "", "Thôn"]))
def test_any_name_is_matched_or_answered_never_a_crash(name: str, unit_type: str) -> None:
    match = match_commune("Thành phố Hải Phòng", unit_type, name)
    if match is not None:
        assert match.severity in (None, WARNING, ERROR)
        assert (match.commune is None) == (match.severity is ERROR)
        assert (match.code in CATALOGUE) == (match.severity is not None)


def test_a_commune_and_a_summary_come_back_from_a_worker_without_copies(tmp_path: Path) -> None:
    """The batch's parent receives one summary per commune from its workers: the commune is the
    registry's own object and the strings all summaries share are kept once."""
    import pickle

    from baocao.batch.run import BatchOptions, run_batch
    from baocao.communes import Commune, communes_of

    known = communes_of("Hải Phòng")[0]
    assert pickle.loads(pickle.dumps(known)) is known
    unknown = Commune("x|X|Xã", 99999999, "Xã", "Không Có", "Thành phố Hải Phòng")  # not in the registry
    assert pickle.loads(pickle.dumps(unknown)) == unknown
    units = communes_of("Hải Phòng")[:2]
    inputs = [
        make_workbook(tmp_path / f"{u.name}.xlsx", info={"unit_name": u.name, "unit_type": u.unit_type}) for u in units
    ]
    result = run_batch(inputs, tmp_path / "out", BatchOptions(workers=2))
    first, second = (pickle.loads(pickle.dumps(c)) for c in result.checked)
    assert first.unit_name != second.unit_name and first.commune is not None
    assert first.commune is next(c for c in communes_of("Hải Phòng") if c.code == first.commune.code)
    assert first.province is second.province and first.period is second.period
    assert first.rates and list(first.rates) == list(second.rates)
    assert all(a is b for a, b in zip(first.rates, second.rates, strict=True))
