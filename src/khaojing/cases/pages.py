"""What the case pages show, gathered while the database session is open (the views stay thin)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from khaojing.accounts.models import Agency, Role, User
from khaojing.cases import collab, deadlines, notified, routing, states, timeline, verdicts
from khaojing.cases.models import AgencyRequest, Attachment, Case, Comment, VerdictVersion
from khaojing.cases.requests import REQUEST_STATES, for_case
from khaojing.cases.service import get_case
from khaojing.claims.models import Claim, Verdict
from khaojing.settings import Settings


def duration(delta: dt.timedelta, *, under_a_minute: str = "case.just_now") -> tuple[str, dict]:
    """A message key and its parameters for a length of time (minutes, hours, days); under a minute, "just now" (a
    time since) or `under_a_minute` (e.g. "case.under_minute" for a time spent), never "0 min"."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 1:
        return under_a_minute, {}
    if minutes < 60:
        return "case.minutes", {"n": minutes}
    if minutes < 48 * 60:
        return "case.hours", {"h": minutes // 60, "m": minutes % 60}
    return "case.days", {"d": minutes // 1440, "h": minutes % 1440 // 60}


@dataclass
class RequestView:
    req: AgencyRequest
    agency: Agency
    files: list[Attachment]
    overdue: bool


@dataclass
class VerdictPanel:
    verdict: Verdict | None
    working: VerdictVersion | None
    versions: list[VerdictVersion]
    can_approve: bool = False
    author: str | None = None
    contributors: list[str] = field(default_factory=list)


@dataclass
class CasePage:
    case: Case
    claim: Claim
    assignee: User | None
    now: dt.datetime
    danger: bool
    overdue: bool
    in_state: tuple[str, dict]
    moves: list[states.Transition]
    people: list[User]
    requests: list[RequestView]
    can_request: bool
    agencies: list[Agency]
    suggestions: list[routing.Suggestion]
    panel: VerdictPanel
    attachments: list[Attachment]
    comments: list[tuple[Comment, str]]
    links: list[tuple[object, int, str]]
    items: list[timeline.Item]
    names: dict[int, str]
    merged_into: Case | None = None
    told: list[notified.Notice] = field(default_factory=list)  # who was told of each published version


def _verdict_panel(session: Session, case: Case, user: User, names: dict[int, str]) -> VerdictPanel:
    verdict = verdicts.verdict_of(session, case.claim_id)
    working = verdicts.working_version(session, case.id)
    versions = verdicts.versions_of(session, verdict.id) if verdict else []
    panel = VerdictPanel(verdict=verdict, working=working, versions=versions)
    if working is not None:
        ids = [working.author_id, *(working.contributor_ids or [])]
        panel.author = names.get(working.author_id) if working.author_id else None
        panel.contributors = [names[i] for i in dict.fromkeys(ids) if i in names and i != working.author_id]
        panel.can_approve = user.role == Role.editor.value and user.id not in ids
    return panel


def case_page(session: Session, *, case_id: int, user: User, settings: Settings, now: dt.datetime) -> CasePage:
    case = get_case(session, case_id)
    claim = session.get(Claim, case.claim_id)
    people = list(session.scalars(select(User).where(User.is_active.is_(True), User.role.in_(
        (Role.analyst.value, Role.editor.value))).order_by(User.display_name)))
    names = {u.id: u.display_name for u in session.scalars(select(User))}
    reqs = for_case(session, case.id)
    agencies = {a.id: a for a in session.scalars(select(Agency).order_by(Agency.name_th))}
    files = collab.attachments_of(session, case.id)
    requests = [RequestView(req=r, agency=agencies[r.agency_id], files=[f for f in files if f.request_id == r.id],
                            overdue=r.status == "sent" and r.due_at <= now) for r in reqs]
    role = user.role if user.role in (Role.analyst.value, Role.editor.value) else None
    moves = states.allowed_from(case.state, role, manual_only=True) if role else []
    links = [(link, other_id, _claim_title(session, other_id)) for link, other_id in collab.links_of(session, case.id)]
    panel = _verdict_panel(session, case, user, names)
    published = panel.verdict if panel.verdict and panel.verdict.published_at else None
    return CasePage(
        case=case, claim=claim, assignee=session.get(User, case.assignee_id) if case.assignee_id else None, now=now,
        danger=deadlines.is_danger(claim, settings), overdue=deadlines.is_overdue(case, now),
        in_state=duration(now - case.state_since), moves=moves, people=people, requests=requests,
        can_request=case.state in REQUEST_STATES, agencies=[a for a in agencies.values() if a.active],
        suggestions=routing.suggest(session, claim=claim, settings=settings),
        panel=panel, attachments=files,
        comments=[(c, names.get(c.author_id, "–")) for c in collab.comments_of(session, case.id)],
        links=links, items=timeline.build(session, case), names=names,
        merged_into=session.get(Case, case.merged_into_id) if case.merged_into_id else None,
        told=notified.notices_of(session, claim_id=claim.id, verdict_id=published.id if published else None))


def _claim_title(session: Session, case_id: int) -> str:
    row = session.execute(select(Claim.title).join(Case, Case.claim_id == Claim.id).where(Case.id == case_id)).first()
    return row[0] if row else ""


def my_cases(session: Session, user: User) -> dict[str, list[tuple[Case, Claim]]]:
    """The user's open cases grouped by state, in workflow order; each group by priority."""
    rows = session.execute(select(Case, Claim).join(Claim, Claim.id == Case.claim_id).where(
        Case.assignee_id == user.id, Case.closed_at.is_(None)).order_by(Claim.priority.desc(), Case.opened_at)).all()
    groups: dict[str, list[tuple[Case, Claim]]] = {s: [] for s in states.OPEN_STATES}
    for case, claim in rows:
        groups.setdefault(case.state, []).append((case, claim))
    return {state: items for state, items in groups.items() if items}


def in_review(session: Session) -> list[tuple[Case, Claim]]:
    return [tuple(r) for r in session.execute(select(Case, Claim).join(Claim, Claim.id == Case.claim_id).where(
        Case.state == states.IN_REVIEW).order_by(Case.state_since))]
