"""The city workbook: the layout a city circulates to collect every commune's figures in one file.

Each Biểu mẫu sheet has the form's rows and ONE COLUMN OF FIGURES PER COMMUNE (the commune's name in
row 1); "Thông tin chung" holds what all communes share (province, period, year, văn bản căn cứ, …).
For the batch, each column becomes an ordinary commune workbook (same writer as new-input, in a
temporary folder); every problem found there is then mapped back to the city workbook's own cell
(`Biểu mẫu 1!F14`) and commune, so the officer is told where to correct the city file.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from baocao import layout
from baocao.communes import Commune
from baocao.errors import BatchError, WorkbookError
from baocao.form import Form, find_form, installed_forms
from baocao.intake.guard import check_file, open_workbook
from baocao.intake.recognize import read_form_mark
from baocao.intake.xlsx import may_hold_text
from baocao.parse import normalize_label, normalize_stt
from baocao.problems import Problem
from baocao.workbook.blank import info_sheet, write_blank_workbook
from baocao.workbook.print_setup import setup_print
from baocao.workbook.styles import BORDER, CENTER, COMPUTED_FILL, FONT, UNLOCKED, header_row, protect
from baocao.write import slugify, write_atomic
from baocao.xmltext import removed_problem

CITY_LAYOUT = "city"
FIRST_UNIT_COL = 4  # STT | Chỉ tiêu | Đơn vị tính | <commune> | <commune> | …
UNITS_PER_PAGE = 6  # commune columns per printed page (the row labels repeat on each)
DRAFT_SIGNER = "……………………"
HINT = (
    "Mỗi cột là một xã/phường: nhập số liệu của đơn vị vào cột mang tên đơn vị đó.",
    "Các dòng tô xám do máy tự tính cho từng đơn vị, không cần nhập.",
)


@dataclass(frozen=True)
class CityColumn:
    """One commune's column of a city workbook, and the commune workbook made from it."""

    city: Path
    letter: str
    unit: str
    workbook: Path
    unit_labels: tuple[str, ...] = ("Loại đơn vị", "Tên đơn vị")  # Thông tin chung fields taken from row 1
    header_sheet: str = "Biểu mẫu 1"  # where row 1 names the communes


