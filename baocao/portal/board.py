"""The Sở's board of a period: every commune of the province with its status, last time, counts and
key rates; sorted, filtered and searched on the server (query parameters: it works without script)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from baocao.portal.models import APPROVED, HAS_ERRORS, RETURNED, SUBMITTED, Period, Submission, Unit
from baocao.portal.rates import rates_of
from baocao.write import slugify

VN_OFFSET = timedelta(hours=7)  # times are stored in UTC; the deadline is a day in Việt Nam
NOT_SUBMITTED = "chưa nộp"
LATE = "nộp muộn"
STATUS_NAMES = {SUBMITTED: "đã nộp", HAS_ERRORS: "có lỗi", RETURNED: "bị trả lại", APPROVED: "đã duyệt"}
STATUS_ORDER = (NOT_SUBMITTED, "có lỗi", "bị trả lại", LATE, "đã nộp", "đã duyệt")


@dataclass(frozen=True)
class BoardRow:
    unit: Unit
    status: str
    last_at: datetime | None
    errors: int | None
    warnings: int | None
    versions: int
    submission_id: int | None
    rates: dict[str, Decimal | None] = field(default_factory=dict)


def status_of(submission: Submission | None, period: Period) -> str:
    """The word the board shows: 'nộp muộn' is an accepted submission whose latest version came after
    the deadline day."""
    if submission is None or not submission.versions:
        return NOT_SUBMITTED
    if submission.state == SUBMITTED and (submission.latest.submitted_at + VN_OFFSET).date() > period.deadline:
        return LATE
    return STATUS_NAMES[submission.state]


def board(session: Session, period: Period) -> list[BoardRow]:
    """One row per commune of the portal, sorted by name (the Sở's own accounts have no unit)."""
    submissions = {
        s.unit_id: s
        for s in session.scalars(
            select(Submission).where(Submission.period_id == period.id).options(selectinload(Submission.versions))
        )
    }
    latest_ids = [s.latest.id for s in submissions.values() if s.versions]
    rates = rates_of(session, latest_ids)
    rows = []
    for unit in session.scalars(select(Unit).order_by(Unit.name, Unit.unit_type)):
        s = submissions.get(unit.id)
        latest = s.latest if s is not None and s.versions else None
        rows.append(
            BoardRow(
                unit=unit,
                status=status_of(s, period),
                last_at=latest.submitted_at if latest else None,
                errors=latest.errors if latest else None,
                warnings=latest.warnings if latest else None,
                versions=len(s.versions) if s else 0,
                submission_id=s.id if s else None,
                rates=rates.get(latest.id, {}) if latest else {},
            )
        )
    return rows


def counts(rows: list[BoardRow]) -> dict[str, int]:
    return {status: sum(r.status == status for r in rows) for status in STATUS_ORDER}


# the sortable columns (query parameter `sap-xep`): a key per row; a row without a value goes last
COLUMNS: dict[str, Callable[[BoardRow], Any]] = {
    "ten": lambda r: (slugify(r.unit.name), r.unit.name, r.unit.unit_type),
    "trang-thai": lambda r: STATUS_ORDER.index(r.status),
    "lan-nop-cuoi": lambda r: r.last_at,
    "so-lan": lambda r: r.versions,
    "loi": lambda r: r.errors,
    "canh-bao": lambda r: r.warnings,
}


def select_rows(
    rows: list[BoardRow], status: str = "", search: str = "", column: str = "ten", descending: bool = False
) -> list[BoardRow]:
    """The rows of one status (all when blank) whose name contains `search` (accents and case aside),
    sorted by `column` (one of COLUMNS, or 'ti-le:<row id>' for a key rate)."""
    query = slugify(search.strip()) if search.strip() else ""
    shown = [r for r in rows if (not status or r.status == status) and (not query or query in slugify(r.unit.name))]
    if column.startswith("ti-le:"):
        rate = column.removeprefix("ti-le:")
        key: Callable[[BoardRow], Any] = lambda r: r.rates.get(rate)  # noqa: E731
    else:
        key = COLUMNS.get(column, COLUMNS["ten"])
    by_name = sorted(shown, key=COLUMNS["ten"])
    valued = [r for r in by_name if key(r) is not None]
    blank = [r for r in by_name if key(r) is None]
    return sorted(valued, key=key, reverse=descending) + blank
