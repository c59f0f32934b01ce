"""Grids: tables whose rows the clerk types (one per lĩnh vực), with a computed total row.

A grid (form file `grids:`) has nested column headings, typed and computed columns, and a
"Cộng" row. This module does for grids what read/compute/blank/context do for Biểu mẫu rows:

- `grid_header_cells`: the multi-level header as merged cells (workbook, Word, template);
- `write_grid_sheet`: the grid's sheet of the input workbook, with Excel formulas;
- `read_grids`: the clerk's rows back (`RawReport.grids`);
- `compute_grids`: every computed cell and the total row; `grid_totals` names each total
  "grid.column", so the form's `checks:` and formulas may use it;
- `check_grids`: the grid's own per-row rules;
- `grid_context`: what the Word template sees (`grids.<id>`, docs/template-context.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from baocao import layout
from baocao.compute import difference, rate, total
from baocao.form import SEVERITIES, Form, Grid, GridColumn, Row
from baocao.parse import cell_text, parse_number
from baocao.problems import ERROR, WARNING, Cell, Severity
from baocao.vnformat import format_number, format_percent
from baocao.xmltext import set_text

NUMBER_COL = 1
LABEL_COL = 2
FIRST_VALUE_COL = 3
Numbers = dict[str, Decimal | None]


@dataclass
class GridRow:
    """One row the clerk typed: its label, the typed numbers, the sheet row it is on."""

    label: str
    values: Numbers = field(default_factory=dict)
    sheet_row: int = 0


@dataclass
class GridValues:
    """A grid computed: every cell of every typed row, and the total row."""

    grid: Grid
    rows: list[tuple[GridRow, Numbers]]
    total: Numbers


@dataclass(frozen=True)
class HeaderCell:
    text: str
    row: int  # 0-based header row
    col: int  # 0-based column (0 = STT, 1 = label, 2… = leaf columns)
    rowspan: int = 1
    colspan: int = 1


# --- layout --------------------------------------------------------------------------------


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


def first_data_row(grid: Grid) -> int:
    return grid.depth + 1


def total_sheet_row(grid: Grid) -> int:
    return first_data_row(grid) + grid.max_rows


def column_letter(grid: Grid, column_id: str) -> str:
    index = [c.id for c in grid.leaves].index(column_id)
    return get_column_letter(FIRST_VALUE_COL + index)


# --- compute -------------------------------------------------------------------------------


def _computed(column: GridColumn, numbers: list[Decimal | None]) -> Decimal | None:
    if column.kind == "rate":
        return rate(numbers[0], numbers[1])
    if column.kind == "sum":
        return total(numbers)
    return difference(numbers)


def _fill(grid: Grid, known: Numbers) -> Numbers:
    """The computed columns of one row (or of the total row) from its typed columns."""
    values = dict(known)
    columns = {c.id: c for c in grid.leaves}

    def value_of(column: GridColumn) -> Decimal | None:
        if column.id in values:
            return values[column.id]
        result = _computed(column, [value_of(columns[s]) for s in column.sources])
        values[column.id] = result
        return result

    for column in grid.leaves:
        value_of(column)
    return values


def compute_grid(grid: Grid, rows: list[GridRow]) -> GridValues:
    inputs = [c for c in grid.leaves if c.is_input]
    computed = [(row, _fill(grid, {c.id: row.values.get(c.id) for c in inputs})) for row in rows]
    totals = {c.id: total([values[c.id] for _, values in computed]) for c in inputs}
    return GridValues(grid=grid, rows=computed, total=_fill(grid, totals))


def compute_grids(form: Form, typed: dict[str, list[GridRow]]) -> dict[str, GridValues]:
    return {grid.id: compute_grid(grid, typed.get(grid.id, [])) for grid in form.grids}


def grid_totals(computed: dict[str, GridValues]) -> dict[str, Decimal | None]:
    """Every total as "grid.column" → value, for the form's checks and formulas."""
    return {f"{gid}.{cid}": value for gid, g in computed.items() for cid, value in g.total.items()}


# --- read ----------------------------------------------------------------------------------


