"""When PostgreSQL drops every connection (a restart or failover), the next request and the worker recover."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from khaojing.jobs import queue
from khaojing.jobs.worker import Worker


def _drop_all_connections(db) -> int:  # noqa: ANN001
    url = db.engine.url
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        n = conn.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                              "WHERE datname = :db AND pid <> pg_backend_pid()"), {"db": url.database}).scalar()
    admin.dispose()
    return n


def test_requests_and_jobs_recover_after_the_database_drops_all_connections(env) -> None:  # noqa: ANN001
    if env.db.dialect != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no server to restart")
    key = env.partner_key()
    headers = {"Authorization": f"Bearer {key}"}
    assert env.client.post("/api/v1/reports", json={"text": "ก่อน"}, headers=headers).status_code == 201
    assert _drop_all_connections(env.db) >= 1  # the pool holds connections that are now dead
    assert env.client.get("/healthz").status_code == 200
    r = env.client.post("/api/v1/reports", json={"text": "หลัง"}, headers=headers)
    assert r.status_code == 201, r.text
    _drop_all_connections(env.db)
    with env.db.unit_of_work() as session:
        queue.enqueue(session, "system.sleep", {"seconds": 0})
    _drop_all_connections(env.db)
    assert Worker(env.db).run_until_empty() == 3  # two triage jobs and the sleep


def test_a_connection_left_in_the_middle_of_a_query_is_replaced_at_checkout(env) -> None:  # noqa: ANN001
    """The state a dropped socket leaves behind (psycopg: transaction "ACTIVE", not marked broken) made the pool's
    ping raise ProgrammingError and fail the request; the pool now replaces the connection."""
    if env.db.dialect != "postgresql":
        pytest.skip("PostgreSQL only")
    engine = env.db.engine
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        raw = conn.connection.dbapi_connection
    raw.pgconn.send_query(b"SELECT pg_sleep(0.2)")  # nobody reads the answer: the connection stays ACTIVE
    assert engine.dialect.do_ping(raw) is False
    with engine.connect() as conn:  # the pool hands out a working connection
        assert conn.execute(text("SELECT 2")).scalar() == 2
