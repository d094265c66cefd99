"""FastAPI dependencies shared by routes: the database, the logged-in staff user, role checks that audit every
denial (the one place console routes are guarded)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from fastapi import Depends, Request

from khaojing.accounts.models import Role, User
from khaojing.accounts.service import role_refused
from khaojing.audit import service as audit
from khaojing.db.session import Database
from khaojing.errors import DomainError, Unauthorized

ENDED = "session_ended"  # request.state attribute: the user id of a session that was just found expired or revoked
MFA = "mfa"  # session key: this session passed (or just set up) the TOTP second factor
ENROL_URL = "/console/2fa/setup"


class SecondFactorNeeded(DomainError):
    """An editor or administrator without a second factor: sent to enrolment (303) before anything else."""

    status_code = 303
    code = "second_factor_needed"
    message_th = "กรุณาตั้งค่าการยืนยันตัวตนสองขั้นตอนก่อน"
    message_en = "Please set up two-factor login first"

    def __init__(self) -> None:
        super().__init__("two-factor login must be set up first", headers={"Location": ENROL_URL})


def get_db(request: Request) -> Database:
    return request.app.state.db


def login_session(request: Request, user: User) -> None:
    """Start a staff session: a fresh session (new CSRF token) bound to the user's session version."""
    lang = request.session.get("lang")
    request.session.clear()
    now = int(time.time())
    request.session.update({"uid": user.id, "sv": user.session_version, "iat": now, "seen": now})
    if lang:
        request.session["lang"] = lang


def logout_session(request: Request) -> None:
    request.session.clear()


def _end(request: Request, uid: object) -> None:
    request.session.clear()
    setattr(request.state, ENDED, uid)


def current_user(request: Request, db: Database = Depends(get_db)) -> User | None:
    """The logged-in user, or None. A session past its maximum age, idle for too long, of a deactivated user or
    from before a password change or role change is ended (and remembered in request.state for the audit)."""
    uid = request.session.get("uid")
    if not uid:
        return None
    settings = request.app.state.settings
    now = time.time()
    started = int(request.session.get("iat", 0))
    seen = int(request.session.get("seen", started))
    if now - started > settings.session_max_age_seconds or now - seen > settings.session_idle_seconds:
        _end(request, uid)
        return None
    with db.unit_of_work(readonly=True) as session:
        user = session.get(User, uid)
        if user is not None:
            _ = user.agency  # load while the session is open
    if user is None or not user.is_active or user.session_version != request.session.get("sv"):
        _end(request, uid)
        return None
    if now - seen >= 60:  # slide the idle window (at most one cookie change a minute)
        request.session["seen"] = int(now)
    request.state.user = user
    return user


def console_viewer(request: Request) -> User | None:
    """Who reads a console page that no route guarded (an unknown /console/... address): the logged-in user, kept in
    request.state so that the page shows the console's navigation; None without a session, or before the second
    factor of a role that needs one."""
    user = getattr(request.state, "user", None) or current_user(request, get_db(request))
    if user is not None and not request.session.get(MFA) and user.role in _required_2fa(request):
        request.state.user = user = None
    return user


def _ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def record_denial(db: Database, request: Request, *, actor: str, reason: str, role: str | None = None,
                  required: Iterable[str] | None = None) -> None:
    """Write an "auth.denied" event in its own unit of work (the refused request's own work is rolled back)."""
    path = request.url.path
    data = {"path": path[:300], "method": request.method, "reason": reason[:300], "role": role, "ip": _ip(request)}
    if required is not None:
        data["required"] = sorted(required)
    with db.unit_of_work() as session:
        audit.record(session, actor=actor[:120], action="auth.denied", object_type="route", object_id=path[:64],
                     data=data)


def _required_2fa(request: Request) -> set[str]:
    roles = request.app.state.settings.require_2fa_roles
    return {r.strip() for r in roles.split(",") if r.strip()}


def require(*roles: Role) -> Callable[..., User]:
    """Dependency: the logged-in user, who must have one of `roles` (any role when none are given).

    No session -> 401 (the console sends the visitor to the login page, without an audit row: that traffic is
    unbounded and carries no identity). A session that expired or was revoked -> audited, then 401. A wrong role
    -> audited (who, route, required roles), then 403 (the console's "not allowed" page). An editor or
    administrator (`require_2fa_roles`) whose session has not passed a second factor -> 303 to enrolment."""
    allowed = {r.value for r in (roles or tuple(Role))}

    def dependency(request: Request, user: User | None = Depends(current_user),
                   db: Database = Depends(get_db)) -> User:
        if user is None:
            ended = getattr(request.state, ENDED, None)
            if ended is not None and not getattr(request.state, "denial_recorded", False):
                request.state.denial_recorded = True
                record_denial(db, request, actor=f"user:{ended}", reason="session expired or revoked",
                              required=allowed)
            raise Unauthorized("please log in")
        if not request.session.get(MFA) and user.role in _required_2fa(request):
            raise SecondFactorNeeded()
        if user.role not in allowed:
            record_denial(db, request, actor=audit.user_actor(user.id), reason="role", role=user.role,
                          required=allowed)
            raise role_refused(allowed)
        return user

    return dependency
