"""Pseudonymous requesters: identifiers become keyed hashes; raw contact data is kept only with an expiry."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from khaojing.db.base import utcnow
from khaojing.intake.models import ContactPoint, Requester


def normalise_identifier(kind: str, value: str) -> str:
    value = value.strip()
    if kind == "email":
        return value.lower()
    if kind == "phone":
        digits = "".join(ch for ch in value if ch.isdigit() or ch == "+")
        if digits.startswith("+66"):
            digits = "0" + digits[3:]
        return digits
    return value


def keyed_hash(secret_key: str, kind: str, value: str) -> str:
    """HMAC-SHA256 of `kind:value` with a key derived from the server secret (not reversible without it)."""
    key = hashlib.sha256(("khaojing-requester:" + secret_key).encode()).digest()
    msg = f"{kind}:{normalise_identifier(kind, value)}".encode()
    return hmac.new(key, msg, hashlib.sha256).hexdigest()


def get_or_create_requester(session: Session, *, secret_key: str, channel: str, kind: str, value: str,
                            language: str = "th") -> Requester:
    digest = keyed_hash(secret_key, kind, value)
    requester = session.scalar(select(Requester).where(Requester.key_hash == digest))
    if requester is None:
        try:
            with session.begin_nested():
                requester = Requester(key_hash=digest, channel=channel, language=language)
                session.add(requester)
        except IntegrityError:  # created at the same moment by another transaction
            requester = session.scalar(select(Requester).where(Requester.key_hash == digest))
            assert requester is not None
    requester.last_seen_at = utcnow()
    return requester


def keep_contact(session: Session, *, requester: Requester, kind: str, value: str,
                 retention_days: int) -> ContactPoint:
    """Keep a raw contact for a later reply, until the retention date (renewed when given again)."""
    value = normalise_identifier(kind, value)
    expires = utcnow() + dt.timedelta(days=retention_days)
    contact = session.scalar(select(ContactPoint).where(ContactPoint.requester_id == requester.id,
                                                        ContactPoint.kind == kind,
                                                        ContactPoint.value == value))
    if contact is None:
        contact = ContactPoint(requester=requester, kind=kind, value=value, expires_at=expires)
        session.add(contact)
    else:
        contact.expires_at = expires
    return contact


def purge_expired_contacts(session: Session, *, now: dt.datetime | None = None) -> int:
    result = session.execute(delete(ContactPoint).where(ContactPoint.expires_at < (now or utcnow())))
    return result.rowcount or 0
