"""Tables of the verification work: cases and their state history, agency requests, collaboration, verdicts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from khaojing.accounts.models import Agency
from khaojing.claims.models import Claim
from khaojing.db.base import Base, utcnow


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        # a claim has at most one open case
        Index("uq_cases_open_claim", "claim_id", unique=True,
              sqlite_where=text("closed_at IS NULL"), postgresql_where=text("closed_at IS NULL")),
        Index("ix_cases_state", "state"),
        Index("ix_cases_assignee_id", "assignee_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(30), default="new")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[dt.datetime | None]
    # workflow clocks: since when in this state; first-action deadline (SLA) and what was done about it
    state_since: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=text("CURRENT_TIMESTAMP"))
    due_at: Mapped[dt.datetime | None]
    first_action_at: Mapped[dt.datetime | None]
    reminded_at: Mapped[dt.datetime | None]
    escalated_at: Mapped[dt.datetime | None]
    close_reason: Mapped[str | None] = mapped_column(String(30))  # published | not_a_claim | out_of_scope | duplicate
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))

    claim: Mapped[Claim] = relationship()


class CaseStateChange(Base):
    """One stay of a case in a state: entered, left (open while it is the current state), who and why."""

    __tablename__ = "case_state_changes"
    __table_args__ = (Index("ix_case_state_changes_case_id", "case_id"),
                      Index("ix_case_state_changes_state_entered_at", "state", "entered_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    from_state: Mapped[str | None] = mapped_column(String(30))
    state: Mapped[str] = mapped_column(String(30))
    entered_at: Mapped[dt.datetime]
    left_at: Mapped[dt.datetime | None]
    actor: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str | None] = mapped_column(Text)


class AgencyRequest(Base):
    """A question the center sends to one agency about a case, and the agency's answer."""

    __tablename__ = "agency_requests"
    __table_args__ = (Index("ix_agency_requests_agency_status", "agency_id", "status"),
                      Index("ix_agency_requests_case_id", "case_id"),
                      Index("ix_agency_requests_status_due_at", "status", "due_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="RESTRICT"))
    claim_text: Mapped[str] = mapped_column(Text, default="")  # the claim as the analyst quotes it to the agency
    question: Mapped[str] = mapped_column(Text)
    evidence_links: Mapped[list] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(20), default="sent")  # sent answered declined forwarded withdrawn
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    sent_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    due_at: Mapped[dt.datetime]
    chased_at: Mapped[dt.datetime | None]
    escalated_at: Mapped[dt.datetime | None]
    answered_at: Mapped[dt.datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answer: Mapped[str | None] = mapped_column(Text)
    proposed_label: Mapped[str | None] = mapped_column(String(20))
    decline_reason: Mapped[str | None] = mapped_column(Text)
    forwarded_from_id: Mapped[int | None] = mapped_column(ForeignKey("agency_requests.id", ondelete="SET NULL"))

    case: Mapped[Case] = relationship()
    agency: Mapped[Agency] = relationship()


class Comment(Base):
    __tablename__ = "case_comments"
    __table_args__ = (Index("ix_case_comments_case_id", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    mentions: Mapped[list] = mapped_column(default=list)  # user ids
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Attachment(Base):
    """A file on a case (evidence, a document): an image or a PDF checked by content, stored by SHA-256.

    With a request_id it belongs to that agency request (evidence sent with it, or the agency's answer), and the
    request's agency may read it; without, only the center's staff may.
    """

    __tablename__ = "case_attachments"
    __table_args__ = (Index("ix_case_attachments_case_id", "case_id"),
                      Index("ix_case_attachments_request_id", "request_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("agency_requests.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(20), default="case")  # case | evidence | answer
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(50))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    storage_path: Mapped[str] = mapped_column(String(300))
    original_name: Mapped[str | None] = mapped_column(String(300))
    uploaded_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CaseLink(Base):
    """Two cases that belong together: the same actor spreads them, or they are part of one campaign."""

    __tablename__ = "case_links"
    __table_args__ = (UniqueConstraint("case_id", "other_case_id", "kind"),
                      Index("ix_case_links_other_case_id", "other_case_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    other_case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # same_actor | same_campaign
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Notice(Base):
    """A message for one user in the console (a mention, an assignment, an answer, a deadline); key + params."""

    __tablename__ = "console_notices"
    __table_args__ = (Index("ix_console_notices_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(60))
    params: Mapped[dict] = mapped_column(default=dict)
    url: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    read_at: Mapped[dt.datetime | None]


class VerdictVersion(Base):
    """One version of a verdict: draft -> in_review -> published -> superseded (kept, with the reason of the
    correction that replaced it). Four eyes: the approver is never among the contributors."""

    __tablename__ = "verdict_versions"
    __table_args__ = (UniqueConstraint("verdict_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    verdict_id: Mapped[int] = mapped_column(ForeignKey("verdicts.id", ondelete="CASCADE"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    version: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default="draft")  # draft in_review published superseded
    label: Mapped[str] = mapped_column(String(20))
    headline: Mapped[str] = mapped_column(Text)
    claim_text: Mapped[str] = mapped_column(Text, default="")
    explanation: Mapped[str] = mapped_column(Text, default="")
    sources: Mapped[list] = mapped_column(default=list)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", ondelete="SET NULL"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    contributor_ids: Mapped[list] = mapped_column(default=list)
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str | None] = mapped_column(Text)  # why this version corrects the previous one
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[dt.datetime | None]
    published_at: Mapped[dt.datetime | None]


class AgencyAnswer(Base):
    """A claim an agency answered in the past (seeded from AFNC posts, and every verdict it verified): the
    history that routing ranks agencies by."""

    __tablename__ = "agency_answers"
    __table_args__ = (UniqueConstraint("agency_id", "ref"), Index("ix_agency_answers_topic", "topic"))

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    topic: Mapped[str | None] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(Text)
    ref: Mapped[str] = mapped_column(String(300))  # the post's link, or verdict:<id>
    answered_at: Mapped[dt.datetime | None]
    origin: Mapped[str] = mapped_column(String(40))  # afnc-2025 | verdict
