"""Session factory and unit of work: one transaction per request, command or job; commit at the edge."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from khaojing.db.engine import make_engine
from khaojing.settings import Settings


class Database:
    """Holds the engine and session factories for one configured database."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.engine: Engine = make_engine(settings.database_url,
                                          busy_timeout_ms=settings.sqlite_busy_timeout_ms,
                                          pool_size=settings.db_pool_size)
        self._write = sessionmaker(bind=self.engine, expire_on_commit=False)
        read_engine = self.engine.execution_options(sqlite_begin="DEFERRED")
        self._read = sessionmaker(bind=read_engine, expire_on_commit=False)
        # SQLite has one writer at a time. Threads of this process queue here, fairly and without sleeping,
        # instead of polling the file lock through the busy timeout (which made a long latency tail).
        self._write_lock = threading.RLock() if self.engine.dialect.name == "sqlite" else None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def unit_of_work(self, *, readonly: bool = False) -> Iterator[Session]:
        """Yield a session; commit when the block ends normally, roll back on any exception.

        A read-only unit never commits: closing it ends its transaction, and the objects it loaded stay readable.
        """
        lock = None if readonly else self._write_lock
        if lock is not None:
            lock.acquire()
        session = (self._read if readonly else self._write)()
        try:
            yield session
            if not readonly:
                session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
            if lock is not None:
                lock.release()

    def ping(self) -> bool:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True

    def dispose(self) -> None:
        self.engine.dispose()
