"""Tables for where reports come from (Source, ApiKey), who sent them (Requester, ContactPoint) and what came in."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import BigInteger, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from khaojing.db.base import Base, utcnow


class Channel(str, enum.Enum):
    webform = "webform"
    api = "api"
    line = "line"
    feed = "feed"
    import_ = "import"


class ReportStatus(str, enum.Enum):
    new = "new"              # accepted and stored, waiting for screening
    received = "received"    # the triage job has taken it in
    screened = "screened"
    grouped = "grouped"
    answered = "answered"
    rejected = "rejected"


class Source(Base):
    """Where reports come from: the web form, a partner agency's API client, a feed, an import, a LINE account."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200), unique=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    api_keys: Mapped[list[ApiKey]] = relationship(back_populates="source")


class ApiKey(Base):
    """A partner's API key: only a SHA-256 of the secret is kept; revocable, several per partner for rotation."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None]
    last_used_at: Mapped[dt.datetime | None]

    source: Mapped[Source] = relationship(back_populates="api_keys")


class Requester(Base):
    """A pseudonymous sender: the identifier is kept only as an HMAC keyed with the server secret."""

    __tablename__ = "requesters"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(5), default="th")
    notify: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    contacts: Mapped[list[ContactPoint]] = relationship(back_populates="requester",
                                                        cascade="all, delete-orphan")


class ContactPoint(Base):
    """Raw contact data kept only because a reply needs it, and only until expires_at."""

    __tablename__ = "contact_points"
    __table_args__ = (UniqueConstraint("requester_id", "kind", "value"),
                      Index("ix_contact_points_expires_at", "expires_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("requesters.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # email, phone, line_user_id
    value: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]

    requester: Mapped[Requester] = relationship(back_populates="contacts")


class Report(Base):
    """One thing that came in: a form, an API item, a LINE message, a feed entry, an imported row."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("source_id", "external_id", name="uq_reports_source_external_id"),
        UniqueConstraint("source_id", "idempotency_key", name="uq_reports_source_idempotency_key"),
        Index("ix_reports_status_received_at", "status", "received_at"),
        Index("ix_reports_channel_received_at", "channel", "received_at"),
        Index("ix_reports_received_at", "received_at"),
        Index("ix_reports_claim_id", "claim_id"),
        Index("ix_reports_text_sha256", "text_sha256"),
        Index("ix_reports_norm_sha256", "norm_sha256"),
        Index("ix_reports_topic_received_at", "topic", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(16), unique=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str | None] = mapped_column(String(200))
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    request_hash: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[dt.datetime]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    text: Mapped[str] = mapped_column(Text, default="")
    text_sha256: Mapped[str] = mapped_column(String(64))
    urls: Mapped[list] = mapped_column(default=list)
    language: Mapped[str] = mapped_column(String(5), default="th")
    status: Mapped[str] = mapped_column(String(20), default=ReportStatus.new.value)
    requester_id: Mapped[int | None] = mapped_column(ForeignKey("requesters.id", ondelete="SET NULL"))
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="SET NULL"))
    meta: Mapped[dict] = mapped_column(default=dict)
    # screening (filled by the triage job)
    norm_sha256: Mapped[str | None] = mapped_column(String(64))
    is_claim: Mapped[bool | None]
    worthiness: Mapped[float | None] = mapped_column(Float)
    topic: Mapped[str | None] = mapped_column(String(80))
    topic_confidence: Mapped[float | None] = mapped_column(Float)
    match_kind: Mapped[str | None] = mapped_column(String(20))  # exact, near, semantic, url, image, new, answered
    screened_at: Mapped[dt.datetime | None]
    screening: Mapped[dict] = mapped_column(default=dict)  # reasons, topic scores, harm, match candidates

    source: Mapped[Source] = relationship()
    requester: Mapped[Requester | None] = relationship()
    media: Mapped[list[Media]] = relationship(back_populates="report", cascade="all, delete-orphan",
                                              order_by="Media.id")


class Media(Base):
    """An image attached to a report, stored on disk by its SHA-256."""

    __tablename__ = "media"
    __table_args__ = (Index("ix_media_sha256", "sha256"), Index("ix_media_report_id", "report_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(50))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    width: Mapped[int]
    height: Mapped[int]
    storage_path: Mapped[str] = mapped_column(String(300))
    original_name: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    phash: Mapped[str | None] = mapped_column(String(16))  # 64-bit perceptual hash, hex
    ocr_text: Mapped[str | None] = mapped_column(Text)

    report: Mapped[Report] = relationship(back_populates="media")


class ImportRun(Base):
    """A bulk import of one file: its checkpoint makes a re-run resume where the last one stopped."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(500))
    layout: Mapped[str] = mapped_column(String(40))
    rows_total: Mapped[int] = mapped_column(default=0)
    rows_done: Mapped[int] = mapped_column(default=0)
    rows_created: Mapped[int] = mapped_column(default=0)
    rows_skipped: Mapped[int] = mapped_column(default=0)
    rows_invalid: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(20), default="running")
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]
