"""Tables for claims (a rumour and all its variants), their fingerprints, the index change log, and the center's
verdict on a claim (what matching, publication, the tipline and trends read; the drafting workflow is in cases/)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Float, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from khaojing.db.base import Base, utcnow


class Claim(Base):
    __tablename__ = "claims"
    __table_args__ = (Index("ix_claims_status_priority", "status", "priority"),
                      Index("ix_claims_last_seen_at", "last_seen_at"),
                      Index("ix_claims_norm_sha256", "norm_sha256"),
                      Index("ix_claims_topic", "topic"))

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    match_text: Mapped[str] = mapped_column(Text, default="")  # normalised title used by the matchers
    norm_sha256: Mapped[str | None] = mapped_column(String(64))
    topic: Mapped[str | None] = mapped_column(String(80))
    topic_source: Mapped[str] = mapped_column(String(20), default="model")  # model | analyst
    topic_confidence: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open, verified, dismissed, merged
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="SET NULL"))
    priority: Mapped[float] = mapped_column(Float, default=0.0)
    harm: Mapped[dict] = mapped_column(default=dict)  # {"life": 0..1, "property": 0..1, "reasons": [...]}
    priority_reasons: Mapped[list] = mapped_column(default=list)
    report_count: Mapped[int] = mapped_column(default=0)
    requester_count: Mapped[int] = mapped_column(default=0)
    channel_count: Mapped[int] = mapped_column(default=0)
    first_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ClaimFingerprint(Base):
    """Exact keys that identify a claim at once: a normalised text hash, a normalised URL, an image hash."""

    __tablename__ = "claim_fingerprints"
    __table_args__ = (UniqueConstraint("kind", "value", "claim_id"),
                      Index("ix_claim_fingerprints_claim_id", "claim_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # text | url | image
    value: Mapped[str] = mapped_column(String(2048))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class IndexChange(Base):
    """Append-only log of claim changes; every process's in-memory indexes replay it to stay consistent."""

    __tablename__ = "index_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column()
    op: Mapped[str] = mapped_column(String(10))  # upsert | delete
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class TextEmbedding(Base):
    """Cache of sentence embeddings by model and text hash: each text is embedded once."""

    __tablename__ = "text_embeddings"
    __table_args__ = (UniqueConstraint("model", "text_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    model: Mapped[str] = mapped_column(String(120))
    text_sha256: Mapped[str] = mapped_column(String(64))
    dim: Mapped[int]
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32 little-endian
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class VerdictLabel(str, enum.Enum):
    """The default labels; the labels in use come from settings.verdict_labels."""

    fake = "fake"
    distorted = "distorted"
    true = "true"
    unverifiable = "unverifiable"


class Verdict(Base):
    """The center's answer for a claim: mirrors the current draft until first published, then the latest
    published version (a correction is drafted in a VerdictVersion and replaces this only when published)."""

    __tablename__ = "verdicts"
    __table_args__ = (Index("ix_verdicts_published_at", "published_at"),)  # public lists, feeds: newest first

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), unique=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    label: Mapped[str] = mapped_column(String(20))
    headline: Mapped[str] = mapped_column(Text)
    claim_text: Mapped[str] = mapped_column(Text, default="", server_default="")  # the claim as it circulated
    explanation: Mapped[str] = mapped_column(Text, default="")
    sources: Mapped[list] = mapped_column(default=list)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", ondelete="SET NULL"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[dt.datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    claim: Mapped[Claim] = relationship()
