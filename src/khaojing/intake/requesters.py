"""Pseudonymous requesters: identifiers become keyed hashes; raw contact data is kept only with an expiry."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from sqlalchemy import ColumnElement, delete, distinct, func
from sqlalchemy.orm import Session

from khaojing.db.base import utcnow
from khaojing.db.upsert import upsert
from khaojing.intake.models import ContactPoint, Report, Requester


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


def people_count() -> ColumnElement[int]:
    """How many people sent the reports a query counts (an aggregate over Report rows): a requester once however many
    reports they sent, and each report without a requester (a web form without contact details, a requester whose
    data has expired) as one person. The one rule for "people" on claims, their priority and who asked of a verdict."""
    return func.count(distinct(Report.requester_id)) + func.count(Report.id).filter(Report.requester_id.is_(None))
