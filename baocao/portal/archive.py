"""`portal backup FILE` and `portal restore FILE`: the whole portal in one tar archive: a consistent
copy of the database (baocao.portal.backup) and every uploaded workbook of the data folder.

Consistent because the database is copied first and uploads are never changed once written (each is
named by its sha256, and written before the version that names it is committed): every upload the
copied database refers to is already on disk when the folder is read.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from sqlalchemy import make_url

from baocao.errors import BaocaoError
from baocao.portal.backup import backup as backup_database
from baocao.portal.backup import pg_tool
from baocao.portal.db import SETTINGS_FILE, current_revision, make_engine, migrate, sqlite_url, write_settings

MANIFEST = "sao-luu.json"
SQLITE_COPY = "co-so-du-lieu.sqlite3"
PG_COPY = "co-so-du-lieu.dump"
UPLOAD = re.compile(r"^uploads/[0-9a-f]{2}/[0-9a-f]{64}$")


def backup(database_url: str, data: Path, target: Path) -> tuple[Path, int]:
    """Write the archive (atomically); (its path, the number of uploads in it)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    kind = make_url(database_url).get_backend_name()
    with tempfile.TemporaryDirectory(prefix="portal-backup-", dir=target.parent) as work:
        copy = backup_database(database_url, Path(work) / (SQLITE_COPY if kind == "sqlite" else PG_COPY))
        revision = current_revision(make_engine(database_url))
        uploads = sorted(p for p in (Path(data) / "uploads").glob("??/*") if p.is_file())
        partial = Path(work) / "archive.tar"
        with tarfile.open(partial, "w") as tar:
            manifest = {"database": kind, "revision": revision, "uploads": len(uploads)}
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
            tar.add(copy, arcname=copy.name)
            for path in uploads:
                tar.add(path, arcname=f"uploads/{path.parent.name}/{path.name}")
        partial.replace(target)
    return target, len(uploads)


def _add_bytes(tar: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    tar.addfile(info, io.BytesIO(content))


def restore(archive: Path, data: Path, database_url: str | None = None) -> tuple[str, int]:
    """A new data folder from an archive: the database (SQLite in `data`, or the empty PostgreSQL
    database at `database_url`), brought to this version's revision, and the uploads; a new session
    key (everyone logs in again). (database URL, uploads restored)."""
    data = Path(data)
    if (data / SETTINGS_FILE).exists():
        raise BaocaoError(f"Thư mục {data} đã có cổng tỉnh (portal.json): hãy phục hồi vào một thư mục mới.")
    try:
        tar = tarfile.open(archive, "r")  # noqa: SIM115 (closed by the `with` below)
    except (OSError, tarfile.TarError) as e:
        raise BaocaoError(f"Không đọc được bản sao lưu {archive}: {e}") from e
    with tar:
        names = tar.getnames()
        if MANIFEST not in names:
            raise BaocaoError(f"{archive} không phải bản sao lưu của cổng tỉnh (thiếu {MANIFEST}).")
        manifest = json.loads(tar.extractfile(MANIFEST).read())  # type: ignore[union-attr]
        data.mkdir(parents=True, exist_ok=True)
        url = _restore_database(tar, manifest["database"], data, database_url)
        restored = 0
        for member in tar.getmembers():
            if member.isfile() and UPLOAD.match(member.name):
                target = data / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                with tar.extractfile(member) as source, target.open("wb") as out:  # type: ignore[union-attr]
                    shutil.copyfileobj(source, out)
                restored += 1
    migrate(make_engine(url))
    write_settings(data, url)
    return url, restored


def _restore_database(tar: tarfile.TarFile, kind: str, data: Path, database_url: str | None) -> str:
    if kind == "sqlite":
        if database_url:
            raise BaocaoError("Bản sao lưu này là SQLite: phục hồi không cần --database-url.")
        target = data / "portal.sqlite3"
        with tar.extractfile(SQLITE_COPY) as source, target.open("wb") as out:  # type: ignore[union-attr]
            shutil.copyfileobj(source, out)
        return sqlite_url(data)
    if not database_url:
        raise BaocaoError("Bản sao lưu này là PostgreSQL: hãy cho --database-url của một cơ sở dữ liệu trống.")
    with tempfile.TemporaryDirectory(prefix="portal-restore-") as work:
        dump = Path(work) / PG_COPY
        with tar.extractfile(PG_COPY) as source, dump.open("wb") as out:  # type: ignore[union-attr]
            shutil.copyfileobj(source, out)
        plain = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
        result = subprocess.run(
            [pg_tool("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={plain}", str(dump)],
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        raise BaocaoError(f"pg_restore không phục hồi được: {result.stderr.strip()}")
    return database_url
