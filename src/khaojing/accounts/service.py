"""Staff accounts: create and administer users (roles, agencies, deactivation, passwords and one-time set-password
links), check passwords (argon2), slow down repeated failures, check roles."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from khaojing.accounts.models import Agency, LoginAttempt, Role, User
from khaojing.audit import service as audit
from khaojing.db.base import utcnow
from khaojing.errors import Conflict, Forbidden, Invalid, NotFound, TooManyRequests, Unauthorized
from khaojing.settings import Settings

_hasher = PasswordHasher()
# A real hash to check against when the user does not exist, so timing does not reveal user names.
_DUMMY_HASH = _hasher.hash("khaojing-no-such-user")
MIN_PASSWORD_LENGTH = 10
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _unusable_password() -> str:
    """A random password nobody knows: the account waits for its set-password link."""
    return secrets.token_urlsafe(32)


class UserRefused(Invalid):
    """A user form that cannot be saved; `key` is the reason in Thai and English (see accounts/messages.py)."""

    def __init__(self, key: str, detail: str):
        super().__init__(detail, key=key)


class UserExists(Conflict):
    key = "users.err.exists"


class LastAdmin(Conflict):
    key = "users.err.last_admin"
    message_th = "ต้องมีผู้ดูแลระบบที่ใช้งานอยู่อย่างน้อยหนึ่งคน"
    message_en = "At least one active administrator must remain"


def _clean_username(username: str) -> str:
    username = username.strip().lower()
    if not username or len(username) > 80:
        raise UserRefused("users.err.username", "a user name is 1 to 80 characters")
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in username):
        raise UserRefused("users.err.username", "a user name has no spaces or control characters")
    return username


def _clean_email(email: str | None) -> str | None:
    email = (email or "").strip()
    if not email:
        return None
    if len(email) > 254 or not _EMAIL_RE.fullmatch(email):
        raise UserRefused("users.err.email", f"{email[:60]!r} is not an e-mail address")
    return email


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserRefused("users.err.password", f"a password has at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > 1000:
        raise UserRefused("users.err.password_long", "a password has at most 1000 characters")


def _check_agency(session: Session, role: Role, agency_id: int | None) -> int | None:
    """The agency of a user with this role: required for officers and checked to exist; none for center staff."""
    if role != Role.agency_officer:
        return None
    if agency_id is None:
        raise UserRefused("users.err.needs_agency", "an agency officer belongs to an agency")
    if session.get(Agency, agency_id) is None:
        raise UserRefused("users.err.no_agency", f"no agency with id {agency_id}")
    return agency_id


def create_user(session: Session, *, username: str, password: str | None, role: Role | str, display_name: str = "",
                email: str | None = None, agency_id: int | None = None, language: str = "th",
                actor: str = audit.SYSTEM) -> User:
    """A new user. `password=None`: no password yet (the user sets one through a one-time link)."""
    role = Role(role)
    username = _clean_username(username)
    if password is not None:
        _check_password(password)
    agency_id = _check_agency(session, role, agency_id)
    email = _clean_email(email)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise UserExists(f"user {username!r} exists")
    user = User(username=username, display_name=(display_name or "").strip()[:200] or username, email=email,
                password_hash=hash_password(password if password is not None else _unusable_password()),
                role=role.value, agency_id=agency_id, language=language)
    session.add(user)
    session.flush()
    audit.record(session, actor=actor, action="user.created", object_type="user", object_id=user.id,
                 data={"username": username, "role": role.value, "agency_id": agency_id,
                       "password": "set" if password is not None else "link"})
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
                                  headers={"Retry-After": str(retry)}, key="login.throttled",
                                  params={"seconds": retry})
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
        raise Unauthorized("wrong user name or password", key="login.failed")
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
        raise role_refused(allowed)
    return user


def role_refused(allowed: Iterable[str]) -> Forbidden:
    """The refusal of a page or action that needs one of `allowed` (role values), the roles named in the reader's
    language."""
    names = sorted(allowed)
    return Forbidden(f"this needs one of the roles: {', '.join(names)}", key="auth.err.roles",
                     params={"roles_keys": [f"role.{name}" for name in names]})


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


# --- administration (the console's user pages and the `khaojing users` command) ---

def list_users(session: Session, *, role: Role | str | None = None, agency_id: int | None = None,
               active: bool | None = None, q: str | None = None, limit: int = 500) -> list[User]:
    """Users for the admin list, active first, then by user name; filters are optional."""
    query = select(User)
    if role is not None:
        query = query.where(User.role == Role(role).value)
    if agency_id is not None:
        query = query.where(User.agency_id == agency_id)
    if active is not None:
        query = query.where(User.is_active.is_(active))
    if q:
        like = f"%{q.lower()}%"
        query = query.where(func.lower(User.username).like(like) | func.lower(User.display_name).like(like)
                            | func.lower(func.coalesce(User.email, "")).like(like))
    return list(session.scalars(query.order_by(User.is_active.desc(), User.username).limit(limit)))


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user with id {user_id}")
    return user


def _check_admins_remain(session: Session, user: User, *, role: Role, active: bool) -> None:
    """Refuse a change that would leave no active administrator (demoting or deactivating the last one)."""
    if user.role != Role.admin.value or not user.is_active or (role == Role.admin and active):
        return
    others = session.scalar(select(func.count(User.id)).where(
        User.role == Role.admin.value, User.is_active.is_(True), User.id != user.id)) or 0
    if others == 0:
        raise LastAdmin(f"{user.username!r} is the last active administrator")


def update_user(session: Session, *, user_id: int, role: Role | str, agency_id: int | None, display_name: str,
                email: str | None, actor: str) -> User:
    """Change a user's role, agency, name or e-mail (a role change applies to their very next page)."""
    user = get_user(session, user_id)
    role = Role(role)
    _check_admins_remain(session, user, role=role, active=user.is_active)
    new = {"role": role.value, "agency_id": _check_agency(session, role, agency_id),
           "display_name": display_name.strip()[:200] or user.username, "email": _clean_email(email)}
    changes = {k: [getattr(user, k), v] for k, v in new.items() if getattr(user, k) != v}
    if not changes:
        return user
    for key, value in new.items():
        setattr(user, key, value)
    audit.record(session, actor=actor, action="user.updated", object_type="user", object_id=user.id,
                 data={"username": user.username, "changes": changes})
    return user


