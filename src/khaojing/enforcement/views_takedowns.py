"""Takedown console pages: the list with a new-request form, one request (status changes by the table, contact log,
re-check on demand) and the per-platform and per-reason statistics."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from khaojing.accounts.models import Role, User
from khaojing.cases.access import page, read_notices_of, take_flash, write
from khaojing.db.base import utcnow
from khaojing.db.session import Database
from khaojing.enforcement import jobs, states, takedowns
from khaojing.enforcement.models import Evidence
from khaojing.enforcement.service import actor_names
from khaojing.jobs import queue
from khaojing.web.deps import get_db, require
from khaojing.web.forms import form_id
from khaojing.web.security import verify_csrf

router = APIRouter(include_in_schema=False)
STAFF = require(Role.admin, Role.editor, Role.analyst)
WORKERS = require(Role.analyst, Role.editor)
# A due date runs only while the platform has been asked and has not answered (as the reminder job reads it): a
# removed or refused request is closed, a draft was never sent, and a court order or a restored page is past it.
DUE_RUNS = (states.SENT, states.ACKNOWLEDGED)


def _list(request: Request, db: Database, *, error: str | None = None, form: dict | None = None,
          status_code: int = 200) -> Response:
    status = request.query_params.get("status")
    with db.unit_of_work(readonly=True) as session:
        items = takedowns.list_takedowns(session, status=status)
    return page(request, "console/enforcement_takedowns.html", {
        "active": "takedowns", "items": items, "states": states, "status": status, "now": utcnow(),
        "due_runs": DUE_RUNS, "error": error, "form": form or {}, "notice": None if error else take_flash(request)},
        status_code=status_code)


@router.get("/takedowns")
def takedown_list(request: Request, user: User = Depends(STAFF), db: Database = Depends(get_db)) -> Response:
    return _list(request, db)


@router.post("/takedowns", dependencies=[Depends(verify_csrf)])
def create(request: Request, url: str = Form(""), reason: str = Form(""), platform: str = Form(""),
           case_id: str = Form(""), evidence_id: str = Form(""), contact: str = Form(""), note: str = Form(""),
           user: User = Depends(WORKERS), db: Database = Depends(get_db)) -> Response:
    form = {"url": url, "reason": reason, "platform": platform, "case_id": case_id, "evidence_id": evidence_id,
            "contact": contact, "note": note}

    def action(session: Session) -> tuple[str, str, dict]:
        td = takedowns.create(session, url=url, reason=reason, actor=user, platform=platform or None,
                              case_id=form_id(case_id, "case_id"), evidence_id=form_id(evidence_id, "evidence_id"),
                              contact=contact, note=note)
        return f"/console/takedowns/{td.id}", "enf.done_takedown", {}

    return write(request, db, user, action,
                 lambda message, status: _list(request, db, error=message, form=form, status_code=status))


def _detail(request: Request, db: Database, user: User, takedown_id: int, *, error: str | None = None,
            status_code: int = 200) -> Response:
    with db.unit_of_work(readonly=True) as session:
        td = takedowns.get(session, takedown_id)
        log = takedowns.events(session, takedown_id)
        evidence = session.get(Evidence, td.evidence_id) if td.evidence_id else None
        names = actor_names(session, with_ids=False)
    return page(request, "console/enforcement_takedown.html", {
        "active": "takedowns", "td": td, "log": log, "evidence": evidence, "states": states, "names": names,
        "moves": states.allowed_from(td.status, user.role) if user.role != Role.admin.value else [],
        "channels": takedowns.CONTACT_CHANNELS, "now": utcnow(), "error": error, "due_runs": DUE_RUNS,
        "notice": None if error else take_flash(request),
        "worker": user.role in (Role.analyst.value, Role.editor.value)}, status_code=status_code)


@router.get("/takedowns/{takedown_id:int}")
def takedown_detail(takedown_id: int, request: Request, user: User = Depends(STAFF),
                    db: Database = Depends(get_db)) -> Response:
    read_notices_of(db, user, request)
    return _detail(request, db, user, takedown_id)


def _on(request: Request, db: Database, user: User, takedown_id: int):  # noqa: ANN202
    return lambda message, status: _detail(request, db, user, takedown_id, error=message, status_code=status)


@router.post("/takedowns/{takedown_id:int}/status", dependencies=[Depends(verify_csrf)])
def move(takedown_id: int, request: Request, to_status: str = Form(""), note: str = Form(""),
         user: User = Depends(WORKERS), db: Database = Depends(get_db)) -> Response:
    def action(session: Session) -> tuple[str, str, dict]:
        takedowns.transition(session, settings=request.app.state.settings, takedown_id=takedown_id,
                             to_status=to_status, actor=user, note=note)
        return f"/console/takedowns/{takedown_id}", "enf.done_status", {}

    return write(request, db, user, action, _on(request, db, user, takedown_id))


@router.post("/takedowns/{takedown_id:int}/contact", dependencies=[Depends(verify_csrf)])
def contact(takedown_id: int, request: Request, channel: str = Form(""), note: str = Form(""),
            user: User = Depends(WORKERS), db: Database = Depends(get_db)) -> Response:
    def action(session: Session) -> tuple[str, str, dict]:
        takedowns.add_contact(session, takedown_id=takedown_id, actor=user, channel=channel, note=note)
        return f"/console/takedowns/{takedown_id}#log", "enf.done_contact", {}

    return write(request, db, user, action, _on(request, db, user, takedown_id))


@router.post("/takedowns/{takedown_id:int}/recheck", dependencies=[Depends(verify_csrf)])
def recheck_now(takedown_id: int, request: Request, user: User = Depends(WORKERS),
                db: Database = Depends(get_db)) -> Response:
    """Queue a re-check of the URL now (the fetch runs in the worker, not in this request)."""
    def action(session: Session) -> tuple[str, str, dict]:
        td = takedowns.get(session, takedown_id)
        td.next_check_at = utcnow()
        queue.enqueue(session, jobs.RECHECK, {"takedown_id": td.id}, priority=60)
        return f"/console/takedowns/{takedown_id}", "enf.done_recheck", {}

    return write(request, db, user, action, _on(request, db, user, takedown_id))


@router.get("/takedowns/stats")
def stats_page(request: Request, user: User = Depends(STAFF), db: Database = Depends(get_db)) -> Response:
    with db.unit_of_work(readonly=True) as session:
        result = takedowns.stats(session, include_drafts=True)
    return page(request, "console/enforcement_stats.html", {"active": "takedowns", "s": result, "states": states})
