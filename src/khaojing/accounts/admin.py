"""Admin console pages (issue 5), mounted under /console: users (list, create, role and agency, deactivate,
passwords and one-time set-password links) and the read-only effective settings. Administrators only."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from khaojing.accounts import (
    messages_admin,  # noqa: F401  (registers the texts)
    service,
)
from khaojing.accounts.models import Agency, Role, User
from khaojing.accounts.settings_view import effective_settings
from khaojing.accounts.twofactor import is_enrolled
from khaojing.audit import service as audit
from khaojing.db.session import Database
from khaojing.errors import Conflict, DomainError, Invalid, reason
from khaojing.web.deps import get_db, require
from khaojing.web.security import request_language, verify_csrf
from khaojing.web.templating import render

router = APIRouter(include_in_schema=False)
admins = require(Role.admin)
NOTICE = "admin_notice"
ROLES = [r.value for r in (Role.analyst, Role.editor, Role.admin, Role.agency_officer)]


def _flash(request: Request, key: str, link: str | None = None, **params: object) -> None:
    request.session[NOTICE] = {"key": key, "params": {k: str(v) for k, v in params.items()}, "link": link}


def _take_flash(request: Request) -> dict | None:
    notice = request.session.pop(NOTICE, None)
    return notice if isinstance(notice, dict) and isinstance(notice.get("key"), str) else None


def refusal(request: Request, exc: DomainError) -> str:
    """Why a change was refused, in the reader's language."""
    return reason(exc, request_language(request))


def _agencies(session: Session) -> list[Agency]:
    return list(session.scalars(select(Agency).order_by(Agency.name_th)))


def _int(value: object) -> int | None:
    return int(value) if isinstance(value, str) and value.strip().isdigit() else None


def _text(form, name: str, limit: int = 300) -> str:  # noqa: ANN001
    value = form.get(name)
    return value.replace("\x00", "").strip()[:limit] if isinstance(value, str) else ""


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError as exc:
        raise Invalid(f"unknown role {value[:30]!r}", key="users.err.role") from exc


async def _change(request: Request, db: Database, action: Callable[[Session], tuple[str, str, dict, str | None]],
                  on_refusal: Callable[[str, int], Response]) -> Response:
    """Run `action` in one unit of work -> (url, notice key, params, link); a refusal shows the form again."""
    def run() -> tuple[str, str, dict, str | None]:
        with db.unit_of_work() as session:
            return action(session)

    try:
        url, key, params, link = await run_in_threadpool(run)
    except (Invalid, Conflict) as exc:
        return on_refusal(refusal(request, exc), exc.status_code)
    _flash(request, key, link, **params)
    return RedirectResponse(url, status_code=303)


# --- the list ---

@router.get("/users")
def users_page(request: Request, user: User = Depends(admins), db: Database = Depends(get_db)) -> Response:
    params = request.query_params
    role = params.get("role") if params.get("role") in ROLES else None
    agency_id = _int(params.get("agency"))
    active = {"1": True, "0": False}.get(params.get("active", ""))
    q = params.get("q", "").replace("\x00", "").strip()[:100]
    with db.unit_of_work(readonly=True) as session:
        rows = service.list_users(session, role=role, agency_id=agency_id, active=active, q=q or None)
        agencies = _agencies(session)
        names = {a.id: a for a in agencies}  # the page shows each in its language (local_name)
    return render(request, "console/admin_users.html", {
        "active": "users", "rows": rows, "roles": ROLES, "agencies": agencies, "agency_names": names,
        "f": {"role": role, "agency": agency_id, "active": active, "q": q}, "notice": _take_flash(request)})


# --- create ---

def _new_page(request: Request, db: Database, form: dict, error: str | None = None,
              status_code: int = 200) -> Response:
    with db.unit_of_work(readonly=True) as session:
        agencies = _agencies(session)
    return render(request, "console/admin_user_new.html", {
        "active": "users", "roles": ROLES, "agencies": agencies, "form": form, "error": error},
        status_code=status_code)


@router.get("/users/new")
def new_user(request: Request, user: User = Depends(admins), db: Database = Depends(get_db)) -> Response:
    return _new_page(request, db, {"role": Role.analyst.value, "mode": "link"})