def set_active(session: Session, *, user_id: int, active: bool, actor: str) -> User:
    """Deactivate (every session of the user ends at once) or reactivate a user."""
    user = get_user(session, user_id)
    if user.is_active == active:
        return user
    _check_admins_remain(session, user, role=Role(user.role), active=active)
    user.is_active = active
    user.session_version += 1
    audit.record(session, actor=actor, action="user.reactivated" if active else "user.deactivated",
                 object_type="user", object_id=user.id, data={"username": user.username})
    return user


def set_password(session: Session, *, user_id: int, password: str, actor: str) -> User:
    """Give a user a new password; their other sessions end."""
    _check_password(password)
    user = get_user(session, user_id)
    user.password_hash = hash_password(password)
    user.session_version += 1
    audit.record(session, actor=actor, action="user.password_set", object_type="user", object_id=user.id,
                 data={"username": user.username})
    return user


def reset_password(session: Session, *, user_id: int, actor: str) -> User:
    """Make the current password unusable and end the user's sessions; they set a new one through a link."""
    user = get_user(session, user_id)
    user.password_hash = hash_password(_unusable_password())
    user.session_version += 1
    audit.record(session, actor=actor, action="user.password_reset", object_type="user", object_id=user.id,
                 data={"username": user.username})
    return user


_LINK_SALT = "khaojing.set-password"


def _link_serializer(settings: Settings):  # noqa: ANN202
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(settings.secret_key, salt=_LINK_SALT)


def _fingerprint(user: User) -> str:
    """Changes whenever the password or the session version changes: a used link is dead."""
    return hashlib.sha256(f"{user.password_hash}|{user.session_version}".encode()).hexdigest()[:24]


def password_link(settings: Settings, user: User) -> str:
    """The one-time set-password URL for `user` (valid `password_link_hours`, until used or superseded)."""
    token = _link_serializer(settings).dumps({"u": user.id, "f": _fingerprint(user)})
    return f"{settings.base_url.rstrip('/')}/console/set-password?token={token}"


def user_for_link(session: Session, *, settings: Settings, token: str) -> User:
    """The active user a set-password token was made for; Invalid when it is forged, expired or already used."""
    from itsdangerous import BadSignature

    try:
        data = _link_serializer(settings).loads(token[:500], max_age=int(settings.password_link_hours * 3600))
    except BadSignature as exc:
        raise UserRefused("users.err.link", "the link is not valid or has expired") from exc
    user = session.get(User, data.get("u")) if isinstance(data, dict) and isinstance(data.get("u"), int) else None
    if user is None or not user.is_active or data.get("f") != _fingerprint(user):
        raise UserRefused("users.err.link", "the link is not valid or has already been used")
    return user


def use_password_link(session: Session, *, settings: Settings, token: str, password: str) -> User:
    user = user_for_link(session, settings=settings, token=token)
    _check_password(password)
    user.password_hash = hash_password(password)
    user.session_version += 1
    audit.record(session, actor=audit.user_actor(user.id), action="user.password_set", object_type="user",
                 object_id=user.id, data={"username": user.username, "via": "link"})
    return user