def city_workbook(form: Form, communes: tuple[Commune, ...]) -> bytes:
    """A blank city workbook for these communes (one figures column each)."""
    wb = Workbook()
    wb.remove(wb.active)
    info_sheet(wb, form, {"province": communes[0].province if communes else form.province})
    for table in form.tables:
        ws = wb.create_sheet(table.sheet)
        header_row(ws, 1, ("STT", "Chỉ tiêu thống kê", "Đơn vị tính", *(f"{c.unit_type} {c.name}" for c in communes)))
        for i, row in enumerate(table.rows):
            r = layout.TABLE_FIRST_ROW + i
            for col, value in enumerate((row.stt or None, row.label, row.unit_text or None), 1):
                cell = ws.cell(row=r, column=col, value=value)
                cell.font, cell.border = Font(name=FONT, size=11, bold=row.kind == "header"), BORDER
            for k in range(len(communes)):
                cell = ws.cell(row=r, column=FIRST_UNIT_COL + k)
                cell.border, cell.alignment = BORDER, CENTER
                if row.is_input:
                    cell.protection = UNLOCKED
                else:
                    cell.fill = COMPUTED_FILL
        ws.column_dimensions["B"].width = 60
        for k in range(len(communes)):
            ws.column_dimensions[get_column_letter(FIRST_UNIT_COL + k)].width = 16
        ws.freeze_panes = ws.cell(row=layout.TABLE_FIRST_ROW, column=FIRST_UNIT_COL)
        note = ws.cell(row=1, column=FIRST_UNIT_COL + len(communes) + 1, value=" ".join(HINT))
        note.font = Font(name=FONT, size=10, italic=True, color="595959")
        last = FIRST_UNIT_COL + len(communes) - 1
        setup_print(
            ws,
            f"{table.sheet}: {table.title}",
            title_rows="1:1",
            title_columns="A:C",
            last_column=min(last, FIRST_UNIT_COL + UNITS_PER_PAGE - 1),
            pages_wide=max(1, -(-len(communes) // UNITS_PER_PAGE)),
        )
        ws.print_area = f"A1:{get_column_letter(max(last, 3))}{layout.TABLE_FIRST_ROW + len(table.rows) - 1}"
        protect(ws)
    mark = wb.create_sheet(layout.MARK_SHEET)
    for key, value in (
        ("form_id", form.id),
        ("form_version", form.version),
        ("form_level", form.level or None),
        ("layout", CITY_LAYOUT),
        ("generator", "baocao"),
    ):
        mark.append([key, value])
    mark.sheet_state = "veryHidden"
    wb.active = 0
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def is_city_workbook(path: Path) -> bool:
    """True for a workbook written by `new-input --city` (its hidden mark says layout: city).
    Most workbooks are not: a look at the raw mark sheet and shared strings says so without
    reading the workbook."""
    try:
        if not may_hold_text(check_file(path), layout.MARK_SHEET, CITY_LAYOUT):
            return False
        wb = open_workbook(path)
    except (WorkbookError, OSError):
        return False
    try:
        if layout.MARK_SHEET not in wb.sheetnames:
            return False
        rows = wb.rows(layout.MARK_SHEET, max_row=10, max_col=2)
        return any(len(r) >= 2 and r[0] == "layout" and r[1] == CITY_LAYOUT for r in rows)
    except WorkbookError:  # a damaged or guarded mark sheet: the check pass reports it
        return False
    finally:
        wb.close()


@dataclass(frozen=True)
class Split:
    """A city workbook split: its commune workbooks, what could not be split, what was found on the way."""

    columns: list[CityColumn]
    failed: list[tuple[CityColumn, BatchError]]  # a column whose commune workbook could not be made, and why
    problems: list[Problem]  # found while splitting (characters removed), at the city workbook's cells


def split_city_workbook(path: Path, work: Path) -> Split:
    """One ordinary commune workbook per column, written in `work`; WorkbookError when the city
    workbook cannot be split at all (unreadable, unknown form, a Biểu mẫu sheet missing, no commune)."""
    wb = open_workbook(path)
    try:
        form_id, _version = read_form_mark(wb)
        if form_id is not None and form_id not in installed_forms():
            raise WorkbookError(path, "city-form-not-installed", form_id=form_id, installed=list(installed_forms()))
        form = find_form(form_id)
        missing = [t.sheet for t in form.tables if t.sheet not in wb.sheetnames]
        if missing or layout.INFO_SHEET not in wb.sheetnames:
            sheets = [*missing] + ([] if layout.INFO_SHEET in wb.sheetnames else [layout.INFO_SHEET])
            raise WorkbookError(path, "city-sheets-missing", sheets=sheets)
        try:
            problems: list[Problem] = []
            info = _shared_info(wb, form, path, problems)
            units, values = _unit_columns(wb, form, path, problems)
        except Exception as e:  # a damaged sheet part: calamine raises many kinds
            raise WorkbookError(path, "city-damaged", error=type(e).__name__) from e
    finally:
        wb.close()
    if not units:
        raise WorkbookError(path, "city-no-units", sheet=form.tables[0].sheet)
    unit_labels = tuple(f.label for f in form.info_fields if f.key in ("unit_type", "unit_name"))
    columns, failed = [], []
    for (letter, unit), typed in zip(units, values, strict=True):
        if not unit.strip():
            unnamed = BatchError("column-unnamed", letter=letter, cell=f"{form.tables[0].sheet}!{letter}1")
            failed.append((CityColumn(path, letter, "", work / f"{slugify(path.stem)}__{letter}.xlsx"), unnamed))
            continue
        unit_type, _, name = unit.partition(" ")
        if unit_type.casefold() == "đặc" and name.startswith("khu "):
            unit_type, name = "Đặc khu", name[4:]
        data = {
            "info": {
                **info,
                "unit_type": unit_type.capitalize(),
                "unit_name": name,
                "signer_name": info.get("signer_name") or DRAFT_SIGNER,
            },
            "values": typed,
        }
        target = work / f"{slugify(path.stem)}__{letter}_{slugify(unit)}.xlsx"
        column = CityColumn(path, letter, unit, target, unit_labels, form.tables[0].sheet)
        try:
            write_blank_workbook(form, target, data)
        except Exception as e:  # this column alone: the others go on
            failed.append((column, BatchError("column-not-split", letter=letter, unit=unit, error=type(e).__name__)))
            continue
        columns.append(column)
    return Split(columns, failed, problems)


def _unit_header(value: Any) -> bool:
    """A commune's name in row 1 (not blank, not the hint the blank city workbook writes after the last one)."""
    return value is not None and bool(str(value).strip()) and not str(value).startswith(HINT[0])


def _clean(wb: Any, value: Any, path: Path, sheet: str, cell: str, label: str, problems: list[Problem]) -> Any:
    """A warning, at the city workbook's own cell, when reading removed characters a workbook cannot
    hold (noncharacters, controls) from it (see baocao.xmltext.CleanWorkbook)."""
    removed = getattr(wb, "removed", {}).get((sheet, cell))
    if removed:
        problems.append(removed_problem(path.name, sheet, cell, label, removed))
    return value


def _shared_info(wb: Any, form: Form, path: Path, problems: list[Problem]) -> dict[str, Any]:
    rows = wb.rows(layout.INFO_SHEET, max_row=layout.MAX_ROWS_READ, max_col=layout.INFO_VALUE_COL)
    fields = {normalize_label(f.label): f for f in form.info_fields}
    info = {}
    for r, cells in enumerate(rows, 1):
        field = fields.get(normalize_label(cells[0])) if cells else None
        if field is None or len(cells) < layout.INFO_VALUE_COL or cells[1] is None:
            continue
        value = cells[1].strftime("%d/%m/%Y") if hasattr(cells[1], "strftime") else cells[1]
        info[field.key] = _clean(wb, value, path, layout.INFO_SHEET, f"B{r}", field.label, problems)
    return info


def _unit_columns(
    wb: Any, form: Form, path: Path, problems: list[Problem]
) -> tuple[list[tuple[str, str]], list[dict[str, Any]]]:
    """[(column letter, commune name)] and, per commune, row id → the value as typed."""
    units: list[tuple[str, str]] = []
    values: list[dict[str, Any]] = []
    for t, table in enumerate(form.tables):
        rows = wb.rows(table.sheet, max_row=layout.MAX_ROWS_READ, max_col=2000)
        header = rows[0] if rows else ()
        if t == 0:  # the communes: from D up to the last named column (a blank one between is reported)
            named = [c for c in range(FIRST_UNIT_COL - 1, len(header)) if _unit_header(header[c])]
            for c in range(FIRST_UNIT_COL - 1, named[-1] + 1 if named else 0):
                letter = get_column_letter(c + 1)
                text = str(header[c]).strip() if _unit_header(header[c]) else ""
                units.append((letter, _clean(wb, text, path, table.sheet, f"{letter}1", "tên đơn vị", problems)))
            values = [{} for _ in units]
        by_stt = {(normalize_stt(r[0]), normalize_label(r[1])): (i, r) for i, r in enumerate(rows[1:], 2) if len(r) > 1}
        for row in table.rows:
            found = by_stt.get((normalize_stt(row.stt), normalize_label(row.label)))
            if not row.is_input or found is None:
                continue
            number, cells = found
            for k, (letter, unit) in enumerate(units):
                index = FIRST_UNIT_COL - 1 + k
                value = cells[index] if index < len(cells) else None
                label = f"{unit}: {row.stt} {row.label}".strip()
                values[k][row.id] = _clean(wb, value, path, table.sheet, f"{letter}{number}", label, problems)
    return units, values


def map_problem(problem: Problem, column: CityColumn) -> Problem:
    """A problem of a split commune workbook, located in the city workbook instead: a commune's
    figure at its own column, its type or name at the column's header (row 1), a shared field of
    Thông tin chung as it is (the same for every commune, see is_shared)."""
    if problem.sheet == layout.INFO_SHEET and problem.label in column.unit_labels:
        label = f"{column.unit}: {problem.label}"
        return problem.moved(file=column.city.name, sheet=column.header_sheet, cell=f"{column.letter}1", label=label)
    if problem.sheet == layout.INFO_SHEET:
        return problem.moved(file=column.city.name)
    label = f"{column.unit}: {problem.label}" if problem.label else column.unit
    # every cell the problem involves (the parts of a sum, its total) is in this commune's column too
    cells = tuple(replace(c, cell=_in_column(c.cell, column.letter)) for c in problem.cells)
    cell = _in_column(problem.cell, column.letter)
    return problem.moved(file=column.city.name, cell=cell, label=label, cells=cells)


def _in_column(cell: str, letter: str) -> str:
    """'D12' of a commune's workbook → 'F12' of the city workbook's column F ('' stays '')."""
    return letter + re.sub(r"^[A-Z]+", "", cell) if re.fullmatch(r"[A-Z]+\d+", cell or "") else cell


def is_shared(problem: Problem) -> bool:
    """A mapped problem of the city workbook's own Thông tin chung: one for all its communes."""
    return problem.sheet == layout.INFO_SHEET


def save_city_workbook(form: Form, communes: tuple[Commune, ...], path: Path) -> Path:
    return write_atomic(path, city_workbook(form, communes))
