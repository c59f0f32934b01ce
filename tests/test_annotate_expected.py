"""The library's two pieces behind the portal's upload: whether a workbook is the expected one
(baocao.expected, also `check --expect-…`), and its copy with problem cells highlighted
(baocao.workbook.annotate)."""

from __future__ import annotations

import hashlib
import io
import unicodedata
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from baocao.expected import Expected
from baocao.messages import phrase, problem_line
from baocao.pipeline import GenerateOptions, prepare
from baocao.problems import ERROR, WARNING, Cell, Problem
from baocao.workbook.annotate import LIST_SHEET, annotated_copy
from baocao.xmltext import xml_safe
from tests.conftest import DATA, ROOT, run_cli

SAMPLE = ROOT / "inputs" / "nhi_chieu_2026_6thang.xlsx"
BAD = DATA / "bad_part_exceeds_total.xlsx"


def codes(expected: Expected) -> list[str]:
    return [p.code for p in prepare(SAMPLE, GenerateOptions(expected=expected), with_context=False).problems]


def test_the_expected_workbook_passes_however_its_name_is_written() -> None:
    assert codes(Expected("hai_phong_2025", "Phường", "Nhị Chiểu", "6 tháng", 2026)) == []
    assert codes(Expected("", "PHƯỜNG", "nhị  chiểu", "6 THÁNG", 2026)) == []
    assert codes(Expected("", "", unicodedata.normalize("NFD", "Phường Nhị Chiểu"))) == []  # as `check --expect-unit`


def test_each_difference_is_one_error_on_its_cell() -> None:
    expected = Expected("hai_duong_2023", "Phường", "Lê Chân", "Quý I", 2025)
    problems = prepare(SAMPLE, GenerateOptions(expected=expected), with_context=False).problems
    assert [(p.code, p.severity, p.sheet, p.cell) for p in problems] == [
        ("wrong-form", ERROR, "", ""),
        ("wrong-unit", ERROR, "Thông tin chung", "B7"),
        ("wrong-period", ERROR, "Thông tin chung", "B8"),
        ("wrong-year", ERROR, "Thông tin chung", "B9"),
    ]
    assert phrase(problems[1]) == (
        "bảng tính ghi đơn vị “Phường Nhị Chiểu”, không phải “Phường Lê Chân”. Hãy nộp bảng tính của chính đơn vị mình."
    )


def test_check_expect_prints_the_differences_and_fails() -> None:
    result = run_cli("check", SAMPLE, "--expect-unit", "Xã An Lão", "--expect-year", "2026")
    assert result.returncode == 1
    assert (
        "[LỖI] Thông tin chung!B7 (Tên đơn vị): bảng tính ghi đơn vị “Phường Nhị Chiểu”, không phải “Xã An Lão”."
        in (result.stdout)
    )
    assert "1 lỗi, 0 cảnh báo." in result.stdout
    assert (
        run_cli("check", SAMPLE, "--expect-unit", "Phường Nhị Chiểu", "--expect-form", "hai_phong_2025").returncode == 0
    )


def test_the_copy_marks_each_problem_cell_and_the_original_is_untouched() -> None:
    before = hashlib.sha256(BAD.read_bytes()).hexdigest()
    problems = prepare(BAD, with_context=False).problems
    wb = openpyxl.load_workbook(io.BytesIO(annotated_copy(BAD, problems)))
    assert hashlib.sha256(BAD.read_bytes()).hexdigest() == before
    sheet = wb["Biểu mẫu 1"]
    assert sheet["D14"].fill.fgColor.rgb.endswith("FFC7CE") and sheet["D14"].comment.text.startswith("[LỖI] 18 (D13)")
    assert sheet["D13"].fill.fgColor.rgb.endswith("FCE4D6") and sheet["D13"].comment is None
    assert [r[0] for r in wb[LIST_SHEET].iter_rows(min_row=4, values_only=True)] == [problem_line(problems[0])]


def test_the_marked_copy_reads_back_with_the_same_problems(tmp_path: Path) -> None:
    problems = prepare(BAD, with_context=False).problems
    copy = tmp_path / "copy.xlsx"
    copy.write_bytes(annotated_copy(BAD, problems))
    assert prepare(copy, with_context=False).problems == [p.moved(file="copy.xlsx") for p in problems]
    again = tmp_path / "again.xlsx"  # a marked copy marked again: one list sheet
    again.write_bytes(annotated_copy(copy, problems))
    assert openpyxl.load_workbook(again).sheetnames.count(LIST_SHEET) == 1


def test_several_problems_on_one_cell_share_one_comment() -> None:
    first = Problem("negative", ERROR, "x.xlsx", "Biểu mẫu 2", "D6", "", {"value": -1})
    second = Problem("value-note", WARNING, "x.xlsx", "Biểu mẫu 2", "D6", "", {"note": "dấu phẩy"})
    cell = openpyxl.load_workbook(io.BytesIO(annotated_copy(SAMPLE, [first, second])))["Biểu mẫu 2"]["D6"]
    assert cell.comment.text.splitlines() == [f"[LỖI] {phrase(first)}", f"[Cảnh báo] {phrase(second)}"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sheet=st.sampled_from(["Biểu mẫu 1", "Không có", "", "_baocao", "Thông tin chung"]),
    cell=st.one_of(st.sampled_from(["D14", "A1", "XFD1048576", "", "1D", "D0"]), st.text(max_size=6)),
)
def test_any_location_is_marked_or_skipped_never_a_crash(sheet: str, cell: str) -> None:
    problem = Problem("negative", ERROR, "x.xlsx", sheet, cell, "", {"value": -1}, (Cell(sheet, cell, "part"),))
    wb = openpyxl.load_workbook(io.BytesIO(annotated_copy(SAMPLE, [problem])))
    assert [r[0] for r in wb[LIST_SHEET].iter_rows(min_row=4, values_only=True)] == [xml_safe(problem_line(problem))]
