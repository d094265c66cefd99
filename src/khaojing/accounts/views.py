"""Staff console entry: log in (throttled and audited by the service; then the TOTP code, see twofactor_views),
log out, set a password through a one-time link, the console's front door."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from khaojing.accounts import messages, messages_admin, twofactor, twofactor_views  # noqa: F401  (registers the texts)
from khaojing.accounts.models import Role, User
from khaojing.accounts.service import STAFF, authenticate, record_logout, use_password_link, user_for_link
from khaojing.db.session import Database
from khaojing.errors import Invalid, TooManyRequests, Unauthorized
from khaojing.web.deps import current_user, get_db, logout_session, require
from khaojing.web.i18n import t
from khaojing.web.security import request_language, verify_csrf
from khaojing.web.templating import render

router = APIRouter()
router.include_router(twofactor_views.router)  # the code step, enrolment, the admin reset (issue 9)

INBOX = "/console/reports"
LINK_KEY = "setpw_token"


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site (never another host, scheme or a protocol-relative //host)."""
    if not target or len(target) > 2000 or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


def landing(user: User) -> str:
    return INBOX if Role(user.role) in STAFF else "/console"


def request_text(request: Request, key: str, **params: object) -> str:
    return t(key, request_language(request), **params)


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _login_page(request: Request, *, next_url: str | None, username: str = "", error: str | None = None,
                status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    context = {"next": next_url or "", "username": username, "error": error,
               "logged_out": "bye" in request.query_params, "password_set": "pwset" in request.query_params}
    return render(request, "console/login.html", context, status_code=status_code, headers=headers)


@router.get("/login")
def login_form(request: Request, next: str | None = None,  # noqa: A002
               user: User | None = Depends(current_user)) -> Response:
    if user is not None:
        return _redirect(safe_next(next) or landing(user))
    return _login_page(request, next_url=safe_next(next))


@router.post("/login", dependencies=[Depends(verify_csrf)])
def login(request: Request, username: str = Form(""), password: str = Form(""),
          next: str = Form(""), db: Database = Depends(get_db)) -> Response:  # noqa: A002
    settings = request.app.state.settings
    target = safe_next(next)
    with db.unit_of_work() as session:  # failures are committed too: they count and are audited
        try:
            # NUL cannot be stored in PostgreSQL text; no user name contains it
            user = authenticate(session, settings=settings, username=username.replace("\x00", ""),
                                password=password, ip=client_ip(request))
        except TooManyRequests as exc:
            seconds = exc.headers.get("Retry-After", str(settings.login_lockout_seconds))
            return _login_page(request, next_url=target, username=username, status_code=429,
                               error=request_text(request, "login.throttled", seconds=seconds),
                               headers=exc.headers)
        except Unauthorized:
            return _login_page(request, next_url=target, username=username, status_code=401,
                               error=request_text(request, "login.failed"))
        enrolled = twofactor.is_enrolled(session, user.id)
    return twofactor_views.after_password(request, user, enrolled=enrolled, target=target)


@router.post("/logout", dependencies=[Depends(verify_csrf)])
def logout(request: Request, user: User | None = Depends(current_user),
           db: Database = Depends(get_db)) -> Response:
    if user is not None:
        with db.unit_of_work() as session:
            record_logout(session, user_id=user.id, ip=client_ip(request))
    logout_session(request)
    return _redirect("/console/login?bye=1")


@router.get("")
def console_home(user: User = Depends(require())) -> Response:
    """Staff go to the inbox; agency officers to their agency portal."""
    return _redirect(INBOX if Role(user.role) in STAFF else "/console/agency")


def _set_password_page(request: Request, *, token: str, username: str | None, error: str | None = None,
                       status_code: int = 200) -> Response:
    return render(request, "console/admin_set_password.html", {"token": token, "username": username,
                                                               "error": error}, status_code=status_code)


@router.get("/set-password")
def set_password_form(request: Request, token: str = "", db: Database = Depends(get_db)) -> Response:
    """The page a one-time link from the user admin opens (no login: the signed token is the proof). The token is
    kept in the session too, so switching the language (a link without the query) keeps the form."""
    token = token or request.session.get(LINK_KEY, "")
    with db.unit_of_work(readonly=True) as session:
        try:
            username = user_for_link(session, settings=request.app.state.settings, token=token).username
        except Invalid:
            return _set_password_page(request, token="", username=None, status_code=400,
                                      error=request_text(request, "users.err.link"))
    request.session[LINK_KEY] = token
    response = _set_password_page(request, token=token, username=username)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/set-password", dependencies=[Depends(verify_csrf)])
def set_password(request: Request, token: str = Form(""), password: str = Form(""), again: str = Form(""),
                 db: Database = Depends(get_db)) -> Response:
    settings = request.app.state.settings
    if password != again:
        with db.unit_of_work(readonly=True) as session:
            try:
                username = user_for_link(session, settings=settings, token=token).username
            except Invalid:
                username, token = None, ""
        return _set_password_page(request, token=token, username=username, status_code=422,
                                  error=request_text(request, "users.err.mismatch"))
    try:
        with db.unit_of_work() as session:
            use_password_link(session, settings=settings, token=token, password=password)
    except Invalid as exc:
        key = getattr(exc, "key", "users.err.link")
        dead = key == "users.err.link"
        with db.unit_of_work(readonly=True) as session:
            username = None if dead else user_for_link(session, settings=settings, token=token).username
        return _set_password_page(request, token="" if dead else token, username=username, status_code=422,
                                  error=request_text(request, key))
    logout_session(request)  # whoever was logged in on this browser: the new password is for this account
    return _redirect("/console/login?pwset=1")
