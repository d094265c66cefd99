"""Record audit events in a hash chain, and verify the chain (an edited, deleted or reordered row is found)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select, text
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


def hash_of(event: AuditEvent) -> str:
    """The hash an event's fields and its link to the previous event give (what verify_chain checks)."""
    return _event_hash(event.prev_hash, event.at, event.actor, event.action, event.object_type, event.object_id,
                       event.data or {})


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
            if hash_of(ev) != ev.hash:
                problems.append(f"event {ev.id}: content changed after it was written")
            expected_prev = ev.hash
            last_id = ev.id
    return ChainCheck(checked=checked, problems=problems)


def events_for(session: Session, *, object_type: str, object_id: str | int) -> list[AuditEvent]:
    """One object's audit trail, oldest first."""
    return list(session.scalars(select(AuditEvent).where(AuditEvent.object_type == object_type,
                                                         AuditEvent.object_id == str(object_id))
                                .order_by(AuditEvent.id)).all())


@dataclass
class EventFilter:
    action: str | None = None
    object_type: str | None = None


@dataclass
class EventPage:
    items: list[AuditEvent]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _event_filtered(stmt: Select, f: EventFilter) -> Select:
    if f.action:
        stmt = stmt.where(AuditEvent.action == f.action)
    if f.object_type:
        stmt = stmt.where(AuditEvent.object_type == f.object_type)
    return stmt


def list_events(session: Session, *, filters: EventFilter, page: int = 1, per_page: int = 50) -> EventPage:
    """A page of the log, newest first, optionally only one action and/or one object type."""
    page = max(1, page)
    per_page = min(max(1, per_page), 500)
    total = session.scalar(_event_filtered(select(func.count(AuditEvent.id)), filters)) or 0
    items = session.scalars(_event_filtered(select(AuditEvent), filters).order_by(AuditEvent.id.desc())
                            .offset((page - 1) * per_page).limit(per_page)).all()
    return EventPage(items=list(items), total=total, page=page, per_page=per_page)


def count_events(session: Session) -> int:
    return session.scalar(select(func.count(AuditEvent.id))) or 0


def recent_values(session: Session, *, recent: int = 5000) -> tuple[list[str], list[str]]:
    """Actions and object types among the latest `recent` events: filter suggestions, cheap on big logs."""
    tail = (select(AuditEvent.action, AuditEvent.object_type)
            .order_by(AuditEvent.id.desc()).limit(recent).subquery())
    actions = session.scalars(select(tail.c.action).distinct().order_by(tail.c.action)).all()
    types = session.scalars(select(tail.c.object_type).distinct().order_by(tail.c.object_type)).all()
    return list(actions), list(types)


def latest_hash(session: Session) -> str | None:
    """The last event's hash, to compare with a copy kept elsewhere (a cut-off tail is not detectable)."""
    return session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
