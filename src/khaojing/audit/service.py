"""Record audit events in a hash chain, and verify the chain (an edited, deleted or reordered row is found)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from khaojing.audit.models import GENESIS_HASH, AuditEvent
from khaojing.db.base import utcnow

SYSTEM = "system"
PUBLIC = "public"


def user_actor(user_id: int) -> str:
    return f"user:{user_id}"


def source_actor(source_id: int) -> str:
    return f"source:{source_id}"


def _event_hash(prev_hash: str, at: dt.datetime, actor: str, action: str, object_type: str,
                object_id: str | None, data: dict[str, Any]) -> str:
    body = json.dumps(
        {"prev": prev_hash, "at": at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "actor": actor,
         "action": action, "object_type": object_type, "object_id": object_id, "data": data},
        ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _lock_chain(session: Session) -> None:
    """Serialise appends. SQLite write transactions already hold the database lock (BEGIN IMMEDIATE)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(7426001)"))


def record(session: Session, *, actor: str, action: str, object_type: str,
           object_id: str | int | None = None, data: dict[str, Any] | None = None) -> AuditEvent:
    """Append one event; call it in the same unit of work as the write it describes."""
    _lock_chain(session)
    prev = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)) or GENESIS_HASH
    at = utcnow()
    clean = json.loads(json.dumps(data or {}, ensure_ascii=False, default=str))
    oid = None if object_id is None else str(object_id)
    event = AuditEvent(at=at, actor=actor, action=action, object_type=object_type, object_id=oid, data=clean,
                       prev_hash=prev, hash=_event_hash(prev, at, actor, action, object_type, oid, clean))
    session.add(event)
    session.flush()
    return event


@dataclass
class ChainCheck:
    checked: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(session: Session, *, batch: int = 5000) -> ChainCheck:
    """Walk the chain in id order; report every row whose hash or link does not hold."""
    problems: list[str] = []
    expected_prev = GENESIS_HASH
    checked = 0
    last_id = 0
    while True:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.id > last_id)
                               .order_by(AuditEvent.id).limit(batch)).all()
        if not rows:
            break
        for ev in rows:
            checked += 1
            if ev.prev_hash != expected_prev:
                problems.append(f"event {ev.id}: link broken (a row before it was removed, added or reordered)")
            actual = _event_hash(ev.prev_hash, ev.at, ev.actor, ev.action, ev.object_type, ev.object_id,
                                 ev.data or {})
            if actual != ev.hash:
                problems.append(f"event {ev.id}: content changed after it was written")
            expected_prev = ev.hash
            last_id = ev.id
    return ChainCheck(checked=checked, problems=problems)
