"""Test fixtures: each test gets its own clean database (SQLite file copy, or truncated PostgreSQL tables).

Run on PostgreSQL with KHAOJING_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test
(the tests create and use a database called khaojing_test on that server).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).parent))

from helpers import CSRF_RE, TestEnv  # noqa: E402

from khaojing.db.migrate import upgrade  # noqa: E402
from khaojing.db.session import Database  # noqa: E402
from khaojing.settings import Settings  # noqa: E402

PG_URL = os.environ.get("KHAOJING_TEST_DATABASE_URL", "")
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

__all__ = ["CSRF_RE"]


def pytest_report_header(config):  # noqa: ANN001, ANN201
    return f"khaojing test database: {'PostgreSQL ' + PG_URL if PG_URL else 'SQLite (per-test file)'}"


def _pg_test_url() -> str:
    url = make_url(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    return url.set(database="khaojing_test").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def db_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """SQLite: a migrated template file to copy. PostgreSQL: a freshly migrated khaojing_test database."""
    if PG_URL:
        admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1),
                              isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = 'khaojing_test' AND pid <> pg_backend_pid()"))
            conn.execute(text("DROP DATABASE IF EXISTS khaojing_test"))
            conn.execute(text("CREATE DATABASE khaojing_test"))
        admin.dispose()
        url = _pg_test_url()
        upgrade(url)
        return url
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return str(path)


def _truncate_all(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = [r[0] for r in conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"))]
        if tables:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def database_url(db_template: str, tmp_path: Path) -> str:
    if PG_URL:
        _truncate_all(db_template)
        return db_template
    target = tmp_path / "khaojing.db"
    shutil.copyfile(db_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(_env_file=None, database_url=database_url, data_dir=tmp_path / "data", dev_mode=True,
                    secret_key="test-secret-key-that-is-long-enough-0123456789",
                    inprocess_worker=False, job_backoff_seconds=0.0, login_lockout_seconds=60,
                    demo_data_dir=SHARED_DATA)


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    import khaojing.handlers  # noqa: F401

    database = Database(settings)
    yield database
    database.dispose()


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
