"""What a report keeps of itself to be compared with later (Figures), and the template's `prev`:
each row of the form's `compare:` section compared with the earlier report, worded by the form.

Rates compare in percentage points, counts in the row's unit; both values are first rounded half-up
as the report prints them, so the difference agrees with the two printed figures ("51,9%" and
"48,7%": "tăng 3,2 điểm phần trăm"), and a difference that rounds to nothing is "bằng", never
"tăng 0" or "-0,0".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from baocao.form import Form, Row
from baocao.form.compare import fill
from baocao.form.numstyle import RATE_KINDS, figure_style
from baocao.format import format_value
from baocao.periods import PeriodKind, default_range, parse_period_kind, period_text
from baocao.vnformat import format_number, round_half_up


@dataclass(frozen=True)
class Figures:
    """One report (or one roll-up) as a later report compares with it: who, which period, which values."""

    form_id: str
    province: str
    unit_type: str
    unit_name: str
    kind: PeriodKind
    year: int
    end: date  # the last day of its data
    values: dict[str, Decimal | None] = field(default_factory=dict)  # the compare: rows
    source: str = ""  # the workbook's file name, for messages
    errors: int = 0  # its errors: a report with errors is never compared with

    @property
    def period(self) -> str:
        """'6 tháng đầu năm 2025'."""
        return period_text(self.kind, self.year)

    @property
    def unit(self) -> str:
        """'phường Nhị Chiểu'."""
        return f"{self.unit_type.lower()} {self.unit_name}".strip()


def figures_of(form: Form, info: dict[str, Any], values: dict[str, Any], source: str = "", errors: int = 0) -> Figures:
    """The Figures of a report read (its Thông tin chung and computed values); ValueError when its
    period cannot be read."""
    kind = parse_period_kind(str(info.get("period") or ""))
    year = int(info.get("year") or 0)
    if year <= 0:
        raise ValueError(f"năm báo cáo không hợp lệ: {info.get('year')!r}")
    end = info.get("date_to") if isinstance(info.get("date_to"), date) else default_range(kind, year)[1]
    return Figures(
        form_id=form.id,
        province=str(info.get("province") or form.province),
        unit_type=str(info.get("unit_type") or ""),
        unit_name=str(info.get("unit_name") or "").strip(),
        kind=kind,
        year=year,
        end=end,
        values=compared_values(form, values),
        source=source,
        errors=errors,
    )


def compared_values(form: Form, values: dict[str, Any]) -> dict[str, Decimal | None]:
    """The values of the form's compare: rows (those of this form's level)."""
    return {r: _number(form.row(r), values.get(r)) for r in form.compare.rows if r in _row_ids(form)}


def _row_ids(form: Form) -> set[str]:
    return {r.id for r in form.rows}


def _number(row: Row, value: Any) -> Decimal | None:
    """A row's value as compared: a blank count is 0 (as the narrative says), a rate without value None."""
    if isinstance(value, Decimal):
        return value
    return None if row.kind in RATE_KINDS else Decimal(0)


def is_same_period(now: Figures, before: Figures) -> bool:
    """The same kind of period, one year earlier ("cùng kỳ")."""
    return before.kind is now.kind and before.year == now.year - 1


def prev_context(form: Form, now: Figures, before: Figures) -> dict[str, Any]:
    """The template's `prev` (docs/template-context.md, "So sánh với kỳ trước")."""
    settings = form.compare
    same = is_same_period(now, before)
    wording = settings.same_period if same else settings.previous_period
    label = fill(wording, year=str(before.year), period=before.period)
    rows = {r.id: r for r in form.all_rows or form.rows}
    return {
        "label": label,
        "same_period": same,
        "period": {"kind": before.kind.label, "text": before.period, "year": str(before.year)},
        "unit": before.unit,
        "rows": {  # a row absent at this form's level is "chưa so sánh được", never a missing name
            r: compare_row(form, rows[r], now.values.get(r), before.values.get(r), label)
            for r in settings.rows
            if r in rows
        },
    }


def decimals_of(form: Form, row: Row) -> int:
    """The decimals a row prints with (a rate: its own, else the form's rate_decimals): its number style's."""
    style = figure_style(form.numbers, row)
    return style.decimals if style is not None else row.decimals or 0


def unit_word(form: Form, row: Row) -> str:
    """The unit of a difference: percentage points for a rate, else compare.units or the row's unit
    with a lower-case first letter ("Hồ sơ" → "hồ sơ"; an abbreviation such as "PAKN" kept)."""
    if row.kind in RATE_KINDS:
        return form.compare.points
    if row.id in form.compare.units:
        return form.compare.units[row.id]
    unit = row.unit_text.strip()
    return unit[:1].lower() + unit[1:] if unit[1:2].islower() else unit


def compare_row(form: Form, row: Row, now: Decimal | None, before: Decimal | None, label: str) -> dict[str, Any]:
    """One row compared: direction, amount, unit, change, text, the two printed values and the difference."""
    settings = form.compare
    decimals = decimals_of(form, row)
    shown = {
        "previous": format_value(form, row, before, for_table=False),
        "current": format_value(form, row, now, for_table=False),
        "number": before,
        "unit": unit_word(form, row),
    }
    if now is None or before is None:
        text = fill(settings.unavailable, label=label)
        return {**shown, "comparable": False, "direction": "", "amount": "", "change": "", "text": text, "delta": None}
    delta = round_half_up(now, decimals) - round_half_up(before, decimals)
    if delta == 0:
        words = {"same": settings.same, "label": label, "previous": shown["previous"], "current": shown["current"]}
        text = fill(settings.same_text, **words)
        return {**shown, "comparable": True, "direction": settings.same, "amount": "", "change": settings.same,
                "text": text, "delta": Decimal(0)}  # fmt: skip
    direction = settings.up if delta > 0 else settings.down
    amount = format_number(abs(delta), decimals, trim=True)
    change = fill(settings.change, direction=direction, amount=amount, unit=shown["unit"])
    words = {"change": change, "direction": direction, "amount": amount, "unit": shown["unit"], "label": label}
    text = fill(settings.text, **words, previous=shown["previous"], current=shown["current"])
    return {**shown, "comparable": True, "direction": direction, "amount": amount, "change": change, "text": text,
            "delta": delta}  # fmt: skip


def sample_figures(form: Form) -> Figures:
    """Made-up Figures with every compare row, for check-form's sample context."""
    values: dict[str, Decimal | None] = {r: Decimal(1) for r in form.compare.rows}
    return Figures(form.id, form.province, "Xã", "…", PeriodKind.YEAR, 2000, date(2000, 12, 14), values)
