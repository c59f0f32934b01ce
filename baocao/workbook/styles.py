"""The look of every workbook baocao writes: fonts, fills, borders, number formats, protection."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

from baocao.form import Form, GridColumn, Row
from baocao.form.numstyle import figure_style
from baocao.vnformat import NumberStyle

FONT = "Times New Roman"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
COMPUTED_FILL = PatternFill("solid", fgColor="D9D9D9")
HEADER_FILL = PatternFill("solid", fgColor="BDD7EE")
INPUT_FILL = PatternFill("solid", fgColor="FFFFFF")
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
UNLOCKED = Protection(locked=False)
HINT_FONT = Font(name=FONT, size=10, italic=True, color="595959")


def header_row(ws: Any, row: int, headers: tuple[str, ...]) -> None:
    """A row of column headings, bold on the header fill."""
    for col, text in enumerate(headers, 1):
        cell = ws.cell(row=row, column=col, value=text)
        cell.font = Font(name=FONT, size=12, bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = CENTER
        cell.border = BORDER


def protect(ws: Any) -> None:
    """Protect the sheet without a password; the clerk may still widen columns and rows."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # let the clerk widen columns
    ws.protection.formatRows = False


def plain(value: Any) -> Any:
    """A Decimal as the int or float a cell holds; anything else unchanged."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def number_format(form: Form, item: Row | GridColumn, *, computed: bool) -> str:
    """The Excel number format of a row or grid column: its decimals, zero-padding, grouping and
    (on a computed cell) suffix, as the report prints it (form/numstyle.py). A typed cell never
    shows a "%" of its own: what the clerk types in it ("60%") must read back as they typed it."""
    if item.kind == "choice":
        return "0"
    style = figure_style(form.numbers, item)
    if style is None:
        return "General"
    return excel_number_format(style, suffix=computed)


def excel_number_format(style: NumberStyle, *, suffix: bool = True) -> str:
    """NumberStyle(decimals=1, suffix="%") → '#,##0.0"%"'; pad=2 → '#,#00;-#,#00;0'; grouping=False → '0'."""
    digits = "0" * max(style.pad, 1)
    if style.grouping:
        digits = digits.rjust(4, "#")
        digits = f"{digits[:-3]},{digits[-3:]}"
    tail = ("." + ("#" if style.trim else "0") * style.decimals if style.decimals else "") + (
        f'"{style.suffix}"' if suffix and style.suffix else ""
    )
    if style.pad > 1:  # a zero prints "0", not "00" (a section each for positive; negative; zero)
        return f"{digits}{tail};-{digits}{tail};0{tail}"
    return digits + tail
