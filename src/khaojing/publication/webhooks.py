"""Outgoing signed webhooks for partners: register a URL, queue one delivery per verdict version, deliver with retries.

The outbox is the pub_webhook_deliveries table: one row per webhook × verdict version (a unique key, so a version is
never queued — and never delivered — twice). The job `publication.webhooks` posts the due rows; a failed attempt
waits webhook_backoff_seconds × 2^(attempts-1) and the row is dead after webhook_max_attempts (listed by the CLI).
Signature: X-Khaojing-Signature = hex HMAC-SHA256(secret, timestamp + "." + body), timestamp in X-Khaojing-Timestamp.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import time
from dataclasses import dataclass

import httpx
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from khaojing.audit import service as audit
from khaojing.db.base import utcnow
from khaojing.errors import Conflict, Invalid, NotFound
from khaojing.intake.models import Source
from khaojing.matching.urls import UnsafeAddress, pinned_request
from khaojing.publication.models import PartnerWebhook, WebhookDelivery
from khaojing.publication.service import is_web_url
from khaojing.settings import Settings

log = logging.getLogger(__name__)
WEBHOOK_JOB = "publication.webhooks"
PENDING, DELIVERED, DEAD = "pending", "delivered", "dead"
BATCH = 50
SIGNATURE_HEADER, TIMESTAMP_HEADER = "X-Khaojing-Signature", "X-Khaojing-Timestamp"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str, *, tolerance: int = 300,
           now: float | None = None) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent (no replays of old bodies)."""
    try:
        fresh = abs((now if now is not None else time.time()) - int(timestamp)) <= tolerance
    except ValueError:
        return False
    return fresh and hmac.compare_digest(sign(secret, timestamp, body), signature)


@dataclass
class Registered:
    webhook: PartnerWebhook
    secret: str  # shown once by the CLI


def add_webhook(session: Session, *, name: str, url: str, actor: str, partner: str | None = None) -> Registered:
    """Register a partner's URL; returns it with its signing secret."""
    name, url = name.strip(), url.strip()
    if not name or len(name) > 100:
        raise Invalid("a webhook needs a name of at most 100 characters")
    if not is_web_url(url) or len(url) > 2000:
        raise Invalid(f"not an http(s) URL: {url!r}")
    if session.scalar(select(PartnerWebhook.id).where(PartnerWebhook.name == name,
                                                      PartnerWebhook.removed_at.is_(None))) is not None:
        raise Conflict(f"a webhook called {name!r} exists; remove it first")
    source_id = None
    if partner:
        source_id = session.scalar(select(Source.id).where(Source.name == f"api:{partner}"))
        if source_id is None:
            raise NotFound(f"no partner called {partner!r} (`khaojing partners list`)")
    old = session.scalar(select(PartnerWebhook).where(PartnerWebhook.name == name))
    if old is not None:  # a removed one of the same name: its name is free again
        old.name = f"{name[:60]}~removed-{old.id}"
        session.flush()
    secret = "whsec_" + secrets.token_urlsafe(32)
    hook = PartnerWebhook(name=name, url=url, secret=secret, source_id=source_id)
    session.add(hook)
    session.flush()
    audit.record(session, actor=actor, action="webhook.added", object_type="webhook", object_id=hook.id,
                 data={"name": name, "url": url, "partner": partner})
    return Registered(hook, secret)


def remove_webhook(session: Session, *, name: str, actor: str) -> int:
    """Stop a webhook; its undelivered rows become dead. Returns how many were still pending."""
    hook = session.scalar(select(PartnerWebhook).where(PartnerWebhook.name == name,
                                                       PartnerWebhook.removed_at.is_(None)))
    if hook is None:
        raise NotFound(f"no webhook called {name!r}")
    hook.removed_at = utcnow()
    pending = session.scalars(select(WebhookDelivery).where(WebhookDelivery.webhook_id == hook.id,
                                                            WebhookDelivery.status == PENDING)).all()
    for row in pending:
        row.status, row.last_error = DEAD, "webhook removed"
    audit.record(session, actor=actor, action="webhook.removed", object_type="webhook", object_id=hook.id,
                 data={"name": name, "pending_dropped": len(pending)})
    return len(pending)


@dataclass
class HookStatus:
    webhook: PartnerWebhook
    counts: dict[str, int]
    last_error: str | None


