"""Tables of the tipline: inbound chat events, per-user conversation state, the outbox, and the blocklist."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from khaojing.db.base import Base, utcnow


class EventStatus(str, enum.Enum):
    received = "received"    # stored; its job has not run yet
    processed = "processed"  # the job handled it
    ignored = "ignored"      # not for us (unknown type, group chatter, blocked, over the rate limit …)
    failed = "failed"        # the job gave up on it


class OutboxStatus(str, enum.Enum):
    queued = "queued"
    sent = "sent"
    failed = "failed"


class InboundEvent(Base):
    """One webhook event as LINE delivered it: the key that makes a redelivery a no-op, and the work's status.

    `body` is the event without LINE's raw user, group and room ids (kept hashed or as a ContactPoint) and
    without the reply token, which lives in its own column only until it is used or expires.
    """

    __tablename__ = "inbound_events"
    __table_args__ = (
        Index("ix_inbound_events_requester_created", "requester_id", "created_at"),
        Index("ix_inbound_events_reply_token_at", "reply_token_at"),
        Index("ix_inbound_events_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_event_id: Mapped[str] = mapped_column(String(100), unique=True)
    channel: Mapped[str] = mapped_column(String(20), default="line")
    kind: Mapped[str] = mapped_column(String(40))  # LINE's event type: message, follow, unfollow, postback …
    message_type: Mapped[str | None] = mapped_column(String(20))  # text, image, sticker … (message events)
    source_type: Mapped[str | None] = mapped_column(String(10))  # user, group, room
    requester_id: Mapped[int | None] = mapped_column(ForeignKey("requesters.id", ondelete="SET NULL"))
    group_hash: Mapped[str | None] = mapped_column(String(64))  # keyed hash of the group or room id
    reply_token: Mapped[str | None] = mapped_column(String(255))
    reply_token_at: Mapped[dt.datetime | None]  # when we received the token (LINE counts from delivery)
    body: Mapped[dict] = mapped_column(default=dict)
    is_redelivery: Mapped[bool] = mapped_column(default=False)
    occurred_at: Mapped[dt.datetime | None]  # LINE's event timestamp
    status: Mapped[str] = mapped_column(String(12), default=EventStatus.received.value)
    note: Mapped[str | None] = mapped_column(Text)  # why it was ignored or failed
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[dt.datetime | None]


class Conversation(Base):
    """Where the chat with one requester stands (any web process or worker can continue it); expires."""

    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_expires_at", "expires_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("requesters.id", ondelete="CASCADE"), unique=True)
    state: Mapped[dict] = mapped_column(default=dict)
    expires_at: Mapped[dt.datetime]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def new_retry_key() -> str:
    return str(uuid.uuid4())


class OutboundMessage(Base):
    """One message (of up to five LINE message objects) we send: sent once, whatever retries happen.

    `dedupe_key` makes a second `outbox.send` of the same thing a no-op; `retry_key` is sent as LINE's
    X-Line-Retry-Key on push and multicast, so a retry after a lost acknowledgement is not delivered twice.
    `recipients` are requester ids: the raw LINE ids are looked up (from ContactPoint) only when sending.
    """

    __tablename__ = "outbound_messages"
    __table_args__ = (Index("ix_outbound_messages_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    channel: Mapped[str] = mapped_column(String(20), default="line")
    kind: Mapped[str] = mapped_column(String(10))  # reply, push, multicast
    recipients: Mapped[list] = mapped_column(default=list)
    payload: Mapped[dict] = mapped_column(default=dict)  # {"messages": [LINE message objects]}
    reply_token: Mapped[str | None] = mapped_column(String(255))
    reply_token_at: Mapped[dt.datetime | None]
    retry_key: Mapped[str] = mapped_column(String(36), default=new_retry_key)
    status: Mapped[str] = mapped_column(String(10), default=OutboxStatus.queued.value)
    attempts: Mapped[int] = mapped_column(default=0)
    uncertain: Mapped[bool] = mapped_column(default=False)  # an attempt may have reached LINE unanswered
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_via: Mapped[str | None] = mapped_column(String(10))  # reply, push, multicast
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]


class Blocked(Base):
    """A requester (or any keyed hash, e.g. of a group) the bot ignores, until a date or for good."""

    __tablename__ = "blocked"
    __table_args__ = (Index("ix_blocked_requester_id", "requester_id"), Index("ix_blocked_key_hash", "key_hash"))

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[int | None] = mapped_column(ForeignKey("requesters.id", ondelete="CASCADE"))
    key_hash: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text, default="")
    until: Mapped[dt.datetime | None]  # None: until lifted
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
