"""Console pages for claims: the priority queue, claim detail, merge, split, topic override."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from khaojing.accounts.models import User
from khaojing.accounts.service import STAFF
from khaojing.audit.models import AuditEvent
from khaojing.audit.service import events_for, user_actor
from khaojing.claims import messages  # noqa: F401  (registers the texts)
from khaojing.claims import service as claims
from khaojing.claims.models import Claim, Verdict
from khaojing.claims.service import DISMISSED, MERGED, OPEN, VERIFIED, get_claim
from khaojing.db.session import Database
from khaojing.errors import Conflict, DomainError, Invalid, NotFound, reason
from khaojing.intake.models import Report
from khaojing.web.deps import get_db, require
from khaojing.web.panels import Panels
from khaojing.web.security import request_language, verify_csrf
from khaojing.web.templating import render

router = APIRouter()
staff = require(*STAFF)

PER_PAGE = 50
REPORTS_PER_PAGE = 100
MAX_PAGE = 100_000
MAX_QUERY = 200
MAX_TITLE = 2000
MAX_ID = 2**63 - 1
MAX_MERGE = 50
STATUSES = (OPEN, VERIFIED, DISMISSED, MERGED)
ALL = "all"
HARM_STEPS = (25, 50, 75)
NOTICE_KEY = "claims_notice"
_ID = re.compile(r"#?(\d{1,18})")
# panels that later stages add to the claim page, built with (session, claim, user): see web.panels.Panels
CLAIM_PANELS = Panels()


@dataclass
class ClaimFilter:
    topic: str | None = None
    status: str | None = OPEN  # None: every status
    min_harm: int | None = None  # percent: danger to life or to property at least this high
    q: str | None = None


@dataclass
class ClaimsQuery:
    """The queue's query string, checked: values that do not fit are dropped and named in `ignored`."""

    filters: ClaimFilter
    page: int = 1
    ignored: list[str] = field(default_factory=list)

    def params(self) -> dict[str, str]:
        f = self.filters
        raw = {"topic": f.topic, "status": ALL if f.status is None else (None if f.status == OPEN else f.status),
               "harm": str(f.min_harm) if f.min_harm else None, "q": f.q}
        return {k: v for k, v in raw.items() if v}

    def page_url(self, page: int) -> str:
        params = self.params() | ({"page": str(page)} if page > 1 else {})
        return "/console/claims" + (f"?{urlencode(params)}" if params else "")


def _page(raw: str) -> int:
    return min(max(int(raw), 1), MAX_PAGE) if raw.isdigit() and len(raw) < 10 else 1


def parse_claims_query(params: Mapping[str, str], topics: list[str]) -> ClaimsQuery:
    query = ClaimsQuery(filters=ClaimFilter(), page=_page(params.get("page", "1")))
    f = query.filters
    topic = params.get("topic", "")
    if topic in topics:
        f.topic = topic
    elif topic:
        query.ignored.append("claims.topic")
    status = params.get("status", "")
    if status in STATUSES or status == ALL:
        f.status = None if status == ALL else status
    elif status:
        query.ignored.append("claims.status")
    harm = params.get("harm", "")
    if harm.isdigit() and len(harm) < 4 and 0 <= int(harm) <= 100:
        f.min_harm = int(harm) or None
    elif harm:
        query.ignored.append("claims.min_harm")
    f.q = params.get("q", "").replace("\x00", "").strip()[:MAX_QUERY] or None
    return query


@dataclass
class ClaimPage:
    items: list[Claim]
    total: int
    page: int
    per_page: int
    verdicts: dict[int, Verdict] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _filtered(stmt: Select, f: ClaimFilter) -> Select:
    if f.status:
        stmt = stmt.where(Claim.status == f.status)
    if f.topic:
        stmt = stmt.where(Claim.topic == f.topic)
    if f.min_harm:
        level = f.min_harm / 100
        stmt = stmt.where(or_(Claim.harm["life"].as_float() >= level, Claim.harm["property"].as_float() >= level))
    if f.q:
        match = Claim.title.contains(f.q, autoescape=True)
        number = _ID.fullmatch(f.q)
        stmt = stmt.where(or_(match, Claim.id == int(number.group(1))) if number else match)
    return stmt


def verdicts_for(session: Session, claim_ids: list[int]) -> dict[int, Verdict]:
    if not claim_ids:
        return {}
    return {v.claim_id: v for v in session.scalars(select(Verdict).where(Verdict.claim_id.in_(claim_ids)))}


