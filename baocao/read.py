"""Step 1: read an input workbook into a RawReport (typed values, located cells).

The reader never trusts a cached formula result: computed rows are skipped here and
recomputed from the input cells by baocao.compute. Rows are found by their STT and
label, not by position, so a row the clerk inserted does not shift the figures.
A grid's rows (one per lĩnh vực) are read up to its total row, with the same typed-cell
reader (`read_cell`) as the Biểu mẫu rows. Files that are not a workbook of ours get one
clear message (WorkbookError, baocao.intake.guard).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from baocao import layout
from baocao.errors import FormError, WorkbookError
from baocao.form import Form, Grid, Row
from baocao.intake.guard import find_sheet, open_workbook
from baocao.intake.recognize import workbook_form
from baocao.intake.xlsx import FarCellError
from baocao.parse import (
    SpecialCell,
    Unreadable,
    cell_text,
    normalize_label,
    normalize_stt,
    parse_choice,
    parse_date,
    parse_number,
)
from baocao.problems import ERROR, WARNING, Cell, Problem, Severity


@dataclass
class GridRow:
    """One row of a grid the clerk typed: its label, the typed numbers, the sheet row it is on."""

    label: str
    values: dict[str, Decimal | None] = field(default_factory=dict)
    sheet_row: int = 0


@dataclass
class RawReport:
    """What the clerk typed, by field key / row id, with the cell each came from."""

    path: Path
    form: Form
    info: dict[str, Any] = field(default_factory=dict)
    values: dict[str, Decimal | str | None] = field(default_factory=dict)
    remarks: dict[str, str] = field(default_factory=dict)
    text: dict[str, str] = field(default_factory=dict)
    cells: dict[str, tuple[str, str]] = field(default_factory=dict)  # id → (sheet, cell)
    problems: list[Problem] = field(default_factory=list)
    grids: dict[str, list[GridRow]] = field(default_factory=dict)  # grid id → the rows the clerk typed
    labels: dict[str, str] = field(default_factory=dict)  # key → label, for keys that are no form row (`locate`)

    def add_problem(
        self,
        severity: Severity,
        code: str,
        key: str = "",
        *,
        at: tuple[str, str, str] | None = None,
        cells: tuple[Cell, ...] = (),
        **params: Any,
    ) -> None:
        """Record a problem (a code of baocao.messages and its parameters) about an info field key
        or a row id, located by its cell; or at (sheet, cell, label) given outright."""
        sheet, cell = self.cells.get(key, ("", ""))
        sheet, cell, label = at if at is not None else (sheet, cell, self.label_of(key))
        self.problems.append(Problem(code, severity, self.path.name, sheet, cell, label, params, cells))

    def cell_of(self, key: str, role: str = "") -> Cell:
        """The cell of an info field key or a row id, as a problem names it."""
        sheet, cell = self.cells.get(key, ("", ""))
        return Cell(sheet, cell, role)

    def locate(self, key: str, sheet: str, cell: str, label: str) -> str:
        """Name a cell that is no form row nor field (a grid's cell), so that problems about `key`
        are located there and labelled `label`; returns `key`."""
        self.cells[key] = (sheet, cell)
        self.labels[key] = label
        return key

    def locate_grid_cell(self, grid: Grid, sheet_row: int, label: str, column_id: str = "") -> str:
        """The key of one cell of a grid's typed row (its label cell without `column_id`), located
        and labelled "Hộ tịch – Tiếp nhận – Trực tuyến" (or "dòng 4" when the row has no label)."""
        name = label or f"dòng {sheet_row}"
        if not column_id:
            cell = f"{get_column_letter(layout.GRID_LABEL_COL)}{sheet_row}"
            return self.locate(f"{grid.id}#{sheet_row}", grid.sheet, cell, name)
        cell = f"{layout.grid_column_letter(grid, column_id)}{sheet_row}"
        return self.locate(
            f"{grid.id}.{column_id}#{sheet_row}", grid.sheet, cell, f"{name} – {grid.heading_path(column_id)}"
        )

    def label_of(self, key: str) -> str:
        """'4.1.2. Số nhiệm vụ …' for a row id, the field label for an info key."""
        if key in self.labels:
            return self.labels[key]
        for f in self.form.info_fields:
            if f.key == key:
                return f.label
        for section in self.form.narrative:
            if section.key == key:
                return section.label
        for row in (*self.form.rows, *self.form.grid_rows):
            if row.id == key:
                return f"{row.stt} {row.label}".strip()
        return ""


def read_workbook(path: Path | str, form: Form | None = None) -> RawReport:
    """Read every input of the workbook; problems found while reading go into .problems."""
    path = Path(path)
    wb = open_workbook(path)
    try:
        try:
            form, notes = workbook_form(path, wb, form)
        except FormError as e:
            raise WorkbookError(path, "form-error", text=str(e)) from e
        report = RawReport(path=path, form=form, problems=notes)
        lock = path.with_name(f"~${path.name}")
        if lock.exists():
            report.add_problem(WARNING, "file-open-in-excel")
        _read_info(wb, report)
        for table in form.tables:
            _read_table(wb, table.sheet, table.rows, report)
        for grid in form.grids:
            _read_grid(wb, grid, report)
        _read_text(wb, report)
        if wb.removed:  # cells that lost characters XML cannot hold, labelled (rare: labels cost)
            labels = {cell: report.label_of(key) for key, cell in report.cells.items()}
            report.problems.extend(wb.problems(path.name, labels))
    finally:
        wb.close()
    return report


# --- the sheets ----------------------------------------------------------------------------


def _sheet_rows(wb, wanted: str, report: RawReport) -> list[tuple] | None:
    sheet = find_sheet(wb, wanted)
    if sheet is None:
        visible = [n for n in wb.sheetnames if n != layout.MARK_SHEET]
        report.add_problem(
            ERROR, "sheet-missing", at=(wanted, "", ""), sheet=wanted, sheets=visible, form_title=report.form.title
        )
        return None
    try:
        rows = wb.rows(sheet, max_row=layout.MAX_ROWS_READ, max_col=layout.NOTE_COL)
        special = wb.special_cells(sheet)
    except FarCellError as e:  # the sheet is not read; the other sheets still are
        report.add_problem(ERROR, "far-cell", at=(sheet, e.cell, ""), far=e.cell)
        return None
    except WorkbookError:
        raise
    except Exception as e:  # a damaged sheet part
        raise WorkbookError(report.path, "sheet-damaged", sheet=sheet, error=type(e).__name__) from e
    for coordinate, (kind, text) in special.items():
        column, row = coordinate_from_string(coordinate)
        if row <= len(rows) and column_index_from_string(column) <= layout.NOTE_COL:
            cells = list(rows[row - 1]) + [None] * layout.NOTE_COL
            cells[column_index_from_string(column) - 1] = SpecialCell(kind, text)
            rows[row - 1] = tuple(cells[: max(len(rows[row - 1]), column_index_from_string(column))])
    return rows


def _rows_by_label(rows: list[tuple], label_col: int, value_col: int) -> dict[str, tuple[int, tuple]]:
    """Normalized label → (1-based sheet row, cells) for a label | value sheet."""
    return {
        normalize_label(r[label_col - 1]): (i, r)
        for i, r in enumerate(rows, 1)
        if len(r) >= value_col and r[label_col - 1]
    }


def _labelled(
    wb, report: RawReport, sheet: str, columns: tuple[int, int], items: Iterable[Any], missing: tuple[Severity, str]
) -> Iterator[tuple[Any, Any]]:
    """Each item (with a .key and a .label) and the value beside its label on a label | value sheet
    (`columns`: the label's and the value's), its cell recorded; a label not found is the problem
    `missing` (severity, code)."""
    rows = _sheet_rows(wb, sheet, report)
    if rows is None:
        return
    label_col, value_col = columns
    by_label = _rows_by_label(rows, label_col, value_col)
    for item in items:
        found = by_label.get(normalize_label(item.label))
        if found is None:
            report.add_problem(*missing, at=(sheet, "", item.label))
            continue
        row_number, cells = found
        report.cells[item.key] = (sheet, f"{get_column_letter(value_col)}{row_number}")
        yield item, cells[value_col - 1]


def _read_info(wb, report: RawReport) -> None:
    columns = (layout.INFO_LABEL_COL, layout.INFO_VALUE_COL)
    missing = (ERROR, "info-row-missing")
    for f, value in _labelled(wb, report, layout.INFO_SHEET, columns, report.form.info_fields, missing):
        if isinstance(value, SpecialCell):
            report.add_problem(ERROR, "unreadable-value", f.key, reason=value.reason())
            continue
        try:
            if f.kind == "date":
                report.info[f.key], note = parse_date(value)
            elif f.kind == "year":
                number, note = parse_number(value, allow_decimals=False)
                if number is not None and number != number.to_integral_value():
                    raise Unreadable("not-a-year", value=value)
                report.info[f.key] = int(number) if number is not None else None
            else:
                report.info[f.key], note = cell_text(value) or None, ""
        except Unreadable as e:
            report.add_problem(ERROR, "unreadable-info", f.key, reason=e.reason, year=f.kind == "year")
            continue
        if note:
            report.add_problem(WARNING, "info-note", f.key, note=note)


def _find_row(rows: list[tuple], row: Row, start: int, labels: list[str]) -> int | None:
    """1-based sheet row holding the form row: same label (with or without its note) and STT,
    else the same label under another STT (a renumbered row). Never a row whose label merely
    begins with this one: "…đã hoàn thành đúng hạn" is not "…đã hoàn thành".
    `labels` are the sheet's normalized labels, one per row."""
    wanted = {normalize_label(row.label), normalize_label(f"{row.label} {row.note}")}
    stt = normalize_stt(row.stt)
    label_only = None
    for i in range(start, len(rows)):
        if labels[i] not in wanted:
            continue
        if normalize_stt(rows[i][layout.STT_COL - 1]) == stt:
            return i + 1
        label_only = label_only or i + 1
    return label_only


def _read_table(wb, sheet: str, form_rows: tuple[Row, ...], report: RawReport) -> None:
    rows = _sheet_rows(wb, sheet, report)
    if rows is None:
        return
    missing = []
    labels = [normalize_label(cells[layout.LABEL_COL - 1]) if len(cells) >= layout.LABEL_COL else "" for cells in rows]
    start = layout.TABLE_FIRST_ROW - 1
    for row in form_rows:
        if row.kind == "header":  # nothing to read but its Ghi chú; a missing heading is no problem
            _read_header_remark(rows, row, start, labels, report)
            continue
        # rows are searched from the last one found, so rows with the same label ("- Tổng số") stay apart
        number = _find_row(rows, row, start, labels) or _find_row(rows, row, layout.TABLE_FIRST_ROW - 1, labels)
        if number is None:
            missing.append(f"{row.stt} {row.label}".strip())
            continue
        start = number
        cells = rows[number - 1]
        report.cells[row.id] = (sheet, f"{get_column_letter(layout.VALUE_COL)}{number}")
        _keep_remark(row, cells, report)
        if row.is_input:
            _read_value(row, cells[layout.VALUE_COL - 1] if len(cells) >= layout.VALUE_COL else None, report)
    if missing:
        report.add_problem(ERROR, "rows-missing", at=(sheet, "", ""), rows=missing)


def _read_header_remark(rows: list[tuple], row: Row, start: int, labels: list[str], report: RawReport) -> None:
    """A Ghi chú typed on a heading row (a white cell) reaches the report like any row's."""
    number = _find_row(rows, row, start, labels) or _find_row(rows, row, layout.TABLE_FIRST_ROW - 1, labels)
    if number:
        _keep_remark(row, rows[number - 1], report)


def _keep_remark(row: Row, cells: tuple, report: RawReport) -> None:
    """The row's Ghi chú as typed, when it is not the form's own."""
    remark = cell_text(cells[layout.REMARK_COL - 1]) if len(cells) >= layout.REMARK_COL else ""
    if remark and remark != row.remark:
        report.remarks[row.id] = remark


def read_cell(row: Row, value: Any) -> tuple[Decimal | str | None, str]:
    """The one reader of a typed cell, Biểu mẫu row or grid column: (value, note) by the row's kind;
    Unreadable (the clerk's mistake: a reason code) when the cell cannot be read."""
    if row.kind == "choice":
        return parse_choice(row.choices, value)
    if row.kind == "text":
        if isinstance(value, SpecialCell):
            raise Unreadable.of(value.reason())
        return cell_text(value) or None, ""
    return parse_number(value, allow_decimals=row.kind == "percent" or bool(row.decimals), unit=row.unit)


def _read_value(row: Row, value: Any, report: RawReport) -> None:
    try:
        report.values[row.id], note = read_cell(row, value)
    except Unreadable as e:
        report.values[row.id] = None
        report.add_problem(ERROR, "unreadable-value", row.id, reason=e.reason)
        return
    value = report.values[row.id]
    whole_only = row.kind == "number" and not row.decimals
    if note and not (whole_only and isinstance(value, Decimal) and value != value.to_integral_value()):
        report.add_problem(WARNING, "value-note", row.id, note=note)  # (else: one error, in validate)


def _read_text(wb, report: RawReport) -> None:
    columns = (layout.TEXT_LABEL_COL, layout.TEXT_VALUE_COL)
    missing = (WARNING, "text-section-missing")
    for section, value in _labelled(wb, report, layout.TEXT_SHEET, columns, report.form.narrative, missing):
        report.text[section.key] = cell_text(value)


def _read_grid(wb, grid: Grid, report: RawReport) -> None:
    """The rows the clerk typed in a grid, down to its total row (or its last row to type)."""
    report.grids[grid.id] = []
    sheet = find_sheet(wb, grid.sheet)
    first, total_row = layout.grid_first_row(grid), layout.grid_total_row(grid)
    for column in grid.leaves:
        report.cells[f"{grid.id}.{column.id}"] = (
            grid.sheet,
            f"{layout.grid_column_letter(grid, column.id)}{total_row}",
        )
    if sheet is None:
        report.add_problem(
            ERROR, "grid-sheet-missing", at=(grid.sheet, "", ""), sheet=grid.sheet, table=grid.title or grid.id
        )
        return
    width = layout.GRID_FIRST_VALUE_COL + len(grid.leaves) - 1
    stop = normalize_label(grid.total_label)
    for offset, cells in enumerate(wb.rows(sheet, max_row=layout.MAX_ROWS_READ, max_col=width)[first - 1 :]):
        label = cell_text(cells[layout.GRID_LABEL_COL - 1]) if len(cells) >= layout.GRID_LABEL_COL else ""
        if normalize_label(label) == stop:
            for column in grid.leaves:
                letter = layout.grid_column_letter(grid, column.id)
                report.cells[f"{grid.id}.{column.id}"] = (grid.sheet, f"{letter}{first + offset}")
            break
        _read_grid_row(grid, first + offset, label, cells, report)


def _read_grid_row(grid: Grid, sheet_row: int, label: str, cells: tuple, report: RawReport) -> None:
    values: dict[str, Decimal | None] = {}
    typed_any = False
    for position, column in enumerate(grid.leaves):
        if not column.is_input:
            continue
        index = layout.GRID_FIRST_VALUE_COL + position - 1
        raw = cells[index] if len(cells) > index else None
        values[column.id] = None
        if raw is None:  # blank: nothing to read (most cells of a grid)
            continue
        try:
            number, note = read_cell(grid.cell_row(column), raw)
        except Unreadable as e:
            key = report.locate_grid_cell(grid, sheet_row, label, column.id)
            report.add_problem(ERROR, "unreadable-value", key, reason=e.reason)
            typed_any = True
            continue
        if note:
            key = report.locate_grid_cell(grid, sheet_row, label, column.id)
            report.add_problem(WARNING, "value-note", key, note=note)
        typed_any = typed_any or number is not None
        values[column.id] = number if isinstance(number, Decimal) else None
    if not label and not typed_any:
        return
    if not label:
        report.add_problem(
            ERROR,
            "grid-label-missing",
            report.locate_grid_cell(grid, sheet_row, label),
            heading=grid.label_heading,
            heading_lower=grid.label_heading.lower(),
        )
        return
    if any(normalize_label(r.label) == normalize_label(label) for r in report.grids[grid.id]):
        report.add_problem(WARNING, "grid-label-repeated", report.locate_grid_cell(grid, sheet_row, label), name=label)
    report.grids[grid.id].append(GridRow(label=label, values=values, sheet_row=sheet_row))
