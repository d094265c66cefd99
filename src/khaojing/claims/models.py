"""The claims table: a rumour, its topic, harm and priority, first/last seen and counts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Float, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from khaojing.db.base import Base, utcnow


class Claim(Base):
    __tablename__ = "claims"
    __table_args__ = (Index("ix_claims_status_priority", "status", "priority"),
                      Index("ix_claims_last_seen_at", "last_seen_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    topic: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20), default="open")  # open, verified, dismissed, merged
    priority: Mapped[float] = mapped_column(Float, default=0.0)
    harm: Mapped[dict] = mapped_column(default=dict)
    report_count: Mapped[int] = mapped_column(default=0)
    first_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
