"""TOTP two-factor login for staff (security, issue 9): enrolment with a QR code, code checks that refuse a replayed
code and are throttled like the password, single-use recovery codes stored as keyed hashes, admin reset."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import io
import secrets
import time

import pyotp
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from khaojing.accounts.models import LoginAttempt, StaffTwoFactor, User
from khaojing.audit import service as audit
from khaojing.db.base import utcnow
from khaojing.errors import Conflict, Invalid, TooManyRequests, Unauthorized
from khaojing.settings import Settings

ISSUER = "khaojing"
RECOVERY_CODES = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud or copied from paper


UNREADABLE = "tf.err.unreadable"  # the secret key changed since enrolment: only an administrator's reset helps


class CodeRefused(Invalid):
    """A wrong, expired or already used code; `key` is the reason in Thai and English (accounts/messages.py)."""

    key = "tf.err.code"


def required_roles(settings: Settings) -> set[str]:
    return {r.strip() for r in settings.require_2fa_roles.split(",") if r.strip()}


def is_required(settings: Settings, user: User) -> bool:
    return user.role in required_roles(settings)


def _key(settings: Settings, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"khaojing.twofactor." + purpose).derive(settings.secret_key.encode())


def _fernet(settings: Settings) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_key(settings, b"secret")))


def _encrypt(settings: Settings, secret: str) -> str:
    return _fernet(settings).encrypt(secret.encode()).decode()


def _decrypt(settings: Settings, token: str) -> str:
    try:
        return _fernet(settings).decrypt(token.encode()).decode()
    except InvalidToken as exc:  # the secret key changed: an administrator resets the second factor
        raise CodeRefused("the second factor cannot be read with this secret key; ask an administrator",
                          key=UNREADABLE) from exc


def _recovery_hash(settings: Settings, code: str) -> str:
    normal = "".join(ch for ch in code.lower() if ch.isalnum())
    return hmac.new(_key(settings, b"recovery"), normal.encode(), hashlib.sha256).hexdigest()


def get(session: Session, user_id: int) -> StaffTwoFactor | None:
    return session.get(StaffTwoFactor, user_id)


def is_enrolled(session: Session, user_id: int) -> bool:
    row = get(session, user_id)
    return row is not None and row.confirmed_at is not None


def pending_secret(session: Session, *, settings: Settings, user: User) -> str:
    """The secret to show on the enrolment page: the unconfirmed one already made, or a new one."""
    row = get(session, user.id)
    if row is not None and row.confirmed_at is not None:
        raise Conflict("two-factor login is already set up for this account")
    if row is None:
        secret = pyotp.random_base32()
        session.add(StaffTwoFactor(user_id=user.id, secret_enc=_encrypt(settings, secret), recovery_hashes=[]))
        session.flush()
        return secret
    return _decrypt(settings, row.secret_enc)


def provisioning_uri(settings: Settings, user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=f"{ISSUER} {settings.center_name_en}")


def qr_data_uri(uri: str) -> str:
    """The QR code as an inline SVG data URI (no script, allowed by the CSP's img-src data:)."""
    import qrcode
    import qrcode.image.svg

    buf = io.BytesIO()
    qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).save(buf)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


def _throttle_key(user: User) -> str:
    return f"2fa:{user.id}"


def _check_throttle(session: Session, settings: Settings, user: User, ip: str | None, now: dt.datetime) -> int:
    """The count of recent wrong codes; TooManyRequests (with Retry-After) while locked out, like the password."""
    key = _throttle_key(user)
    failures = session.scalar(select(func.count(LoginAttempt.id)).where(
        LoginAttempt.username == key, LoginAttempt.success.is_(False),
        LoginAttempt.at >= now - dt.timedelta(seconds=settings.login_window_seconds))) or 0
    if failures >= settings.login_max_failures:
        last = session.scalar(select(func.max(LoginAttempt.at)).where(
            LoginAttempt.username == key, LoginAttempt.success.is_(False)))
        wait = settings.login_lockout_seconds * 2 ** min(failures - settings.login_max_failures, 6)
        if last is not None and (now - last).total_seconds() < wait:
            audit.record(session, actor=f"ip:{ip}", action="auth.2fa_throttled", object_type="user",
                         object_id=user.id, data={"failures": failures})
            retry = int(wait - (now - last).total_seconds()) + 1
            raise TooManyRequests(f"too many wrong codes; try again in {retry} seconds",
                                  headers={"Retry-After": str(retry)})
    return failures


