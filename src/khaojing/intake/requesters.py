"""Pseudonymous requesters: identifiers become keyed hashes; raw contact data is kept only with an expiry."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from sqlalchemy import delete
from sqlalchemy.orm import Session

from khaojing.db.base import utcnow
from khaojing.db.upsert import upsert
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
    """The requester of this identifier, created on first contact (also when two requests race); last seen now."""
    now = utcnow()
    return upsert(session, Requester, {"key_hash": keyed_hash(secret_key, kind, value), "channel": channel,
                                       "language": language, "last_seen_at": now},
                  unique=["key_hash"], update={"last_seen_at": now})


def keep_contact(session: Session, *, requester: Requester, kind: str, value: str,
                 retention_days: int) -> ContactPoint:
    """Keep a raw contact for a later reply, until the retention date (renewed when given again)."""
    expires = utcnow() + dt.timedelta(days=retention_days)
    return upsert(session, ContactPoint, {"requester_id": requester.id, "kind": kind,
                                          "value": normalise_identifier(kind, value), "expires_at": expires},
                  unique=["requester_id", "kind", "value"], update={"expires_at": expires})


def purge_expired_contacts(session: Session, *, now: dt.datetime | None = None) -> int:
    result = session.execute(delete(ContactPoint).where(ContactPoint.expires_at < (now or utcnow())))
    return result.rowcount or 0
