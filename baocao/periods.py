"""Reporting periods (kỳ báo cáo) of the periodic CCHC report.

Default data ranges and wording follow docs/domain.md "Reporting periods"
(Bộ Nội vụ guidance; Nghị định 09/2019/NĐ-CP, Điều 12). A province may set
other cut-offs, so the ranges here are defaults, not constants.
"""

from __future__ import annotations

from datetime import date
from enum import Enum

from baocao.parse import normalize_label

__all__ = [
    "PeriodKind",
    "default_range",
    "next_period_text",
    "parse_period_kind",
    "period_text",
]


class PeriodKind(Enum):
    """A period kind, valued by its label as the clerk picks it in Excel."""

    QUARTER_1 = "Quý I"
    QUARTER_2 = "Quý II"
    HALF_YEAR = "6 tháng"
    QUARTER_3 = "Quý III"
    NINE_MONTHS = "9 tháng"
    QUARTER_4 = "Quý IV"
    YEAR = "Năm"

    @property
    def label(self) -> str:
        """The label shown to the clerk ("Quý I", "6 tháng", "Năm", ...)."""
        return self.value


# (month, day, in the previous year?) of the first day of data, and
# (month, day) of the last day of data, in the report's year.
# Quý II and Quý IV are not in the guidance table: they extend the quarter
# pattern by analogy (15th of the quarter's first month .. 14th three
# months later).
_RANGES: dict[PeriodKind, tuple[tuple[int, int, bool], tuple[int, int]]] = {
    PeriodKind.QUARTER_1: ((12, 15, True), (3, 14)),
    PeriodKind.QUARTER_2: ((3, 15, False), (6, 14)),  # by analogy
    PeriodKind.HALF_YEAR: ((12, 15, True), (6, 14)),
    PeriodKind.QUARTER_3: ((6, 15, False), (9, 14)),
    PeriodKind.NINE_MONTHS: ((12, 15, True), (9, 14)),
    PeriodKind.QUARTER_4: ((9, 15, False), (12, 14)),  # by analogy
    PeriodKind.YEAR: ((12, 15, True), (12, 14)),
}

# Wording in running text; "{year}" is the report's year.
_TEXTS: dict[PeriodKind, str] = {
    PeriodKind.QUARTER_1: "quý I năm {year}",
    PeriodKind.QUARTER_2: "quý II năm {year}",
    PeriodKind.HALF_YEAR: "6 tháng đầu năm {year}",
    PeriodKind.QUARTER_3: "quý III năm {year}",
    PeriodKind.NINE_MONTHS: "9 tháng năm {year}",
    PeriodKind.QUARTER_4: "quý IV năm {year}",
    PeriodKind.YEAR: "năm {year}",
}

# The period the "phương hướng" section is about: (kind, years ahead).
_NEXT: dict[PeriodKind, tuple[PeriodKind, int]] = {
    PeriodKind.QUARTER_1: (PeriodKind.QUARTER_2, 0),
    PeriodKind.QUARTER_2: (PeriodKind.QUARTER_3, 0),
    PeriodKind.HALF_YEAR: (PeriodKind.QUARTER_3, 0),
    PeriodKind.QUARTER_3: (PeriodKind.QUARTER_4, 0),
    PeriodKind.NINE_MONTHS: (PeriodKind.QUARTER_4, 0),
    PeriodKind.QUARTER_4: (PeriodKind.YEAR, 1),
    PeriodKind.YEAR: (PeriodKind.YEAR, 1),
}

# Accepted spellings, written in the normalised form of _normalise().
_ALIASES: dict[str, PeriodKind] = {
    "quýi": PeriodKind.QUARTER_1,
    "quý1": PeriodKind.QUARTER_1,
    "quýii": PeriodKind.QUARTER_2,
    "quý2": PeriodKind.QUARTER_2,
    "6tháng": PeriodKind.HALF_YEAR,
    "6thángđầunăm": PeriodKind.HALF_YEAR,
    "quýiii": PeriodKind.QUARTER_3,
    "quý3": PeriodKind.QUARTER_3,
    "9tháng": PeriodKind.NINE_MONTHS,
    "9thángđầunăm": PeriodKind.NINE_MONTHS,
    "quýiv": PeriodKind.QUARTER_4,
    "quý4": PeriodKind.QUARTER_4,
    "năm": PeriodKind.YEAR,
    "cảnăm": PeriodKind.YEAR,
}


def _normalise(text: str) -> str:
    """The label normalised, all spaces removed ("Quý  I " -> "quýi")."""
    return normalize_label(text).replace(" ", "")


def _allowed_labels() -> str:
    """The labels a clerk may choose, for error messages."""
    return ", ".join(f'"{kind.label}"' for kind in PeriodKind)


def parse_period_kind(text: str | None) -> PeriodKind:
    """Read a period kind typed or picked by the clerk ("quý 1", "cả năm").

    Case and whitespace are ignored. Raises ``ValueError`` (Vietnamese
    message listing the allowed values) for anything else.
    """
    kind = _ALIASES.get(_normalise(text)) if isinstance(text, str) else None
    if kind is None:
        raise ValueError(f'Kỳ báo cáo không hợp lệ: "{text}". Hãy chọn một trong các giá trị: {_allowed_labels()}.')
    return kind


def default_range(kind: PeriodKind, year: int) -> tuple[date, date]:
    """Default first and last day of data for ``kind`` in ``year``."""
    (start_month, start_day, previous_year), (end_month, end_day) = _RANGES[kind]
    start_year = year - 1 if previous_year else year
    return date(start_year, start_month, start_day), date(year, end_month, end_day)


def period_text(kind: PeriodKind, year: int) -> str:
    """The period in running text: "quý I năm 2026", "6 tháng đầu năm 2026"."""
    return _TEXTS[kind].format(year=year)


def next_period_text(kind: PeriodKind, year: int) -> str:
    """The period the "phương hướng" section is about ("quý III năm 2026")."""
    next_kind, years_ahead = _NEXT[kind]
    return period_text(next_kind, year + years_ahead)
