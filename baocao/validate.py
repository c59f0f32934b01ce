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
from baocao.problems import ERROR, WARNING, Problem
from baocao.read import GridRow, RawReport
from baocao.vnformat import figure, format_number

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
            report.add_problem(ERROR, f.key, "chưa nhập. Đây là thông tin bắt buộc của báo cáo.")
        if f.kind == "choice" and value and f.key != "period":
            allowed = {normalize_label(c): c for c in f.choices}
            if normalize_label(value) not in allowed:
                report.add_problem(ERROR, f.key, f"“{value}” không hợp lệ. Chọn một trong: {', '.join(f.choices)}.")
            else:
                info[f.key] = allowed[normalize_label(value)]
    if info.get("period"):
        try:
            parse_period_kind(str(info["period"]))
        except ValueError:
            choices = next((f.choices for f in report.form.info_fields if f.key == "period"), ())
            report.add_problem(
                ERROR, "period", f"“{info['period']}” không hợp lệ. Chọn một trong: {', '.join(choices)}."
            )
            info["period"] = None
    year = info.get("year")
    if year is not None and not 2000 <= year <= 2100:
        report.add_problem(ERROR, "year", f"năm {year} không hợp lệ. Ghi năm bằng 4 chữ số, ví dụ 2026.")
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
    window = f"kỳ {label} (mặc định từ {start:%d/%m/%Y} đến {end:%d/%m/%Y})"
    given_start, given_end = info.get("date_from"), info.get("date_to")
    slack = dt.timedelta(days=45)
    if given_start and not start - slack <= given_start <= end:
        report.add_problem(
            ERROR, "date_from", f"ngày {given_start:%d/%m/%Y} không thuộc {window}. Kiểm tra năm báo cáo và ngày này."
        )
        given_start = None  # rejected: the checks below use the default
    if given_end and not start <= given_end <= end + slack:
        report.add_problem(
            ERROR, "date_to", f"ngày {given_end:%d/%m/%Y} không thuộc {window}. Kiểm tra năm báo cáo và ngày này."
        )
        given_end = None
    if given_start and given_end and given_start > given_end:
        report.add_problem(ERROR, "date_to", "ngày kết thúc kỳ số liệu trước ngày bắt đầu. Kiểm tra lại hai ngày này.")
    period_start, period_end = given_start or start, given_end or end
    sign = info.get("sign_date")
    if not sign:
        return
    if sign < period_start:
        report.add_problem(
            ERROR, "sign_date", f"ngày ký {sign:%d/%m/%Y} trước ngày bắt đầu {window}. Kiểm tra năm của ngày ký."
        )
    elif sign < period_end:
        report.add_problem(
            WARNING,
            "sign_date",
            f"ngày ký {sign:%d/%m/%Y} trước ngày cuối kỳ số liệu "
            f"({period_end:%d/%m/%Y}): số liệu chưa đủ kỳ. Nếu tỉnh chốt số liệu sớm hơn, "
            "ghi ngày chốt vào dòng “Số liệu đến ngày”.",
        )
    elif sign > period_end + dt.timedelta(days=120):
        report.add_problem(
            WARNING,
            "sign_date",
            f"ngày ký {sign:%d/%m/%Y} cách ngày cuối kỳ ({period_end:%d/%m/%Y}) hơn 4 tháng. Kiểm tra năm của ngày ký.",
        )


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
            report.add_problem(ERROR, row.id, f"{figure(value)} là số âm. Số liệu không được âm.")
        elif row.kind == "number" and not row.decimals and value != value.to_integral_value():
            report.add_problem(
                ERROR, row.id, f"{figure(value)} không phải số nguyên. Chỉ tiêu này đếm {unit}, phải là số nguyên."
            )
        elif row.kind == "number" and row.decimals and value != round(value, row.decimals):
            report.add_problem(
                WARNING,
                row.id,
                f"{figure(value)} có quá {row.decimals} chữ số thập phân; báo cáo làm "
                f"tròn thành {format_number(value, row.decimals, trim=True)}.",
            )
        elif row.kind == "percent" and value > 100:
            report.add_problem(ERROR, row.id, f"tỷ lệ {figure(value)}% vượt quá 100%. Nhập tỷ lệ từ 0 đến 100.")
    for row_id in blanks:
        report.add_problem(
            WARNING,
            row_id,
            "chưa nhập số liệu; Phụ lục để trống ô này và phần lời coi như bằng 0. Nếu đúng là không có, nhập 0.",
        )


