"""POST /line/webhook: check LINE's signature, check the shape, store the events (one job each), answer 200.

Nothing slow happens here: no call to LINE, no matching. The answer goes out only after the events are committed,
so a crash before that makes LINE redeliver, and a redelivery (same webhookEventId) stores nothing twice.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from linebot.v3.webhook import SignatureValidator
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from starlette.concurrency import run_in_threadpool

from khaojing.channels.line.config import LineConfig, line_config
from khaojing.db.session import Database
from khaojing.tipline.service import IncomingEvent, record_events
from khaojing.web.deps import get_db

log = logging.getLogger(__name__)
router = APIRouter()
MAX_BODY_BYTES = 1_000_000  # LINE's bodies are a few kB; events come in batches of at most a few dozen


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow")


class DeliveryContext(_Strict):
    isRedelivery: bool  # noqa: N815  (LINE's field names)


class Source(_Strict):
    type: Literal["user", "group", "room"]
    userId: str | None = Field(default=None, max_length=100)  # noqa: N815
    groupId: str | None = Field(default=None, max_length=100)  # noqa: N815
    roomId: str | None = Field(default=None, max_length=100)  # noqa: N815


class Event(_Strict):
    """webhook.yml's Event: type, timestamp, mode, webhookEventId and deliveryContext are required."""

    type: str = Field(min_length=1, max_length=40)
    timestamp: int
    mode: Literal["active", "standby"]
    webhookEventId: str = Field(min_length=1, max_length=100)  # noqa: N815
    deliveryContext: DeliveryContext  # noqa: N815
    source: Source | None = None
    replyToken: str | None = Field(default=None, max_length=255)  # noqa: N815

    @model_validator(mode="after")
    def _content(self) -> Event:
        extra = self.model_extra or {}
        if self.type == "message":
            message = extra.get("message")
            if not isinstance(message, dict) or not isinstance(message.get("type"), str) \
                    or not isinstance(message.get("id"), str):
                raise ValueError("a message event needs message.type and message.id")
        if self.type == "postback":
            data = extra.get("postback")
            if not isinstance(data, dict) or not isinstance(data.get("data"), str):
                raise ValueError("a postback event needs postback.data")
        return self


class Callback(_Strict):
    destination: str = Field(pattern=r"^U[0-9a-f]{32}$")
    events: list[Event]


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def signature_ok(secret: str, body: bytes, signature: str | None) -> bool:
    """X-Line-Signature = base64(HMAC-SHA256(channel secret, raw body)), checked before anything is parsed."""
    if not signature:
        return False
    try:
        text = body.decode("utf-8")  # LINE signs UTF-8 JSON; other bytes cannot carry its signature
    except UnicodeDecodeError:
        return False
    return SignatureValidator(secret).validate(text, signature)


def _scrub(event: dict[str, Any]) -> dict[str, Any]:
    """The event as stored: without LINE's raw user, group and room ids and without the reply token."""
    clean = {k: v for k, v in event.items() if k != "replyToken"}
    if isinstance(clean.get("source"), dict):
        clean["source"] = {"type": clean["source"].get("type")}
    message = clean.get("message")
    if isinstance(message, dict) and isinstance(message.get("mention"), dict):
        mentionees = [{k: v for k, v in m.items() if k != "userId"} for m in message["mention"].get("mentionees", [])
                      if isinstance(m, dict)]
        clean["message"] = {**message, "mention": {**message["mention"], "mentionees": mentionees}}
    for key in ("joined", "left"):
        if isinstance(clean.get(key), dict):
            clean[key] = {"members": len(clean[key].get("members") or [])}
    return clean


def parse_events(body: bytes) -> list[IncomingEvent]:
    """LINE's callback body -> events; ValueError when it is not JSON or not LINE's shape."""
    try:
        raw = json.loads(body)
        callback = Callback.model_validate(raw)
    except (ValueError, ValidationError) as exc:
        raise ValueError(str(exc).splitlines()[0] if str(exc) else "not LINE's webhook shape") from exc
    events = []
    for parsed, original in zip(callback.events, raw["events"], strict=True):
        source = parsed.source
        message = original.get("message") if parsed.type == "message" else None
        events.append(IncomingEvent(
            webhook_event_id=parsed.webhookEventId, kind=parsed.type, mode=parsed.mode,
            occurred_at=dt.datetime.fromtimestamp(parsed.timestamp / 1000, dt.UTC),
            is_redelivery=parsed.deliveryContext.isRedelivery, source_type=source.type if source else None,
            user_id=source.userId if source else None,
            group_id=(source.groupId or source.roomId) if source else None, reply_token=parsed.replyToken,
            message_type=message.get("type") if message else None, body=_scrub(original)))
    return events


def _store(db: Database, cfg: LineConfig, events: list[IncomingEvent]) -> None:
    with db.unit_of_work() as session:
        result = record_events(session, events=events, secret_key=cfg.secret_key,
                               retention_days=cfg.contact_retention_days)
    if result.repeated:
        log.info("LINE webhook: %d new, %d already stored, %d ignored", result.new, result.repeated, result.ignored)


@router.post("/webhook")
async def line_webhook(request: Request, db: Database = Depends(get_db)) -> JSONResponse:
    cfg = line_config(request.app.state.settings)
    if not cfg.channel_secret:
        log.error("LINE webhook called but KHAOJING_LINE_CHANNEL_SECRET is not set")
        return _error(503, "not_configured", "the LINE channel is not configured")
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        return _error(413, "too_large", "the body is too large for a LINE webhook")
    if not signature_ok(cfg.channel_secret, body, request.headers.get("x-line-signature")):
        log.warning("LINE webhook: missing or wrong X-Line-Signature from %s",
                    request.client.host if request.client else "?")
        return _error(401, "bad_signature", "missing or wrong X-Line-Signature")
    try:
        events = parse_events(body)
    except ValueError as exc:
        log.warning("LINE webhook: signed body is not LINE's shape: %s", exc)
        return _error(400, "bad_request", "the body is not a LINE webhook callback")
    if events:  # LINE's "Verify" button sends none
        await run_in_threadpool(_store, db, cfg, events)
    return JSONResponse({})
