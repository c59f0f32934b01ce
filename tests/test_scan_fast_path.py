"""The fast pass of baocao.intake.sheetscan finds exactly what the exact, calamine-like pass finds:
on every sheet of the sample and test workbooks, and on generated sheets full of formula cells."""

from __future__ import annotations

import zipfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from baocao.intake.sheetscan import _exact, _sheet_data, scan_sheet

ROOT = Path(__file__).resolve().parent.parent
BOOKS = sorted([*(ROOT / "inputs").glob("*.xlsx"), *(ROOT / "tests" / "data").glob("*.xlsx")])


def _sheets(path: Path) -> list[bytes]:
    try:
        with zipfile.ZipFile(path) as z:
            return [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
    except zipfile.BadZipFile:
        return []


def _both(data: bytes, styles: frozenset[str] = frozenset()) -> tuple[object, object]:
    start, end = _sheet_data(data)
    return scan_sheet(data, styles), _exact(data, start, end, styles)


def test_the_fast_pass_agrees_with_the_exact_one_on_every_sheet_of_the_workbooks() -> None:
    sheets = [data for book in BOOKS for data in _sheets(book)]
    assert len(sheets) > 100
    with_formulas = 0
    for data in sheets:
        fast, exact = _both(data)
        assert fast == exact
        with_formulas += any(kind == "formula" for kind, _ in fast.special.values())
    assert with_formulas > 10  # the samples' computed rows: the common formula cell is exercised


_refs = st.tuples(st.sampled_from(["A", "D", "Z", "AB", "ZZ", "d"]), st.integers(1, 1200))
_formula = st.text(st.sampled_from(list("SUM(D10:D13)+-*/ &amp;&lt;\"'1ư")), max_size=30)


@st.composite
def _cell(draw: st.DrawFn) -> bytes:
    column, row = draw(_refs)
    ref = f"{column}{row}".encode()
    style = draw(st.sampled_from([b"", b' s="5"', b' t="e"', b' s="2" t="n"']))
    body = draw(
        st.sampled_from(
            [
                b"<f>" + draw(_formula).encode() + b"</f><v></v>",
                b"<f>" + draw(_formula).encode() + b"</f><v>3</v>",
                b"<f/>",
                b'<f t="shared" si="0">A1</f>',
                b"<v>#DIV/0!</v>",
                b"<v>12</v>",
                b"",
            ]
        )
    )
    if b't="e"' in style and b"<v>" in body:  # an error value is one of Excel's, "#…" (else only `_exact` sees it)
        body = b"<v>#DIV/0!</v>"
    return b'<c r="' + ref + b'"' + style + (b">" + body + b"</c>" if body else b"/>")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_cell(), min_size=1, max_size=4), min_size=1, max_size=6))
def test_the_fast_pass_agrees_with_the_exact_one_on_formula_cells(rows: list[list[bytes]]) -> None:
    body = b"".join(b'<row r="%d">' % (i + 1) + b"".join(cells) + b"</row>" for i, cells in enumerate(rows))
    data = b'<worksheet xmlns="urn:x"><sheetData>' + body + b"</sheetData></worksheet>"
    fast, exact = _both(data)
    assert fast == exact
