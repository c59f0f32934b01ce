"""`portal init`, `add-user`, `reset-password`, `backup` through `python generate.py`, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import tarfile
import uuid
from pathlib import Path

from sqlalchemy import select

from baocao.communes import communes_of
from baocao.portal.auth import verify_password
from baocao.portal.db import head_revision, make_engine, sessions
from baocao.portal.models import ADMIN, CLERK, User
from baocao.portal.service import store_upload, upload_path
from tests.conftest import run_cli
from tests.pg_cluster import create_database, pg_bin
from tests.portal.conftest import OFFICER, Portal


def _users(portal: Portal) -> dict[str, User]:
    engine = make_engine(portal.database_url)
    with sessions(engine)() as s:
        users = {u.username: u for u in s.scalars(select(User))}
        for u in users.values():
            _ = u.unit
    engine.dispose()
    return users


def _check_init(portal: Portal) -> None:
    communes = communes_of("Hải Phòng")
    users = _users(portal)
    assert len(communes) == 114
    assert len(users) == 114 + 2  # the communes, the administrator, the officer added by the fixture
    assert users["quantri"].role == ADMIN and users[OFFICER].role == "can_bo_tong_hop"
    nam_thanh_mien = next(c for c in communes if c.name == "Nam Thanh Miện")
    clerk = users[nam_thanh_mien.file_stem]
    assert clerk.role == CLERK and clerk.unit.name == "Nam Thanh Miện" and clerk.unit.unit_type == "Xã"
    assert portal.units[nam_thanh_mien.file_stem] == "Xã Nam Thanh Miện"
    for username in ("quantri", nam_thanh_mien.file_stem):
        password = portal.passwords[username]
        stored = users[username].password_hash
        assert stored.startswith("$argon2id$") and password not in stored
        assert verify_password(stored, password) and not verify_password(stored, password + "x")


def test_init_on_sqlite_makes_every_commune_an_account(portal_sqlite: Portal) -> None:
    _check_init(portal_sqlite)
    database = (portal_sqlite.data / "portal.sqlite3").read_bytes()
    assert portal_sqlite.passwords["quantri"].encode() not in database  # never stored in clear


def test_init_on_postgresql(portal_postgresql: Portal) -> None:
    _check_init(portal_postgresql)


def test_init_twice_is_refused(portal_sqlite: Portal) -> None:
    result = run_cli("portal", "init", "--province", "Hải Phòng", "--data", portal_sqlite.data)
    assert result.returncode == 1
    assert "đã có cổng tỉnh" in result.stderr


def test_unknown_province_is_told(tmp_path: Path) -> None:
    result = run_cli("portal", "init", "--province", "Hải Phong Xa", "--data", tmp_path / "d")
    assert result.returncode == 1
    assert "Không có tỉnh/thành phố “Hải Phong Xa”" in result.stderr


def test_reset_password_and_add_user(portal_sqlite: Portal, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(portal_sqlite.data, copy)
    settings = (copy / "portal.json").read_text().replace(str(portal_sqlite.data), str(copy))
    (copy / "portal.json").write_text(settings)
    target = Portal(copy, f"sqlite:///{copy / 'portal.sqlite3'}", {})
    result = run_cli("portal", "reset-password", "xa-an-hung", "--data", copy)
    assert result.returncode == 0, result.stderr
    new = re.search(r"Mật khẩu mới của xa-an-hung: (\S+)", result.stdout).group(1)
    user = _users(target)["xa-an-hung"]
    assert verify_password(user.password_hash, new) and user.must_change_password
    assert not verify_password(user.password_hash, portal_sqlite.passwords["xa-an-hung"])

    unit_code = user.unit.code
    added = run_cli("portal", "add-user", "canbo2", "--role", "cong-chuc-xa", "--unit", unit_code, "--data", copy)
    assert added.returncode == 0, added.stderr
    assert "Đã thêm canbo2 (công chức xã, Xã An Hưng)." in added.stdout
    assert _users(target)["canbo2"].unit.code == unit_code
    again = run_cli("portal", "add-user", "canbo2", "--role", "quan-tri", "--data", copy)
    assert again.returncode == 1 and "Đã có tài khoản “canbo2”." in again.stderr
    missing = run_cli("portal", "reset-password", "khong-co", "--data", copy)
    assert missing.returncode == 1 and "Không có tài khoản “khong-co”." in missing.stderr
    no_portal = run_cli("portal", "add-user", "x", "--role", "quan-tri", "--data", tmp_path / "none")
    assert no_portal.returncode == 1 and "chưa có cổng tỉnh" in no_portal.stderr


def _restored_users(url: str) -> int:
    engine = make_engine(url)
    with sessions(engine)() as s:
        count = len(list(s.scalars(select(User))))
    engine.dispose()
    return count


def test_backup_of_sqlite_holds_the_database_and_the_uploads_and_restores(
    portal_sqlite: Portal, tmp_path: Path
) -> None:
    sha = store_upload(portal_sqlite.data, b"a workbook sent by a commune")
    target = tmp_path / "sao-luu" / "cong.tar"
    result = run_cli("portal", "backup", target, "--data", portal_sqlite.data)
    assert result.returncode == 0, result.stderr
    assert "Đã sao lưu cơ sở dữ liệu và" in result.stdout and str(target) in result.stdout
    with tarfile.open(target) as tar:
        names = tar.getnames()
        assert f"uploads/{sha[:2]}/{sha}" in names and "co-so-du-lieu.sqlite3" in names
        copy = tmp_path / "copy.sqlite3"
        copy.write_bytes(tar.extractfile("co-so-du-lieu.sqlite3").read())
    with sqlite3.connect(copy) as db:
        assert db.execute("select count(*) from users").fetchone() == (116,)
        assert db.execute("select version_num from alembic_version").fetchone() == (head_revision(),)

    restored = tmp_path / "phuc-hoi"
    result = run_cli("portal", "restore", target, "--data", restored)
    assert result.returncode == 0, result.stderr
    assert upload_path(restored, sha).read_bytes() == b"a workbook sent by a commune"
    settings = json.loads((restored / "portal.json").read_text())
    assert settings["database_url"] == f"sqlite:///{(restored / 'portal.sqlite3').resolve()}"
    assert settings["secret_key"] != json.loads((portal_sqlite.data / "portal.json").read_text())["secret_key"]
    assert _restored_users(settings["database_url"]) == 116
    again = run_cli("portal", "restore", target, "--data", restored)
    assert again.returncode == 1 and "đã có cổng tỉnh" in again.stderr
    not_a_backup = run_cli("portal", "restore", copy, "--data", tmp_path / "x")
    assert not_a_backup.returncode == 1 and "Không đọc được bản sao lưu" in not_a_backup.stderr


def test_backup_of_postgresql_is_a_pg_dump_and_restores(
    portal_postgresql: Portal, pg_maintenance: str, tmp_path: Path
) -> None:
    sha = store_upload(portal_postgresql.data, b"another workbook")
    target = tmp_path / "cong.tar"
    result = run_cli("portal", "backup", target, "--data", portal_postgresql.data)
    assert result.returncode == 0, result.stderr
    with tarfile.open(target) as tar:
        assert f"uploads/{sha[:2]}/{sha}" in tar.getnames()
        dump = tmp_path / "cong.dump"
        dump.write_bytes(tar.extractfile("co-so-du-lieu.dump").read())
    listing = subprocess.run(
        [pg_bin("pg_restore"), "--list", str(dump)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "TABLE public users" in listing and "TABLE DATA public versions" in listing
    url = create_database(pg_maintenance, f"restored_{uuid.uuid4().hex[:8]}")
    restored = tmp_path / "phuc-hoi"
    result = run_cli("portal", "restore", target, "--data", restored, "--database-url", url)
    assert result.returncode == 0, result.stderr
    assert upload_path(restored, sha).read_bytes() == b"another workbook"
    assert _restored_users(url) == 116
