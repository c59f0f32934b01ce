"""The Sở's board of a period: every commune of the province with its status, last time and counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from baocao.portal.models import APPROVED, HAS_ERRORS, RETURNED, SUBMITTED, Period, Submission, Unit

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
            )
        )
    return rows


def counts(rows: list[BoardRow]) -> dict[str, int]:
    return {status: sum(r.status == status for r in rows) for status in STATUS_ORDER}
