"""Who may use the case pages: role guards that audit every denial ("auth.denied"), and the shared write helper
of the case pages (one unit of work, a notice on success, the page again with the reason on a refusal)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from khaojing.accounts.models import Role, User
from khaojing.audit import service as audit
from khaojing.db.session import Database
from khaojing.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, TooLarge, Unauthorized
from khaojing.web.deps import current_user, get_db
from khaojing.web.i18n import t
from khaojing.web.security import request_language

STAFF = (Role.admin, Role.editor, Role.analyst)
WORKERS = (Role.analyst, Role.editor)
EDITORS = (Role.editor,)
ADMINS = (Role.admin,)
OFFICERS = (Role.agency_officer,)
NOTICE_KEY = "cases_notice"


def _ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def record_denial(db: Database, request: Request, *, actor: str, reason: str, role: str | None = None) -> None:
    """Write an "auth.denied" event in its own unit of work (the refused request's own work is rolled back)."""
    path = request.url.path
    with db.unit_of_work() as session:
        audit.record(session, actor=actor, action="auth.denied", object_type="route", object_id=path[:64],
                     data={"path": path[:300], "method": request.method, "reason": reason[:300], "role": role,
                           "ip": _ip(request)})


def guard(*roles: Role) -> Callable[..., User]:
    """Dependency: the logged-in user with one of `roles`. A session that expired or was revoked is audited and
    sent to the login page; a wrong role is audited and gets the 403 page. (A visitor with no session at all is
    sent to log in without an audit row: that traffic is unbounded and carries no identity.)"""
    allowed = {r.value for r in roles}

    def dependency(request: Request, db: Database = Depends(get_db)) -> User:
        had = request.session.get("uid")
        user = current_user(request, db)
        if user is None:
            if had:
                record_denial(db, request, actor=f"user:{had}"[:120], reason="session expired or revoked")
            raise Unauthorized("please log in")
        if user.role not in allowed:
            record_denial(db, request, actor=audit.user_actor(user.id), reason="role", role=user.role)
            raise Forbidden(f"this page is for: {', '.join(sorted(allowed))}")
        return user

    return dependency


@contextmanager
def denials_audited(db: Database, request: Request, user: User) -> Iterator[None]:
    """A Forbidden raised by a service (an officer asking for another agency's request) is audited, then shown."""
    try:
        yield
    except Forbidden as exc:
        record_denial(db, request, actor=audit.user_actor(user.id), reason=exc.detail, role=user.role)
        raise


def refusal(request: Request, exc: DomainError) -> str:
    """The reason a change was refused, in the reader's language as far as the error allows."""
    lang = request_language(request)
    own = getattr(exc, "key", None)
    if own:
        return t(own, lang)
    general = exc.message_th if lang == "th" else exc.message_en
    return f"{general}: {exc.detail}"


def flash(request: Request, key: str, **params: object) -> None:
    request.session[NOTICE_KEY] = {"key": key, "params": {k: str(v) for k, v in params.items()}}


def take_flash(request: Request) -> dict | None:
    notice = request.session.pop(NOTICE_KEY, None)
    return notice if isinstance(notice, dict) and isinstance(notice.get("key"), str) else None


def write(request: Request, db: Database, user: User, action: Callable[[Session], tuple[str, str, dict]],
          on_refusal: Callable[[str, int], Response]) -> Response:
    """Run `action(session)` -> (url, notice key, params) in one unit of work, then redirect there with the notice.

    A refusal (Invalid, Conflict — which includes InvalidTransition — or TooLarge) rolls back the whole change and
    `on_refusal(message, status)` shows the page again; NotFound is a 404 page; Forbidden is audited and a 403.
    """
    try:
        with denials_audited(db, request, user), db.unit_of_work() as session:
            url, key, params = action(session)
    except NotFound:
        raise
    except (Invalid, Conflict, TooLarge) as exc:
        return on_refusal(refusal(request, exc), exc.status_code)
    flash(request, key, **params)
    return RedirectResponse(url, status_code=303)



def say(key: str, lang: str, params: dict | None = None) -> str:
    """A registered text with its parameters; a missing or odd parameter shows the bare text, never an error."""
    try:
        return t(key, lang, **{str(k): v for k, v in (params or {}).items()})
    except (KeyError, IndexError, ValueError):
        return t(key, lang)


def page(request: Request, template: str, context: dict, *, status_code: int = 200) -> Response:
    """Render a case, portal or directory page (with `say` for texts whose parameters come from stored data)."""
    from khaojing.web.templating import render

    return render(request, template, {"say": say, **context}, status_code=status_code)