def read_grids(wb: Any, report: Any) -> None:
    """Read every grid sheet into report.grids; problems go to report.problems."""
    from baocao.read import normalize_label  # read imports this module's caller chain lazily

    for grid in report.form.grids:
        report.grids[grid.id] = []
        sheet = _sheet_name(wb, grid.sheet, normalize_label)
        total_row = total_sheet_row(grid)
        for column in grid.leaves:
            report.cells[f"{grid.id}.{column.id}"] = (grid.sheet, f"{column_letter(grid, column.id)}{total_row}")
        if sheet is None:
            report.add_problem(
                ERROR, "grid-sheet-missing", at=(grid.sheet, "", ""), sheet=grid.sheet, table=grid.title or grid.id
            )
            continue
        width = FIRST_VALUE_COL + len(grid.leaves) - 1
        cells = wb.rows(sheet, max_row=layout.MAX_ROWS_READ, max_col=width)[first_data_row(grid) - 1 :]
        stop = normalize_label(grid.total_label)
        for offset, row in enumerate(cells):
            label = cell_text(row[LABEL_COL - 1]) if len(row) >= LABEL_COL else ""
            if normalize_label(label) == stop:
                for column in grid.leaves:
                    letter = column_letter(grid, column.id)
                    report.cells[f"{grid.id}.{column.id}"] = (grid.sheet, f"{letter}{first_data_row(grid) + offset}")
                break
            _read_grid_row(grid, first_data_row(grid) + offset, label, row, report)


def _sheet_name(wb: Any, wanted: str, normalize: Any) -> str | None:
    if wanted in wb.sheetnames:
        return wanted
    near = [s for s in wb.sheetnames if normalize(s) == normalize(wanted)]
    return near[0] if near else None


def _read_grid_row(grid: Grid, sheet_row: int, label: str, cells: tuple, report: Any) -> None:
    values: Numbers = {}
    typed_any = False
    for position, column in enumerate(grid.leaves):
        if not column.is_input:
            continue
        index = FIRST_VALUE_COL + position - 1
        raw = cells[index] if len(cells) > index else None
        if raw is None:  # blank: nothing to read (most cells of a grid)
            values[column.id] = None
            continue
        cell = f"{get_column_letter(FIRST_VALUE_COL + position)}{sheet_row}"
        where = f"{label or f'dòng {sheet_row}'} – {grid.heading_path(column.id)}"
        try:
            number, note = parse_number(raw, allow_decimals=bool(column.decimals), unit=grid.unit)
        except ValueError as e:
            _problem(report, ERROR, "unreadable-value", grid, cell, where, reason=str(e))
            typed_any = True
            continue
        if note:
            _problem(report, WARNING, "value-note", grid, cell, where, note=note)
        if number is not None:
            typed_any = True
            if number < 0:
                _problem(report, ERROR, "negative", grid, cell, where, value=number)
            elif not column.decimals and number != number.to_integral_value():
                _problem(report, ERROR, "grid-not-whole", grid, cell, where, value=number)
        values[column.id] = number
    if not label and not typed_any:
        return
    if not label:
        _problem(
            report,
            ERROR,
            "grid-label-missing",
            grid,
            f"{get_column_letter(LABEL_COL)}{sheet_row}",
            f"dòng {sheet_row}",
            heading=grid.label_heading,
            heading_lower=grid.label_heading.lower(),
        )
        return
    if any(normalize_text(r.label) == normalize_text(label) for r in report.grids[grid.id]):
        cell = f"{get_column_letter(LABEL_COL)}{sheet_row}"
        _problem(report, WARNING, "grid-label-repeated", grid, cell, label, name=label)
    report.grids[grid.id].append(GridRow(label=label, values=values, sheet_row=sheet_row))


def normalize_text(text: str) -> str:
    return " ".join(str(text).casefold().split())


def _problem(
    report: Any, severity: Severity, code: str, grid: Grid, cell: str, label: str, cells: tuple = (), **params: Any
) -> None:
    report.add_problem(severity, code, at=(grid.sheet, cell, label), cells=cells, **params)


# --- checks --------------------------------------------------------------------------------


def check_grids(report: Any, computed: dict[str, GridValues]) -> None:
    """Each grid's own rules (`checks:` of the grid), on every typed row."""
    for grid_values in computed.values():
        grid = grid_values.grid
        unit = f" {grid.unit.lower()}" if grid.unit else ""
        for row, values in grid_values.rows:
            for check in grid.checks:
                whole = values.get(check.whole)
                parts = [(p, values.get(p)) for p in check.parts]
                numbers = [(p, v) for p, v in parts if v is not None]
                if whole is None or not numbers:
                    continue
                added = sum((v for _, v in numbers), Decimal(0))
                severity = SEVERITIES[check.severity]
                heading = grid.heading_path
                involved = tuple(
                    Cell(grid.sheet, f"{column_letter(grid, column)}{row.sheet_row}", role)
                    for column, role in [*((p, "part") for p, _ in numbers), (check.whole, "total")]
                )
                values_shown = [v for _, v in numbers]
                if check.relation == "<=" and added > whole:
                    where = numbers[-1][0]
                    _problem(
                        report,
                        severity,
                        "grid-part-exceeds-total",
                        grid,
                        f"{column_letter(grid, where)}{row.sheet_row}",
                        f"{row.label} – {heading(where)}",
                        cells=involved,
                        parts=values_shown,
                        total=whole,
                        total_label=heading(check.whole),
                        unit=unit,
                    )
                elif check.relation == "=" and added != whole:
                    _problem(
                        report,
                        severity,
                        "grid-parts-differ-from-total",
                        grid,
                        f"{column_letter(grid, check.whole)}{row.sheet_row}",
                        f"{row.label} – {heading(check.whole)}",
                        cells=involved,
                        parts=values_shown,
                        total=whole,
                        columns=[heading(p) for p in check.parts],
                        unit=unit,
                    )


