"""Step 2: check what was read; every problem is collected, none stops the others.

Cross-row rules (a part never exceeds its whole, parts that must add up do) come from the
form file's `checks:`; the rules here are the same for every form: required fields, counts
whole and non-negative, percentages within 0–100, period dates and the signing date.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from baocao.form import SEVERITIES, Check
from baocao.periods import default_range, parse_period_kind, period_text
from baocao.problems import ERROR, WARNING, Problem
from baocao.read import RawReport

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
            allowed = {c.casefold(): c for c in f.choices}
            if str(value).strip().casefold() not in allowed:
                report.add_problem(ERROR, "choice-invalid", f.key, value=str(value), choices=list(f.choices))
            else:
                info[f.key] = allowed[str(value).strip().casefold()]
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


def _apply_check(report: RawReport, values: Values, check: Check) -> None:
    whole = values.get(check.whole)
    parts = [(p, values.get(p)) for p in check.parts]
    numbers = [(p, v) for p, v in parts if isinstance(v, Decimal)]
    if not isinstance(whole, Decimal) or not numbers or any(_reported(report, k) for k in (check.whole, *check.parts)):
        return
    total = sum((v for _, v in numbers), Decimal(0))
    severity = SEVERITIES[check.severity]
    form = report.form
    unit = form.row(check.whole).unit.lower()
    total_cell = report.cell_of(check.whole, "total")
    if check.relation == "<=" and total > whole:
        shown = [(p, v) for p, v in numbers if v] or numbers
        report.add_problem(
            severity,
            "part-exceeds-total",
            shown[-1][0],
            cells=(*(report.cell_of(p, "part") for p, _ in shown), total_cell),
            parts=[v for _, v in shown],
            total=whole,
            total_label=form.row(check.whole).label,
            unit=unit,
        )
    elif check.relation == "=" and total != whole:
        report.add_problem(
            severity,
            "parts-differ-from-total",
            check.whole,
            cells=(*(report.cell_of(p, "part") for p, _ in numbers), total_cell),
            parts=[v for _, v in numbers],
            total=whole,
            rows=[form.row(p).stt.rstrip(".") or form.row(p).label for p in check.parts],
            unit=unit,
        )


def _reported(report: RawReport, key: str) -> bool:
    """True when the cell of `key` already has an error (no second message about the same cell)."""
    sheet, cell = report.cells.get(key, ("", ""))
    return bool(cell) and any(p.is_error and p.sheet == sheet and p.cell == cell for p in report.problems)
