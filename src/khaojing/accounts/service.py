"""Staff accounts: create users, check passwords (argon2), slow down repeated failures, check roles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from khaojing.accounts.models import LoginAttempt, Role, User
from khaojing.audit import service as audit
from khaojing.db.base import utcnow
from khaojing.errors import Conflict, Forbidden, Invalid, TooManyRequests, Unauthorized
from khaojing.settings import Settings

_hasher = PasswordHasher()
# A real hash to check against when the user does not exist, so timing does not reveal user names.
_DUMMY_HASH = _hasher.hash("khaojing-no-such-user")
MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def create_user(session: Session, *, username: str, password: str, role: Role | str, display_name: str = "",
                email: str | None = None, agency_id: int | None = None, language: str = "th",
                actor: str = audit.SYSTEM) -> User:
    role = Role(role)
    username = username.strip().lower()
    if not username or len(username) > 80:
        raise Invalid("a user name is 1 to 80 characters")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(f"a password has at least {MIN_PASSWORD_LENGTH} characters")
    if role == Role.agency_officer and agency_id is None:
        raise Invalid("an agency officer belongs to an agency")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"user {username!r} exists")
    user = User(username=username, display_name=display_name or username, email=email,
                password_hash=hash_password(password), role=role.value, agency_id=agency_id, language=language)
    session.add(user)
    session.flush()
    audit.record(session, actor=actor, action="user.created", object_type="user", object_id=user.id,
                 data={"username": username, "role": role.value, "agency_id": agency_id})
    return user


def _recent_failures(session: Session, username: str, since: dt.datetime) -> int:
    return session.scalar(select(func.count(LoginAttempt.id)).where(
        LoginAttempt.username == username, LoginAttempt.success.is_(False), LoginAttempt.at >= since)) or 0


def authenticate(session: Session, *, settings: Settings, username: str, password: str,
                 ip: str | None) -> User:
    """The user for these credentials. After N failures in the window, refuse for a lockout period (429)."""
    username = username.strip().lower()[:80]
    now = utcnow()
    failures = _recent_failures(session, username, now - dt.timedelta(seconds=settings.login_window_seconds))
    if failures >= settings.login_max_failures:
        last = session.scalar(select(func.max(LoginAttempt.at)).where(
            LoginAttempt.username == username, LoginAttempt.success.is_(False)))
        wait = settings.login_lockout_seconds * 2 ** min(failures - settings.login_max_failures, 6)
        if last is not None and (now - last).total_seconds() < wait:
            audit.record(session, actor=f"ip:{ip}", action="auth.login_throttled", object_type="user",
                         object_id=username, data={"failures": failures})
            retry = int(wait - (now - last).total_seconds()) + 1
            raise TooManyRequests(f"too many failed logins; try again in {retry} seconds",
                                  headers={"Retry-After": str(retry)})
    user = session.scalar(select(User).where(User.username == username))
    ok = False
    try:
        ok = _hasher.verify(user.password_hash if user else _DUMMY_HASH, password) and user is not None
    except (VerificationError, InvalidHashError):
        ok = False
    ok = ok and user is not None and user.is_active
    session.add(LoginAttempt(username=username, ip=ip, at=now, success=ok))
    if not ok:
        audit.record(session, actor=f"ip:{ip}", action="auth.login_failed", object_type="user",
                     object_id=username, data={"failures": failures + 1})
        raise Unauthorized("wrong user name or password")
    assert user is not None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.execute(delete(LoginAttempt).where(LoginAttempt.username == username,
                                               LoginAttempt.success.is_(False)))
    user.last_login_at = now
    audit.record(session, actor=audit.user_actor(user.id), action="auth.login", object_type="user",
                 object_id=user.id, data={"ip": ip})
    return user


def require_role(user: User | None, roles: Iterable[Role | str]) -> User:
    if user is None:
        raise Unauthorized("please log in")
    allowed = {Role(r).value for r in roles}
    if user.role not in allowed:
        raise Forbidden(f"this needs one of the roles: {', '.join(sorted(allowed))}")
    return user


STAFF = (Role.admin, Role.editor, Role.analyst)
ADMINS = (Role.admin,)


def record_logout(session: Session, *, user_id: int, ip: str | None) -> None:
    audit.record(session, actor=audit.user_actor(user_id), action="auth.logout", object_type="user",
                 object_id=user_id, data={"ip": ip})


def usernames(session: Session, user_ids: Iterable[int]) -> dict[int, str]:
    """User name by id, for showing who did something (ids that do not exist are left out)."""
    ids = set(user_ids)
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.username).where(User.id.in_(ids)))
    return {user_id: username for user_id, username in rows}
