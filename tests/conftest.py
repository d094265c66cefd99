"""Test fixtures: each test gets its own clean database (SQLite file copy, or emptied PostgreSQL tables).

Run on PostgreSQL with KHAOJING_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test
(each pytest run creates its own database khaojing_test_<pid> on that server and drops it at the end).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

sys.path.insert(0, str(Path(__file__).parent))

from helpers import CSRF_RE, TestEnv  # noqa: E402
from khaojing.accounts import service as accounts  # noqa: E402
from khaojing.db.engine import make_engine  # noqa: E402
from khaojing.db.migrate import upgrade  # noqa: E402
from khaojing.db.session import Database  # noqa: E402
from khaojing.settings import Settings  # noqa: E402

PG_URL = os.environ.get("KHAOJING_TEST_DATABASE_URL", "")
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

__all__ = ["CSRF_RE"]
pytest_plugins = ["browser_support"]  # live_url and browser fixtures for the headless Chromium tests


QUICK_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def quick_argon2(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 with its cheapest parameters: the real hasher, a hundredth of the time. Each new user and each login
    hashes a password; at production cost that is 0.15-0.4 s on a busy CI core, seconds per test that logs several
    people in. Tests marked `production_argon2` (and every CLI or server subprocess) use the production cost."""
    if request.node.get_closest_marker("production_argon2") is None:
        monkeypatch.setattr(accounts, "_hasher", QUICK_HASHER)


def pytest_report_header(config):  # noqa: ANN001, ANN201
    return f"khaojing test database: {'PostgreSQL ' + PG_URL if PG_URL else 'SQLite (per-test file)'}"


PG_TEST_DB = f"khaojing_test_{os.getpid()}"


def _pg_test_url() -> str:
    url = make_url(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    return url.set(database=PG_TEST_DB).render_as_string(hide_password=False)


def _pg_admin(sql: list[str]) -> None:
    admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = :db AND pid <> pg_backend_pid()"), {"db": PG_TEST_DB})
        for statement in sql:
            conn.execute(text(statement))
    admin.dispose()


@pytest.fixture(scope="session")
def db_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """SQLite: a migrated template file to copy. PostgreSQL: a freshly migrated database of this run."""
    if PG_URL:
        _pg_admin([f'DROP DATABASE IF EXISTS "{PG_TEST_DB}"', f'CREATE DATABASE "{PG_TEST_DB}"'])
        url = _pg_test_url()
        upgrade(url)
        yield url
        for engine in _cleaner.values():
            engine.dispose()
        _pg_admin([f'DROP DATABASE IF EXISTS "{PG_TEST_DB}"'])
        return
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    yield str(path)


# Emptying the tables between tests. TRUNCATE of the ~50 tables took 0.35-0.45 s per test (it gives every table new
# files), close to half of the PostgreSQL run; DELETE costs milliseconds on tables a test left small. The replica role
# skips the foreign-key triggers, so the order of the tables does not matter; setval does RESTART IDENTITY's job.
# One statement, one round trip. Setting the replica role needs a superuser: other roles get the TRUNCATE.
_TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
_EMPTY_ALL = """
DO $$
DECLARE r record;
BEGIN
  SET LOCAL session_replication_role = replica;
  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version' LOOP
    EXECUTE format('DELETE FROM %I', r.tablename);
  END LOOP;
  FOR r IN SELECT c.oid::regclass AS seq FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relkind = 'S' AND n.nspname = 'public' LOOP
    PERFORM setval(r.seq, 1, false);
  END LOOP;
END $$"""
_cleaner: dict[str, Engine] = {}


def _empty_all(url: str) -> None:
    """Every table of the test database emptied and every id sequence back at 1, as a fresh migration left them."""
    if url not in _cleaner:  # one engine for the run; pre-ping: some tests restart the server or drop connections
        _cleaner[url] = make_engine(url, pool_size=1)  # the product's engine: its ping survives a dropped socket
    try:
        with _cleaner[url].begin() as conn:
            conn.execute(text(_EMPTY_ALL))
    except DBAPIError as exc:
        if "session_replication_role" not in str(exc):
            raise
        with _cleaner[url].begin() as conn:
            tables = [row[0] for row in conn.execute(text(_TABLES))]
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))


@pytest.fixture
def database_url(db_template: str, tmp_path: Path) -> str:
    if PG_URL:
        _empty_all(db_template)
        return db_template
    target = tmp_path / "khaojing.db"
    shutil.copyfile(db_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(_env_file=None, database_url=database_url, data_dir=tmp_path / "data", dev_mode=True,
                    secret_key="test-secret-key-that-is-long-enough-0123456789",
                    inprocess_worker=False, job_backoff_seconds=0.0, login_lockout_seconds=60,
                    demo_data_dir=SHARED_DATA, media_keep_free_mb=0)


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    """The test's database. No process-wide claim index survives a test: on PostgreSQL every test reuses one URL,
    so an index built for the previous test's claims would otherwise answer this one's searches."""
    import khaojing.handlers  # noqa: F401
    from khaojing.matching.live import forget_indexes

    forget_indexes()
    database = Database(settings)
    yield database
    database.dispose()
    forget_indexes()


@pytest.fixture
def env(settings: Settings, db: Database) -> Iterator[TestEnv]:
    """The app, a TestClient and helpers to make users, partners and run jobs."""
    test_env = TestEnv(settings, db)
    yield test_env
    test_env.close()


@pytest.fixture
def client(env: TestEnv):  # noqa: ANN201
    return env.client


def needs_shared_data() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not SHARED_DATA.is_dir(),
                              reason=f"{SHARED_DATA} is absent (a fresh clone has no ../shared/data)")
