"""tong_hop.xlsx: one row per commune (status, problems, key rates) and the consolidated figures.

Figures are stored as numbers, never as formatted text, so that an officer can sum, sort and filter
them. Display formats are Excel's built-in "#,##0" and "0.0%": Excel draws them with the
separators of the reader's own system, so a Vietnamese-locale Excel shows 1.211 and 65,5% and the
cells stay numbers. (A format cannot force a decimal comma whatever the locale; the other way, a
format with literal "." and "," characters, would show wrong digits in a Vietnamese Excel.)
Rates are stored as fractions (0.655) under a percent format; a rate with no value (denominator 0)
is the text "-", outside the conditional formats, and communes that sent nothing have blank cells
that no format paints.
"""

from __future__ import annotations

import io
import re
from copy import copy
from decimal import ROUND_HALF_UP, Decimal
from html import unescape
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from baocao.batch.consolidate import UnitLine
from baocao.form import Form, Numbers
from baocao.history.figures import decimals_of
from baocao.messages import UNIT_STATUS_TEXT
from baocao.stages import UnitStatus
from baocao.workbook.print_setup import setup_print
from baocao.workbook.styles import BORDER, CENTER, FONT, HEADER_FILL, WRAP
from baocao.xmltext import texts_as_text

LOW_FILL = PatternFill("solid", fgColor="F8CBAD")
STATUS_FILLS = {
    UnitStatus.ERROR: PatternFill("solid", fgColor="FF9999"),
    UnitStatus.MISSING: PatternFill("solid", fgColor="FFE699"),
}
COUNT_FORMAT = "#,##0"
FIRST_RATE_COL = 6  # STT | Đơn vị | Tình trạng | Số lỗi | Số cảnh báo | rates… | Tệp | Ghi chú
HEADER_ROW = 3


def percent_format(decimals: int) -> str:
    """'0.0%' for one decimal ("65,5%" in a Vietnamese Excel), '0%' for none."""
    return "0" + ("." + "0" * decimals if decimals else "") + "%"


def count_format(decimals: int) -> str:
    return COUNT_FORMAT + ("." + "0" * decimals if decimals else "")


def summary_workbook(form: Form, units: list[UnitLine], title: str, appendix: dict[str, Any] | None) -> bytes:
    """The workbook as bytes; rates below the form's low_rate are highlighted (conditional formatting)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Đơn vị"
    rate_ids = form.consolidated.key_rates
    no_value = form.numbers.no_value
    headers = [
        "STT",
        "Đơn vị",
        "Tình trạng",
        "Số lỗi",
        "Số cảnh báo",
        *(form.consolidated.short_labels[r] for r in rate_ids),
        "Tệp",
        "Ghi chú",
    ]
    ws.append([title])
    ws["A1"].font = Font(name=FONT, size=14, bold=True)
    low_rate = form.consolidated.low_rate
    ws.append([f"Tỷ lệ dưới {low_rate}% được tô màu; “{no_value}”: không tính được (mẫu số bằng 0)."])
    ws["A2"].font = Font(name=FONT, size=10, italic=True)
    ws.append(headers)
    styles = _Styles()
    header = {"font": Font(name=FONT, bold=True), "fill": HEADER_FILL, "alignment": CENTER, "border": BORDER}
    for col in range(1, len(headers) + 1):
        styles.apply(ws.cell(row=HEADER_ROW, column=col), "header", header)
    body, wrapped = {"font": Font(name=FONT), "border": BORDER, "alignment": CENTER}, {"alignment": WRAP}
    rated: dict[int, list[int]] = {col: [] for col in range(FIRST_RATE_COL, FIRST_RATE_COL + len(rate_ids))}
    for i, unit in enumerate(units, 1):
        rates = [_rate_cell(unit, r, no_value, _decimals(form, r)) for r in rate_ids]
        ws.append(
            [i, unit.name, UNIT_STATUS_TEXT[unit.status], unit.errors, unit.warnings, *rates, unit.source or None]
        )
        r = HEADER_ROW + i  # the row just appended (ws.max_row looks at every cell: quadratic in the units)
        ws.cell(row=r, column=len(headers), value=unit.note or None)
        formats = dict.fromkeys((1, 4, 5), COUNT_FORMAT)
        for k, value in enumerate(rates):
            if isinstance(value, float):
                col = FIRST_RATE_COL + k
                formats[col] = percent_format(_decimals(form, rate_ids[k]))
                rated[col].append(r)
        for col in range(1, len(headers) + 1):
            wrap = col in (2, len(headers) - 1, len(headers))
            number_format = formats.get(col, "General")
            styles.apply(ws.cell(row=r, column=col), ("body", wrap, number_format),
                         {**body, **(wrapped if wrap else {}), "number_format": number_format})  # fmt: skip
    last = ws.max_row
    if last > HEADER_ROW:
        low = float(form.consolidated.low_rate / 100)
        cells = " ".join(_ranges(get_column_letter(col), rows) for col, rows in rated.items() if rows)
        if cells:
            ws.conditional_formatting.add(cells, CellIsRule(operator="lessThan", formula=[repr(low)], fill=LOW_FILL))
        for status, fill in STATUS_FILLS.items():
            ws.conditional_formatting.add(
                f"C{HEADER_ROW + 1}:C{last}",
                FormulaRule(formula=[f'$C{HEADER_ROW + 1}="{UNIT_STATUS_TEXT[status]}"'], fill=fill),
            )
        ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(headers))}{last}"
    widths = [5, 28, 10, 7, 9, *([12] * len(rate_ids)), 24, 45]
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[HEADER_ROW].height = 48
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=3)  # header rows and the names stay in view
    setup_print(ws, title, title_rows=f"{HEADER_ROW}:{HEADER_ROW}", title_columns="A:B", landscape=True)
    if appendix:
        _appendix_sheet(wb, form, appendix, title)
    texts_as_text(wb)  # a unit name "=HYPERLINK(…)" stays text, never a live formula
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


class _Styles:
    """Cell styles set once per kind, then copied: openpyxl hashes every style object it is given
    (a third of the roll-up's time), while the copy of a styled cell's style ids is what it would
    store anyway (the same ids, so the same file)."""

    def __init__(self) -> None:
        self._done: dict[Any, Any] = {}

    def apply(self, cell: Any, kind: Any, attributes: dict[str, Any]) -> None:
        done = self._done.get(kind)
        if done is not None:
            cell._style = copy(done)
            return
        for name, value in attributes.items():
            setattr(cell, name, value)
        self._done[kind] = copy(cell._style)


def _rate_cell(unit: UnitLine, rate_id: str, no_value: str, decimals: int) -> float | str | None:
    """A fraction for a percent format; the form's mark when the rate has no value; blank when the
    commune's figures were not rolled up (errors, or nothing sent)."""
    if unit.status is not UnitStatus.DONE:
        return None
    value = unit.rates.get(rate_id)
    return _fraction(value, decimals) if isinstance(value, Decimal) else no_value


def _fraction(percent: Decimal, decimals: int) -> float:
    """65.46 → 0.655 at one decimal: rounded half-up as printed in the reports, then a fraction."""
    return float(percent.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP) / 100)


