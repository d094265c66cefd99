"""Console pages of the case workflow: the queue, my work, workload, one case and its state actions, notices.

The requests/verdict/collaboration actions, the agency portal and the agency directory are routers of their own,
included here so the app mounts one router.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from khaojing.accounts.models import User
from khaojing.cases import (
    deadlines,
    directory,
    messages,  # noqa: F401  (registers the texts)
    notices,
    pages,
    panels,  # noqa: F401  (registers the case panels of the claim and report pages)
    portal,
    service,
    states,
    views_work,
)
from khaojing.cases.access import EDITORS, STAFF, WORKERS, guard, page, read_notices_of, take_flash, write
from khaojing.cases.casepage import case_response, refused_on_case, settings_of, to_case
from khaojing.cases.queue import CaseFilter, case_queue, claims_without_case, replies_of, replies_waiting, workloads
from khaojing.db.base import utcnow
from khaojing.db.session import Database
from khaojing.errors import Conflict, Invalid
from khaojing.web.deps import get_db, require
from khaojing.web.forms import optional_id
from khaojing.web.security import verify_csrf

router = APIRouter()
staff, workers, editors = guard(*STAFF), guard(*WORKERS), guard(*EDITORS)
PER_PAGE = 50
MAX_PAGE = 100_000


@dataclass
class QueueQuery:
    filters: CaseFilter
    page: int = 1

    def params(self) -> dict[str, str]:
        f = self.filters
        raw = {"state": f.state, "assignee": f.assignee, "topic": f.topic, "overdue": "1" if f.overdue else None,
               "replied": "1" if f.replied else None, "q": f.q}
        return {k: v for k, v in raw.items() if v}

    def page_url(self, page: int) -> str:
        params = self.params() | ({"page": str(page)} if page > 1 else {})
        return "/console/cases" + (f"?{urlencode(params)}" if params else "")


def parse_queue(params: Mapping[str, str], topics: list[str]) -> QueueQuery:
    raw_page = params.get("page", "1")
    query = QueueQuery(filters=CaseFilter(), page=min(max(int(raw_page), 1), MAX_PAGE)
                       if raw_page.isdigit() and len(raw_page) < 10 else 1)
    f = query.filters
    state = params.get("state", "")
    f.state = state if state in (*states.STATES, "open", "all") else None
    assignee = params.get("assignee", "")
    f.assignee = assignee if assignee in ("me", "none") or (assignee.isdigit() and len(assignee) < 18) else None
    f.topic = params.get("topic") if params.get("topic") in topics else None
    f.overdue = params.get("overdue") == "1"
    f.replied = params.get("replied") == "1"
    f.q = params.get("q", "").replace("\x00", "").strip()[:200] or None
    return query


@router.get("/cases")
def queue_page(request: Request, user: User = Depends(staff), db: Database = Depends(get_db)) -> Response:
    query = parse_queue(request.query_params, [t.key for t in settings_of(request).topics])
    now = utcnow()
    with db.unit_of_work(readonly=True) as session:
        results = case_queue(session, filters=query.filters, user_id=user.id, now=now, page=query.page,
                             per_page=PER_PAGE)
        waiting = claims_without_case(session) if query.page == 1 else []
        replied = replies_waiting(session)
        unread = notices.unread_count(session, user.id)
    return page(request, "console/cases.html", {
        "active": "cases", "tab": "queue", "query": query, "page": results, "waiting": waiting, "now": now,
        "replied": replied, "states": states, "unread": unread, "notice": take_flash(request),
        "danger": lambda c: deadlines.is_danger(c, settings_of(request))})


@router.post("/cases/open", dependencies=[Depends(verify_csrf)])
def open_case(request: Request, claim_id: str = Form(""), user: User = Depends(workers),
              db: Database = Depends(get_db)) -> Response:
    existing: list[int] = []  # the claim's open case, when someone opened one since this page was loaded

    def action(session: Session) -> tuple[str, str, dict]:
        if not claim_id.isdigit() or len(claim_id) > 18:
            raise Invalid("choose a claim", key="err.choose_claim")
        try:
            case = service.open_case(session, claim_id=int(claim_id), actor=user, settings=settings_of(request))
        except Conflict as exc:
            if exc.key == "err.case_exists":
                existing.append(exc.params["case"])
            raise
        return f"/console/cases/{case.id}", "done.opened", {"case": case.id}

    return write(request, db, user, action,
                 lambda msg, status: _queue_refusal(request, msg, status, case_id=existing[0] if existing else None))


def _queue_refusal(request: Request, message: str, status: int, *, case_id: int | None = None) -> Response:
    return page(request, "error.html", {"status": status, "message": None, "note": message, "case_link": case_id},
                status_code=status)


@router.get("/cases/mine")
def my_work(request: Request, user: User = Depends(staff), db: Database = Depends(get_db)) -> Response:
    with db.unit_of_work(readonly=True) as session:
        groups = pages.my_cases(session, user)
        replies = replies_of(session, [c.id for items in groups.values() for c, _ in items])
        review = pages.in_review(session) if user.role == "editor" else []
        recent = notices.recent(session, user.id, limit=10)
        unread = notices.unread_count(session, user.id)
    return page(request, "console/case_mine.html", {
        "active": "cases", "tab": "mine", "groups": groups, "replies": replies, "review": review, "recent": recent,
        "unread": unread, "now": utcnow(), "notice": take_flash(request)})


@router.get("/cases/workload")
def workload(request: Request, user: User = Depends(staff), db: Database = Depends(get_db)) -> Response:
    with db.unit_of_work(readonly=True) as session:
        loads = workloads(session, now=utcnow())
        unread = notices.unread_count(session, user.id)
    return page(request, "console/case_workload.html", {"active": "cases", "tab": "workload", "loads": loads,
                                                          "states": states, "unread": unread})


@router.get("/cases/{case_id:int}")
def case_detail(case_id: int, request: Request, user: User = Depends(staff),
                db: Database = Depends(get_db)) -> Response:
    read_notices_of(db, user, request)
    return case_response(request, db, user, case_id)


@router.post("/cases/{case_id:int}/move", dependencies=[Depends(verify_csrf)])
def move(case_id: int, request: Request, to_state: str = Form(""), reason: str = Form(""),
         user: User = Depends(workers), db: Database = Depends(get_db)) -> Response:
    def action(session: Session) -> tuple[str, str, dict]:
        case = service.get_case(session, case_id)
        rule = states.find(case.state, to_state)
        if rule is not None and rule.via:
            raise Invalid(f"use the {rule.via} form to move a case to {to_state}", key="err.use_form",
                          params={"new_key": f"state.{to_state}"})
        service.transition(session, case_id=case_id, to_state=to_state, actor=user, reason=reason)
        return to_case(case_id), "done.moved", {"state": to_state}

    return write(request, db, user, action, refused_on_case(request, db, user, case_id, {"reason": reason}))


@router.post("/cases/{case_id:int}/claim", dependencies=[Depends(verify_csrf)])
def take(case_id: int, request: Request, user: User = Depends(workers), db: Database = Depends(get_db)) -> Response:
    def action(session: Session) -> tuple[str, str, dict]:
        service.assign(session, case_id=case_id, assignee_id=user.id, actor=user)
        return to_case(case_id), "done.assigned", {}

    return write(request, db, user, action, refused_on_case(request, db, user, case_id))


@router.post("/cases/{case_id:int}/handover", dependencies=[Depends(verify_csrf)])
def handover(case_id: int, request: Request, assignee_id: str = Form(""), note: str = Form(""),
             user: User = Depends(workers), db: Database = Depends(get_db)) -> Response:
    def action(session: Session) -> tuple[str, str, dict]:
        service.assign(session, case_id=case_id, assignee_id=optional_id(assignee_id), actor=user, note=note)
        return to_case(case_id), "done.assigned", {}

    return write(request, db, user, action, refused_on_case(request, db, user, case_id))


@router.post("/cases/{case_id:int}/assign", dependencies=[Depends(verify_csrf)])
def assign(case_id: int, request: Request, assignee_id: str = Form(""), user: User = Depends(editors),
           db: Database = Depends(get_db)) -> Response:
    def action(session: Session) -> tuple[str, str, dict]:
        service.assign(session, case_id=case_id, assignee_id=optional_id(assignee_id), actor=user)
        return to_case(case_id), "done.assigned", {}

    return write(request, db, user, action, refused_on_case(request, db, user, case_id))


@router.post("/cases/{case_id:int}/dismiss", dependencies=[Depends(verify_csrf)])
def dismiss(case_id: int, request: Request, reason_code: str = Form(""), note: str = Form(""),
            duplicate_of: str = Form(""), user: User = Depends(editors), db: Database = Depends(get_db)) -> Response:
    def action(session: Session) -> tuple[str, str, dict]:
        dup = duplicate_of.strip().lstrip("#")
        service.dismiss(session, case_id=case_id, reason_code=reason_code, actor=user, note=note,
                        duplicate_of=optional_id(dup))
        return to_case(case_id), "done.dismissed", {}

    form = {"reason_code": reason_code, "note": note, "duplicate_of": duplicate_of}
    return write(request, db, user, action, refused_on_case(request, db, user, case_id, form))


@router.post("/cases/{case_id:int}/restore", dependencies=[Depends(verify_csrf)])
def restore(case_id: int, request: Request, reason: str = Form(""), user: User = Depends(editors),
            db: Database = Depends(get_db)) -> Response:
    def action(session: Session) -> tuple[str, str, dict]:
        service.restore(session, case_id=case_id, actor=user, reason=reason)
        return to_case(case_id), "done.moved", {"state": states.SCREENING}

    return write(request, db, user, action, refused_on_case(request, db, user, case_id, {"reason": reason}))


@router.post("/cases/{case_id:int}/reopen", dependencies=[Depends(verify_csrf)])
def reopen(case_id: int, request: Request, reason: str = Form(""), user: User = Depends(editors),
           db: Database = Depends(get_db)) -> Response:
    from khaojing.cases import verdicts

    def action(session: Session) -> tuple[str, str, dict]:
        verdicts.reopen(session, case_id=case_id, actor=user, reason=reason)
        return to_case(case_id), "done.moved", {"state": states.REOPENED}

    return write(request, db, user, action, refused_on_case(request, db, user, case_id, {"reopen": reason}))


@router.get("/notices")
def notice_list(request: Request, user: User = Depends(require()), db: Database = Depends(get_db)) -> Response:
    with db.unit_of_work(readonly=True) as session:
        recent = notices.recent(session, user.id, limit=100)
        unread = notices.unread_count(session, user.id)
    return page(request, "console/case_notices.html", {"active": "cases", "tab": "notices", "recent": recent,
                                                         "unread": unread, "notice": take_flash(request)})


@router.post("/notices/read", dependencies=[Depends(verify_csrf)])
def notices_read(request: Request, user: User = Depends(require()), db: Database = Depends(get_db)) -> Response:
    with db.unit_of_work() as session:
        notices.mark_read(session, user.id)
    target = "/console/agency" if user.role == "agency_officer" else "/console/notices"
    request.session["cases_notice"] = {"key": "done.read", "params": {}}
    return RedirectResponse(target, status_code=303)


router.include_router(views_work.router)
router.include_router(portal.router)
router.include_router(directory.router)
