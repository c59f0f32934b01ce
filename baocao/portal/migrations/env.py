"""Alembic environment: run programmatically by baocao.portal.db.migrate (no alembic.ini)."""

from __future__ import annotations

from alembic import context

from baocao.portal.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("baocao.portal.db.migrate passes the connection")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
