"""Every write is an audit event chained to the previous one; edits, deletions and reordering are detected."""

from __future__ import annotations

import threading

from sqlalchemy import func, select, text

from khaojing.audit import service as audit
from khaojing.audit.models import GENESIS_HASH, AuditEvent
from khaojing.db.session import Database


def _write(db, n: int, prefix: str = "e") -> None:  # noqa: ANN001
    for i in range(n):
        with db.unit_of_work() as session:
            audit.record(session, actor="system", action="test.event", object_type="thing",
                         object_id=f"{prefix}{i}", data={"i": i, "ข้อความ": "ทดสอบ"})


def _check(db) -> audit.ChainCheck:  # noqa: ANN001
    with db.unit_of_work(readonly=True) as session:
        return audit.verify_chain(session)


def test_events_are_chained_from_the_genesis_hash(db) -> None:  # noqa: ANN001
    _write(db, 5)
    with db.unit_of_work(readonly=True) as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert events[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    check = _check(db)
    assert check.ok and check.checked == 5


def test_an_edited_row_is_detected(db) -> None:  # noqa: ANN001
    _write(db, 5)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET actor = 'user:999' WHERE id = 3"))
    problems = _check(db).problems
    assert problems == ["event 3: content changed after it was written"]


def test_a_deleted_row_is_detected(db) -> None:  # noqa: ANN001
    _write(db, 5)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events WHERE id = 2"))
    assert _check(db).problems == ["event 3: link broken (a row before it was removed, added or reordered)"]


def test_reordered_rows_are_detected(db) -> None:  # noqa: ANN001
    _write(db, 4)
    with db.engine.begin() as conn:  # rows 2 and 3 change places; their contents stay as written
        for old, new in ((2, 1000), (3, 2), (1000, 3)):
            conn.execute(text("UPDATE audit_events SET id = :new WHERE id = :old"), {"old": old, "new": new})
    problems = _check(db).problems
    assert problems and all("link broken" in p for p in problems)


def test_concurrent_writers_keep_one_unbroken_chain(db) -> None:  # noqa: ANN001
    dbs = [Database(db.settings) for _ in range(4)]
    threads = [threading.Thread(target=_write, args=(d, 15, f"t{k}-")) for k, d in enumerate(dbs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for d in dbs:
        d.dispose()
    check = _check(db)
    assert check.ok, check.problems
    assert check.checked == 60
    with db.unit_of_work(readonly=True) as session:
        assert session.scalar(select(func.count(func.distinct(AuditEvent.prev_hash)))) == 60