@router.post("/users/new", dependencies=[Depends(verify_csrf)])
async def create_user(request: Request, user: User = Depends(admins), db: Database = Depends(get_db)) -> Response:
    raw = await request.form()
    form = {k: _text(raw, k) for k in ("username", "display_name", "email", "role", "agency", "mode")}
    password = raw.get("password") if isinstance(raw.get("password"), str) else ""
    settings = request.app.state.settings

    def action(session: Session) -> tuple[str, str, dict, str | None]:
        by_link = form["mode"] != "password"
        created = service.create_user(
            session, username=form["username"], password=None if by_link else password,
            role=_role(form["role"]), display_name=form["display_name"], email=form["email"] or None,
            agency_id=_int(form["agency"]), actor=audit.user_actor(user.id))
        link = service.password_link(settings, created) if by_link else None
        return f"/console/users/{created.id}", "users.created", {"username": created.username}, link

    return await _change(request, db, action, lambda msg, status: _new_page(request, db, form, msg, status))


# --- one user ---

def _user_page(request: Request, db: Database, user_id: int, *, me: User, error: str | None = None,
               status_code: int = 200) -> Response:
    with db.unit_of_work(readonly=True) as session:
        target = service.get_user(session, user_id)
        agencies = _agencies(session)
        agency_name = target.agency.name_th if target.agency else None
        twofactor_on = is_enrolled(session, target.id)
    return render(request, "console/admin_user.html", {
        "active": "users", "u": target, "roles": ROLES, "agencies": agencies, "agency_name": agency_name,
        "twofactor_on": twofactor_on,
        "is_me": target.id == me.id, "error": error, "notice": _take_flash(request),
        "link_hours": request.app.state.settings.password_link_hours}, status_code=status_code)


@router.get("/users/{user_id:int}")
def user_page(user_id: int, request: Request, user: User = Depends(admins),
              db: Database = Depends(get_db)) -> Response:
    return _user_page(request, db, user_id, me=user)


def _on_user_page(request: Request, db: Database, user_id: int, me: User) -> Callable[[str, int], Response]:
    return lambda msg, status: _user_page(request, db, user_id, me=me, error=msg, status_code=status)


@router.post("/users/{user_id:int}/edit", dependencies=[Depends(verify_csrf)])
async def edit_user(user_id: int, request: Request, user: User = Depends(admins),
                    db: Database = Depends(get_db)) -> Response:
    raw = await request.form()

    def action(session: Session) -> tuple[str, str, dict, str | None]:
        service.update_user(session, user_id=user_id, role=_role(_text(raw, "role")), agency_id=_int(raw.get("agency")),
                            display_name=_text(raw, "display_name", 200), email=_text(raw, "email") or None,
                            actor=audit.user_actor(user.id))
        return f"/console/users/{user_id}", "users.saved", {}, None

    return await _change(request, db, action, _on_user_page(request, db, user_id, user))


async def _set_active(request: Request, db: Database, user: User, user_id: int, active: bool) -> Response:
    def action(session: Session) -> tuple[str, str, dict, str | None]:
        target = service.set_active(session, user_id=user_id, active=active, actor=audit.user_actor(user.id))
        return (f"/console/users/{user_id}", "users.reactivated" if active else "users.deactivated",
                {"username": target.username}, None)

    return await _change(request, db, action, _on_user_page(request, db, user_id, user))


@router.post("/users/{user_id:int}/deactivate", dependencies=[Depends(verify_csrf)])
async def deactivate(user_id: int, request: Request, user: User = Depends(admins),
                     db: Database = Depends(get_db)) -> Response:
    return await _set_active(request, db, user, user_id, False)


@router.post("/users/{user_id:int}/reactivate", dependencies=[Depends(verify_csrf)])
async def reactivate(user_id: int, request: Request, user: User = Depends(admins),
                     db: Database = Depends(get_db)) -> Response:
    return await _set_active(request, db, user, user_id, True)


@router.post("/users/{user_id:int}/password", dependencies=[Depends(verify_csrf)])
async def reset_password(user_id: int, request: Request, user: User = Depends(admins),
                         db: Database = Depends(get_db)) -> Response:
    """With a password typed in: set it. Without: make the old one unusable and show a one-time link."""
    raw = await request.form()
    password = raw.get("password") if isinstance(raw.get("password"), str) else ""
    settings = request.app.state.settings
    actor = audit.user_actor(user.id)

    def action(session: Session) -> tuple[str, str, dict, str | None]:
        if password:
            target = service.set_password(session, user_id=user_id, password=password, actor=actor)
            return f"/console/users/{user_id}", "users.password_done", {"username": target.username}, None
        target = service.reset_password(session, user_id=user_id, actor=actor)
        link = service.password_link(settings, target)
        return f"/console/users/{user_id}", "users.link_done", {"username": target.username}, link

    return await _change(request, db, action, _on_user_page(request, db, user_id, user))


# --- settings ---

@router.get("/settings")
def settings_page(request: Request, user: User = Depends(admins)) -> Response:
    return render(request, "console/admin_settings.html", {
        "active": "settings", "view": effective_settings(request.app.state.settings)})
