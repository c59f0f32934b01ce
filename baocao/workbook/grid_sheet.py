"""The sheet of a grid in the input workbook: multi-level header, `max_rows` rows to type and the
total row, with live formulas in the computed columns and the total row."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from baocao.form import Form, Grid, GridColumn
from baocao.layout import (
    GRID_FIRST_VALUE_COL,
    GRID_LABEL_COL,
    GRID_NUMBER_COL,
    grid_column_letter,
    grid_first_row,
    grid_header_cells,
    grid_total_row,
)
from baocao.workbook.formulas import Locations, excel_formula
from baocao.workbook.print_setup import setup_print
from baocao.workbook.styles import (
    BORDER,
    CENTER,
    COMPUTED_FILL,
    FONT,
    HEADER_FILL,
    HINT_FONT,
    INPUT_FILL,
    UNLOCKED,
    WRAP,
    number_format,
    plain,
    protect,
)
from baocao.xmltext import set_text


def write_grid_sheet(wb: Any, form: Form, grid: Grid, rows: list[dict[str, Any]]) -> None:
    """The grid's sheet: multi-level header, max_rows rows to type, the total row; live formulas."""
    ws = wb.create_sheet(grid.sheet)
    bold = Font(name=FONT, size=11, bold=True)
    for cell in grid_header_cells(grid):
        top, left = cell.row + 1, cell.col + 1
        if cell.rowspan > 1 or cell.colspan > 1:
            ws.merge_cells(
                start_row=top, start_column=left, end_row=top + cell.rowspan - 1, end_column=left + cell.colspan - 1
            )
        target = ws.cell(row=top, column=left, value=cell.text)
        target.font, target.fill, target.alignment = bold, HEADER_FILL, CENTER
    last_col = GRID_FIRST_VALUE_COL + len(grid.leaves) - 1
    for r in range(1, grid.depth + 1):
        for c in range(1, last_col + 1):
            ws.cell(row=r, column=c).border = BORDER
    first, total_row = grid_first_row(grid), grid_total_row(grid)
    for i in range(grid.max_rows):
        typed = rows[i] if i < len(rows) else {}
        _grid_sheet_row(ws, form, grid, first + i, typed)
    _grid_total_row(ws, form, grid, total_row)
    _grid_validations(ws, grid, first, total_row - 1)
    notes = [
        (f"{grid.title or grid.sheet}", Font(name=FONT, size=14, bold=True)),
        (
            f"Mỗi dòng một {grid.label_heading.lower()}: ghi tên ở cột “{grid.label_heading}”, nhập số vào ô trắng; "
            "ô xám do máy tự tính, không cần nhập.",
            HINT_FONT,
        ),
        (f"Dòng “{grid.total_label}” do máy tự cộng. Dòng để trống được bỏ qua.", HINT_FONT),
    ]
    if grid.label_help:
        notes.append((grid.label_help, HINT_FONT))
    for i, (text, font) in enumerate(notes, 1):
        ws.cell(row=i, column=last_col + 2, value=text).font = font
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 32
    for c in range(GRID_FIRST_VALUE_COL, last_col + 1):
        ws.column_dimensions[get_column_letter(c)].width = 13
    ws.column_dimensions[get_column_letter(last_col + 2)].width = 70
    for r in range(1, grid.depth + 1):
        ws.row_dimensions[r].height = 45
    ws.freeze_panes = ws.cell(row=first, column=GRID_FIRST_VALUE_COL)
    setup_print(ws, grid.title or grid.sheet, title_rows=f"1:{grid.depth}", last_column=last_col)
    ws.print_area = f"A1:{get_column_letter(last_col)}{total_row}"
    protect(ws)


def _grid_refs(grid: Grid, sheet_row: int) -> Locations:
    return {c.id: (grid.sheet, f"{grid_column_letter(grid, c.id)}{sheet_row}") for c in grid.leaves}


