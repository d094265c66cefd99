"""Agency requests: send a question to agencies, and the agency's side — answer, decline, or forward it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from khaojing.accounts.models import Agency, Role, User
from khaojing.audit import service as audit
from khaojing.cases import deadlines, mail, states
from khaojing.cases.collab import add_attachment
from khaojing.cases.files import CheckedFile
from khaojing.cases.models import AgencyRequest, Attachment, Case
from khaojing.cases.notices import notify, users_with_role
from khaojing.cases.service import get_case, transition
from khaojing.db.base import utcnow
from khaojing.errors import Conflict, Forbidden, Invalid, NotFound
from khaojing.settings import Settings

SENT, ANSWERED, DECLINED, FORWARDED, WITHDRAWN = "sent", "answered", "declined", "forwarded", "withdrawn"
REQUEST_STATES = (states.INVESTIGATING, states.AWAITING_AGENCY, states.DRAFTING, states.REOPENED)
MAX_TEXT = 8000
MAX_LINKS = 20
MAX_DUE_DAYS = 30
MAX_ID = 2**63 - 1


@dataclass
class RequestIn:
    agency_ids: list[int]
    question: str
    claim_text: str = ""
    evidence_links: list[str] = field(default_factory=list)
    due_at: dt.datetime | None = None
    files: list[CheckedFile] = field(default_factory=list)


def _text(value: str | None, name: str, *, required: bool = True) -> str:
    text = (value or "").replace("\x00", "").strip()
    if required and not text:
        raise Invalid(f"the {name} is required", key="err.field_required", params={"field_key": f"field.{name}"},
                      fields=[{"field": name, "message": "required"}])
    if len(text) > MAX_TEXT:
        raise Invalid(f"the {name} is longer than {MAX_TEXT} characters", key="err.field_long_max",
                      params={"field_key": f"field.{name}", "max": MAX_TEXT},
                      fields=[{"field": name, "message": "long"}])
    return text


def web_links(values: Sequence[str], name: str = "evidence_links") -> list[str]:
    links = [v.strip() for v in values if v and v.strip()]
    if len(links) > MAX_LINKS:
        raise Invalid(f"at most {MAX_LINKS} links", key="err.links_many", params={"max": MAX_LINKS},
                      fields=[{"field": name, "message": "too many"}])
    for link in links:
        parts = urlsplit(link)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc or len(link) > 2000:
            raise Invalid(f"not a web link: {link[:80]}", key="err.link_bad", params={"link": link[:80]},
                          fields=[{"field": name, "message": "http(s) only"}])
    return list(dict.fromkeys(links))


def routable_agency(session: Session, agency_id: int, *, field: str = "agency_ids",
                    key: str = "err.agency_choose") -> Agency:
    """The agency a form chose, refused under its field when none is chosen or the option is stale (a page loaded
    before the agency was removed) or when it cannot be routed to yet."""
    agency = session.get(Agency, agency_id) if 0 < agency_id <= MAX_ID else None
    if agency is None:
        raise Invalid(f"agency {agency_id} does not exist: choose one from the list", key=key,
                      fields=[{"field": field, "message": "choose an agency"}])
    if not agency.active:
        raise Invalid(f"{agency.name_th} is not active for routing yet: an administrator must record its two "
                      "liaison officers first", key="err.agency_inactive",
                      params={"agency": agency.name_th, "agency_en": agency.name_en},
                      fields=[{"field": "agency_ids", "message": "agency not active"}])
    return agency


def _announce(session: Session, settings: Settings, req: AgencyRequest, agency: Agency, now: dt.datetime) -> None:
    officers = users_with_role(session, Role.agency_officer, agency_id=agency.id)
    notify(session, [u.id for u in officers], "notice.request_new", {"request": req.id},
           url=f"/console/agency/requests/{req.id}", now=now)
    due_th, due_en = mail.when(req.due_at, settings)
    mail.enqueue(session, settings, to=mail.agency_recipients(agency, officers), key="mail.request_new",
                 dedupe=f"request:{req.id}:new", request=req.id, agency=agency.name_th,
                 claim=req.claim_text[:500], question=req.question[:2000], due_th=due_th, due_en=due_en,
                 url=deadlines.portal_url(settings, req.id))


def send_requests(session: Session, *, case_id: int, data: RequestIn, actor: User, settings: Settings,
                  now: dt.datetime | None = None) -> list[AgencyRequest]:
    """One request per agency (with the same question, evidence and due time); the case then awaits the agency."""
    now = now or utcnow()
    case = get_case(session, case_id)
    if case.state not in REQUEST_STATES:
        raise Conflict(f"case #{case.id} is {case.state}: requests are sent while investigating or drafting",
                       key="req.not_now")
    question = _text(data.question, "question")
    claim_text = _text(data.claim_text, "claim_text", required=False)
    links = web_links(data.evidence_links)
    due = data.due_at or deadlines.answer_due(settings, now)
    if due <= now or due > now + dt.timedelta(days=MAX_DUE_DAYS):
        raise Invalid(f"the answer is due after now and within {MAX_DUE_DAYS} days", key="err.due_range",
                      params={"days": MAX_DUE_DAYS}, fields=[{"field": "due_at", "message": "out of range"}])
    ids = list(dict.fromkeys(data.agency_ids))
    if not ids:
        raise Invalid("choose at least one agency", key="err.choose_agency",
                      fields=[{"field": "agency_ids", "message": "required"}])
    agencies = [routable_agency(session, aid) for aid in ids]
    pending = set(session.scalars(select(AgencyRequest.agency_id).where(
        AgencyRequest.case_id == case.id, AgencyRequest.status == SENT, AgencyRequest.agency_id.in_(ids))))
    if pending:
        names = ", ".join(a.name_th for a in agencies if a.id in pending)
        names_en = ", ".join(a.name_en or a.name_th for a in agencies if a.id in pending)
        raise Conflict(f"a request to {names} is still waiting for an answer on this case", key="err.req_pending",
                       params={"agencies": names, "agencies_en": names_en})
    made = []
    for agency in agencies:
        req = AgencyRequest(case_id=case.id, agency_id=agency.id, claim_text=claim_text, question=question,
                            evidence_links=links, sent_by_id=actor.id, sent_at=now, due_at=due)
        session.add(req)
        session.flush()
        for checked in data.files:
            add_attachment(session, case_id=case.id, checked=checked, settings=settings,
                           actor=audit.user_actor(actor.id), purpose="evidence", request_id=req.id, now=now)
        audit.record(session, actor=audit.user_actor(actor.id), action="agency_request.sent",
                     object_type="agency_request", object_id=req.id,
                     data={"case_id": case.id, "agency_id": agency.id, "due_at": due})
        _announce(session, settings, req, agency, now)
        made.append(req)
    if case.state == states.INVESTIGATING:  # no reason text: the timeline shows each request, in the reader's language
        transition(session, case_id=case.id, to_state=states.AWAITING_AGENCY, actor=actor, now=now)
    return made


def get_request(session: Session, request_id: int) -> AgencyRequest:
    req = session.get(AgencyRequest, request_id) if 0 < request_id <= MAX_ID else None
    if req is None:
        raise NotFound(f"request {request_id} not found")
    return req


def request_for_officer(session: Session, request_id: int, officer: User) -> AgencyRequest:
    """The request if it was sent to the officer's agency; anything else is refused (and audited by the view)."""
    req = get_request(session, request_id)
    if officer.role != Role.agency_officer.value or officer.agency_id is None or req.agency_id != officer.agency_id:
        raise Forbidden("this request was sent to another agency", key="err.req_other_agency")
    return req