def list_webhooks(session: Session) -> list[HookStatus]:
    hooks = session.scalars(select(PartnerWebhook).where(PartnerWebhook.removed_at.is_(None))
                            .order_by(PartnerWebhook.name)).all()
    out = []
    for hook in hooks:
        counts = dict(session.execute(select(WebhookDelivery.status, func.count()).where(
            WebhookDelivery.webhook_id == hook.id).group_by(WebhookDelivery.status)).all())
        error = session.scalar(select(WebhookDelivery.last_error).where(
            WebhookDelivery.webhook_id == hook.id, WebhookDelivery.last_error.is_not(None))
            .order_by(WebhookDelivery.id.desc()).limit(1))
        out.append(HookStatus(hook, {s: counts.get(s, 0) for s in (PENDING, DELIVERED, DEAD)}, error))
    return out


def dead_deliveries(session: Session, *, limit: int = 50) -> list[WebhookDelivery]:
    return list(session.scalars(select(WebhookDelivery).where(WebhookDelivery.status == DEAD)
                                .order_by(WebhookDelivery.id.desc()).limit(limit)))


def queue_deliveries(session: Session, *, claim_id: int, verdict_id: int, version: int, body: dict) -> int:
    """One outbox row per active webhook for this verdict version (none if already queued); returns rows added."""
    text = json.dumps(body, ensure_ascii=False, default=_json_default, separators=(",", ":"))
    event = "published" if version <= 1 else "corrected"
    added = 0
    for hook_id in session.scalars(select(PartnerWebhook.id).where(PartnerWebhook.removed_at.is_(None))):
        exists = session.scalar(select(WebhookDelivery.id).where(
            WebhookDelivery.webhook_id == hook_id, WebhookDelivery.verdict_id == verdict_id,
            WebhookDelivery.version == version))
        if exists is not None:
            continue
        try:
            with session.begin_nested():
                session.add(WebhookDelivery(webhook_id=hook_id, claim_id=claim_id, verdict_id=verdict_id,
                                            version=version, event=event, body=text))
            added += 1
        except IntegrityError:  # queued at the same moment by another worker
            continue
    return added


def _json_default(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    raise TypeError(f"not JSON: {type(value).__name__}")


@dataclass
class Delivered:
    delivered: int = 0
    failed: int = 0
    dead: int = 0


def deliver_due(session: Session, *, settings: Settings, now: dt.datetime | None = None,
                client: httpx.Client | None = None) -> Delivered:
    """Post every due delivery once; record the outcome on its row (the caller's unit of work commits it)."""
    now = now or utcnow()
    result = Delivered()
    rows = session.scalars(select(WebhookDelivery).where(WebhookDelivery.status == PENDING,
                                                         WebhookDelivery.next_attempt_at <= now)
                           .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(BATCH)
                           .with_for_update(skip_locked=True)).all()
    if not rows:
        return result
    own = client is None
    client = client or httpx.Client(timeout=settings.webhook_timeout_seconds, follow_redirects=False)
    try:
        for row in rows:
            _attempt(row, client, settings, now, result)
    finally:
        if own:
            client.close()
    session.flush()
    return result


def _attempt(row: WebhookDelivery, client: httpx.Client, settings: Settings, now: dt.datetime,
             result: Delivered) -> None:
    hook = row.webhook
    body = row.body.encode()
    timestamp = str(int(time.time()))
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "khaojing-webhooks/1",
               TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: sign(hook.secret, timestamp, body),
               "X-Khaojing-Event": f"verdict.{row.event}", "X-Khaojing-Delivery": str(row.id)}
    row.attempts += 1
    try:
        request = pinned_request(client, "POST", hook.url, allow_private=settings.webhooks_may_reach_private,
                                 headers=headers, content=body)  # SSRF guard: sent to the address it checked
        response = client.send(request)
        row.last_status = response.status_code
        error = None if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
    except httpx.HTTPError as exc:
        row.last_status, error = None, f"{type(exc).__name__}: {exc}"[:500]
    except UnsafeAddress as exc:  # a private, loopback or link-local target: never requested
        row.last_status, error = None, f"refused: {exc}"[:500]
    if error is None:
        row.status, row.delivered_at, row.last_error = DELIVERED, now, None
        result.delivered += 1
        return
    row.last_error = error
    if row.attempts >= settings.webhook_max_attempts:
        row.status = DEAD
        result.dead += 1
        log.warning("webhook %s: delivery %s dead after %d attempts (%s)", hook.name, row.id, row.attempts, error)
    else:
        row.next_attempt_at = now + dt.timedelta(seconds=settings.webhook_backoff_seconds * 2 ** (row.attempts - 1))
        result.failed += 1
