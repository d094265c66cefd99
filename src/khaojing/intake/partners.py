"""Partner agencies' API clients: create, authenticate and revoke keys (only a hash of each key is kept)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from khaojing.audit import service as audit
from khaojing.db.base import utcnow
from khaojing.errors import Conflict, NotFound, Unauthorized
from khaojing.intake import messages_refusals as _refusals  # noqa: F401  (the refusals' Thai texts)
from khaojing.intake.models import ApiKey, Source

KEY_PREFIX = "kj_"


@dataclass
class IssuedKey:
    source: Source
    key: str  # shown once, never stored


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _issue(session: Session, source: Source) -> str:
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    session.add(ApiKey(source=source, prefix=prefix, key_hash=_hash(secret)))
    return f"{KEY_PREFIX}{prefix}_{secret}"


def create_partner(session: Session, *, name: str, actor: str) -> IssuedKey:
    name = name.strip()
    if not name:
        raise Conflict("a partner needs a name")
    if session.scalar(select(Source).where(Source.name == f"api:{name}")) is not None:
        raise Conflict(f"partner {name!r} exists; use `khaojing partners rotate` for a new key")
    source = Source(kind="api", name=f"api:{name}")
    session.add(source)
    key = _issue(session, source)
    session.flush()
    audit.record(session, actor=actor, action="partner.created", object_type="source", object_id=source.id,
                 data={"name": name})
    return IssuedKey(source=source, key=key)


def _partner(session: Session, name: str) -> Source:
    source = session.scalar(select(Source).where(Source.name == f"api:{name}"))
    if source is None:
        raise NotFound(f"no partner called {name!r}")
    return source


def rotate_key(session: Session, *, name: str, actor: str) -> IssuedKey:
    """Issue an additional key (the old ones keep working until revoked)."""
    source = _partner(session, name)
    key = _issue(session, source)
    session.flush()
    audit.record(session, actor=actor, action="partner.key_issued", object_type="source", object_id=source.id)
    return IssuedKey(source=source, key=key)


def revoke_partner(session: Session, *, name: str, actor: str) -> int:
    """Revoke every key of the partner; returns how many were revoked."""
    source = _partner(session, name)
    n = 0
    for key in source.api_keys:
        if key.revoked_at is None:
            key.revoked_at = utcnow()
            n += 1
    audit.record(session, actor=actor, action="partner.revoked", object_type="source", object_id=source.id,
                 data={"keys": n})
    return n


def list_partners(session: Session) -> list[Source]:
    return list(session.scalars(select(Source).where(Source.kind == "api").order_by(Source.name)))


def authenticate(session: Session, raw_key: str | None) -> Source:
    """The partner a bearer key belongs to; Unauthorized for a missing, malformed, unknown or revoked key."""
    if not raw_key or not raw_key.startswith(KEY_PREFIX) or raw_key.count("_") < 2:
        raise Unauthorized("missing or malformed API key; send `Authorization: Bearer kj_…`",
                           key="intake.err.key_missing")
    prefix, _, secret = raw_key[len(KEY_PREFIX):].partition("_")
    key = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix).options(joinedload(ApiKey.source)))
    if key is None or not hmac.compare_digest(key.key_hash, _hash(secret)):
        raise Unauthorized("unknown API key", key="intake.err.key_unknown")
    if key.revoked_at is not None or not key.source.active:
        raise Unauthorized("this API key has been revoked", key="intake.err.key_revoked")
    now = utcnow()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 300:
        key.last_used_at = now  # kept when the caller's unit of work writes; at most every 5 minutes
    return key.source
