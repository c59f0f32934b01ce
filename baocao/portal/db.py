"""The database: engine and sessions, migrations (Alembic, run from here), the portal's settings file."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from baocao.errors import BaocaoError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SETTINGS_FILE = "portal.json"


def sqlite_url(data: Path) -> str:
    return f"sqlite:///{(Path(data) / 'portal.sqlite3').resolve()}"


def make_engine(url: str) -> Engine:
    """An engine; for a URL 'postgresql://' psycopg 3 is the driver. SQLite gets foreign keys and WAL."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.close()

    return engine


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the database to `revision` (default: the newest), from empty or any earlier revision."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def write_settings(data: Path, database_url: str) -> dict[str, str]:
    """data/portal.json: the database URL and the key that signs session cookies (shared by every
    `portal serve` process that uses this data folder)."""
    settings = {"database_url": database_url, "secret_key": secrets.token_hex(32)}
    path = Path(data) / SETTINGS_FILE
    path.write_text(json.dumps(settings, indent=2), encoding="utf-8")
    path.chmod(0o600)
    return settings


def read_settings(data: Path) -> dict[str, str]:
    path = Path(data) / SETTINGS_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise BaocaoError(
            f"Thư mục {data} chưa có cổng tỉnh. Hãy chạy trước: python generate.py portal init --province …"
        ) from e
    except (OSError, ValueError) as e:
        raise BaocaoError(f"Không đọc được {path}: {e}") from e
