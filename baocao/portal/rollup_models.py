"""The Sở's side of the data model (issue 14, board and consolidation): each version's key rates, and
each consolidation run (in the database, so any `portal serve` process shows it and serves its files)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from baocao.portal.models import Base, Period, now

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
    files: Mapped[str] = mapped_column(Text, default="[]")  # JSON [file name, …] under its folder
    period: Mapped[Period] = relationship()