def _open_for_answer(req: AgencyRequest) -> None:
    if req.status != SENT:
        raise Conflict(f"request #{req.id} is already {req.status}", key="err.req_closed",
                       params={"request": req.id, "status_key": f"req.{req.status}"})


def _tell_center(session: Session, req: AgencyRequest, key: str, now: dt.datetime, **params: object) -> None:
    case = session.get(Case, req.case_id)
    notify(session, [req.sent_by_id, case.assignee_id if case else None], key,
           {"request": req.id, "case": req.case_id, **params}, url=f"/console/cases/{req.case_id}", now=now)


def answer(session: Session, *, request_id: int, officer: User, text: str, proposed_label: str | None,
           files: Sequence[CheckedFile], settings: Settings, now: dt.datetime | None = None) -> AgencyRequest:
    now = now or utcnow()
    req = request_for_officer(session, request_id, officer)
    _open_for_answer(req)
    labels = {label.key for label in settings.verdict_labels}
    if proposed_label and proposed_label not in labels:
        raise Invalid(f"unknown verdict label {proposed_label!r}", key="err.label_unknown",
                      fields=[{"field": "proposed_label", "message": "unknown"}])
    req.answer = _text(text, "answer")
    req.proposed_label = proposed_label or None
    req.status, req.answered_at, req.answered_by_id = ANSWERED, now, officer.id
    actor = audit.user_actor(officer.id)
    for checked in files:
        add_attachment(session, case_id=req.case_id, checked=checked, settings=settings, actor=actor,
                       purpose="answer", request_id=req.id, now=now)
    audit.record(session, actor=actor, action="agency_request.answered", object_type="agency_request",
                 object_id=req.id, data={"case_id": req.case_id, "proposed_label": req.proposed_label,
                                         "files": len(files)})
    _tell_center(session, req, "notice.request_answered", now, agency=req.agency.name_th,
                 agency_en=req.agency.name_en)
    return req


