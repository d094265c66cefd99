"""Console pages of two-factor login (security, issue 9): the code step after the password, enrolment with a QR code
and recovery codes shown once, and the administrator's reset. Included in the accounts router (under /console)."""

from __future__ import annotations

import time

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from khaojing.accounts import (
    messages_twofactor,  # noqa: F401  (registers the texts)
    twofactor,
)
from khaojing.accounts.models import Role, User
from khaojing.audit import service as audit
from khaojing.db.session import Database
from khaojing.errors import Conflict, Invalid, TooManyRequests, Unauthorized
from khaojing.web.deps import ENROL_URL, MFA, current_user, get_db, login_session, logout_session, require
from khaojing.web.i18n import t
from khaojing.web.security import request_language, verify_csrf
from khaojing.web.templating import render

router = APIRouter()
PENDING = "tf_pending"  # session key between the password and the code: {uid, sv, at, next}
CODE_URL = "/console/login/code"


def _ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def _text(request: Request, key: str, **params: object) -> str:
    return t(key, request_language(request), **params)


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _landing(user: User, target: str | None) -> str:
    from khaojing.accounts.views import landing

    return target or landing(user)


def after_password(request: Request, user: User, *, enrolled: bool, target: str | None) -> RedirectResponse:
    """What the password step leads to: the code page (enrolled), enrolment (required) or the console."""
    settings = request.app.state.settings
    if enrolled:
        lang = request.session.get("lang")
        request.session.clear()  # no session of a previous user survives a half-done login
        request.session[PENDING] = {"uid": user.id, "sv": user.session_version, "at": int(time.time()),
                                    "next": target or ""}
        if lang:
            request.session["lang"] = lang
        return _redirect(CODE_URL)
    login_session(request, user)
    if twofactor.is_required(settings, user):
        return _redirect(ENROL_URL)
    return _redirect(_landing(user, target))


def _code_page(request: Request, *, error: str | None = None, status_code: int = 200,
               headers: dict[str, str] | None = None) -> Response:
    return render(request, "console/login_code.html", {"error": error}, status_code=status_code, headers=headers)


def _pending(request: Request) -> dict | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or not isinstance(pending.get("uid"), int):
        return None
    if time.time() - int(pending.get("at", 0)) > request.app.state.settings.twofactor_pending_seconds:
        request.session.pop(PENDING, None)
        return None
    return pending


@router.get("/login/code")
def code_form(request: Request) -> Response:
    if _pending(request) is None:
        return _redirect("/console/login")
    return _code_page(request)


@router.post("/login/code", dependencies=[Depends(verify_csrf)])
def code_submit(request: Request, code: str = Form(""), db: Database = Depends(get_db)) -> Response:
    pending = _pending(request)
    if pending is None:
        return render(request, "console/login.html", {"next": "", "username": "",
                                                      "error": _text(request, "tf.err.expired")}, status_code=401)
    settings = request.app.state.settings
    with db.unit_of_work() as session:  # wrong codes are committed too: they count and are audited
        user = session.get(User, pending["uid"])
        if user is None or not user.is_active or user.session_version != pending.get("sv"):
            request.session.pop(PENDING, None)
            return _redirect("/console/login")
        try:
            twofactor.verify(session, settings=settings, user=user, code=code.replace("\x00", ""), ip=_ip(request))
        except TooManyRequests as exc:
            seconds = exc.headers.get("Retry-After", str(settings.login_lockout_seconds))
            return _code_page(request, error=_text(request, "tf.throttled", seconds=seconds), status_code=429,
                              headers=exc.headers)
        except (Unauthorized, Invalid) as exc:
            key = twofactor.UNREADABLE if getattr(exc, "key", None) == twofactor.UNREADABLE else "tf.err.code"
            return _code_page(request, error=_text(request, key), status_code=401)
    login_session(request, user)
    request.session[MFA] = True
    return _redirect(_landing(user, pending.get("next") or None))


def _setup_page(request: Request, db: Database, user: User, *, error: str | None = None,
                status_code: int = 200) -> Response:
    settings = request.app.state.settings
    with db.unit_of_work() as session:
        secret = twofactor.pending_secret(session, settings=settings, user=user)
    qr = twofactor.qr_data_uri(twofactor.provisioning_uri(settings, user, secret))
    response = render(request, "console/twofactor_setup.html", {
        "qr": qr, "secret": secret, "error": error, "required": twofactor.is_required(settings, user)},
        status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/2fa/setup")
def setup_form(request: Request, user: User | None = Depends(current_user), db: Database = Depends(get_db)) -> Response:
    if user is None:
        return _redirect(f"/console/login?next={ENROL_URL}")
    with db.unit_of_work(readonly=True) as session:
        enrolled = twofactor.is_enrolled(session, user.id)
    if enrolled:
        if not request.session.get(MFA):  # a session from before the second factor: log in again with it
            logout_session(request)
            return _redirect("/console/login")
        return render(request, "console/twofactor_setup.html", {"already": True})
    return _setup_page(request, db, user)


@router.post("/2fa/setup", dependencies=[Depends(verify_csrf)])
def setup_submit(request: Request, code: str = Form(""), user: User | None = Depends(current_user),
                 db: Database = Depends(get_db)) -> Response:
    if user is None:
        return _redirect(f"/console/login?next={ENROL_URL}")
    settings = request.app.state.settings
    try:
        with db.unit_of_work() as session:
            codes = twofactor.confirm(session, settings=settings, user=user, code=code, ip=_ip(request))
    except TooManyRequests as exc:
        seconds = exc.headers.get("Retry-After", str(settings.login_lockout_seconds))
        return _setup_page(request, db, user, error=_text(request, "tf.throttled", seconds=seconds), status_code=429)
    except Invalid:
        return _setup_page(request, db, user, error=_text(request, "tf.err.code"), status_code=422)
    except Conflict:
        return _redirect(ENROL_URL)
    request.session[MFA] = True
    response = render(request, "console/twofactor_codes.html", {"codes": codes, "next": _landing(user, None)})
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/users/{user_id:int}/2fa/reset", dependencies=[Depends(verify_csrf)])
def reset(user_id: int, request: Request, user: User = Depends(require(Role.admin)),
          db: Database = Depends(get_db)) -> Response:
    from khaojing.accounts.admin import _flash

    with db.unit_of_work() as session:
        twofactor.reset(session, user_id=user_id, actor=audit.user_actor(user.id))
        username = session.get(User, user_id).username
    _flash(request, "tf.admin_done", username=username)
    return _redirect(f"/console/users/{user_id}")
