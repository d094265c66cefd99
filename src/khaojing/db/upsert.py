"""INSERT … ON CONFLICT for both databases: one statement where "look, then insert in a savepoint, then catch the
unique violation" took four. PostgreSQL and SQLite (3.35+) share the syntax; SQLAlchemy has a construct per dialect."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert(session: Session, model: type) -> Any:
    """The dialect's INSERT construct for `model` (it has on_conflict_do_nothing / on_conflict_do_update)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(model)
    if dialect == "sqlite":
        return sqlite.insert(model)
    raise NotImplementedError(f"no INSERT … ON CONFLICT for {dialect}")


def insert_new(session: Session, model: type, values: dict[str, Any], *, unique: list[str]) -> Any | None:
    """Insert a row unless one with the same `unique` columns exists (also one a concurrent transaction is
    committing: PostgreSQL waits for it). Returns the new ORM object, or None when the row was there already."""
    stmt = insert(session, model).values(**values).on_conflict_do_nothing(index_elements=unique).returning(model)
    return session.scalars(stmt).first()


def upsert(session: Session, model: type, values: dict[str, Any], *, unique: list[str],
           update: dict[str, Any]) -> Any:
    """Insert a row, or set `update` on the row with the same `unique` columns; returns the ORM object either way
    (refreshed from the row)."""
    stmt = (insert(session, model).values(**values)
            .on_conflict_do_update(index_elements=unique, set_=update).returning(model))
    return session.scalars(stmt, execution_options={"populate_existing": True}).one()
