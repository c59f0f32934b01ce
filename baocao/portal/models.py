"""The portal's data model, read as the domain: Unit, User, Period, Submission, Version, AuditEvent."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ADMIN = "quan_tri"
OFFICER = "can_bo_tong_hop"
CLERK = "cong_chuc_xa"
ROLE_NAMES = {ADMIN: "Quản trị", OFFICER: "Cán bộ tổng hợp", CLERK: "Công chức xã"}

OPEN = "dang_nhan"
LOCKED = "da_khoa"
PERIOD_STATES = {OPEN: "Đang nhận", LOCKED: "Đã khóa"}

# A submission's own state; "chưa nộp" and "nộp muộn" are derived on the board (see board.py).
SUBMITTED = "da_nop"
HAS_ERRORS = "co_loi"
RETURNED = "bi_tra_lai"
APPROVED = "da_duyet"


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Unit(Base):
    """A commune of the province (or the Sở itself, code 0)."""

    __tablename__ = "units"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[int] = mapped_column(Integer, unique=True)
    province: Mapped[str] = mapped_column(String(100))
    unit_type: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))

    @property
    def full_name(self) -> str:
        return f"{self.unit_type} {self.name}"


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    must_change_password: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    unit: Mapped[Unit | None] = relationship()


class Period(Base):
    """A reporting period the Sở opens: which form, kỳ, năm, hạn nộp, state."""

    __tablename__ = "periods"
    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[str] = mapped_column(String(100))
    period: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    deadline: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20), default=OPEN)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    @property
    def title(self) -> str:
        return f"{self.period} năm {self.year}"


class Submission(Base):
    """One commune in one period: its state and the Sở's last comment; its versions in order."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("period_id", "unit_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    state: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    unit: Mapped[Unit] = relationship()
    period: Mapped[Period] = relationship()
    versions: Mapped[list[Version]] = relationship(order_by="Version.number", back_populates="submission")

    @property
    def latest(self) -> Version:
        return self.versions[-1]


class Version(Base):
    """One submitted workbook (kept for ever; the latest counts), stored as data/uploads/<sha256>."""

    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("submission_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"))
    number: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    problems: Mapped[str] = mapped_column(Text, default="")  # problem_line()s, one a line
    submission: Mapped[Submission] = relationship(back_populates="versions")


class AuditEvent(Base):
    """Who did what, when: login, upload, submission, return, approval, download, accounts."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=now)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String(64), default="")


# --- the Sở's side: each version's key rates, and each consolidation run (in the database, so any
# `portal serve` process shows it and serves its files) ---------------------------------------------

# a consolidation's state
QUEUED = "cho"
RUNNING = "dang_chay"
DONE = "xong"
FAILED = "loi"
ROLLUP_STATES = {QUEUED: "đang chờ", RUNNING: "đang tổng hợp", DONE: "đã xong", FAILED: "không tổng hợp được"}
# which submissions it takes: the approved ones, or the latest version of every commune that sent one
APPROVED_ONLY = "da-duyet"
LATEST = "moi-nhat"
SCOPES = {APPROVED_ONLY: "các báo cáo đã duyệt", LATEST: "bản nộp mới nhất của mọi đơn vị"}


class VersionRates(Base):
    """The form's key rates (`consolidated.key_rates`) of one submitted version, as computed by the
    check of the upload: {row id: Decimal text or null}, JSON."""

    __tablename__ = "version_rates"
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), primary_key=True)
    rates: Mapped[str] = mapped_column(Text, default="{}")


class Consolidation(Base):
    """One run of the consolidated report, tong_hop.xlsx and the zip for a period (run_batch over the
    stored workbooks, in a worker process); its files under data/tong-hop/<id>/."""

    __tablename__ = "consolidations"
    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"))
    scope: Mapped[str] = mapped_column(String(20))
    fingerprint: Mapped[str] = mapped_column(String(64))  # sha256 of the versions it takes
    state: Mapped[str] = mapped_column(String(20), default=QUEUED)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    units: Mapped[int] = mapped_column(Integer, default=0)  # communes taken
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    message: Mapped[str] = mapped_column(Text, default="")  # the batch's summary line and notes
    output_files: Mapped[str] = mapped_column(Text, default="[]")  # JSON [file name, …] under its folder
    period: Mapped[Period] = relationship()
