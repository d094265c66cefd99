"""FastAPI dependencies shared by routes: the database, the logged-in staff user, role checks."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from fastapi import Depends, Request

from khaojing.accounts.models import Role, User
from khaojing.accounts.service import require_role
from khaojing.db.session import Database
from khaojing.errors import Unauthorized


def get_db(request: Request) -> Database:
    return request.app.state.db


def login_session(request: Request, user: User) -> None:
    """Start a staff session: a fresh session (new CSRF token) bound to the user's session version."""
    lang = request.session.get("lang")
    request.session.clear()
    request.session.update({"uid": user.id, "sv": user.session_version, "iat": int(time.time())})
    if lang:
        request.session["lang"] = lang


def logout_session(request: Request) -> None:
    request.session.clear()


def current_user(request: Request, db: Database = Depends(get_db)) -> User | None:
    """The logged-in user, or None; an expired session or one from before a password change counts as none."""
    uid = request.session.get("uid")
    if not uid:
        return None
    max_age = request.app.state.settings.session_max_age_seconds
    if time.time() - int(request.session.get("iat", 0)) > max_age:
        request.session.clear()
        return None
    with db.unit_of_work(readonly=True) as session:
        user = session.get(User, uid)
        if user is not None:
            _ = user.agency  # load while the session is open
    if user is None or not user.is_active or user.session_version != request.session.get("sv"):
        request.session.clear()
        return None
    request.state.user = user
    return user


def require(*roles: Role) -> Callable[..., User]:
    """Dependency: the logged-in user, who must have one of `roles` (401 when logged out, 403 otherwise)."""
    allowed: Iterable[Role] = roles or tuple(Role)

    def dependency(user: User | None = Depends(current_user)) -> User:
        if user is None:
            raise Unauthorized("please log in")
        return require_role(user, allowed)

    return dependency
