"""Property-based: any text typed in any cell is read as documented or yields a message, never a crash."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from baocao import layout
from baocao.errors import WorkbookError
from baocao.form import find_form
from baocao.messages import phrase
from baocao.parse import parse_choice, parse_date, parse_number
from baocao.pipeline import prepare
from baocao.vnformat import format_number
from tests.conftest import ROOT
from tests.xlsx_inject import NASTY, inject

CELL_TEXT = st.one_of(
    st.text(max_size=30),
    st.text(alphabet="0123456789.,- %\u00a0hồsơ", max_size=15),
    st.from_regex(r"\s?-?\d{1,3}([.,]\d{3}){0,3}([.,]\d{1,4})?\s?(%|hồ sơ)?", fullmatch=True),
)
# any code point, surrogates included, and often the ones XML cannot hold
ANY_UNICODE = st.text(st.one_of(st.characters(exclude_categories=()), st.sampled_from(NASTY)), max_size=30)
ANY_VALUE = st.one_of(CELL_TEXT, st.integers(-(10**12), 10**12), st.floats(allow_nan=True), st.none(), st.booleans())


@given(value=ANY_VALUE, allow_decimals=st.booleans())
def test_number_cells_never_crash(value, allow_decimals: bool) -> None:
    try:
        number, note = parse_number(value, allow_decimals=allow_decimals)
    except ValueError as e:
        assert str(e)  # a Vietnamese reason
        return
    assert number is None or isinstance(number, Decimal)
    assert isinstance(note, str)


@given(n=st.integers(0, 10**13))
def test_vietnamese_whole_numbers_read_back_silently(n: int) -> None:
    assert parse_number(format_number(n), allow_decimals=False) == (Decimal(n), "")


@given(value=st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False, allow_infinity=False))
def test_vietnamese_decimals_read_back_or_are_called_ambiguous(value: Decimal) -> None:
    text = format_number(value, 3, trim=True)
    if re.fullmatch(r"\d{1,3},\d{3}", text):  # "42,809": decimal or thousands? an error, by design
        try:
            parse_number(text, allow_decimals=True)
        except ValueError as e:
            assert "có thể là" in str(e)
            return
        raise AssertionError(f"{text} should be ambiguous")
    assert parse_number(text, allow_decimals=True) == (value, "")


@given(value=ANY_VALUE)
def test_date_cells_never_crash(value) -> None:
    try:
        parse_date(value)
    except ValueError as e:
        assert str(e)


@given(value=ANY_VALUE)
def test_choice_cells_never_crash(value) -> None:
    choices = {0: "Trực tuyến", 1: "Phát phiếu", 2: "Kết hợp"}
    try:
        code, _ = parse_choice(choices, value)
    except ValueError as e:
        assert "Trực tuyến = 0" in str(e)
        return
    assert code is None or int(code) in choices


def _input_cells() -> list[tuple[str, int, int]]:
    """(sheet, row, column) of every input cell of the sample workbook."""
    form = find_form()
    cells = [
        (layout.INFO_SHEET, layout.INFO_FIRST_ROW + i, layout.INFO_VALUE_COL) for i in range(len(form.info_fields))
    ]
    for table in form.tables:
        for i, row in enumerate(table.rows):
            if row.is_input:
                cells.append((table.sheet, layout.TABLE_FIRST_ROW + i, layout.VALUE_COL))
    return cells


INPUT_CELLS = _input_cells()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cell=st.sampled_from(INPUT_CELLS),
    value=st.one_of(CELL_TEXT, ANY_UNICODE, st.integers(-(10**6), 10**9), st.none()),
    raw=st.booleans(),
)
def test_any_text_in_any_cell_gives_a_report_or_a_located_message(tmp_path: Path, cell, value, raw: bool) -> None:
    """No filtering: controls, noncharacters and lone surrogates go into the sheet XML as Excel writes them
    (_x000B_) or raw (invalid UTF-8 for a surrogate: a damaged file, refused with a message)."""
    sheet, row, column = cell
    path = inject(
        ROOT / "inputs" / "nhi_chieu_2026_6thang.xlsx",
        tmp_path / "any.xlsx",
        {(sheet, f"{get_column_letter(column)}{row}"): value},
        raw=raw,
    )
    try:
        prepared = prepare(path)  # must not raise, except to refuse a damaged file
    except WorkbookError as e:
        assert (raw and "tệp bị hỏng" in str(e)) or "bị hỏng" in str(e)
        return
    for problem in prepared.problems:
        assert phrase(problem) and problem.file == "any.xlsx"
    if not prepared.blocking():
        assert prepared.context["appendix"]["tables"]
