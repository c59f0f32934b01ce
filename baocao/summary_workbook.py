"""tong_hop.xlsx: one row per commune (status, problems, key rates) and the consolidated figures."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from baocao.blank import BORDER, CENTER, FONT, HEADER_FILL, WRAP
from baocao.consolidate import UnitLine
from baocao.form import Form

LOW_FILL = PatternFill("solid", fgColor="F8CBAD")
STATUS_FILLS = {"lỗi": PatternFill("solid", fgColor="FF9999"), "thiếu": PatternFill("solid", fgColor="FFE699")}


def summary_workbook(form: Form, units: list[UnitLine], title: str, appendix: dict[str, Any] | None) -> bytes:
    """The workbook as bytes; rates below the form's low_rate are highlighted (conditional formatting)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Đơn vị"
    rate_ids = form.consolidated["key_rates"]
    headers = [
        "STT",
        "Đơn vị",
        "Tình trạng",
        "Số lỗi",
        "Số cảnh báo",
        *(f"{form.consolidated['short_labels'][r]} (%)" for r in rate_ids),
        "Tệp",
        "Ghi chú",
    ]
    ws.append([title])
    ws["A1"].font = Font(name=FONT, size=14, bold=True)
    ws.append([f"Tỷ lệ dưới {form.consolidated['low_rate']}% được tô màu; “-”: không tính được (mẫu số bằng 0)."])
    ws["A2"].font = Font(name=FONT, size=10, italic=True)
    ws.append(headers)
    for col in range(1, len(headers) + 1):
        cell = ws.cell(row=3, column=col)
        cell.font, cell.fill, cell.alignment, cell.border = Font(name=FONT, bold=True), HEADER_FILL, CENTER, BORDER
    for i, unit in enumerate(units, 1):
        rates = [_number(unit.rates.get(r)) if unit.status == "đủ" else None for r in rate_ids]
        ws.append([i, unit.name, unit.status, unit.errors, unit.warnings, *rates, unit.source, unit.note])
        r = ws.max_row
        for col in range(1, len(headers) + 1):
            cell = ws.cell(row=r, column=col)
            cell.font, cell.border = Font(name=FONT), BORDER
            cell.alignment = WRAP if col in (2, len(headers)) else CENTER
        for col in range(6, 6 + len(rate_ids)):
            ws.cell(row=r, column=col).number_format = "0.0"
    last = ws.max_row
    if last > 3:
        rate_range = f"F4:{get_column_letter(5 + len(rate_ids))}{last}"
        ws.conditional_formatting.add(
            rate_range, CellIsRule(operator="lessThan", formula=[str(form.consolidated["low_rate"])], fill=LOW_FILL)
        )
        for status, fill in STATUS_FILLS.items():
            ws.conditional_formatting.add(f"C4:C{last}", FormulaRule(formula=[f'$C4="{status}"'], fill=fill))
        ws.auto_filter.ref = f"A3:{get_column_letter(len(headers))}{last}"
    widths = [6, 30, 12, 8, 10, *([16] * len(rate_ids)), 40, 60]
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[3].height = 60
    ws.freeze_panes = "C4"
    if appendix:
        _appendix_sheet(wb, appendix)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _appendix_sheet(wb: Workbook, appendix: dict[str, Any]) -> None:
    ws = wb.create_sheet("Số liệu tổng hợp")
    ws.append(["Biểu mẫu", "STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Tổng hợp"])
    for cell in ws[1]:
        cell.font, cell.fill, cell.alignment = Font(name=FONT, bold=True), HEADER_FILL, CENTER
    for table in appendix["tables"]:
        for row in table["rows"]:
            ws.append(
                [table["sheet"], _plain(row["stt"]), _plain(row["label"]), _plain(row["unit"]), row["value_text"]]
            )
            ws.cell(row=ws.max_row, column=3).alignment = Alignment(wrap_text=True)
    for letter, width in zip("ABCDE", (12, 8, 80, 16, 30), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"


def _plain(rich: Any) -> str:
    """Text of a docxtpl RichText cell."""
    import re
    from html import unescape

    return unescape(re.sub(r"<[^>]+>", "", str(getattr(rich, "xml", rich))))


def _number(value: Decimal | None) -> float | None:
    return float(round(value, 1)) if isinstance(value, Decimal) else None
