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
from baocao.blank import BORDER, CENTER, COMPUTED_FILL, FONT, UNLOCKED, _header_row, _info_sheet, _protect
from baocao.communes import Commune
from baocao.errors import WorkbookError
from baocao.form import Form, find_form
from baocao.print_setup import setup_print
from baocao.problems import Problem
from baocao.read import normalize_label, normalize_stt, open_workbook, read_form_mark
from baocao.write import slugify, write_atomic

CITY_LAYOUT = "city"
FIRST_UNIT_COL = 4  # STT | Chỉ tiêu | Đơn vị tính | <commune> | <commune> | …
UNITS_PER_PAGE = 6  # commune columns per printed page (the row labels repeat on each)
DRAFT_SIGNER = "……………………"


@dataclass(frozen=True)
class CityColumn:
    """One commune's column of a city workbook, and the commune workbook made from it."""

    city: Path
    letter: str
    unit: str
    workbook: Path


def city_workbook(form: Form, communes: tuple[Commune, ...]) -> bytes:
    """A blank city workbook for these communes (one figures column each)."""
    wb = Workbook()
    wb.remove(wb.active)
    _info_sheet(wb, form, {"province": communes[0].province if communes else form.province})
    hint = [
        "Mỗi cột là một xã/phường: nhập số liệu của đơn vị vào cột mang tên đơn vị đó.",
        "Các dòng tô xám do máy tự tính cho từng đơn vị, không cần nhập.",
    ]
    for table in form.tables:
        ws = wb.create_sheet(table.sheet)
        _header_row(ws, 1, ("STT", "Chỉ tiêu thống kê", "Đơn vị tính", *(f"{c.unit_type} {c.name}" for c in communes)))
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
        note = ws.cell(row=1, column=FIRST_UNIT_COL + len(communes) + 1, value=" ".join(hint))
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
        _protect(ws)
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
    """True for a workbook written by `new-input --city` (its hidden mark says layout: city)."""
    try:
        wb = open_workbook(path)
    except WorkbookError:
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


def split_city_workbook(path: Path, work: Path) -> list[CityColumn]:
    """One ordinary commune workbook per column, written in `work`; WorkbookError if unreadable."""
    from baocao.blank import write_blank_workbook  # the same writer as new-input

    wb = open_workbook(path)
    try:
        form_id, _version = read_form_mark(wb)
        form = find_form(form_id)
        info = _shared_info(wb, form)
        units, values = _unit_columns(wb, form)
    finally:
        wb.close()
    columns = []
    for (letter, unit), typed in zip(units, values, strict=True):
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
        write_blank_workbook(form, target, data)
        columns.append(CityColumn(city=path, letter=letter, unit=unit, workbook=target))
    return columns


def _shared_info(wb: Any, form: Form) -> dict[str, Any]:
    rows = wb.rows(layout.INFO_SHEET, max_row=layout.MAX_ROWS_READ, max_col=layout.INFO_VALUE_COL)
    labels = {normalize_label(f.label): f.key for f in form.info_fields}
    info = {}
    for cells in rows:
        if len(cells) >= layout.INFO_VALUE_COL and normalize_label(cells[0]) in labels and cells[1] is not None:
            value = cells[1]
            info[labels[normalize_label(cells[0])]] = (
                value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else value
            )
    return info


def _unit_columns(wb: Any, form: Form) -> tuple[list[tuple[str, str]], list[dict[str, Any]]]:
    """[(column letter, commune name)] and, per commune, row id → the value as typed."""
    units: list[tuple[str, str]] = []
    values: list[dict[str, Any]] = []
    for t, table in enumerate(form.tables):
        rows = wb.rows(table.sheet, max_row=layout.MAX_ROWS_READ, max_col=2000)
        header = rows[0] if rows else ()
        if t == 0:  # the communes: the named columns from D up to the first column without a name
            for c in range(FIRST_UNIT_COL - 1, len(header)):
                if not header[c]:
                    break
                units.append((get_column_letter(c + 1), str(header[c]).strip()))
            values = [{} for _ in units]
        by_stt = {(normalize_stt(r[0]), normalize_label(r[1])): r for r in rows[1:] if len(r) > 1}
        for row in table.rows:
            cells = by_stt.get((normalize_stt(row.stt), normalize_label(row.label)))
            if not row.is_input or cells is None:
                continue
            for k in range(len(units)):
                index = FIRST_UNIT_COL - 1 + k
                values[k][row.id] = cells[index] if index < len(cells) else None
    return units, values


def map_problem(problem: Problem, column: CityColumn) -> Problem:
    """A problem of a split commune workbook, located in the city workbook instead."""
    cell = problem.cell
    if problem.sheet != layout.INFO_SHEET and re.fullmatch(r"[A-Z]+\d+", cell or ""):
        cell = column.letter + re.sub(r"^[A-Z]+", "", cell)
    label = f"{column.unit}: {problem.label}" if problem.label else column.unit
    message = problem.message
    if problem.sheet != layout.INFO_SHEET:  # "… ở D12" / "… ở Biểu mẫu 3!D5" name this commune's column too
        message = re.sub(r"(ở (?:[^!.]*!)?)D(\d+)", rf"\g<1>{column.letter}\2", message)
    return replace(problem, file=column.city.name, cell=cell, label=label, message=message)


def save_city_workbook(form: Form, communes: tuple[Commune, ...], path: Path) -> Path:
    return write_atomic(path, city_workbook(form, communes))


def expand(path: Path, work: str) -> list[tuple[Path, CityColumn | None]]:
    """The workbooks to check for one input: itself, or one per commune for a city workbook."""
    if path.suffix.lower() != ".xlsx" or not is_city_workbook(path):
        return [(path, None)]
    try:
        return [(c.workbook, c) for c in split_city_workbook(path, Path(work))]
    except WorkbookError:
        return [(path, None)]  # the check pass reports why it cannot be read