def decline(session: Session, *, request_id: int, officer: User, reason: str,
            now: dt.datetime | None = None) -> AgencyRequest:
    now = now or utcnow()
    req = request_for_officer(session, request_id, officer)
    _open_for_answer(req)
    req.decline_reason = _text(reason, "reason")
    req.status, req.answered_at, req.answered_by_id = DECLINED, now, officer.id
    audit.record(session, actor=audit.user_actor(officer.id), action="agency_request.declined",
                 object_type="agency_request", object_id=req.id, data={"case_id": req.case_id})
    _tell_center(session, req, "notice.request_declined", now, agency=req.agency.name_th,
                 agency_en=req.agency.name_en)
    return req


def forward(session: Session, *, request_id: int, officer: User, to_agency_id: int, note: str,
            settings: Settings, now: dt.datetime | None = None) -> AgencyRequest:
    """The subject belongs to another agency: a new request goes there (same question and evidence, a fresh
    due time), and this one is closed as forwarded."""
    now = now or utcnow()
    req = request_for_officer(session, request_id, officer)
    _open_for_answer(req)
    if to_agency_id == req.agency_id:
        raise Invalid("forward to another agency", key="err.forward_same",
                      fields=[{"field": "to_agency_id", "message": "same agency"}])
    target = routable_agency(session, to_agency_id, field="to_agency_id", key="err.forward_choose")
    note = _text(note, "note", required=False)
    req.status, req.answered_at, req.answered_by_id = FORWARDED, now, officer.id
    req.decline_reason = note or None
    new = AgencyRequest(case_id=req.case_id, agency_id=target.id, claim_text=req.claim_text,
                        question=req.question, evidence_links=list(req.evidence_links or []),
                        sent_by_id=req.sent_by_id, sent_at=now, due_at=deadlines.answer_due(settings, now),
                        forwarded_from_id=req.id)
    session.add(new)
    session.flush()
    for att in session.scalars(select(Attachment).where(Attachment.request_id == req.id,
                                                        Attachment.purpose == "evidence")):
        session.add(Attachment(case_id=att.case_id, request_id=new.id, purpose="evidence", sha256=att.sha256,
                               content_type=att.content_type, size_bytes=att.size_bytes,
                               storage_path=att.storage_path, original_name=att.original_name,
                               uploaded_by=att.uploaded_by, created_at=now))
    audit.record(session, actor=audit.user_actor(officer.id), action="agency_request.forwarded",
                 object_type="agency_request", object_id=req.id,
                 data={"case_id": req.case_id, "to_agency_id": target.id, "new_request": new.id})
    _announce(session, settings, new, target, now)
    _tell_center(session, req, "notice.request_forwarded", now, agency=req.agency.name_th,
                 agency_en=req.agency.name_en, to=target.name_th, to_en=target.name_en)
    return new


def withdraw(session: Session, *, request_id: int, actor: User, now: dt.datetime | None = None) -> AgencyRequest:
    """The center no longer needs the answer (found elsewhere, case dismissed)."""
    req = get_request(session, request_id)
    _open_for_answer(req)
    req.status, req.answered_at = WITHDRAWN, now or utcnow()
    audit.record(session, actor=audit.user_actor(actor.id), action="agency_request.withdrawn",
                 object_type="agency_request", object_id=req.id, data={"case_id": req.case_id})
    return req


def for_agency(session: Session, agency_id: int, *, limit: int = 200) -> list[AgencyRequest]:
    """An agency's requests: waiting ones first (soonest due first), then the rest, latest first."""
    base = select(AgencyRequest).where(AgencyRequest.agency_id == agency_id)
    waiting = session.scalars(base.where(AgencyRequest.status == SENT).order_by(AgencyRequest.due_at).limit(limit))
    done = session.scalars(base.where(AgencyRequest.status != SENT).order_by(AgencyRequest.id.desc()).limit(limit))
    return [*waiting, *done][:limit]


def for_case(session: Session, case_id: int) -> list[AgencyRequest]:
    return list(session.scalars(select(AgencyRequest).where(AgencyRequest.case_id == case_id)
                                .order_by(AgencyRequest.id)))