# --- the Word template's view --------------------------------------------------------------


def format_cell(form: Form, column: GridColumn, value: Decimal | None) -> str:
    """A grid cell as printed: "2.645", "97,6%", "" for blank, "-" for a rate without denominator."""
    numbers = form.numbers
    if column.kind == "rate":
        decimals = column.decimals if column.decimals is not None else int(numbers["rate_decimals"])
        return format_percent(
            value,
            decimals,
            whole_without_decimals=bool(numbers["whole_rate_without_decimals"]),
            no_value=str(numbers["no_value"]),
        )
    if value is None:
        return ""
    return format_number(value, column.decimals or 0, trim=True)


def _condition(column: GridColumn, value: Decimal | None) -> Decimal | None:
    return value if column.kind == "rate" else (value if value is not None else Decimal(0))


def _row_context(form: Form, grid: Grid, values: Numbers) -> dict[str, Any]:
    cells = [format_cell(form, c, values.get(c.id)) for c in grid.leaves]
    return {
        "v": {c.id: text for c, text in zip(grid.leaves, cells, strict=True)},
        "n": {c.id: _condition(c, values.get(c.id)) for c in grid.leaves},
        "cells": cells,
    }


def grid_context(form: Form, values: GridValues) -> dict[str, Any]:
    grid = values.grid
    rows = [
        {"number": str(i), "label": row.label, **_row_context(form, grid, cells)}
        for i, (row, cells) in enumerate(values.rows, 1)
    ]
    header: list[list[dict[str, Any]]] = [[] for _ in range(grid.depth)]
    for cell in grid_header_cells(grid):
        header[cell.row].append({"text": cell.text, "rowspan": cell.rowspan, "colspan": cell.colspan})
    return {
        "id": grid.id,
        "title": grid.title,
        "sheet": grid.sheet,
        "number_heading": grid.number_heading,
        "label_heading": grid.label_heading,
        "columns": [{"id": c.id, "heading": c.heading, "path": grid.heading_path(c.id)} for c in grid.leaves],
        "header_rows": header,
        "rows": rows,
        "total": {"label": grid.total_label, **_row_context(form, grid, values.total)},
        "empty": not rows,
    }


# --- the input workbook --------------------------------------------------------------------


def write_grid_sheet(wb: Any, form: Form, grid: Grid, rows: list[dict[str, Any]]) -> None:
    """The grid's sheet: multi-level header, max_rows rows to type, the total row; live formulas."""
    from baocao import blank  # blank imports this module only when it writes a grid

    ws = wb.create_sheet(grid.sheet)
    bold = Font(name=blank.FONT, size=11, bold=True)
    for cell in grid_header_cells(grid):
        top, left = cell.row + 1, cell.col + 1
        if cell.rowspan > 1 or cell.colspan > 1:
            ws.merge_cells(
                start_row=top, start_column=left, end_row=top + cell.rowspan - 1, end_column=left + cell.colspan - 1
            )
        target = ws.cell(row=top, column=left, value=cell.text)
        target.font, target.fill, target.alignment = bold, blank.HEADER_FILL, blank.CENTER
    last_col = FIRST_VALUE_COL + len(grid.leaves) - 1
    for r in range(1, grid.depth + 1):
        for c in range(1, last_col + 1):
            ws.cell(row=r, column=c).border = blank.BORDER
    first, total_row = first_data_row(grid), total_sheet_row(grid)
    for i in range(grid.max_rows):
        typed = rows[i] if i < len(rows) else {}
        _grid_sheet_row(ws, form, grid, first + i, typed)
    _grid_total_row(ws, form, grid, total_row)
    _grid_validations(ws, grid, first, total_row - 1)
    notes = [
        (f"{grid.title or grid.sheet}", Font(name=blank.FONT, size=14, bold=True)),
        (
            f"Mỗi dòng một {grid.label_heading.lower()}: ghi tên ở cột “{grid.label_heading}”, nhập số vào ô trắng; "
            "ô xám do máy tự tính, không cần nhập.",
            blank._HINT_FONT,
        ),
        (f"Dòng “{grid.total_label}” do máy tự cộng. Dòng để trống được bỏ qua.", blank._HINT_FONT),
    ]
    if grid.label_help:
        notes.append((grid.label_help, blank._HINT_FONT))
    for i, (text, font) in enumerate(notes, 1):
        ws.cell(row=i, column=last_col + 2, value=text).font = font
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 32
    for c in range(FIRST_VALUE_COL, last_col + 1):
        ws.column_dimensions[get_column_letter(c)].width = 13
    ws.column_dimensions[get_column_letter(last_col + 2)].width = 70
    for r in range(1, grid.depth + 1):
        ws.row_dimensions[r].height = 45
    ws.freeze_panes = ws.cell(row=first, column=FIRST_VALUE_COL)
    from baocao.print_setup import setup_print

    setup_print(ws, grid.title or grid.sheet, title_rows=f"1:{grid.depth}", last_column=last_col)
    ws.print_area = f"A1:{get_column_letter(last_col)}{total_row}"
    blank._protect(ws)


