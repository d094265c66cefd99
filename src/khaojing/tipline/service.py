"""Tipline rules without network: store incoming chat events once, requesters, blocklist, rate limit, state."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from khaojing.audit import service as audit
from khaojing.db.base import utcnow
from khaojing.db.upsert import insert_new
from khaojing.intake import requesters
from khaojing.intake.models import ContactPoint, Requester
from khaojing.jobs import queue
from khaojing.tipline.models import Blocked, Conversation, EventStatus, InboundEvent, OutboundMessage

log = logging.getLogger(__name__)

EVENT_JOB = "tipline.event"
LINE_USER = "line_user_id"  # the ContactPoint kind (and keyed-hash kind) of a LINE user id
LINE_GROUP = "line_group_id"
HANDLED_KINDS = frozenset({"message", "follow", "unfollow", "postback"})
# every webhook event type LINE documents (webhook.yml); anything else is unknown to us and only logged
KNOWN_KINDS = HANDLED_KINDS | {"unsend", "join", "leave", "memberJoined", "memberLeft", "videoPlayComplete",
                               "beacon", "accountLink", "membership", "module", "activated", "deactivated",
                               "botSuspended", "botResumed", "delivery"}
CONVERSATION_MINUTES = 30


@dataclass
class IncomingEvent:
    """One webhook event, as the LINE channel hands it over after checking LINE's signature and shape."""

    webhook_event_id: str
    kind: str
    occurred_at: dt.datetime | None
    mode: str = "active"
    is_redelivery: bool = False
    source_type: str | None = None
    user_id: str | None = None
    group_id: str | None = None  # group or room id
    reply_token: str | None = None
    message_type: str | None = None
    body: dict[str, Any] = field(default_factory=dict)  # the event without raw ids and reply token


@dataclass
class Recorded:
    new: int = 0
    repeated: int = 0
    ignored: int = 0


def _keep_contact(session: Session, requester: Requester, user_id: str, retention_days: int) -> None:
    """Keep the raw LINE user id (pushes need it) until the retention date; safe when two requests race.

    Renewed at most once a day, so a chatty user does not cost a write per message.
    """
    fresh = utcnow() + dt.timedelta(days=retention_days - 1)
    if session.scalar(select(ContactPoint.id).where(
            ContactPoint.requester_id == requester.id, ContactPoint.kind == LINE_USER,
            ContactPoint.value == user_id, ContactPoint.expires_at > fresh)) is not None:
        return
    requesters.keep_contact(session, requester=requester, kind=LINE_USER, value=user_id,
                            retention_days=retention_days)


def line_requester(session: Session, *, secret_key: str, user_id: str, retention_days: int,
                   keep_contact: bool = True) -> Requester:
    """The pseudonymous requester of a LINE user; with keep_contact, also the raw id for replies and pushes."""
    requester = requesters.get_or_create_requester(session, secret_key=secret_key, channel="line",
                                                   kind=LINE_USER, value=user_id)
    if keep_contact:
        _keep_contact(session, requester, user_id, retention_days)
    return requester


def _initial_status(ev: IncomingEvent) -> tuple[str, str | None]:
    if ev.kind not in KNOWN_KINDS:
        log.warning("LINE event %s of unknown type %r stored as ignored", ev.webhook_event_id, ev.kind)
        return EventStatus.ignored.value, f"unknown event type {ev.kind!r}"
    if ev.kind not in HANDLED_KINDS:
        log.info("LINE event %s of type %s ignored (not handled)", ev.webhook_event_id, ev.kind)
        return EventStatus.ignored.value, f"event type {ev.kind} is not handled"
    if ev.mode != "active":
        return EventStatus.ignored.value, f"channel in {ev.mode} mode: another module has the chat"
    return EventStatus.received.value, None


def record_events(session: Session, *, events: list[IncomingEvent], secret_key: str,
                  retention_days: int) -> Recorded:
    """Store each event once (a redelivery, also a concurrent one, finds the first) and queue its job.

    No network calls: the webhook answers as soon as the caller commits.
    """
    result = Recorded()
    now = utcnow()
    # rows are locked in one order (by user, each user's events in delivery order), so two webhook requests
    # carrying the same users in another order cannot deadlock each other on PostgreSQL
    for ev in sorted(events, key=lambda e: e.user_id or ""):
        if session.scalar(select(InboundEvent.id).where(InboundEvent.webhook_event_id == ev.webhook_event_id)):
            result.repeated += 1
            continue
        requester = None
        if ev.user_id:
            # only a one-to-one chat keeps the raw id: people talking in a group did not write to us
            requester = line_requester(session, secret_key=secret_key, user_id=ev.user_id,
                                       retention_days=retention_days, keep_contact=ev.source_type == "user")
        status, note = _initial_status(ev)
        row = insert_new(session, InboundEvent, dict(
            webhook_event_id=ev.webhook_event_id, channel="line", kind=ev.kind[:40],
            message_type=(ev.message_type or None) and ev.message_type[:20], source_type=ev.source_type,
            requester_id=requester.id if requester else None,
            group_hash=requesters.keyed_hash(secret_key, LINE_GROUP, ev.group_id) if ev.group_id else None,
            reply_token=ev.reply_token if status == EventStatus.received.value else None,
            reply_token_at=now if ev.reply_token and status == EventStatus.received.value else None,
            body=ev.body, is_redelivery=ev.is_redelivery, occurred_at=ev.occurred_at, status=status, note=note,
            created_at=now, processed_at=None if status == EventStatus.received.value else now),
            unique=["webhook_event_id"])
        if row is None:  # the same event, delivered again at the same moment, was stored first
            result.repeated += 1
            continue
        if status == EventStatus.received.value:
            queue.enqueue(session, EVENT_JOB, {"event_id": row.id}, priority=10,
                          dedupe_key=f"{EVENT_JOB}:{ev.webhook_event_id}")
            result.new += 1
        else:
            result.ignored += 1
    return result


