"""A period's state: đang nhận (open) or đã khóa (locked) by the administrator, who may reopen it;
and whether a version came after the deadline (accepted, but "nộp muộn")."""

from __future__ import annotations

from sqlalchemy.orm import Session

from baocao.errors import BaocaoError
from baocao.portal.board import VN_OFFSET
from baocao.portal.models import LOCKED, OPEN, PERIOD_STATES, Period, User, Version
from baocao.portal.service import audit

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
