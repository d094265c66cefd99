"""The Alembic migrations build exactly the schema the models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

import khaojing.models  # noqa: F401
from khaojing.db.base import Base


def _diff(url: str) -> list:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": False})
        diff = compare_metadata(ctx, Base.metadata)
    engine.dispose()
    return diff


def test_models_and_migrations_agree(database_url: str) -> None:
    assert _diff(database_url) == []


def test_a_model_change_without_a_migration_is_detected(database_url: str) -> None:
    from sqlalchemy import Column, Integer, Table

    extra = Table("a_table_without_migration", Base.metadata, Column("id", Integer, primary_key=True))
    try:
        diff = _diff(database_url)
    finally:
        Base.metadata.remove(extra)
    assert any(d[0] == "add_table" and d[1].name == "a_table_without_migration" for d in diff)


def test_sqlite_runs_in_wal_with_foreign_keys(db) -> None:  # noqa: ANN001
    if db.dialect != "sqlite":
        return
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == db.settings.sqlite_busy_timeout_ms


def test_every_table_exists(db) -> None:  # noqa: ANN001
    names = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= names