def _grid_refs(grid: Grid, sheet_row: int) -> dict[str, tuple[str, str]]:
    return {c.id: (grid.sheet, f"{column_letter(grid, c.id)}{sheet_row}") for c in grid.leaves}


def _formula_row(column: GridColumn) -> Row:
    return Row(
        id=column.id,
        label=column.heading,
        kind=column.kind,
        num=column.num,
        den=column.den,
        terms=column.terms,
        decimals=column.decimals,
    )


def _grid_sheet_row(ws: Any, form: Form, grid: Grid, sheet_row: int, typed: dict[str, Any]) -> None:
    from baocao import blank

    font = Font(name=blank.FONT, size=11)
    first = first_data_row(grid)
    number = ws.cell(
        row=sheet_row, column=NUMBER_COL, value=f'=IF(LEN(B{sheet_row})=0,"",COUNTA($B${first}:B{sheet_row}))'
    )
    label = set_text(ws.cell(row=sheet_row, column=LABEL_COL), typed.get("label") or None)
    label.protection, label.alignment = blank.UNLOCKED, blank.WRAP
    refs = _grid_refs(grid, sheet_row)
    for column in grid.leaves:
        cell = ws.cell(row=sheet_row, column=FIRST_VALUE_COL + [c.id for c in grid.leaves].index(column.id))
        if column.is_input:
            value = typed.get(column.id)
            cell.value = blank._plain(Decimal(str(value))) if value not in (None, "") else None
            cell.protection, cell.fill = blank.UNLOCKED, blank.INPUT_FILL
        else:
            cell.value = blank.excel_formula(form, _formula_row(column), refs, grid.sheet)
            cell.fill = blank.COMPUTED_FILL
        cell.number_format = _number_format(form, column)
    for c in range(1, FIRST_VALUE_COL + len(grid.leaves)):
        cell = ws.cell(row=sheet_row, column=c)
        cell.border, cell.font = blank.BORDER, font
        if c != LABEL_COL:
            cell.alignment = blank.CENTER
    number.fill = blank.COMPUTED_FILL


def _grid_total_row(ws: Any, form: Form, grid: Grid, sheet_row: int) -> None:
    from baocao import blank

    bold = Font(name=blank.FONT, size=11, bold=True)
    first, last = first_data_row(grid), sheet_row - 1
    ws.cell(row=sheet_row, column=LABEL_COL, value=grid.total_label)
    refs = _grid_refs(grid, sheet_row)
    for column in grid.leaves:
        letter = column_letter(grid, column.id)
        cell = ws[f"{letter}{sheet_row}"]
        if column.is_input:
            span = f"{letter}{first}:{letter}{last}"
            cell.value = f'=IF(COUNT({span})=0,"",SUM({span}))'
        else:
            cell.value = blank.excel_formula(form, _formula_row(column), refs, grid.sheet)
        cell.number_format = _number_format(form, column)
    for c in range(1, FIRST_VALUE_COL + len(grid.leaves)):
        cell = ws.cell(row=sheet_row, column=c)
        cell.border, cell.font, cell.fill = blank.BORDER, bold, blank.COMPUTED_FILL
        cell.alignment = blank.CENTER if c != LABEL_COL else Alignment(vertical="center")


def _number_format(form: Form, column: GridColumn) -> str:
    if column.kind == "rate":
        decimals = column.decimals if column.decimals is not None else int(form.numbers["rate_decimals"])
        return "0" if decimals == 0 else "0." + "0" * decimals
    return "#,##0" + ("." + "#" * column.decimals if column.decimals else "")


def _grid_validations(ws: Any, grid: Grid, first: int, last: int) -> None:
    """One data validation per typed column (and one for the labels), over all the typed rows."""
    length = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="200", allow_blank=True)
    length.error, length.errorTitle, length.showErrorMessage = "Tối đa 200 ký tự.", "Nội dung quá dài", True
    ws.add_data_validation(length)
    length.add(f"{get_column_letter(LABEL_COL)}{first}:{get_column_letter(LABEL_COL)}{last}")
    for column in grid.leaves:
        if column.is_input:
            letter = column_letter(grid, column.id)
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
