"""PDPA: a data subject's export and erasure of requester data, and the retention job for requesters, takedown
re-check results and evidence files. Case records and evidence stay intact; every erasure is itself audited."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from khaojing.audit import service as audit
from khaojing.cases.models import Case
from khaojing.db.base import utcnow
from khaojing.enforcement import custody
from khaojing.enforcement.models import Evidence, EvidenceFile, TakedownEvent
from khaojing.enforcement.signing import load_key
from khaojing.errors import Invalid, NotFound
from khaojing.intake.media import media_path
from khaojing.intake.models import ContactPoint, Report, Requester
from khaojing.intake.requesters import keyed_hash
from khaojing.settings import Settings
from khaojing.tipline.models import Conversation, InboundEvent

KINDS = ("email", "phone", "line_user_id")
ERASED = "erased-"


def find_requester(session: Session, *, settings: Settings, kind: str | None = None, value: str | None = None,
                   tracking_code: str | None = None) -> Requester:
    """The requester behind a contact (e-mail, phone, LINE user id) or a report's tracking code."""
    requester = None
    if tracking_code:
        report = session.scalar(select(Report).where(Report.tracking_code == tracking_code.strip().upper()))
        requester = session.get(Requester, report.requester_id) if report and report.requester_id else None
    elif kind and value:
        if kind not in KINDS:
            raise Invalid(f"kind must be one of {', '.join(KINDS)}")
        requester = session.scalar(select(Requester).where(
            Requester.key_hash == keyed_hash(settings.secret_key, kind, value)))
    else:
        raise Invalid("give a contact (kind and value) or a tracking code")
    if requester is None:
        raise NotFound("no requester data is held for this person")
    return requester


def export_subject(session: Session, *, requester: Requester, actor: str) -> dict:
    """Everything held about one requester, as JSON-ready data (a subject access request)."""
    reports = session.scalars(select(Report).where(Report.requester_id == requester.id).order_by(Report.id)).all()
    data = {"requester": {"id": requester.id, "channel": requester.channel, "language": requester.language,
                          "notify": requester.notify, "created_at": requester.created_at.isoformat(),
                          "last_seen_at": requester.last_seen_at.isoformat()},
            "contacts": [{"kind": c.kind, "value": c.value, "kept_until": c.expires_at.isoformat()}
                         for c in requester.contacts],
            "reports": [{"tracking_code": r.tracking_code, "received_at": r.received_at.isoformat(),
                         "channel": r.channel, "text": r.text, "urls": r.urls, "status": r.status} for r in reports]}
    audit.record(session, actor=actor, action="privacy.exported", object_type="requester", object_id=requester.id,
                 data={"reports": len(reports), "contacts": len(data["contacts"])})
    return data


def erase_subject(session: Session, *, requester: Requester, actor: str, reason: str) -> dict[str, int]:
    """Remove what identifies the person: contacts, the keyed identifier, chat state and raw LINE events; reports
    are kept (they are part of the case record) but no longer point to the person."""
    if requester.key_hash.startswith(ERASED):
        raise Invalid("this requester's data was already erased")
    rid = requester.id
    counts = {
        "contacts": session.execute(delete(ContactPoint).where(ContactPoint.requester_id == rid)).rowcount or 0,
        "conversations": session.execute(delete(Conversation).where(Conversation.requester_id == rid)).rowcount or 0,
        "line_events": session.execute(update(InboundEvent).where(InboundEvent.requester_id == rid)
                                       .values(requester_id=None, body={}, reply_token=None)).rowcount or 0,
        "reports": session.execute(update(Report).where(Report.requester_id == rid)
                                   .values(requester_id=None)).rowcount or 0,
    }
    requester.key_hash = ERASED + secrets.token_hex(24)  # the old identifier can no longer be matched
    requester.notify = False
    session.expire(requester, ["contacts"])
    audit.record(session, actor=actor, action="privacy.erased", object_type="requester", object_id=rid,
                 data={**counts, "reason": reason[:300]})
    return counts


@dataclass
class RetentionResult:
    requesters: int = 0
    checks: int = 0
    evidence: int = 0
    kept_evidence: list[int] = field(default_factory=list)


def _dispose(session: Session, *, settings: Settings, ev: Evidence, now: dt.datetime) -> None:
    """Delete an item's files (unless another live item holds the same bytes); the record and its log stay."""
    root = custody.evidence_dir(settings)
    for f in session.scalars(select(EvidenceFile).where(EvidenceFile.evidence_id == ev.id)):
        shared = session.scalar(select(EvidenceFile.id).join(Evidence, Evidence.id == EvidenceFile.evidence_id)
                                .where(EvidenceFile.storage_path == f.storage_path, Evidence.id != ev.id,
                                       Evidence.disposed_at.is_(None)).limit(1))
        if shared is None:
            media_path(root, f.storage_path).unlink(missing_ok=True)
    ev.disposed_at = now
    custody.append(session, key=load_key(settings), evidence=ev, actor=audit.SYSTEM, action="dispose",
                   data={"reason": "retention", "days": settings.retention_evidence_days})


def apply_retention(session: Session, *, settings: Settings, now: dt.datetime | None = None) -> RetentionResult:
    now = now or utcnow()
    result = RetentionResult()
    silent = now - dt.timedelta(days=settings.retention_requester_days)
    for requester in session.scalars(select(Requester).where(Requester.last_seen_at < silent,
                                                             Requester.key_hash.not_like(ERASED + "%"))).all():
        erase_subject(session, requester=requester, actor=audit.SYSTEM, reason="retention")
        result.requesters += 1
    cutoff = now - dt.timedelta(days=settings.retention_takedown_checks_days)
    result.checks = session.execute(delete(TakedownEvent).where(TakedownEvent.kind == "check",
                                                                TakedownEvent.at < cutoff)).rowcount or 0
    if settings.retention_evidence_days is not None:
        old = now - dt.timedelta(days=settings.retention_evidence_days)
        for ev in session.scalars(select(Evidence).where(Evidence.captured_at < old,
                                                         Evidence.disposed_at.is_(None))).all():
            case = session.get(Case, ev.case_id) if ev.case_id else None
            if case is not None and case.closed_at is None:
                result.kept_evidence.append(ev.id)  # an open case still needs it
                continue
            _dispose(session, settings=settings, ev=ev, now=now)
            result.evidence += 1
    if result.requesters or result.checks or result.evidence:
        audit.record(session, actor=audit.SYSTEM, action="retention.applied", object_type="retention",
                     data={"requesters": result.requesters, "checks": result.checks, "evidence": result.evidence})
    return result
