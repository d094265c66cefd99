"""Who may use the case pages: role guards (`require`, which audits every denial as "auth.denied"), service
refusals audited the same way, and the shared write helper of the case pages (one unit of work, a notice on
success, the page again with the reason on a refusal)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from khaojing.accounts.models import Role, User
from khaojing.audit import service as audit
from khaojing.cases import notices
from khaojing.db.session import Database
from khaojing.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, TooLarge, reason
from khaojing.web.deps import record_denial, require
from khaojing.web.i18n import say  # noqa: F401  (re-exported: the case pages' templates use it)
from khaojing.web.security import request_language

STAFF = (Role.admin, Role.editor, Role.analyst)
WORKERS = (Role.analyst, Role.editor)
EDITORS = (Role.editor,)
ADMINS = (Role.admin,)
OFFICERS = (Role.agency_officer,)
NOTICE_KEY = "cases_notice"


def guard(*roles: Role) -> Callable[..., User]:
    """Dependency: the logged-in user with one of `roles` — `khaojing.web.deps.require`, which audits every denial
    (an expired or revoked session, a wrong role) in one place for all console routes."""
    return require(*roles)


@contextmanager
def denials_audited(db: Database, request: Request, user: User) -> Iterator[None]:
    """A Forbidden raised by a service (an officer asking for another agency's request) is audited, then shown."""
    try:
        yield
    except Forbidden as exc:
        record_denial(db, request, actor=audit.user_actor(user.id), reason=exc.detail, role=user.role)
        raise


def refusal(request: Request, exc: DomainError) -> str:
    """The reason a change was refused, in the reader's language: the error's own text (key and parameters) when it
    has one, else its general text and the English detail."""
    return reason(exc, request_language(request))


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


def page(request: Request, template: str, context: dict, *, status_code: int = 200) -> Response:
    """Render a case, portal or directory page (with `say` for texts whose parameters come from stored data)."""
    from khaojing.web.templating import render

    return render(request, template, {"say": say, **context}, status_code=status_code)


def read_notices_of(db: Database, user: User, request: Request) -> None:
    """Mark the user's notices about the page being opened as read. Looked up in a read-only unit first: a page view
    takes the write lock only when there is a notice to mark (almost never)."""
    path = request.url.path
    with db.unit_of_work(readonly=True) as session:
        if not notices.unread_about(session, user.id, path):
            return
    with db.unit_of_work() as session:
        notices.read_on_open(session, user.id, path)
