"""Publication tables: topic subscriptions, partner webhooks, open-data files (issue 6)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from khaojing.db.base import Base, utcnow


class Subscriber(Base):
    """A person who asked for e-mail on new verdicts of some topics (double opt-in: confirmed_at set by the link)."""

    __tablename__ = "pub_subscribers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    language: Mapped[str] = mapped_column(String(2), default="th")
    topics: Mapped[list] = mapped_column(default=list)  # topic keys; empty: every topic
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[dt.datetime | None]
    unsubscribed_at: Mapped[dt.datetime | None]


class PartnerWebhook(Base):
    """A partner's URL that receives every published and corrected verdict, signed with its own secret."""

    __tablename__ = "pub_partner_webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(100))  # needed to sign: kept, shown once at creation
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))  # intake partner
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[dt.datetime | None]

    deliveries: Mapped[list[WebhookDelivery]] = relationship(back_populates="webhook", passive_deletes=True)


class WebhookDelivery(Base):
    """The outbox: one row per webhook × verdict version (so a version is never delivered twice)."""

    __tablename__ = "pub_webhook_deliveries"
    __table_args__ = (UniqueConstraint("webhook_id", "verdict_id", "version"),
                      Index("ix_pub_webhook_deliveries_status_next", "status", "next_attempt_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("pub_partner_webhooks.id", ondelete="CASCADE"))
    claim_id: Mapped[int]
    verdict_id: Mapped[int]
    version: Mapped[int]
    event: Mapped[str] = mapped_column(String(20))  # published | corrected
    body: Mapped[str] = mapped_column(Text)  # the verdict JSON of the public API at that version (signed as is)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending | delivered | dead
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_status: Mapped[int | None]  # the receiver's HTTP status of the last attempt
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[dt.datetime | None]

    webhook: Mapped[PartnerWebhook] = relationship(back_populates="deliveries")