def list_claims(session: Session, *, filters: ClaimFilter, page: int = 1, per_page: int = PER_PAGE) -> ClaimPage:
    """Claims by priority (highest first), then the most recently seen."""
    total = session.scalar(_filtered(select(func.count(Claim.id)), filters)) or 0
    items = list(session.scalars(_filtered(select(Claim), filters)
                                 .order_by(Claim.priority.desc(), Claim.last_seen_at.desc(), Claim.id.desc())
                                 .offset((page - 1) * per_page).limit(per_page)))
    return ClaimPage(items=items, total=total, page=page, per_page=per_page,
                     verdicts=verdicts_for(session, [c.id for c in items]))


def harm_of(claim: Claim) -> dict[str, Any]:
    """The claim's harm scores and reasons, tolerating missing or odd values."""
    raw = claim.harm if isinstance(claim.harm, dict) else {}

    def score(key: str) -> float | None:
        value = raw.get(key)
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None

    reasons = raw.get("reasons")
    reasons = [r for r in reasons if isinstance(r, dict)] if isinstance(reasons, list) else []
    return {"life": score("life"), "property": score("property"), "reasons": reasons}


def reasons_of(claim: Claim) -> list[dict]:
    return [r for r in (claim.priority_reasons or []) if isinstance(r, dict)]


@router.get("/claims")
def claims_queue(request: Request, user: User = Depends(staff), db: Database = Depends(get_db)) -> Response:
    settings = request.app.state.settings
    query = parse_claims_query(request.query_params, [tp.key for tp in settings.topics])
    with db.unit_of_work(readonly=True) as session:
        page = list_claims(session, filters=query.filters, page=query.page)
        if not page.items and page.page > page.pages:  # past the end (e.g. an old link): show the last page
            query.page = page.pages
            page = list_claims(session, filters=query.filters, page=query.page)
    return render(request, "console/claims.html", {"active": "claims", "query": query, "page": page,
                                                   "statuses": STATUSES, "harm_steps": HARM_STEPS,
                                                   "reasons_of": reasons_of, "harm_of": harm_of})


@dataclass
class ReportsQuery:
    """Paging of one claim's report list (the pager partial needs `page_url`)."""

    claim_id: int
    page: int = 1

    def page_url(self, page: int) -> str:
        return f"/console/claims/{self.claim_id}" + (f"?page={page}" if page > 1 else "")


@dataclass
class ClaimView:
    """What the claim page shows, gathered while the database session is open."""

    claim: Claim
    harm: dict[str, Any]
    reasons: list[dict]
    verdict: Verdict | None
    reports: ClaimPage
    events: list[AuditEvent]
    merged_into: Claim | None = None
    panels: list[dict] = field(default_factory=list)  # what later stages add (CLAIM_PANELS)


