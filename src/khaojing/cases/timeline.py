"""A case's timeline: every event in time order — state changes (with time spent), comments, agency requests
and answers, attachments, and the rest of its audit trail (assignments, links, drafts, deadlines)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from khaojing.accounts.models import Agency, User
from khaojing.audit.models import AuditEvent
from khaojing.cases.models import AgencyRequest, Attachment, Case, CaseStateChange, Comment

# shown from their own tables (with their full text), so their audit events are not repeated
SHOWN_ELSEWHERE = {"case.transition", "case.commented", "case.attachment_added", "case.opened",
                   "agency_request.sent", "agency_request.answered", "agency_request.declined",
                   "agency_request.forwarded"}


@dataclass
class Item:
    at: dt.datetime
    kind: str  # state | comment | request | answer | attachment | event
    key: str  # message key of the line
    actor: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    body: str | None = None
    anchor: str | None = None


def _actor_names(session: Session, actors: set[str]) -> dict[str, str]:
    ids = {int(a.split(":", 1)[1]) for a in actors if a.startswith("user:") and a.split(":", 1)[1].isdigit()}
    names = dict(session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all()) \
        if ids else {}
    return {f"user:{uid}": name for uid, name in names.items()}


def _states(session: Session, case: Case) -> list[Item]:
    rows = session.scalars(select(CaseStateChange).where(CaseStateChange.case_id == case.id)
                           .order_by(CaseStateChange.entered_at, CaseStateChange.id)).all()
    items, previous = [], None
    for row in rows:
        spent = None
        if previous is not None and previous.left_at is not None:
            spent = int((previous.left_at - previous.entered_at).total_seconds() // 60)
        key = "timeline.opened" if row.from_state is None else "timeline.state"
        items.append(Item(at=row.entered_at, kind="state", key=key, actor=row.actor, body=row.reason,
                          params={"from": row.from_state, "to": row.state, "minutes": spent}))
        previous = row
    return items


def _requests(session: Session, case: Case) -> list[Item]:
    items = []
    reqs = session.scalars(select(AgencyRequest).where(AgencyRequest.case_id == case.id)
                           .order_by(AgencyRequest.id)).all()
    names = {row.id: (row.name_th, row.name_en) for row in session.execute(
        select(Agency.id, Agency.name_th, Agency.name_en).where(Agency.id.in_({r.agency_id for r in reqs})))} \
        if reqs else {}
    for req in reqs:
        agency, agency_en = names.get(req.agency_id, ("", None))
        items.append(Item(at=req.sent_at, kind="request", key="timeline.request_sent", body=req.question,
                          actor=f"user:{req.sent_by_id}" if req.sent_by_id else None,
                          params={"agency": agency, "agency_en": agency_en, "request": req.id},
                          anchor=f"request-{req.id}"))
        if req.answered_at and req.status in ("answered", "declined", "forwarded"):
            body = req.answer if req.status == "answered" else req.decline_reason
            items.append(Item(at=req.answered_at, kind="answer", key=f"timeline.request_{req.status}", body=body,
                              actor=f"user:{req.answered_by_id}" if req.answered_by_id else None,
                              params={"agency": agency, "agency_en": agency_en, "request": req.id,
                                      "label": req.proposed_label}))
    return items


def _audit(session: Session, case: Case) -> list[Item]:
    req_ids = [str(i) for i in session.scalars(select(AgencyRequest.id).where(AgencyRequest.case_id == case.id))]
    events = session.scalars(select(AuditEvent).where(or_(
        (AuditEvent.object_type == "case") & (AuditEvent.object_id == str(case.id)),
        (AuditEvent.object_type == "agency_request") & AuditEvent.object_id.in_(req_ids or ["-"]),
        (AuditEvent.object_type == "claim") & (AuditEvent.object_id == str(case.claim_id))
        & AuditEvent.action.in_(("verdict.published", "verdict.notified", "claim.merged", "claim.topic_overridden")),
    )).order_by(AuditEvent.id)).all()
    items = []
    for ev in events:
        if ev.action in SHOWN_ELSEWHERE:
            continue
        data = ev.data or {}
        if ev.action in ("verdict.published", "verdict.notified") and data.get("case_id") not in (None, case.id):
            continue
        items.append(Item(at=ev.at, kind="event", key=f"event.{ev.action}", actor=ev.actor,
                          params={**{k: v for k, v in data.items() if isinstance(v, str | int | float) or v is None},
                                  "id": ev.object_id}))
    return items


def build(session: Session, case: Case) -> list[Item]:
    items = _states(session, case) + _requests(session, case) + _audit(session, case)
    for c in session.scalars(select(Comment).where(Comment.case_id == case.id)):
        items.append(Item(at=c.created_at, kind="comment", key="timeline.comment", body=c.body,
                          actor=f"user:{c.author_id}" if c.author_id else None, anchor=f"comment-{c.id}"))
    for a in session.scalars(select(Attachment).where(Attachment.case_id == case.id)):
        items.append(Item(at=a.created_at, kind="attachment", key="timeline.attachment", actor=a.uploaded_by,
                          params={"name": a.original_name or a.sha256[:12], "id": a.id, "purpose": a.purpose}))
    names = _actor_names(session, {i.actor for i in items if i.actor})
    for item in items:
        if item.actor:
            item.actor = names.get(item.actor, item.actor)
    return sorted(items, key=lambda i: i.at)
