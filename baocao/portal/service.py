"""The portal's operations, without Flask: set-up, accounts, periods, submissions, reviews, audit.

The web views and the `portal` commands both call these; the checks of a submitted workbook are
the CLI's `check` (baocao.batch.check over baocao.pipeline.prepare), in an isolated worker.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from baocao.communes import communes_of, find_province
from baocao.errors import BaocaoError
from baocao.form import find_form
from baocao.messages import problem_line
from baocao.portal.auth import hash_password, new_password
from baocao.portal.models import (
    ADMIN,
    APPROVED,
    CLERK,
    HAS_ERRORS,
    OPEN,
    RETURNED,
    ROLE_NAMES,
    SUBMITTED,
    AuditEvent,
    Period,
    Submission,
    Unit,
    User,
    Version,
    now,
)
from baocao.problems import Problem
from baocao.workbook.blank import blank_workbook
from baocao.write import write_atomic

ADMIN_USERNAME = "quantri"
PASSWORDS_FILE = "mat-khau-ban-dau.xlsx"
PERIODS = ("Quý I", "Quý II", "6 tháng", "Quý III", "9 tháng", "Quý IV", "Năm")


@dataclass(frozen=True)
class Account:
    unit_name: str
    username: str
    password: str


def audit(session: Session, user: User | None, action: str, detail: str = "", address: str = "") -> None:
    session.add(
        AuditEvent(
            user_id=user.id if user else None,
            username=user.username if user else "",
            action=action,
            detail=detail,
            address=address,
        )
    )


def populate(session: Session, province: str) -> list[Account]:
    """One unit and one clerk account per commune of the province, and the administrator."""
    if session.scalar(select(func.count()).select_from(User)):
        raise BaocaoError("Cơ sở dữ liệu này đã có tài khoản: cổng tỉnh đã được khởi tạo.")
    official = find_province(province)
    accounts = [_new_user(session, ADMIN_USERNAME, ADMIN, None, "Sở Nội vụ (quản trị)")]
    for commune in communes_of(official):
        unit = Unit(code=commune.code, province=official, unit_type=commune.unit_type, name=commune.name)
        session.add(unit)
        session.flush()
        accounts.append(_new_user(session, commune.file_stem, CLERK, unit, unit.full_name))
    audit(session, None, "init", f"{official}: {len(accounts) - 1} xã/phường")
    return accounts


def _new_user(session: Session, username: str, role: str, unit: Unit | None, label: str) -> Account:
    password = new_password()
    session.add(User(username=username, password_hash=hash_password(password), role=role, unit=unit))
    session.flush()
    return Account(label, username, password)


def passwords_workbook(accounts: list[Account], path: Path) -> Path:
    """The one written copy of the initial passwords, for distribution (never stored in clear)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Tài khoản"
    ws.append(["Tên đơn vị", "Tên đăng nhập", "Mật khẩu"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for a in accounts:
        ws.append([a.unit_name, a.username, a.password])
    for column, width in zip("ABC", (40, 32, 18), strict=True):
        ws.column_dimensions[column].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return write_atomic(path, buffer.getvalue())


def find_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise BaocaoError(f"Không có tài khoản “{username}”.")
    return user


def add_user(session: Session, username: str, role: str, unit_code: int | None = None) -> Account:
    if session.scalar(select(User).where(User.username == username)):
        raise BaocaoError(f"Đã có tài khoản “{username}”.")
    unit = None
    if role == CLERK:
        unit = session.scalar(select(Unit).where(Unit.code == unit_code)) if unit_code else None
        if unit is None:
            raise BaocaoError("Tài khoản công chức xã cần mã đơn vị (--unit) của một xã/phường trong cổng.")
    account = _new_user(session, username, role, unit, unit.full_name if unit else ROLE_NAMES[role])
    audit(session, None, "add-user", f"{username} ({ROLE_NAMES[role]})")
    return account


def reset_password(session: Session, username: str) -> Account:
    user = find_user(session, username)
    password = new_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    audit(session, None, "reset-password", username)
    return Account(user.unit.full_name if user.unit else ROLE_NAMES[user.role], username, password)


def open_period(session: Session, user: User, form_id: str, period: str, year: int, deadline: date) -> Period:
    find_form(form_id)  # FormError when the form is not installed
    if period not in PERIODS:
        raise BaocaoError(f"Kỳ báo cáo “{period}” không hợp lệ. Các kỳ: {', '.join(PERIODS)}.")
    row = Period(form_id=form_id, period=period, year=year, deadline=deadline, state=OPEN)
    session.add(row)
    session.flush()
    audit(session, user, "open-period", f"{row.id}: {form_id} {row.title}, hạn {deadline:%d/%m/%Y}")
    return row


def prefilled_workbook(period: Period, unit: Unit) -> bytes:
    """The blank workbook of the period's form with the commune's name and the period filled in."""
    info = {
        "province": unit.province,
        "unit_type": unit.unit_type,
        "unit_name": unit.name,
        "period": period.period,
        "year": period.year,
    }
    return blank_workbook(find_form(period.form_id), {"info": info})


def store_upload(data_dir: Path, content: bytes) -> str:
    """Keep the bytes as data/uploads/<sha256> (once, whoever sends them again); their sha256."""
    sha = hashlib.sha256(content).hexdigest()
    path = upload_path(data_dir, sha)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, content)
    return sha


def upload_path(data_dir: Path, sha: str) -> Path:
    return Path(data_dir) / "uploads" / sha[:2] / sha


def submission_of(session: Session, period: Period, unit: Unit) -> Submission | None:
    return session.scalar(select(Submission).where(Submission.period == period, Submission.unit == unit))


def submit(
    session: Session, user: User, period: Period, unit: Unit, filename: str, sha: str, problems: list[Problem]
) -> Version:
    """A new version of the commune's submission (every version kept; the latest counts)."""
    if period.state != OPEN:
        raise BaocaoError("Kỳ báo cáo này đã khóa, không nhận thêm bảng tính.")
    submission = submission_of(session, period, unit)
    if submission is not None and submission.state == APPROVED:
        raise BaocaoError("Báo cáo của đơn vị đã được duyệt, không nộp lại được.")
    if submission is None:
        submission = Submission(period=period, unit=unit, state=SUBMITTED, comment="")
        session.add(submission)
        session.flush()
    errors = sum(p.is_error for p in problems)
    version = Version(
        submission=submission,
        number=len(submission.versions) + 1,
        sha256=sha,
        filename=filename,
        user_id=user.id,
        errors=errors,
        warnings=len(problems) - errors,
        problems="\n".join(problem_line(p) for p in problems),
    )
    session.add(version)
    submission.state = HAS_ERRORS if errors else SUBMITTED
    submission.updated_at = now()
    session.flush()
    audit(session, user, "submit", f"{unit.full_name}, kỳ {period.id}, lần {version.number}, {sha}")
    return version


def review(session: Session, user: User, submission: Submission, approve: bool, comment: str) -> None:
    """'Duyệt' or 'trả lại' (with the comment the commune will read)."""
    if approve and submission.state == HAS_ERRORS:
        raise BaocaoError("Bản nộp còn lỗi, không duyệt được; hãy trả lại để đơn vị sửa.")
    if not approve and not comment.strip():
        raise BaocaoError("Hãy ghi lý do trả lại để đơn vị biết cần sửa gì.")
    submission.state = APPROVED if approve else RETURNED
    submission.comment = comment.strip()
    submission.updated_at = now()
    audit(session, user, "approve" if approve else "return", f"{submission.unit.full_name}, kỳ {submission.period_id}")
