"""Verdicts: draft, submit for review, return, approve and publish (four eyes), correct with a new version."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from khaojing.accounts.models import Agency, Role, User
from khaojing.audit import service as audit
from khaojing.cases import states
from khaojing.cases.models import AgencyAnswer, Attachment, Case, VerdictVersion
from khaojing.cases.requests import web_links
from khaojing.cases.service import get_case, transition
from khaojing.claims import service as claims
from khaojing.claims.models import Verdict
from khaojing.db.base import utcnow
from khaojing.errors import Conflict, Invalid, InvalidTransition
from khaojing.jobs import queue
from khaojing.settings import Settings

PUBLISHED_JOB = "publication.verdict_published"
DRAFT, IN_REVIEW, PUBLISHED, SUPERSEDED = "draft", "in_review", "published", "superseded"
MAX_TEXT = 20000
MAX_STATEMENTS = 20


@dataclass
class DraftIn:
    label: str
    headline: str
    claim_text: str
    explanation: str
    source_urls: list[str] = field(default_factory=list)
    statements: list[str] = field(default_factory=list)  # agency statements, quoted
    document_ids: list[int] = field(default_factory=list)  # case attachments cited as documents
    agency_id: int | None = None
    reason: str | None = None  # why a correction changes the published verdict


def _clean(value: str | None, name: str, *, required: bool) -> str:
    text = (value or "").replace("\x00", "").strip()
    if required and not text:
        raise Invalid(f"the {name} is required", key="err.field_required", params={"field_key": f"field.{name}"},
                      fields=[{"field": name, "message": "required"}])
    if len(text) > MAX_TEXT:
        raise Invalid(f"the {name} is too long", key="err.field_long", params={"field_key": f"field.{name}"},
                      fields=[{"field": name, "message": "long"}])
    return text


def _sources(session: Session, case: Case, data: DraftIn) -> list[dict]:
    sources = [{"kind": "url", "url": url} for url in web_links(data.source_urls, "source_urls")]
    statements = [s.strip()[:2000] for s in data.statements if s and s.strip()]
    if len(statements) > MAX_STATEMENTS:
        raise Invalid("too many statements", key="err.statements_many",
                      fields=[{"field": "statements", "message": "too many"}])
    sources += [{"kind": "agency_statement", "text": s} for s in statements]
    for att_id in dict.fromkeys(data.document_ids):
        att = session.get(Attachment, att_id)
        if att is None or att.case_id != case.id:
            raise Invalid("a cited document is not attached to this case", key="err.doc_unknown",
                          fields=[{"field": "document_ids", "message": "unknown"}])
        sources.append({"kind": "document", "attachment_id": att.id, "name": att.original_name or att.sha256[:12]})
    return sources


def verdict_of(session: Session, claim_id: int) -> Verdict | None:
    return session.scalar(select(Verdict).where(Verdict.claim_id == claim_id))


def versions_of(session: Session, verdict_id: int) -> list[VerdictVersion]:
    return list(session.scalars(select(VerdictVersion).where(VerdictVersion.verdict_id == verdict_id)
                                .order_by(VerdictVersion.version.desc())))


def working_version(session: Session, case_id: int) -> VerdictVersion | None:
    """The version this case is writing: a draft, or one waiting for review."""
    return session.scalar(select(VerdictVersion).where(VerdictVersion.case_id == case_id,
                                                       VerdictVersion.status.in_((DRAFT, IN_REVIEW))))


def _mirror(verdict: Verdict, version: VerdictVersion) -> None:
    for name in ("label", "headline", "claim_text", "explanation", "sources", "agency_id", "author_id",
                 "approver_id", "version"):
        setattr(verdict, name, getattr(version, name))


def _history_of_unversioned(session: Session, verdict: Verdict) -> None:
    """A verdict published before versions existed (imported, demo) gets its version 1 recorded first."""
    if verdict.published_at is None or session.scalar(select(VerdictVersion.id).where(
            VerdictVersion.verdict_id == verdict.id)) is not None:
        return
    session.add(VerdictVersion(verdict_id=verdict.id, case_id=verdict.case_id, version=verdict.version or 1,
                               status=PUBLISHED, label=verdict.label, headline=verdict.headline,
                               claim_text=verdict.claim_text or "", explanation=verdict.explanation or "",
                               sources=list(verdict.sources or []), agency_id=verdict.agency_id,
                               author_id=verdict.author_id, approver_id=verdict.approver_id,
                               contributor_ids=[i for i in (verdict.author_id,) if i],
                               published_at=verdict.published_at, created_at=verdict.created_at))
    session.flush()


def save_draft(session: Session, *, case_id: int, data: DraftIn, actor: User, settings: Settings,
               now: dt.datetime | None = None) -> VerdictVersion:
    """Write or edit the case's verdict draft; a published verdict gets a new version (a correction, with why)."""
    now = now or utcnow()
    case = get_case(session, case_id)
    if case.state != states.DRAFTING:
        raise InvalidTransition(f"case #{case.id} is {case.state}: move it to drafting to write the verdict",
                                key="err.verdict_state", params={"case": case.id, "state_key": f"state.{case.state}"})
    if not (data.label or "").strip():
        raise Invalid("choose a verdict", key="err.choose_label", fields=[{"field": "label", "message": "required"}])
    if data.label not in {label.key for label in settings.verdict_labels}:
        raise Invalid(f"unknown verdict label {data.label!r}", key="err.label_unknown",
                      fields=[{"field": "label", "message": "unknown"}])
    if data.agency_id is not None and session.get(Agency, data.agency_id) is None:
        raise Invalid("unknown verifying agency", key="err.verdict_agency",
                      fields=[{"field": "agency_id", "message": "unknown"}])
    fields = {"label": data.label, "headline": _clean(data.headline, "headline", required=True),
              "claim_text": _clean(data.claim_text, "claim_text", required=True),
              "explanation": _clean(data.explanation, "explanation", required=True),
              "sources": _sources(session, case, data), "agency_id": data.agency_id}
    verdict = verdict_of(session, case.claim_id)
    version = working_version(session, case.id)
    if verdict is None:
        verdict = Verdict(claim_id=case.claim_id, case_id=case.id, version=1, created_at=now, **fields)
        session.add(verdict)
        session.flush()
    else:
        _history_of_unversioned(session, verdict)
    if version is None:
        latest = max((v.version for v in versions_of(session, verdict.id)), default=0)
        correcting = verdict.published_at is not None
        reason = _clean(data.reason, "reason", required=correcting) or None
        version = VerdictVersion(verdict_id=verdict.id, case_id=case.id, version=latest + 1, status=DRAFT,
                                 author_id=actor.id, contributor_ids=[], reason=reason, created_at=now, **fields)
        session.add(version)
    else:
        for name, value in fields.items():
            setattr(version, name, value)
        if data.reason is not None and verdict.published_at is not None:
            version.reason = _clean(data.reason, "reason", required=True)
    if actor.id not in (version.contributor_ids or []):
        version.contributor_ids = [*(version.contributor_ids or []), actor.id]
    session.flush()
    if verdict.published_at is None:
        _mirror(verdict, version)
        verdict.case_id = case.id
    audit.record(session, actor=audit.user_actor(actor.id), action="verdict.draft_saved", object_type="case",
                 object_id=case.id, data={"verdict_id": verdict.id, "version": version.version,
                                          "label": version.label})
    return version


