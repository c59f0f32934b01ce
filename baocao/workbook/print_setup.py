"""One print setup for every workbook we write (blank, commune, city, tong_hop.xlsx, the roll-up info).

A4, as many pages tall as needed but one page wide (so columns are never printed apart from the
names), the header rows repeated on every page, the sheet's title in the page header and
"Trang N/M" in the footer. Wide sheets print in landscape.
"""

from __future__ import annotations

from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

# Sum of column widths (Excel character units) above which a sheet prints in landscape: an A4
# portrait page with 2 cm margins holds about 95 characters of 11 pt text at 100%.
LANDSCAPE_ABOVE = 110
DEFAULT_WIDTH = 8.43  # Excel's width of a column that sets none


def setup_print(
    ws: Any,
    title: str,
    *,
    title_rows: str | None = None,
    title_columns: str | None = None,
    last_column: int | None = None,
    landscape: bool | None = None,
    pages_wide: int = 1,
) -> None:
    """Print `ws` on A4, fit to one page wide; `title_rows` ("3:3") repeat on every page.

    `last_column` limits the width measured for the orientation (e.g. notes beside a table that a
    print area leaves out); `landscape=None` chooses from the width. `pages_wide` > 1 only for a
    city workbook's many commune columns, with `title_columns` repeating the row labels.
    """
    last = last_column or ws.max_column
    if landscape is None:
        landscape = _width(ws, last) > LANDSCAPE_ABOVE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = pages_wide
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if title_rows:
        ws.print_title_rows = title_rows
    if title_columns:
        ws.print_title_cols = title_columns
    ws.oddHeader.center.text = _escape(title)
    ws.oddHeader.center.font = "Times New Roman,Bold"
    ws.oddHeader.center.size = 11
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.font = "Times New Roman,Regular"
    ws.oddFooter.center.size = 10


def _width(ws: Any, last_column: int) -> float:
    total = 0.0
    for col in range(1, last_column + 1):
        dim = ws.column_dimensions.get(get_column_letter(col))
        total += (dim.width if dim is not None and dim.width else DEFAULT_WIDTH) if not (dim and dim.hidden) else 0
    return total


def _escape(text: str) -> str:
    """A header text with '&' doubled (Excel reads '&' as a code: &P page, &N pages)."""
    return text.replace("&", "&&")