@dataclass(frozen=True)
class _Names:
    """How one table names things in a rule's sentence: Biểu mẫu rows or a grid's columns."""

    key: Callable[[str], str]  # the report key (located cell) of a row id / column id
    whole: str  # the whole as named after "vượt"
    parts: str  # "dòng 1.1, 1.2" / "cột “Trực tuyến”, “Trực tiếp”"
    unit: str  # after each figure: " hồ sơ"
    whole_unit: str = ""  # after the whole's figure in "vượt … (5 hồ sơ)"
    at: Callable[[str], str] = lambda _where: ""  # " ở D12": where the whole is, seen from the part named
    zero_parts_shown: bool = True  # "0 + 5 = 5" (grid) or "5" (Biểu mẫu rows)
    sum_always_shown: bool = False  # "(5 = 5 hồ sơ)" even for one part


def _apply_rule(report: RawReport, check: Check, values: Mapping[str, Any], names: _Names) -> None:
    """The one rule engine: a check of the form or of a grid (`checks:`), on one set of values.
    Each relation is defined here, once: when its figures break it, and the problem it makes."""
    whole = values.get(check.whole)
    numbers = [(p, v) for p, v in ((p, values.get(p)) for p in check.parts) if isinstance(v, Decimal)]
    if not isinstance(whole, Decimal) or not numbers:
        return
    added = sum((v for _, v in numbers), Decimal(0))
    severity, unit = SEVERITIES[check.severity], names.unit
    if check.relation == "<=" and added > whole:
        shown = numbers if names.zero_parts_shown else [(p, v) for p, v in numbers if v] or numbers
        where = shown[-1][0]
        report.add_problem(
            severity,
            names.key(where),
            f"{_expr(shown, added, False)}{unit}, vượt {names.whole} ({figure(whole)}{names.whole_unit})"
            f"{names.at(where)}. Kiểm tra lại số liệu.",
        )
    elif check.relation == "=" and added != whole:
        expr = _expr(numbers, added, names.sum_always_shown)
        report.add_problem(
            severity,
            names.key(check.whole),
            f"{figure(whole)}{unit}, khác tổng các {names.parts} ({expr}{unit}). Kiểm tra lại số liệu.",
        )


def _expr(numbers: list[tuple[str, Decimal]], added: Decimal, always: bool) -> str:
    """ "3 + 2 = 5" ("3" alone for one part, unless `always`)."""
    return " + ".join(figure(v) for _, v in numbers) + (f" = {figure(added)}" if always or len(numbers) > 1 else "")


def _apply_check(report: RawReport, values: Values, check: Check) -> None:
    """A check of the form's `checks:`, between Biểu mẫu rows (and grids' totals)."""
    if any(_reported(report, k) for k in (check.whole, *check.parts)):
        return
    form = report.form
    names = _Names(
        key=lambda row_id: row_id,
        whole=form.row(check.whole).label,
        parts="dòng " + ", ".join(form.row(p).stt.rstrip(".") or form.row(p).label for p in check.parts),
        unit=f" {form.row(check.whole).unit.lower()}",
        at=lambda where: f" ở {_cell_ref(report, check.whole, where)}",
        zero_parts_shown=False,
        sum_always_shown=True,
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
                    whole=f"“{grid.heading_path(check.whole)}”",
                    parts="cột " + ", ".join(f"“{grid.heading_path(p)}”" for p in check.parts),
                    unit=unit,
                    whole_unit=unit,
                )
                _apply_rule(report, check, values, names)


def _check_grid_cells(report: RawReport, grid: Grid, row: GridRow) -> None:
    for column in grid.leaves:
        value = row.values.get(column.id)
        if not column.is_input or value is None:
            continue
        if value < 0:
            message = f"{figure(value)} là số âm. Số liệu không được âm."
        elif not column.decimals and value != value.to_integral_value():
            message = f"{figure(value)} không phải số nguyên."
        else:
            continue
        report.add_problem(ERROR, report.locate_grid_cell(grid, row.sheet_row, row.label, column.id), message)


def _cell_ref(report: RawReport, key: str, relative_to: str) -> str:
    """'D12' on the same sheet as relative_to, else 'Biểu mẫu 3!D5'."""
    sheet, cell = report.cells.get(key, ("", ""))
    return cell if sheet == report.cells.get(relative_to, ("", ""))[0] else f"{sheet}!{cell}"


def _reported(report: RawReport, key: str) -> bool:
    """True when the cell of `key` already has an error (no second message about the same cell)."""
    sheet, cell = report.cells.get(key, ("", ""))
    return bool(cell) and any(p.is_error and p.sheet == sheet and p.cell == cell for p in report.problems)
