"""`portal backup FILE`: a consistent copy of the database (SQLite's backup API; pg_dump for PostgreSQL)."""

from __future__ import annotations

import glob
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import make_url

from baocao.errors import BaocaoError


def pg_tool(name: str) -> str:
    """The PostgreSQL program `name` (pg_dump, initdb…): on PATH, or Debian's /usr/lib/postgresql/*/bin."""
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), "")
    if not found:
        raise BaocaoError(f"Không tìm thấy chương trình {name} của PostgreSQL (apt-get install postgresql-client).")
    return found


def backup(database_url: str, target: Path) -> Path:
    """Copy the database to `target` while the portal may be running."""
    url = make_url(database_url)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(f"file:{url.database}?mode=ro", uri=True)
        try:
            partial = target.with_name(target.name + ".tmp")
            destination = sqlite3.connect(partial)
            with destination:
                source.backup(destination)
            destination.close()
            partial.replace(target)
        finally:
            source.close()
        return target
    if url.get_backend_name() == "postgresql":
        plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
        result = subprocess.run(
            [pg_tool("pg_dump"), "--format=custom", f"--file={target}", f"--dbname={plain}"],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BaocaoError(f"pg_dump không sao lưu được: {result.stderr.strip()}")
        return target
    raise BaocaoError(f"Không sao lưu được cơ sở dữ liệu loại {url.get_backend_name()}.")
