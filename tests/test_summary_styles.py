"""tong_hop.xlsx: every cell keeps the style it is given (fonts, fills, borders, wrapping, number
formats), with the styles set once per kind and then copied (baocao.batch.summary._Styles)."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import openpyxl

from baocao.batch.consolidate import UnitLine
from baocao.batch.summary import HEADER_ROW, summary_workbook
from baocao.form import load_form
from baocao.stages import UnitStatus

ROOT = Path(__file__).resolve().parent.parent


def test_every_cell_of_the_units_sheet_has_its_style() -> None:
    form = load_form(ROOT / "templates" / "hai_phong_2025" / "form.yaml")
    rates = form.consolidated.key_rates
    units = [
        UnitLine("Xã A", UnitStatus.DONE, 0, 2, {r: Decimal("65.46") for r in rates}, "a.xlsx"),
        UnitLine('=HYPERLINK("x")', UnitStatus.DONE, 0, 0, {r: None for r in rates}, "b.xlsx"),
        UnitLine("Xã C", UnitStatus.ERROR, 3, 1, {}, "c.xlsx", note="Có lỗi"),
        UnitLine("Xã D", UnitStatus.MISSING, note="chưa gửi bảng tính"),
    ]
    ws = openpyxl.load_workbook(io.BytesIO(summary_workbook(form, units, "Tổng hợp", None))).active
    width = 5 + len(rates) + 2
    for col in range(1, width + 1):
        cell = ws.cell(row=HEADER_ROW, column=col)
        assert cell.font.b and cell.font.name == "Times New Roman" and cell.fill.fgColor.rgb.endswith("BDD7EE")
        assert cell.alignment.horizontal == "center" and cell.border.left.style == "thin"
    for r in range(HEADER_ROW + 1, HEADER_ROW + 1 + len(units)):
        for col in range(1, width + 1):
            cell = ws.cell(row=r, column=col)
            assert cell.font.name == "Times New Roman" and not cell.font.b, (r, col)
            assert cell.border.top.style == "thin" and cell.alignment.wrap_text, (r, col)
            assert cell.alignment.horizontal == (None if col in (2, width - 1, width) else "center"), (r, col)
            assert cell.fill.fill_type is None, (r, col)
            rate = 6 <= col < 6 + len(rates)
            expected = "#,##0" if col in (1, 4, 5) else "0.0%" if rate and isinstance(cell.value, float) else "General"
            assert cell.number_format == expected, (r, col, cell.value)
    assert ws.cell(row=HEADER_ROW + 1, column=6).value == 0.655
    assert ws.cell(row=HEADER_ROW + 2, column=2).value == '=HYPERLINK("x")'
    assert ws.cell(row=HEADER_ROW + 2, column=2).data_type == "s" and ws.cell(row=HEADER_ROW + 2, column=2).quotePrefix
    assert ws.cell(row=HEADER_ROW + 1, column=2).quotePrefix is False  # the copied styles stay each cell's own
