"""Where things sit in an input workbook: shared by the blank-workbook writer and the reader."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from baocao.form import Grid, GridColumn

INFO_SHEET = "Thông tin chung"
TEXT_SHEET = "Nội dung"
MARK_SHEET = "_baocao"  # very hidden: form id and version that made the workbook

# Thông tin chung: label | value | help, one field per row from INFO_FIRST_ROW
INFO_HEADER_ROW = 3
INFO_FIRST_ROW = 4
INFO_LABEL_COL = 1
INFO_VALUE_COL = 2
INFO_HELP_COL = 3

# Biểu mẫu N: STT | Chỉ tiêu thống kê | Đơn vị tính | Số liệu | Ghi chú | Kiểm tra, the table
# starting at the top so that cell references match the paper form's rows; the title and the
# instructions sit beside it (NOTE_COL).
TABLE_HEADER_ROW = 1
TABLE_FIRST_ROW = 2
STT_COL = 1
LABEL_COL = 2
UNIT_COL = 3
VALUE_COL = 4
REMARK_COL = 5
CHECK_COL = 6
NOTE_COL = 8
TABLE_HEADERS = ("STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú", "Kiểm tra")

# Nội dung: section | text | hint
TEXT_HEADER_ROW = 3
TEXT_FIRST_ROW = 4
TEXT_LABEL_COL = 1
TEXT_VALUE_COL = 2
TEXT_HELP_COL = 3

VALUE_LETTER = "D"

# Reading limits: a workbook of the form is small; anything far larger is refused or cut.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ROWS_READ = 2000
# The guard before the reader (baocao.intake.sheetscan): a cell with a value beyond these is "far
# outside the form" and its sheet is not read. Forms need far less: a Biểu mẫu sheet uses
# columns A–H and a few hundred rows at most (the reader reads MAX_ROWS_READ), a grid a few
# dozen columns, a city workbook one column per commune (under 200 in any province). The
# limits leave several hundred rows and columns beyond that, and keep what python-calamine
# allocates (one slot per cell of the rectangle up to the farthest cell) under ~70 MB.
GUARD_MAX_ROW = MAX_ROWS_READ + 1000
GUARD_MAX_COL = 702  # column ZZ

# Grids (form `grids:`): STT | label | one column per leaf column; the nested headings take the
# first `grid.depth` rows, then `grid.max_rows` rows to type, then the total row.
GRID_NUMBER_COL = 1
GRID_LABEL_COL = 2
GRID_FIRST_VALUE_COL = 3


@dataclass(frozen=True)
class HeaderCell:
    """One heading of a grid's multi-level header, with its span."""

    text: str
    row: int  # 0-based header row
    col: int  # 0-based column (0 = STT, 1 = label, 2… = leaf columns)
    rowspan: int = 1
    colspan: int = 1


def grid_header_cells(grid: Grid) -> list[HeaderCell]:
    """Every header cell with its span: STT and label span all header rows, groups span their leaves."""
    depth = grid.depth
    cells = [
        HeaderCell(grid.number_heading, 0, 0, rowspan=depth),
        HeaderCell(grid.label_heading, 0, 1, rowspan=depth),
    ]

    def place(columns: tuple[GridColumn, ...], row: int, col: int) -> int:
        for column in columns:
            width = len(column.leaves())
            span = 1 if column.children else depth - row
            cells.append(HeaderCell(column.heading, row, col, rowspan=span, colspan=width))
            if column.children:
                place(column.children, row + 1, col)
            col += width
        return col

    place(grid.columns, 0, 2)
    return cells


def grid_first_row(grid: Grid) -> int:
    """The sheet row of the grid's first typed row."""
    return grid.depth + 1


def grid_total_row(grid: Grid) -> int:
    """The sheet row of the grid's total row."""
    return grid_first_row(grid) + grid.max_rows


def grid_column_letter(grid: Grid, column_id: str) -> str:
    """The sheet column of a leaf column: "C" for the first."""
    index = [c.id for c in grid.leaves].index(column_id)
    return get_column_letter(GRID_FIRST_VALUE_COL + index)