def _grid_sheet_row(ws: Any, form: Form, grid: Grid, sheet_row: int, typed: dict[str, Any]) -> None:
    font = Font(name=FONT, size=11)
    first = grid_first_row(grid)
    number = ws.cell(
        row=sheet_row, column=GRID_NUMBER_COL, value=f'=IF(LEN(B{sheet_row})=0,"",COUNTA($B${first}:B{sheet_row}))'
    )
    label = set_text(ws.cell(row=sheet_row, column=GRID_LABEL_COL), typed.get("label") or None)
    label.protection, label.alignment = UNLOCKED, WRAP
    refs = _grid_refs(grid, sheet_row)
    for column in grid.leaves:
        cell = ws.cell(row=sheet_row, column=GRID_FIRST_VALUE_COL + [c.id for c in grid.leaves].index(column.id))
        if column.is_input:
            value = typed.get(column.id)
            cell.value = plain(Decimal(str(value))) if value not in (None, "") else None
            cell.protection, cell.fill = UNLOCKED, INPUT_FILL
        else:
            cell.value = excel_formula(form, grid.cell_row(column), refs, grid.sheet)
            cell.fill = COMPUTED_FILL
        cell.number_format = number_format(form, column, computed=not column.is_input)
    for c in range(1, GRID_FIRST_VALUE_COL + len(grid.leaves)):
        cell = ws.cell(row=sheet_row, column=c)
        cell.border, cell.font = BORDER, font
        if c != GRID_LABEL_COL:
            cell.alignment = CENTER
    number.fill = COMPUTED_FILL


def _grid_total_row(ws: Any, form: Form, grid: Grid, sheet_row: int) -> None:
    bold = Font(name=FONT, size=11, bold=True)
    first, last = grid_first_row(grid), sheet_row - 1
    ws.cell(row=sheet_row, column=GRID_LABEL_COL, value=grid.total_label)
    refs = _grid_refs(grid, sheet_row)
    for column in grid.leaves:
        letter = grid_column_letter(grid, column.id)
        cell = ws[f"{letter}{sheet_row}"]
        if column.is_input:
            span = f"{letter}{first}:{letter}{last}"
            cell.value = f'=IF(COUNT({span})=0,"",SUM({span}))'
        else:
            cell.value = excel_formula(form, grid.cell_row(column), refs, grid.sheet)
        cell.number_format = number_format(form, column, computed=True)
    for c in range(1, GRID_FIRST_VALUE_COL + len(grid.leaves)):
        cell = ws.cell(row=sheet_row, column=c)
        cell.border, cell.font, cell.fill = BORDER, bold, COMPUTED_FILL
        cell.alignment = CENTER if c != GRID_LABEL_COL else Alignment(vertical="center")


def _grid_validations(ws: Any, grid: Grid, first: int, last: int) -> None:
    """One data validation per typed column (and one for the labels), over all the typed rows."""
    length = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="200", allow_blank=True)
    length.error, length.errorTitle, length.showErrorMessage = "Tối đa 200 ký tự.", "Nội dung quá dài", True
    ws.add_data_validation(length)
    length.add(f"{get_column_letter(GRID_LABEL_COL)}{first}:{get_column_letter(GRID_LABEL_COL)}{last}")
    for column in grid.leaves:
        if column.is_input:
            letter = grid_column_letter(grid, column.id)
            _number_validation(ws, column, f"{letter}{first}:{letter}{last}")


def _number_validation(ws: Any, column: GridColumn, coordinate: str) -> None:
    if column.decimals:
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        rule = f"Số không âm, tối đa {column.decimals} chữ số thập phân."
    else:
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        rule = "Số nguyên không âm."
    dv.error, dv.errorTitle = rule, "Số liệu không hợp lệ"
    dv.prompt, dv.promptTitle = rule, column.heading[:32]
    dv.showErrorMessage = dv.showInputMessage = True
    ws.add_data_validation(dv)
    dv.add(coordinate)