def _decimals(form: Form, rate_id: str) -> int:
    return decimals_of(form, form.row(rate_id))


def _ranges(letter: str, rows: list[int]) -> str:
    """'F4:F9 F11:F12' from rows [4..9, 11, 12]: consecutive rows as one range."""
    parts, start = [], rows[0]
    for previous, row in zip(rows, [*rows[1:], None], strict=True):
        if row != previous + 1:
            parts.append(f"{letter}{start}:{letter}{previous}" if previous != start else f"{letter}{start}")
            start = row
    return " ".join(parts)


def _appendix_sheet(wb: Workbook, form: Form, appendix: dict[str, Any], title: str) -> None:
    ws = wb.create_sheet("Số liệu tổng hợp")
    ws.append(["Biểu mẫu", "STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Tổng hợp"])
    styles = _Styles()
    header = {"font": Font(name=FONT, bold=True), "fill": HEADER_FILL, "alignment": CENTER, "border": BORDER}
    for cell in ws[1]:
        styles.apply(cell, "header", header)
    text = Alignment(wrap_text=True, vertical="center")
    r = 1
    for table in appendix["tables"]:
        for row in table["rows"]:
            value, number_format = _figure(row, form.numbers)
            ws.append([table["sheet"], _plain(row["stt"]), _plain(row["label"]), _plain(row["unit"]), value])
            r += 1  # the row just appended
            bold = bool(row.get("bold")) or row.get("kind") == "header"
            italic = bool(row.get("italic"))
            for col in range(1, 6):
                shown = number_format if col == 5 and number_format else "General"
                styles.apply(ws.cell(row=r, column=col), ("row", bold, italic, col == 3, shown), {
                    "font": Font(name=FONT, bold=bold, italic=italic), "border": BORDER,
                    "alignment": text if col == 3 else CENTER, "number_format": shown,
                })  # fmt: skip
    for letter, width in zip("ABCDE", (12, 8, 70, 14, 20), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:E{ws.max_row}"
    setup_print(ws, f"Số liệu tổng hợp — {title}", title_rows="1:1")


def _figure(row: dict[str, Any], numbers: Numbers) -> tuple[Any, str]:
    """(cell value, number format) of one consolidated figure: a number where it is one number,
    the form's mark for a rate without value, else the text as printed ("45/112 đơn vị")."""
    kind, number = row.get("kind"), row.get("number")
    if kind == "header":
        return None, ""
    decimals = row.get("decimals")
    if kind == "rate":
        if number is None:
            return numbers.no_value, ""
        places = numbers.rate_places(decimals)
        return _fraction(number, places), percent_format(places)
    if kind in ("number", "sum", "difference"):
        value = number if number is not None else Decimal(0)
        if value == value.to_integral_value():
            return int(value), COUNT_FORMAT
        # as many decimals as the report prints (trailing zeros trimmed), at most the row's
        places = min(decimals or 0, -value.normalize().as_tuple().exponent)
        return float(value), count_format(places)
    return row.get("value_text") or None, ""


def _plain(rich: Any) -> str:
    """Text of a docxtpl RichText cell."""
    return unescape(re.sub(r"<[^>]+>", "", str(getattr(rich, "xml", rich))))
