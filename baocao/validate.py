"""Step 2: check what was read; every problem is collected, none stops the others."""

from __future__ import annotations

from decimal import Decimal

from baocao.periods import parse_period_kind
from baocao.problems import ERROR, WARNING, Problem
from baocao.read import RawReport


def validate(report: RawReport) -> list[Problem]:
    """All problems of the workbook: those found while reading, then the checks below."""
    _check_info(report)
    _check_values(report)
    return report.problems


def _check_info(report: RawReport) -> None:
    info = report.info
    for f in report.form.info_fields:
        if f.required and not info.get(f.key) and f.key in report.cells:
            report.add_problem(ERROR, f.key, "chưa nhập. Đây là thông tin bắt buộc của báo cáo.")
        value = info.get(f.key)
        if f.kind == "choice" and value and f.key != "period":
            allowed = {c.casefold(): c for c in f.choices}
            if str(value).strip().casefold() not in allowed:
                report.add_problem(ERROR, f.key, f"“{value}” không hợp lệ. Chọn một trong: {', '.join(f.choices)}.")
            else:
                info[f.key] = allowed[str(value).strip().casefold()]
    if info.get("period"):
        try:
            parse_period_kind(str(info["period"]))
        except ValueError as e:
            report.add_problem(ERROR, "period", str(e))
    year = info.get("year")
    if year is not None and not 2000 <= year <= 2100:
        report.add_problem(ERROR, "year", f"năm {year} không hợp lệ. Ghi năm bằng 4 chữ số, ví dụ 2026.")
    start, end = info.get("date_from"), info.get("date_to")
    if start and end and start > end:
        report.add_problem(ERROR, "date_to", "ngày kết thúc kỳ số liệu trước ngày bắt đầu. Kiểm tra lại hai ngày này.")
    sign = info.get("sign_date")
    if sign and end and sign < end:
        report.add_problem(
            WARNING, "sign_date", f"ngày ký ({sign:%d/%m/%Y}) trước ngày cuối kỳ số liệu ({end:%d/%m/%Y})."
        )


def _check_values(report: RawReport) -> None:
    for row in report.form.rows:
        if not row.is_input or row.kind in ("text",):
            continue
        value = report.values.get(row.id)
        if value is None:
            if not row.optional and row.id in report.cells and not _already_reported(report, row.id):
                report.add_problem(WARNING, row.id, "chưa nhập số liệu; báo cáo để trống ô này.")
            continue
        if not isinstance(value, Decimal):
            continue
        if value < 0:
            report.add_problem(ERROR, row.id, f"{value} là số âm. Số liệu không được âm.")
        elif row.kind == "number" and not row.decimals and value != value.to_integral_value():
            report.add_problem(
                ERROR,
                row.id,
                f"{value} không phải số nguyên. Chỉ tiêu này đếm {row.unit.lower() or 'số lượng'}, phải là số nguyên.",
            )
        elif row.kind == "percent" and value > 100:
            report.add_problem(ERROR, row.id, f"tỷ lệ {value}% vượt quá 100%.")


def _already_reported(report: RawReport, key: str) -> bool:
    sheet, cell = report.cells.get(key, ("", ""))
    return any(p.sheet == sheet and p.cell == cell for p in report.problems)
