"""Tipline rules without LINE: conversation state, the blocklist, and forgetting what must not be kept."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from khaojing.db.base import utcnow
from khaojing.tipline import outbox, service
from khaojing.tipline.models import Conversation, InboundEvent, OutboundMessage
from line_fake import count, ulid, user_id


def requester_id(db) -> int:  # noqa: ANN001
    with db.unit_of_work() as session:
        return service.line_requester(session, secret_key="k" * 40, user_id=user_id(), retention_days=90).id


def test_conversation_state_is_kept_per_requester_and_expires(db) -> None:  # noqa: ANN001
    rid = requester_id(db)
    with db.unit_of_work() as session:
        assert service.get_state(session, rid) == {}
        service.set_state(session, rid, {"step": "consent", "report": 1})
    with db.unit_of_work() as session:
        assert service.get_state(session, rid) == {"step": "consent", "report": 1}
        service.set_state(session, rid, {"step": "whole"})
    assert count(db, Conversation) == 1
    with db.unit_of_work() as session:
        session.scalar(select(Conversation)).expires_at = utcnow() - dt.timedelta(seconds=1)
    with db.unit_of_work() as session:
        assert service.get_state(session, rid) == {}


def test_a_block_until_a_date_ends_and_unblock_lifts_it(db) -> None:  # noqa: ANN001
    rid, other = requester_id(db), requester_id(db)
    with db.unit_of_work() as session:
        service.block(session, actor="user:1", reason="flood", requester_id=rid,
                      until=utcnow() + dt.timedelta(hours=1))
        service.block(session, actor="user:1", reason="old", requester_id=other,
                      until=utcnow() - dt.timedelta(hours=1))
        service.block(session, actor="user:1", reason="spam group", key_hash="g" * 64)
    with db.unit_of_work() as session:
        assert service.is_blocked(session, requester_id=rid)
        assert not service.is_blocked(session, requester_id=other)
        assert service.is_blocked(session, key_hash="g" * 64)
        assert service.unblock(session, actor="user:1", requester_id=rid) == 1
    with db.unit_of_work(readonly=True) as session:
        assert not service.is_blocked(session, requester_id=rid)


def test_purge_wipes_expired_reply_tokens_ended_conversations_and_old_events(db) -> None:  # noqa: ANN001
    rid = requester_id(db)
    old = utcnow() - dt.timedelta(minutes=5)
    with db.unit_of_work() as session:
        session.add_all([
            InboundEvent(webhook_event_id=ulid(), kind="message", reply_token="stale", reply_token_at=old),
            InboundEvent(webhook_event_id=ulid(), kind="message", reply_token="fresh", reply_token_at=utcnow()),
            InboundEvent(webhook_event_id=ulid(), kind="follow", status="processed",
                         created_at=utcnow() - dt.timedelta(days=31)),
            Conversation(requester_id=rid, state={"a": 1}, expires_at=old)])
        outbox.send(session, dedupe_key="reply:x", kind="reply", to=rid, messages=[{"type": "text", "text": "x"}],
                    reply_token="stale-too", reply_token_at=old)
    with db.unit_of_work() as session:
        done = service.purge(session, reply_token_seconds=50)
    assert done == {"reply_tokens": 2, "conversations": 1, "events": 1}
    with db.unit_of_work(readonly=True) as session:
        assert sorted(filter(None, session.scalars(select(InboundEvent.reply_token)))) == ["fresh"]
        assert session.scalar(select(OutboundMessage.reply_token)) is None