def finish_event(event: InboundEvent, status: EventStatus, note: str | None = None) -> None:
    event.status = status.value
    event.note = note
    event.processed_at = utcnow()
    event.reply_token = None  # handed to the outbox (or of no use any more)


def line_user_id(session: Session, requester_id: int) -> str | None:
    """The raw LINE user id of a requester while its retention lasts, else None."""
    return session.scalar(select(ContactPoint.value).where(
        ContactPoint.requester_id == requester_id, ContactPoint.kind == LINE_USER,
        ContactPoint.expires_at > utcnow()).order_by(ContactPoint.expires_at.desc()).limit(1))


# --- blocklist ----------------------------------------------------------------------------------------------

def is_blocked(session: Session, *, requester_id: int | None = None, key_hash: str | None = None) -> bool:
    keys = []
    if requester_id is not None:
        keys.append(Blocked.requester_id == requester_id)
    if key_hash:
        keys.append(Blocked.key_hash == key_hash)
    if not keys:
        return False
    now = utcnow()
    return session.scalar(select(Blocked.id).where(or_(*keys), or_(Blocked.until.is_(None), Blocked.until > now))
                          .limit(1)) is not None


def block(session: Session, *, actor: str, reason: str, requester_id: int | None = None,
          key_hash: str | None = None, until: dt.datetime | None = None) -> Blocked:
    if requester_id is None and not key_hash:
        raise ValueError("block a requester id or a key hash")
    row = Blocked(requester_id=requester_id, key_hash=key_hash, reason=reason, until=until, created_by=actor)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="tipline.blocked", object_type="requester",
                 object_id=requester_id, data={"key_hash": key_hash, "until": until, "reason": reason})
    return row


def unblock(session: Session, *, actor: str, requester_id: int | None = None, key_hash: str | None = None) -> int:
    keys = [Blocked.requester_id == requester_id] if requester_id is not None else []
    keys += [Blocked.key_hash == key_hash] if key_hash else []
    if not keys:
        return 0
    n = session.execute(delete(Blocked).where(or_(*keys))).rowcount or 0
    audit.record(session, actor=actor, action="tipline.unblocked", object_type="requester",
                 object_id=requester_id, data={"key_hash": key_hash, "removed": n})
    return n


# --- rate limit ---------------------------------------------------------------------------------------------

def over_rate_limit(session: Session, event: InboundEvent, *, per_minute: int) -> bool:
    """True when this requester sent more than `per_minute` messages or postbacks in the minute up to `event`."""
    if event.requester_id is None or per_minute <= 0:
        return False
    since = event.created_at - dt.timedelta(seconds=60)
    n = session.scalar(select(func.count(InboundEvent.id)).where(
        InboundEvent.requester_id == event.requester_id, InboundEvent.kind.in_(("message", "postback")),
        InboundEvent.created_at > since, InboundEvent.id <= event.id)) or 0
    return n > per_minute


# --- conversation state -------------------------------------------------------------------------------------

def get_state(session: Session, requester_id: int) -> dict[str, Any]:
    """The requester's conversation state, or {} when there is none or it has expired."""
    conv = session.scalar(select(Conversation).where(Conversation.requester_id == requester_id))
    if conv is None or conv.expires_at <= utcnow():
        return {}
    return dict(conv.state or {})


def set_state(session: Session, requester_id: int, state: dict[str, Any], *,
              minutes: int = CONVERSATION_MINUTES) -> Conversation:
    """Replace the requester's state and push its expiry `minutes` ahead (one row per requester)."""
    expires = utcnow() + dt.timedelta(minutes=minutes)
    conv = session.scalar(select(Conversation).where(Conversation.requester_id == requester_id))
    if conv is None:
        try:
            with session.begin_nested():
                conv = Conversation(requester_id=requester_id, state=state, expires_at=expires)
                session.add(conv)
            return conv
        except IntegrityError:
            conv = session.scalar(select(Conversation).where(Conversation.requester_id == requester_id))
            assert conv is not None
    conv.state = dict(state)
    conv.expires_at = expires
    return conv


def clear_state(session: Session, requester_id: int) -> None:
    session.execute(delete(Conversation).where(Conversation.requester_id == requester_id))


# --- housekeeping -------------------------------------------------------------------------------------------

def purge(session: Session, *, reply_token_seconds: float, keep_events_days: int = 30) -> dict[str, int]:
    """Forget reply tokens that expired, conversations that ended, and old handled events."""
    now = utcnow()
    token_cutoff = now - dt.timedelta(seconds=max(reply_token_seconds, 60))
    tokens = session.execute(update(InboundEvent).where(InboundEvent.reply_token.is_not(None),
                                                        InboundEvent.reply_token_at < token_cutoff)
                             .values(reply_token=None)).rowcount or 0
    tokens += session.execute(update(OutboundMessage).where(OutboundMessage.reply_token.is_not(None),
                                                            OutboundMessage.reply_token_at < token_cutoff)
                              .values(reply_token=None)).rowcount or 0
    convs = session.execute(delete(Conversation).where(Conversation.expires_at < now)).rowcount or 0
    events = session.execute(delete(InboundEvent).where(
        InboundEvent.status != EventStatus.received.value,
        InboundEvent.created_at < now - dt.timedelta(days=keep_events_days))).rowcount or 0
    return {"reply_tokens": tokens, "conversations": convs, "events": events}
