"""A period's state: đang nhận (open) or đã khóa (locked) by the administrator, who may reopen it;
whether a version came after the deadline (accepted, but "nộp muộn"); and the earlier period its
reports compare with (the comparison itself is the library's: Prepared.compare_with, BatchOptions.previous)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from baocao.errors import BaocaoError
from baocao.portal.board import VN_OFFSET
from baocao.portal.models import LOCKED, OPEN, PERIOD_STATES, Period, Submission, User, Version
from baocao.portal.service import PERIODS, audit

LOCKED_MESSAGE = "Kỳ báo cáo {title} đã khóa, không nhận thêm bảng tính. Nếu cần nộp, hãy liên hệ Sở Nội vụ."


def set_state(session: Session, user: User, period: Period, state: str, address: str = "") -> None:
    """Lock (no more uploads) or reopen a period; the audit log says who and when."""
    if state not in PERIOD_STATES:
        raise BaocaoError(f"Trạng thái “{state}” không hợp lệ.")
    if period.state == state:
        raise BaocaoError(f"Kỳ báo cáo {period.title} đã ở trạng thái “{PERIOD_STATES[state].lower()}”.")
    period.state = state
    action = "lock-period" if state == LOCKED else "reopen-period"
    audit(session, user, action, f"{period.id}: {period.form_id} {period.title}", address)


def refuse_if_locked(period: Period) -> None:
    if period.state != OPEN:
        raise BaocaoError(LOCKED_MESSAGE.format(title=period.title))


def is_late(version: Version, period: Period) -> bool:
    """Sent after the deadline day (Việt Nam time): accepted, and shown as "nộp muộn"."""
    return (version.submitted_at + VN_OFFSET).date() > period.deadline


# --- the period a report compares with (history) ---------------------------------------------


def order(period: Period) -> tuple[int, int]:
    """Periods of one form in time order: by year, then by kỳ (Quý I … Năm)."""
    return period.year, PERIODS.index(period.period) if period.period in PERIODS else -1


def compared_period(session: Session, period: Period) -> Period | None:
    """The period a report and a consolidation of `period` compare with: the same kỳ of the year
    before, else the latest earlier period of the same form (None: the first period of the form)."""
    earlier = [p for p in session.scalars(select(Period).where(Period.form_id == period.form_id))
               if order(p) < order(period)]  # fmt: skip
    same = [p for p in earlier if p.period == period.period and p.year == period.year - 1]
    return same[0] if same else max(earlier, key=order, default=None)


def compared_versions(session: Session, period: Period) -> dict[int, Version]:
    """Unit id → the version each commune's report of the compared period is (its latest: the latest counts)."""
    before = compared_period(session, period)
    if before is None:
        return {}
    submissions = session.scalars(select(Submission).where(Submission.period_id == before.id))
    return {s.unit_id: s.latest for s in submissions if s.versions}
