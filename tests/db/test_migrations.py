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


def test_0010_counts_each_report_without_a_requester_as_a_person(db) -> None:  # noqa: ANN001
    """A database made before 0010 said "0 people" for a claim reported only through the web form without contact
    details; after the upgrade its count follows intake.requesters.people_count (and downgrading gives it back)."""
    import sys
    from pathlib import Path

    from alembic import command

    from khaojing.claims.models import Claim
    from khaojing.db.migrate import alembic_config
    from khaojing.intake.service import Submission, accept_report, get_or_create_source

    sys.path.insert(0, str(Path(__file__).parents[1] / "cases"))
    from case_helpers import make_claim

    with db.unit_of_work() as session:
        claim = make_claim(session, db.settings, "ข่าวลือที่ส่งผ่านเว็บโดยไม่ทิ้งช่องทางติดต่อ")
        known = make_claim(session, db.settings, "ข่าวลือที่ผู้แจ้งทิ้งอีเมลไว้", who="a@example.com")
        ids = (claim.id, known.id)
        again = accept_report(session, settings=db.settings, source=get_or_create_source(session, kind="webform",
                              name="webform"), sub=Submission(text="ข่าวลือซ้ำอีกครั้ง"), actor="system").report
        again.claim_id = claim.id
    cfg = alembic_config(db.settings.database_url)

    def counts() -> tuple[int, int]:
        with db.unit_of_work(readonly=True) as session:
            return tuple(session.get(Claim, i).requester_count for i in ids)

    command.downgrade(cfg, "0009")
    assert counts() == (0, 1)  # the rule before 0010: distinct requesters only
    command.upgrade(cfg, "head")
    assert counts() == (2, 1)  # two anonymous reports are two people; a claim with its one requester is untouched
