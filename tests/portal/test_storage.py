"""Storage on real SQLite and real PostgreSQL: migrations from an empty database, the model, uploads."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select

from baocao.errors import WorkbookError
from baocao.messages import problem_line
from baocao.portal.db import current_revision, head_revision, make_engine, migrate, sessions
from baocao.portal.models import CLERK, OFFICER, Base, Period, Submission, Unit, User
from baocao.portal.service import review, store_upload, submit, upload_path
from baocao.problems import unusable
from tests.pg_cluster import create_database

BROKEN = WorkbookError("a.xlsx", "other-error", text="tệp hỏng")  # why a workbook cannot be used, as data

TABLES = {"units", "users", "periods", "submissions", "versions", "audit_events", "alembic_version"}
TABLES |= {"version_rates", "consolidations"}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    return create_database(request.getfixturevalue("pg_maintenance"), f"empty_{uuid.uuid4().hex[:8]}")


def test_an_empty_database_upgrades_to_head(empty_url: str) -> None:
    engine = make_engine(empty_url)
    assert current_revision(engine) is None
    migrate(engine)
    assert current_revision(engine) == head_revision()
    assert set(inspect(engine).get_table_names()) >= TABLES
    migrate(engine)  # already at head: nothing to do, no error
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_a_database_at_the_previous_revision_upgrades_with_its_data(empty_url: str) -> None:
    """A portal installed with the first version (revision 0001) and used, then upgraded: its rows stay."""
    engine = make_engine(empty_url)
    migrate(engine, "0001")
    assert current_revision(engine) == "0001"
    assert "version_rates" not in inspect(engine).get_table_names()
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO units (code, province, unit_type, name) VALUES (7, 'Thành phố Hải Phòng', 'Xã', 'Cũ')"
        )
    migrate(engine)
    assert current_revision(engine) == head_revision() != "0001"
    assert set(inspect(engine).get_table_names()) >= TABLES
    with sessions(engine)() as s:
        assert [u.name for u in s.scalars(select(Unit))] == ["Cũ"]
    engine.dispose()


def test_versions_are_kept_and_the_latest_counts(empty_url: str, tmp_path: Path) -> None:
    engine = make_engine(empty_url)
    migrate(engine)
    with sessions(engine).begin() as s:
        unit = Unit(code=1, province="Thành phố Hải Phòng", unit_type="Xã", name="Thử Nghiệm")
        s.add(unit)
        s.flush()
        clerk = User(username="xa-thu-nghiem", password_hash="x", role=CLERK, unit=unit)
        officer = User(username="tonghop", password_hash="x", role=OFFICER)
        period = Period(form_id="hai_phong_2025", period="6 tháng", year=2026, deadline=date(2026, 6, 15))
        s.add_all([clerk, officer, period])
        s.flush()
        bad = [unusable("a.xlsx", BROKEN)]
        first = submit(s, clerk, period, unit, "lần 1.xlsx", store_upload(tmp_path, b"one"), bad)
        assert (first.number, first.errors, first.submission.state) == (1, 1, "co_loi")
        second = submit(s, clerk, period, unit, "lần 2.xlsx", store_upload(tmp_path, b"two"), [])
        assert (second.number, second.errors, second.submission.state) == (2, 0, "da_nop")
        review(s, officer, second.submission, approve=True, comment="")
    with sessions(engine)() as s:
        submission = s.scalars(select(Submission)).one()
        assert [v.filename for v in submission.versions] == ["lần 1.xlsx", "lần 2.xlsx"]
        assert submission.latest.number == 2 and submission.state == "da_duyet"
        assert submission.versions[0].problems == problem_line(unusable("a.xlsx", BROKEN))
        assert "tệp hỏng" in submission.versions[0].problems
    engine.dispose()


def test_uploads_are_named_by_their_sha256(tmp_path: Path) -> None:
    sha = store_upload(tmp_path, b"workbook bytes")
    assert sha == hashlib.sha256(b"workbook bytes").hexdigest()
    assert upload_path(tmp_path, sha).read_bytes() == b"workbook bytes"
    assert store_upload(tmp_path, b"workbook bytes") == sha  # the same bytes again: one file
    assert len(list((tmp_path / "uploads").rglob("*"))) == 2  # the folder sha[:2] and the file


def test_the_migrations_make_exactly_the_models_schema(empty_url: str) -> None:
    """Alembic's autogenerate finds nothing to add: a model change without its migration fails here."""
    engine = make_engine(empty_url)
    migrate(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
    engine.dispose()