def submit(session: Session, *, case_id: int, actor: User, now: dt.datetime | None = None) -> VerdictVersion:
    now = now or utcnow()
    version = working_version(session, case_id)
    transition(session, case_id=case_id, to_state=states.IN_REVIEW, actor=actor, now=now)
    assert version is not None  # the transition's guard checked that a draft exists
    version.status, version.submitted_at = IN_REVIEW, now
    return version


def send_back(session: Session, *, case_id: int, actor: User, reason: str,
              now: dt.datetime | None = None) -> VerdictVersion:
    """The reviewing editor returns the draft to its author with what to change."""
    version = working_version(session, case_id)
    if version is None or version.status != IN_REVIEW or get_case(session, case_id).state != states.IN_REVIEW:
        raise InvalidTransition(f"case #{case_id} has no verdict waiting for review", key="err.no_review",
                                params={"case": case_id})
    transition(session, case_id=case_id, to_state=states.DRAFTING, actor=actor, reason=reason, now=now)
    version.status = DRAFT
    return version


class FourEyes(Conflict):
    """The approver wrote or edited the verdict (409)."""

    key = "err.four_eyes"
    message_th = "หลักสี่ตา: ผู้อนุมัติต้องไม่ใช่ผู้เขียนหรือผู้แก้ไขร่างผลการตรวจสอบ"
    message_en = "Four eyes: the approver cannot be an author or editor of the draft"


