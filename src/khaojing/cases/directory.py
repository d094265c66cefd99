"""Console pages of the agency directory: every staff member reads it; administrators add and edit agencies."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from khaojing.accounts.models import Role, User
from khaojing.cases import agencies, notices
from khaojing.cases.access import ADMINS, STAFF, guard, page, take_flash, write
from khaojing.cases.casepage import settings_of
from khaojing.db.session import Database
from khaojing.web.deps import get_db
from khaojing.web.security import verify_csrf

router = APIRouter()
staff, admins = guard(*STAFF), guard(*ADMINS)


@router.get("/agencies")
def directory(request: Request, user: User = Depends(staff), db: Database = Depends(get_db)) -> Response:
    settings = settings_of(request)
    params = request.query_params
    q = params.get("q", "").replace("\x00", "").strip()[:200] or None
    topic = params.get("topic") if params.get("topic") in {t.key for t in settings.topics} else None
    active = {"1": True, "0": False}.get(params.get("active", ""))
    with db.unit_of_work(readonly=True) as session:
        rows = agencies.list_agencies(session, q=q, topic=topic, active=active, settings=settings)
        unread = notices.unread_count(session, user.id)
    return page(request, "console/agency_directory.html", {
        "active": "cases", "tab": "agencies", "rows": rows, "q": q or "", "topic": topic, "active_filter": active,
        "unread": unread, "topic_keys": agencies.topic_keys, "notice": take_flash(request)})


@router.get("/agencies/{agency_id:int}")
def agency_detail(agency_id: int, request: Request, user: User = Depends(staff),
                  db: Database = Depends(get_db)) -> Response:
    with db.unit_of_work(readonly=True) as session:
        agency = agencies.get_agency(session, agency_id)
        recent = agencies.recent_answers(session, agency.id, limit=15)
        answered = agencies.answered_count(session, agency.id)
        officers = list(session.scalars(select(User).where(User.agency_id == agency.id,
                                                           User.role == Role.agency_officer.value)))
        unread = notices.unread_count(session, user.id)
    return page(request, "console/agency_detail.html", {
        "active": "cases", "tab": "agencies", "agency": agency, "recent": recent, "answered": answered,
        "officers": officers, "unread": unread, "topic_keys": agencies.topic_keys, "notice": take_flash(request),
        "problems": agencies.liaison_problems(agency.liaisons or [])})


def _form_data(form) -> agencies.AgencyIn:  # noqa: ANN001
    def get(name: str) -> str:
        value = form.get(name)
        return value if isinstance(value, str) else ""

    liaisons = [{k: get(f"liaison{i}_{k}") for k in ("name", "position", "email", "phone")} for i in (1, 2)]
    return agencies.AgencyIn(name_th=get("name_th"), name_en=get("name_en"), parent_ministry=get("parent_ministry"),
                             topics=[t for t in form.getlist("topics") if isinstance(t, str)],
                             contact={k: get(f"contact_{k}") for k in agencies.CONTACT_KINDS}, liaisons=liaisons,
                             active=get("active") == "1")


def _edit_page(request: Request, *, agency_id: int | None, data: agencies.AgencyIn | None, error: str | None = None,
               status_code: int = 200) -> Response:
    return page(request, "console/agency_edit.html", {"active": "cases", "tab": "agencies", "agency_id": agency_id,
                                                        "a": data, "error": error}, status_code=status_code)


@router.get("/agencies/new")
def new_agency(request: Request, user: User = Depends(admins)) -> Response:
    return _edit_page(request, agency_id=None, data=agencies.AgencyIn(name_th=""))


@router.get("/agencies/{agency_id:int}/edit")
def edit_agency(agency_id: int, request: Request, user: User = Depends(admins),
                db: Database = Depends(get_db)) -> Response:
    with db.unit_of_work(readonly=True) as session:
        a = agencies.get_agency(session, agency_id)
        data = agencies.AgencyIn(name_th=a.name_th, name_en=a.name_en, parent_ministry=a.parent_ministry,
                                 topics=agencies.topic_keys(a.topics, settings_of(request).topics),
                                 contact=dict(a.contact or {}), liaisons=list(a.liaisons or []), active=a.active)
    return _edit_page(request, agency_id=agency_id, data=data)


async def _save(request: Request, db: Database, user: User, agency_id: int | None) -> Response:
    data = _form_data(await request.form())

    def action(session: Session) -> tuple[str, str, dict]:
        agency = agencies.save_agency(session, data=data, settings=settings_of(request), actor=user,
                                      agency_id=agency_id)
        return f"/console/agencies/{agency.id}", "dir.saved", {}

    def refused(msg: str, status: int) -> Response:
        return _edit_page(request, agency_id=agency_id, data=data, error=msg, status_code=status)

    return await run_in_threadpool(write, request, db, user, action, refused)  # database work off the event loop


@router.post("/agencies/new", dependencies=[Depends(verify_csrf)])
async def create_agency(request: Request, user: User = Depends(admins), db: Database = Depends(get_db)) -> Response:
    return await _save(request, db, user, None)


@router.post("/agencies/{agency_id:int}/edit", dependencies=[Depends(verify_csrf)])
async def update_agency(agency_id: int, request: Request, user: User = Depends(admins),
                        db: Database = Depends(get_db)) -> Response:
    return await _save(request, db, user, agency_id)
