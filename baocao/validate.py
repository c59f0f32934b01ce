"""Step 2: check what was read; every problem is collected, none stops the others.

Cross-row rules (a part never exceeds its whole, parts that must add up do) come from the
form file's `checks:`, and the grids' own `checks:` between their columns, on every typed row:
one rule engine (`_apply_rule`) for both; the rules here are the same for every form: required fields, counts
whole and non-negative, percentages within 0–100, period dates and the signing date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from baocao.compute import GridValues
from baocao.form import SEVERITIES, Check, Grid
from baocao.parse import normalize_label
from baocao.periods import default_range, parse_period_kind, period_text
from baocao.problems import ERROR, WARNING, Cell, Problem
from baocao.read import GridRow, RawReport

Values = dict[str, Decimal | str | None]


def validate(report: RawReport, values: Values) -> list[Problem]:
    """All problems of the workbook: those found while reading, then the checks below.

    `values` are the computed values (baocao.compute), so rules may involve computed rows.
    """
    _check_info(report)
    _check_period(report)
    _check_values(report)
    for check in report.form.checks:
        _apply_check(report, values, check)
    return report.problems


def _check_info(report: RawReport) -> None:
    info = report.info
    for f in report.form.info_fields:
        value = info.get(f.key)
        if f.required and value in (None, "") and f.key in report.cells and not _reported(report, f.key):
            report.add_problem(ERROR, "required-missing", f.key)
        if f.kind == "choice" and value and f.key != "period":
            allowed = {normalize_label(c): c for c in f.choices}
            if normalize_label(value) not in allowed:
                report.add_problem(ERROR, "choice-invalid", f.key, value=str(value), choices=list(f.choices))
            else:
                info[f.key] = allowed[normalize_label(value)]
    if info.get("period"):
        try:
            parse_period_kind(str(info["period"]))
        except ValueError:
            choices = next((f.choices for f in report.form.info_fields if f.key == "period"), ())
            report.add_problem(ERROR, "choice-invalid", "period", value=str(info["period"]), choices=list(choices))
            info["period"] = None
    year = info.get("year")
    if year is not None and not 2000 <= year <= 2100:
        report.add_problem(ERROR, "year-invalid", "year", year=str(year))
        info["year"] = None


def _check_period(report: RawReport) -> None:
    """Period dates agree with the kỳ báo cáo; the signing date is not before the period ends."""
    info = report.info
    if not info.get("period") or not info.get("year"):
        return
    kind = parse_period_kind(str(info["period"]))
    year = int(info["year"])
    start, end = default_range(kind, year)
    label = period_text(kind, year)
    window = {"period": label, "start": start, "end": end}
    given_start, given_end = info.get("date_from"), info.get("date_to")
    slack = dt.timedelta(days=45)
    if given_start and not start - slack <= given_start <= end:
        report.add_problem(ERROR, "date-outside-period", "date_from", date=given_start, **window)
        given_start = None  # rejected: the checks below use the default
    if given_end and not start <= given_end <= end + slack:
        report.add_problem(ERROR, "date-outside-period", "date_to", date=given_end, **window)
        given_end = None
    if given_start and given_end and given_start > given_end:
        report.add_problem(ERROR, "dates-reversed", "date_to", cells=(report.cell_of("date_from", "start"),))
    period_start, period_end = given_start or start, given_end or end
    sign = info.get("sign_date")
    if not sign:
        return
    if sign < period_start:
        report.add_problem(ERROR, "sign-before-period", "sign_date", sign=sign, **window)
    elif sign < period_end:
        report.add_problem(WARNING, "sign-before-period-end", "sign_date", sign=sign, end=period_end)
    elif sign > period_end + dt.timedelta(days=120):
        report.add_problem(WARNING, "sign-late", "sign_date", sign=sign, end=period_end)


def _check_values(report: RawReport) -> None:
    """Counts are whole and non-negative, percentages within 0–100, required rows filled."""
    blanks = []
    for row in report.form.rows:
        if not row.is_input or row.kind == "text" or row.id not in report.cells or _reported(report, row.id):
            continue
        value = report.values.get(row.id)
        if value is None:
            if not row.optional:
                blanks.append(row.id)
            continue
        if not isinstance(value, Decimal):
            continue
        unit = row.unit.lower() or "số lượng"
        if value < 0:
            report.add_problem(ERROR, "negative", row.id, value=value)
        elif row.kind == "number" and not row.decimals and value != value.to_integral_value():
            report.add_problem(ERROR, "not-whole", row.id, value=value, unit=unit)
        elif row.kind == "number" and row.decimals and value != round(value, row.decimals):
            report.add_problem(WARNING, "too-many-decimals", row.id, value=value, decimals=row.decimals)
        elif row.kind == "percent" and value > 100:
            report.add_problem(ERROR, "percent-over-100", row.id, value=value)
    for row_id in blanks:
        report.add_problem(WARNING, "value-blank", row_id)


@dataclass(frozen=True)
class _Names:
    """How one table names things in a rule's problem: Biểu mẫu rows or a grid's columns."""

    key: Callable[[str], str]  # the report key (located cell) of a row id / column id
    codes: tuple[str, str]  # the problem codes of "<=" and "=" (baocao.messages)
    whole: str  # the whole as named after "vượt"
    parts: tuple[str, list[str]]  # ("rows", ["1.1", "1.2"]) / ("columns", ["Trực tuyến", "Trực tiếp"])
    unit: str  # the unit the sentence writes after the figures
    zero_parts_shown: bool = True  # "0 + 5 = 5" (grid) or "5" (Biểu mẫu rows)


def _apply_rule(report: RawReport, check: Check, values: Mapping[str, Any], names: _Names) -> None:
    """The one rule engine: a check of the form or of a grid (`checks:`), on one set of values.
    Each relation is defined here, once: when its figures break it, and the problem it makes."""
    whole = values.get(check.whole)
    numbers = [(p, v) for p, v in ((p, values.get(p)) for p in check.parts) if isinstance(v, Decimal)]
    if not isinstance(whole, Decimal) or not numbers:
        return
    added = sum((v for _, v in numbers), Decimal(0))
    severity = SEVERITIES[check.severity]
    if check.relation == "<=" and added > whole:
        shown = numbers if names.zero_parts_shown else [(p, v) for p, v in numbers if v] or numbers
        report.add_problem(
            severity,
            names.codes[0],
            names.key(shown[-1][0]),
            cells=_involved(report, check, shown, names),
            parts=[v for _, v in shown],
            total=whole,
            total_label=names.whole,
            unit=names.unit,
        )
    elif check.relation == "=" and added != whole:
        report.add_problem(
            severity,
            names.codes[1],
            names.key(check.whole),
            cells=_involved(report, check, numbers, names),
            parts=[v for _, v in numbers],
            total=whole,
            **{names.parts[0]: names.parts[1]},
            unit=names.unit,
        )


def _involved(report: RawReport, check: Check, parts: list[tuple[str, Decimal]], names: _Names) -> tuple[Cell, ...]:
    """The cells a rule's problem names: each part shown, then the whole."""
    return (
        *(report.cell_of(names.key(p), "part") for p, _ in parts),
        report.cell_of(names.key(check.whole), "total"),
    )