def check_four_eyes(version: VerdictVersion, approver: User) -> None:
    if approver.id == version.author_id or approver.id in (version.contributor_ids or []):
        raise FourEyes("four eyes: you wrote or edited this verdict, so another editor must approve it")


def approve_and_publish(session: Session, *, case_id: int, actor: User, settings: Settings,
                        now: dt.datetime | None = None) -> VerdictVersion:
    """An editor who did not write it approves the verdict: it is published, the claim is verified, the
    matching indexes are told, and the publication job is queued."""
    now = now or utcnow()
    case = get_case(session, case_id, for_update=True)
    version = working_version(session, case.id)
    if Role(actor.role) != Role.editor:
        raise InvalidTransition("only an editor approves and publishes a verdict", key="err.approve_role")
    if version is None or version.status != IN_REVIEW or case.state != states.IN_REVIEW:
        raise InvalidTransition(f"case #{case.id} has no verdict waiting for review", key="err.no_review",
                                params={"case": case.id})
    check_four_eyes(version, actor)
    version.approver_id = actor.id
    session.flush()
    transition(session, case_id=case.id, to_state=states.PUBLISHED, actor=actor, now=now, close_reason="published",
               data={"verdict_version": version.version})
    verdict = session.get(Verdict, version.verdict_id)
    for old in session.scalars(select(VerdictVersion).where(VerdictVersion.verdict_id == verdict.id,
                                                            VerdictVersion.status == PUBLISHED)):
        old.status = SUPERSEDED
    version.status, version.published_at = PUBLISHED, now
    _mirror(verdict, version)
    verdict.published_at, verdict.case_id = now, case.id
    claim = claims.get_claim(session, case.claim_id)
    claim.status = claims.VERIFIED
    claims.log_change(session, claim.id)
    if version.agency_id:
        _remember_answer(session, verdict, version, claim.topic, now)
    audit.record(session, actor=audit.user_actor(actor.id), action="verdict.published", object_type="claim",
                 object_id=claim.id, data={"verdict_id": verdict.id, "version": version.version,
                                           "label": version.label, "case_id": case.id, "reason": version.reason})
    queue.enqueue(session, PUBLISHED_JOB, {"claim_id": claim.id, "verdict_id": verdict.id,
                                           "version": version.version, "case_id": case.id},
                  dedupe_key=f"verdict:{verdict.id}:v{version.version}:published")
    return version


def _remember_answer(session: Session, verdict: Verdict, version: VerdictVersion, topic: str | None,
                     now: dt.datetime) -> None:
    """The verifying agency answered this claim: routing learns from it."""
    ref = f"verdict:{verdict.id}"
    row = session.scalar(select(AgencyAnswer).where(AgencyAnswer.ref == ref))
    if row is None:
        session.add(AgencyAnswer(agency_id=version.agency_id, topic=topic, title=verdict.claim.title[:2000],
                                 ref=ref, answered_at=now, origin="verdict"))
    else:
        row.agency_id, row.topic = version.agency_id, topic


def reopen(session: Session, *, case_id: int, actor: User, reason: str, now: dt.datetime | None = None) -> Case:
    """Open a published case again to correct its verdict; the published version stays public until then."""
    return transition(session, case_id=case_id, to_state=states.REOPENED, actor=actor, reason=reason, now=now)