def _totp_step(secret: str, code: str, *, after: int | None, at: float) -> int | None:
    """The time step `code` belongs to (this one or one either side, for clock drift), if later than `after`."""
    totp = pyotp.TOTP(secret)
    step_now = int(at // totp.interval)
    for step in (step_now, step_now - 1, step_now + 1):
        if (after is None or step > after) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _clean_code(code: str) -> str:
    return "".join(ch for ch in code.strip() if not ch.isspace())[:40]


def _new_recovery_codes(settings: Settings, row: StaffTwoFactor) -> list[str]:
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    codes = [f"{c[:5]}-{c[5:]}" for c in codes]
    row.recovery_hashes = [_recovery_hash(settings, c) for c in codes]
    return codes


def confirm(session: Session, *, settings: Settings, user: User, code: str, ip: str | None,
            at: float | None = None) -> list[str]:
    """Finish enrolment with a first code from the app: the recovery codes, in clear this once only."""
    row = get(session, user.id)
    if row is None or row.confirmed_at is not None:
        raise Conflict("there is no two-factor set-up waiting for a first code")
    now = utcnow()
    failures = _check_throttle(session, settings, user, ip, now)
    step = _totp_step(_decrypt(settings, row.secret_enc), _clean_code(code), after=None, at=at or time.time())
    if step is None:
        session.add(LoginAttempt(username=_throttle_key(user), ip=ip, at=now, success=False))
        audit.record(session, actor=audit.user_actor(user.id), action="auth.2fa_failed", object_type="user",
                     object_id=user.id, data={"failures": failures + 1, "during": "enrolment"})
        raise CodeRefused("the code does not match; check the phone's clock and try the next code")
    row.confirmed_at, row.last_step = now, step
    codes = _new_recovery_codes(settings, row)
    session.execute(delete(LoginAttempt).where(LoginAttempt.username == _throttle_key(user)))
    audit.record(session, actor=audit.user_actor(user.id), action="user.2fa_enrolled", object_type="user",
                 object_id=user.id, data={"username": user.username, "ip": ip})
    return codes


def verify(session: Session, *, settings: Settings, user: User, code: str, ip: str | None,
           at: float | None = None) -> str:
    """Check the second step of a login: a TOTP code not used before, or an unused recovery code (then spent).
    Returns "totp" or "recovery"; Unauthorized when wrong, TooManyRequests after too many wrong codes."""
    row = get(session, user.id)
    if row is None or row.confirmed_at is None:
        raise Unauthorized("two-factor login is not set up for this account")
    now = utcnow()
    failures = _check_throttle(session, settings, user, ip, now)
    code = _clean_code(code)
    method = None
    if code.isdigit():
        step = _totp_step(_decrypt(settings, row.secret_enc), code, after=row.last_step, at=at or time.time())
        if step is not None:
            row.last_step, method = step, "totp"
    elif code:
        digest = _recovery_hash(settings, code)
        left = [h for h in row.recovery_hashes if not hmac.compare_digest(h, digest)]
        if len(left) < len(row.recovery_hashes):
            row.recovery_hashes, method = left, "recovery"
    if method is None:
        session.add(LoginAttempt(username=_throttle_key(user), ip=ip, at=now, success=False))
        audit.record(session, actor=f"ip:{ip}", action="auth.2fa_failed", object_type="user", object_id=user.id,
                     data={"failures": failures + 1})
        raise Unauthorized("wrong or already used code")
    session.execute(delete(LoginAttempt).where(LoginAttempt.username == _throttle_key(user)))
    data: dict[str, object] = {"ip": ip, "method": method}
    if method == "recovery":
        data["recovery_codes_left"] = len(row.recovery_hashes)
    audit.record(session, actor=audit.user_actor(user.id), action="auth.2fa_ok", object_type="user",
                 object_id=user.id, data=data)
    return method


def reset(session: Session, *, user_id: int, actor: str) -> bool:
    """Remove a user's second factor (lost phone): their sessions end and they enrol again at the next login."""
    user = session.get(User, user_id)
    if user is None:
        from khaojing.errors import NotFound

        raise NotFound(f"no user with id {user_id}")
    row = get(session, user_id)
    had = row is not None and row.confirmed_at is not None
    if row is not None:
        session.delete(row)
    user.session_version += 1
    audit.record(session, actor=actor, action="user.2fa_reset", object_type="user", object_id=user_id,
                 data={"username": user.username, "was_enrolled": had})
    return had


def enrol_now(session: Session, *, settings: Settings, user: User) -> tuple[str, list[str]]:
    """Set up and confirm a second factor in one go (tests and scripts): (secret, recovery codes)."""
    secret = pending_secret(session, settings=settings, user=user)
    codes = confirm(session, settings=settings, user=user, code=pyotp.TOTP(secret).now(), ip=None)
    return secret, codes