def _apply_check(report: RawReport, values: Values, check: Check) -> None:
    """A check of the form's `checks:`, between Biểu mẫu rows (and grids' totals)."""
    if any(_reported(report, k) for k in (check.whole, *check.parts)):
        return
    form = report.form
    names = _Names(
        key=lambda row_id: row_id,
        codes=("part-exceeds-total", "parts-differ-from-total"),
        whole=form.row(check.whole).label,
        parts=("rows", [form.row(p).stt.rstrip(".") or form.row(p).label for p in check.parts]),
        unit=form.row(check.whole).unit.lower(),
        zero_parts_shown=False,
    )
    _apply_rule(report, check, values, names)


def validate_grids(report: RawReport, computed: Mapping[str, GridValues]) -> None:
    """Each grid's typed cells (whole, not negative) and its own rules (`checks:` of the grid), on every typed row."""
    for grid_values in computed.values():
        grid = grid_values.grid
        for row in report.grids.get(grid.id, []):
            _check_grid_cells(report, grid, row)
        unit = f" {grid.unit.lower()}" if grid.unit else ""
        for row, values in grid_values.rows:
            for check in grid.checks:
                names = _Names(
                    key=lambda column_id, row=row: report.locate_grid_cell(grid, row.sheet_row, row.label, column_id),
                    codes=("grid-part-exceeds-total", "grid-parts-differ-from-total"),
                    whole=grid.heading_path(check.whole),
                    parts=("columns", [grid.heading_path(p) for p in check.parts]),
                    unit=unit,
                )
                _apply_rule(report, check, values, names)


def _check_grid_cells(report: RawReport, grid: Grid, row: GridRow) -> None:
    for column in grid.leaves:
        value = row.values.get(column.id)
        if not column.is_input or value is None:
            continue
        if value < 0:
            code = "negative"
        elif not column.decimals and value != value.to_integral_value():
            code = "grid-not-whole"
        else:
            continue
        report.add_problem(ERROR, code, report.locate_grid_cell(grid, row.sheet_row, row.label, column.id), value=value)


def _reported(report: RawReport, key: str) -> bool:
    """True when the cell of `key` already has an error (no second message about the same cell)."""
    sheet, cell = report.cells.get(key, ("", ""))
    return bool(cell) and any(p.is_error and p.sheet == sheet and p.cell == cell for p in report.problems)
