"""The look of every workbook baocao writes: fonts, fills, borders, number formats, protection."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

from baocao.form import Form

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


def number_format(form: Form, kind: str, decimals: int | None) -> str:
    """The Excel number format of a row or grid column of this kind."""
    if kind in ("rate", "percent"):
        places = decimals if decimals is not None else form.numbers.rate_decimals
        return "0" if places == 0 else "0." + "0" * places
    if kind == "choice":
        return "0"
    return "#,##0" + ("." + "#" * decimals if decimals else "")
