"""Create engines: SQLite with WAL, foreign keys, busy timeout and IMMEDIATE write transactions; PostgreSQL
(which cannot hold a NUL character in text or JSON: every statement's parameters are cleaned of them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

try:
    from psycopg.types.json import Json, Jsonb

    _JSON_WRAPPERS: tuple[type, ...] = (Json, Jsonb)
except ImportError:  # SQLite-only installation
    _JSON_WRAPPERS = ()


def _prepare_sqlite_path(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def make_engine(url: str, *, busy_timeout_ms: int = 15000, pool_size: int = 10) -> Engine:
    if url.startswith("sqlite"):
        _prepare_sqlite_path(url)
        engine = create_engine(
            url,
            connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False,
                          "isolation_level": None},
            pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=False,
        )
        _install_sqlite_pragmas(engine, busy_timeout_ms)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    engine = create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
    event.listen(engine, "before_cursor_execute", _without_nul_parameters, retval=True)
    _ping_that_survives_a_hung_up_socket(engine)
    return engine


def _ping_that_survives_a_hung_up_socket(engine: Engine) -> None:
    """The pool's pre-ping reports a connection that died mid-ping as dead instead of failing the checkout.

    When PostgreSQL drops connections (a restart, a failover), psycopg may see the socket hang up during the ping
    without marking the connection broken; SQLAlchemy's ping then tries to restore autocommit on a connection
    still "ACTIVE" and raises ProgrammingError ("can't change 'autocommit' now"), which is not recognised as a
    disconnect, so the request or job failed instead of reconnecting. A connection left in the middle of a query
    is of no use to the pool anyway: the ping says False and the pool opens a new one."""
    import psycopg

    ping = engine.dialect.do_ping

    def do_ping(dbapi_connection) -> bool:  # noqa: ANN001
        try:
            return ping(dbapi_connection)
        except psycopg.ProgrammingError:
            if dbapi_connection.pgconn.transaction_status == psycopg.pq.TransactionStatus.ACTIVE:
                return False
            raise

    engine.dialect.do_ping = do_ping


def without_nul(value: Any) -> Any:
    """The value with every NUL character removed from its strings (dict keys, lists and JSON wrappers too)."""
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(without_nul(v) for v in value)
    if isinstance(value, _JSON_WRAPPERS):  # psycopg's Json / Jsonb (not Binary: bytes may hold NUL)
        return type(value)(without_nul(value.obj), value.dumps)
    return value


def _without_nul_parameters(_conn, _cursor, statement: str, parameters: Any, _context, _many):  # noqa: ANN001, ANN202
    """PostgreSQL refuses NUL in text ("cannot contain NUL bytes") and in JSON ("\\u0000 cannot be converted"): a
    report, a LINE event or a search carrying one is stored and looked up without it instead of failing."""
    return statement, without_nul(parameters)


def _install_sqlite_pragmas(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        # A write transaction takes the write lock at its start, so concurrent writers queue on the
        # busy timeout instead of failing with SQLITE_BUSY on upgrade. Read-only sessions ask for DEFERRED.
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")
