"""Accept reports durably and idempotently; look them up; list them for the inbox."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from khaojing.audit import service as audit
from khaojing.db.base import utcnow
from khaojing.errors import Conflict, Invalid, NotFound, TooLarge
from khaojing.intake import requesters
from khaojing.intake.codes import new_tracking_code, normalise_tracking_code
from khaojing.intake.media import CheckedImage, store_image
from khaojing.intake.models import Media, Report, ReportStatus, Source
from khaojing.jobs import queue
from khaojing.settings import Settings

TRIAGE_JOB = "triage.report"


@dataclass
class Submission:
    """A report as any channel hands it over, after the channel has parsed its own format."""

    text: str = ""
    urls: Sequence[str] = ()
    images: Sequence[CheckedImage] = ()
    external_id: str | None = None
    idempotency_key: str | None = None
    received_at: dt.datetime | None = None
    language: str = "th"
    requester_kind: str | None = None
    requester_value: str | None = None
    contact_kind: str | None = None
    contact_value: str | None = None
    meta: dict = field(default_factory=dict)


@dataclass
class Accepted:
    report: Report
    created: bool


def get_or_create_source(session: Session, *, kind: str, name: str) -> Source:
    source = session.scalar(select(Source).where(Source.name == name))
    if source is None:
        try:
            with session.begin_nested():
                source = Source(kind=kind, name=name)
                session.add(source)
        except IntegrityError:
            source = session.scalar(select(Source).where(Source.name == name))
            assert source is not None
    return source


def request_fingerprint(sub: Submission) -> str:
    """What makes two deliveries 'the same request' for Idempotency-Key checks."""
    body = {"text": sub.text, "urls": list(sub.urls), "images": [i.sha256 for i in sub.images],
            "external_id": sub.external_id, "language": sub.language,
            "received_at": sub.received_at.isoformat() if sub.received_at else None,
            "requester": [sub.requester_kind, sub.requester_value], "meta": sub.meta}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def _validate(sub: Submission, settings: Settings) -> None:
    size = len(sub.text.encode("utf-8"))
    if size > settings.max_text_bytes:
        raise TooLarge(f"text is {size} bytes; the limit is {settings.max_text_bytes} bytes", key="intake.err.too_long",
                       params={"size": size, "limit": settings.max_text_bytes})
    if not sub.text.strip() and not sub.urls and not sub.images:
        raise Invalid("a report needs a message text, a link or an image", key="intake.err.empty",
                      fields=[{"field": "text", "message": "empty report"}])
    if len(sub.urls) > settings.max_urls_per_report:
        raise Invalid(f"at most {settings.max_urls_per_report} links per report", key="intake.err.too_many_links",
                      params={"limit": settings.max_urls_per_report})
    if len(sub.images) > settings.max_images_per_report:
        raise Invalid(f"at most {settings.max_images_per_report} images per report", key="intake.err.too_many_images",
                      params={"limit": settings.max_images_per_report})


def _find_existing(session: Session, source: Source, sub: Submission) -> Report | None:
    keys = []
    if sub.idempotency_key:
        keys.append(Report.idempotency_key == sub.idempotency_key)
    if sub.external_id:
        keys.append(Report.external_id == sub.external_id)
    if not keys:
        return None
    found = session.scalars(select(Report).where(Report.source_id == source.id, or_(*keys)).limit(2)).all()
    # the Idempotency-Key wins when the two keys point at different reports
    by_key = [r for r in found if sub.idempotency_key and r.idempotency_key == sub.idempotency_key]
    return (by_key or found or [None])[0]


def _replay(existing: Report, sub: Submission, fingerprint: str) -> Accepted:
    if sub.idempotency_key and existing.idempotency_key == sub.idempotency_key \
            and existing.request_hash != fingerprint:
        raise Conflict("this Idempotency-Key was already used for a different request", key="intake.err.key_reused")
    return Accepted(report=existing, created=False)


def accept_report(session: Session, *, settings: Settings, source: Source, sub: Submission,
                  actor: str) -> Accepted:
    """Store one report with its media, requester and triage job, or return the one already stored.

    The caller commits; only then may it answer 2xx. Repeats (same Idempotency-Key or same external id from
    the same source) return the first report, also when they race from several threads or processes.
    """
    _validate(sub, settings)
    fingerprint = request_fingerprint(sub)
    existing = _find_existing(session, source, sub)
    if existing is not None:
        return _replay(existing, sub, fingerprint)
    keep_free = settings.media_keep_free_mb * 2**20
    stored = [(img, store_image(settings.media_dir, img, keep_free_bytes=keep_free)) for img in sub.images]
    for _attempt in range(5):
        try:
            with session.begin_nested():
                report = _insert(session, settings=settings, source=source, sub=sub,
                                 fingerprint=fingerprint, stored=stored, actor=actor)
            return Accepted(report=report, created=True)
        except IntegrityError:
            existing = _find_existing(session, source, sub)
            if existing is not None:  # the same delivery won a race against us
                return _replay(existing, sub, fingerprint)
            # otherwise a tracking-code collision (1 in 10^12): try a new code
    raise Conflict("could not store the report; please retry", key="intake.err.retry")


def _insert(session: Session, *, settings: Settings, source: Source, sub: Submission, fingerprint: str,
            stored: list[tuple[CheckedImage, str]], actor: str) -> Report:
    now = utcnow()
    requester = None
    if sub.requester_value or sub.contact_value:
        kind = sub.requester_kind or sub.contact_kind or "partner_user_id"
        value = sub.requester_value or sub.contact_value or ""
        requester = requesters.get_or_create_requester(session, secret_key=settings.secret_key,
                                                       channel=source.kind, kind=kind, value=value,
                                                       language=sub.language)
        if sub.contact_kind and sub.contact_value:
            requesters.keep_contact(session, requester=requester, kind=sub.contact_kind,
                                    value=sub.contact_value, retention_days=settings.contact_retention_days)
    report = Report(
        tracking_code=new_tracking_code(), source_id=source.id, channel=source.kind,
        external_id=sub.external_id, idempotency_key=sub.idempotency_key, request_hash=fingerprint,
        received_at=sub.received_at.astimezone(dt.UTC) if sub.received_at else now, created_at=now,
        updated_at=now, text=sub.text,
        text_sha256=hashlib.sha256(sub.text.encode("utf-8")).hexdigest(), urls=[str(u) for u in sub.urls],
        language=sub.language, status=ReportStatus.new.value, requester=requester, meta=dict(sub.meta),
    )
    for img, path in stored:
        report.media.append(Media(sha256=img.sha256, content_type=img.content_type, size_bytes=len(img.data),
                                  width=img.width, height=img.height, storage_path=path,
                                  original_name=img.original_name))
    session.add(report)
    session.flush()
    queue.enqueue(session, TRIAGE_JOB, {"report_id": report.id}, priority=50)
    audit.record(session, actor=actor, action="report.accepted", object_type="report", object_id=report.id,
                 data={"channel": report.channel, "source": source.name, "tracking_code": report.tracking_code,
                       "media": len(stored)})
    return report


def get_report(session: Session, report_id: int) -> Report:
    report = session.scalar(select(Report).where(Report.id == report_id)
                            .options(selectinload(Report.media), selectinload(Report.source)))
    if report is None:
        raise NotFound(f"report {report_id} not found", key="intake.err.no_report", params={"report": report_id})
    return report


def get_by_tracking_code(session: Session, raw_code: str) -> Report:
    code = normalise_tracking_code(raw_code)
    report = session.scalar(select(Report).where(Report.tracking_code == code)) if code else None
    if report is None:
        raise NotFound("no report has this tracking code", key="intake.err.no_code")
    return report


@dataclass
class InboxFilter:
    channel: str | None = None
    status: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str | None = None


@dataclass
class Page:
    items: list[Report]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _filtered(stmt: Select, f: InboxFilter, tz: dt.tzinfo) -> Select:
    if f.channel:
        stmt = stmt.where(Report.channel == f.channel)
    if f.status:
        stmt = stmt.where(Report.status == f.status)
    if f.date_from:
        stmt = stmt.where(Report.received_at >= dt.datetime.combine(f.date_from, dt.time(), tz))
    if f.date_to:
        stmt = stmt.where(Report.received_at < dt.datetime.combine(f.date_to + dt.timedelta(days=1),
                                                                   dt.time(), tz))
    if f.q:
        stmt = stmt.where(Report.text.contains(f.q, autoescape=True))
    return stmt


def list_reports(session: Session, *, filters: InboxFilter, page: int = 1, per_page: int = 50,
                 tz: dt.tzinfo = dt.UTC) -> Page:
    page = max(1, page)
    per_page = min(max(1, per_page), 200)
    total = session.scalar(_filtered(select(func.count(Report.id)), filters, tz)) or 0
    items = session.scalars(_filtered(select(Report), filters, tz)
                            .options(selectinload(Report.media))
                            .order_by(Report.received_at.desc(), Report.id.desc())
                            .offset((page - 1) * per_page).limit(per_page)).all()
    return Page(items=list(items), total=total, page=page, per_page=per_page)