def claim_view(session: Session, claim_id: int, page: int = 1, user: User | None = None) -> ClaimView:
    if claim_id > MAX_ID:
        raise NotFound(f"claim {claim_id} not found")
    claim = get_claim(session, claim_id)
    total = session.scalar(select(func.count(Report.id)).where(Report.claim_id == claim.id)) or 0
    page = min(page, max(1, -(-total // REPORTS_PER_PAGE)))
    reports = list(session.scalars(select(Report).where(Report.claim_id == claim.id)
                                   .order_by(Report.received_at.desc(), Report.id.desc())
                                   .offset((page - 1) * REPORTS_PER_PAGE).limit(REPORTS_PER_PAGE)))
    merged_into = session.get(Claim, claim.merged_into_id) if claim.merged_into_id else None
    return ClaimView(claim=claim, harm=harm_of(claim), reasons=reasons_of(claim),
                     verdict=verdicts_for(session, [claim.id]).get(claim.id),
                     reports=ClaimPage(items=reports, total=total, page=page, per_page=REPORTS_PER_PAGE),
                     events=events_for(session, object_type="claim", object_id=claim.id), merged_into=merged_into,
                     panels=CLAIM_PANELS.build(session, claim, user) if user is not None else [])


def _claim_page(request: Request, db: Database, user: User, claim_id: int, *, page: int = 1,
                notice: dict | None = None, error: str | None = None, form: dict | None = None,
                status_code: int = 200) -> Response:
    with db.unit_of_work(readonly=True) as session:
        view = claim_view(session, claim_id, page, user)
    context = {"active": "claims", "view": view, "c": view.claim, "query": ReportsQuery(claim_id, view.reports.page),
               "notice": notice, "error": error, "form": form or {}}
    return render(request, "console/claim.html", context, status_code=status_code)


@router.get("/claims/{claim_id:int}")
def claim_detail(claim_id: int, request: Request, user: User = Depends(staff),
                 db: Database = Depends(get_db)) -> Response:
    notice = request.session.get(NOTICE_KEY)
    if isinstance(notice, dict) and notice.get("claim") == claim_id:
        request.session.pop(NOTICE_KEY)
    else:
        notice = None
    return _claim_page(request, db, user, claim_id, page=_page(request.query_params.get("page", "1")), notice=notice)


def _refusal(request: Request, exc: DomainError) -> str:
    return reason(exc, request_language(request))


def _check_id(claim_id: int) -> None:
    if claim_id > MAX_ID:
        raise NotFound(f"claim {claim_id} not found")


def _write(request: Request, db: Database, user: User, claim_id: int, action: Callable[[Session], dict],
           form: dict) -> Response:
    """Run `action(session)` in one unit of work, then go back to the claim with the notice it returns.

    A refused change (Invalid, Conflict) is rolled back whole and the page is shown again with the reason.
    """
    _check_id(claim_id)
    try:
        with db.unit_of_work() as session:
            get_claim(session, claim_id)  # an unknown claim in the address is a 404, not a form error
            notice = action(session)
    except (Invalid, Conflict) as exc:
        return _claim_page(request, db, user, claim_id, error=_refusal(request, exc), form=form,
                           status_code=exc.status_code)
    request.session[NOTICE_KEY] = {"claim": claim_id, **notice}
    return RedirectResponse(f"/console/claims/{claim_id}", status_code=303)


@router.post("/claims/{claim_id:int}/topic", dependencies=[Depends(verify_csrf)])
def claim_topic(claim_id: int, request: Request, topic: str = Form(""), user: User = Depends(staff),
                db: Database = Depends(get_db)) -> Response:
    topics = [tp.key for tp in request.app.state.settings.topics]

    def action(session: Session) -> dict:
        if topic not in topics:
            raise Invalid(f"unknown topic {topic[:40]!r}", key="claim.bad_topic")
        claims.override_topic(session, claim_id=claim_id, topic=topic, valid_topics=topics, actor=user_actor(user.id))
        return {"kind": "topic", "topic": topic}

    return _write(request, db, user, claim_id, action, {"topic": topic})


def parse_claim_ids(raw: str, lang: str) -> list[int]:
    parts = [p for p in re.split(r"[,\s]+", raw.strip()) if p]
    matches = [_ID.fullmatch(p) for p in parts]
    if not parts or len(parts) > MAX_MERGE or not all(matches):
        raise Invalid(f"give 1 to {MAX_MERGE} claim numbers", key="claim.bad_ids", params={"max": MAX_MERGE})
    return list(dict.fromkeys(int(m.group(1)) for m in matches if m))


@router.post("/claims/{claim_id:int}/merge", dependencies=[Depends(verify_csrf)])
def claim_merge(claim_id: int, request: Request, ids: str = Form(""), user: User = Depends(staff),
                db: Database = Depends(get_db)) -> Response:
    lang = request_language(request)

    def action(session: Session) -> dict:
        sources = parse_claim_ids(ids, lang)
        try:
            claims.merge_claims(session, target_id=claim_id, source_ids=sources, actor=user_actor(user.id))
        except NotFound as exc:
            raise Invalid(exc.detail, key="claim.bad_merge_target",
                          params={"detail": f"#{exc.params['claim']}" if "claim" in exc.params else ""}) from exc
        return {"kind": "merge", "ids": [i for i in sources if i != claim_id]}

    return _write(request, db, user, claim_id, action, {"ids": ids[:500]})


@router.post("/claims/{claim_id:int}/split", dependencies=[Depends(verify_csrf)])
def claim_split(claim_id: int, request: Request, report: list[str] = Form([]), title: str = Form(""),
                user: User = Depends(staff), db: Database = Depends(get_db)) -> Response:
    new_title = title.replace("\x00", "").strip()[:MAX_TITLE] or None
    picked = [int(r) for r in report if r.isdigit() and len(r) < 19]

    def action(session: Session) -> dict:
        if not picked or len(picked) != len(report):
            raise Invalid("choose reports of this claim", key="claim.bad_reports")
        new = claims.split_claim(session, claim_id=claim_id, report_ids=picked, actor=user_actor(user.id),
                                 title=new_title)
        return {"kind": "split", "n": len(set(picked)), "new_claim": new.id}

    return _write(request, db, user, claim_id, action, {"title": title[:MAX_TITLE], "picked": picked})
