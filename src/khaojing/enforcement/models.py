"""Enforcement tables: evidence, custody log, takedowns (issue 8)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from khaojing.db.base import Base, utcnow


class Evidence(Base):
    """One captured item (a web page, an uploaded file, a report's image), signed by the center's Ed25519 key.

    The signed statement is rebuilt from these columns and the files' rows (see signing.statement_of), so an edited
    row no longer matches its record_hash and signature. Rows are never deleted; retention removes the files and
    sets disposed_at (the custody log says so)."""

    __tablename__ = "evidence"
    __table_args__ = (Index("ix_evidence_case_id", "case_id"), Index("ix_evidence_captured_at", "captured_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    method: Mapped[str] = mapped_column(String(20))  # url | upload | media
    source_url: Mapped[str | None] = mapped_column(Text)
    final_url: Mapped[str | None] = mapped_column(Text)
    http_status: Mapped[int | None]
    title: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"))
    sha256: Mapped[str] = mapped_column(String(64))  # of the main file (the raw page, the upload, the image)
    content_type: Mapped[str] = mapped_column(String(120))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    captured_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    captured_by: Mapped[str] = mapped_column(String(120))
    tool_version: Mapped[str] = mapped_column(String(200))
    details: Mapped[dict] = mapped_column(default=dict)  # signed too: screenshot or why not, redirects, limits
    key_id: Mapped[str] = mapped_column(String(64))  # SHA-256 of the raw public key that signed it
    record_hash: Mapped[str] = mapped_column(String(64), unique=True)
    signature: Mapped[str] = mapped_column(String(120))  # base64 Ed25519 over the canonical statement
    disposed_at: Mapped[dt.datetime | None]

    files: Mapped[list[EvidenceFile]] = relationship(order_by="EvidenceFile.id", back_populates="evidence")


class EvidenceFile(Base):
    """One stored file of an evidence item: raw bytes, response headers, extracted text, screenshot, upload."""

    __tablename__ = "evidence_files"
    __table_args__ = (Index("ix_evidence_files_evidence_id", "evidence_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id", ondelete="RESTRICT"))
    role: Mapped[str] = mapped_column(String(20))  # raw | headers | text | screenshot | upload | media
    name: Mapped[str] = mapped_column(String(200))  # the file's name inside an evidence package
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(120))
    storage_path: Mapped[str] = mapped_column(String(300))

    evidence: Mapped[Evidence] = relationship(back_populates="files")


class CustodyEvent(Base):
    """Chain of custody: per evidence item, each entry carries the previous entry's hash (the first: the item's
    record_hash) and an Ed25519 signature of its own hash. Append-only."""

    __tablename__ = "custody_events"
    __table_args__ = (Index("ix_custody_events_evidence_id", "evidence_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id", ondelete="RESTRICT"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(30))  # capture view export attach handover dispose
    data: Mapped[dict] = mapped_column(default=dict)
    # unique: two writers that read the same tail cannot both append (the chain never forks)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    signature: Mapped[str] = mapped_column(String(120))


class Takedown(Base):
    """A request to a platform or source to remove one URL, and where it stands."""

    __tablename__ = "takedowns"
    __table_args__ = (Index("ix_takedowns_status_due_at", "status", "due_at"),
                      Index("ix_takedowns_next_check_at", "next_check_at"),
                      Index("ix_takedowns_case_id", "case_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    platform: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(String(40))
    political: Mapped[bool] = mapped_column(default=False)  # political or lèse-majesté: reported separately
    status: Mapped[str] = mapped_column(String(30), default="draft")
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id", ondelete="SET NULL"))
    contact: Mapped[str] = mapped_column(Text, default="")  # whom the request goes to (a form, an address)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status_since: Mapped[dt.datetime] = mapped_column(default=utcnow)
    due_at: Mapped[dt.datetime | None]
    reminded_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]
    last_check: Mapped[str | None] = mapped_column(String(20))  # up | changed | gone | unreachable
    last_checked_at: Mapped[dt.datetime | None]
    next_check_at: Mapped[dt.datetime | None]


class TakedownEvent(Base):
    """The takedown's log: creation, status changes, contacts with the platform, notes and URL re-checks."""

    __tablename__ = "takedown_events"
    __table_args__ = (Index("ix_takedown_events_takedown_id", "takedown_id"),
                      Index("ix_takedown_events_kind_at", "kind", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    takedown_id: Mapped[int] = mapped_column(ForeignKey("takedowns.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))  # created | status | contact | check | note
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str | None] = mapped_column(String(30))
    channel: Mapped[str | None] = mapped_column(String(30))  # e-mail, web form, letter, phone, meeting
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict] = mapped_column(default=dict)
