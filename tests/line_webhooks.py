"""Webhook bodies built and signed exactly as LINE sends them (per ../shared/specs/line-openapi/webhook.yml)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from typing import Any

CHANNEL_SECRET = "0123456789abcdef0123456789abcdef"
BOT_USER_ID = "U" + "b" * 32

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def ulid() -> str:
    """A webhookEventId: a ULID (48-bit millisecond time + 80 random bits, Crockford base32)."""
    value = (int(time.time() * 1000) << 80) | secrets.randbits(80)
    return "".join(_CROCKFORD[(value >> (5 * i)) & 31] for i in reversed(range(26)))


def user_id() -> str:
    return "U" + secrets.token_hex(16)


def sign(body: bytes, secret: str = CHANNEL_SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


class Webhook:
    """Build webhook events and bodies per webhook.yml (the field names and order LINE uses)."""

    def __init__(self, secret: str = CHANNEL_SECRET, destination: str = BOT_USER_ID):
        self.secret, self.destination = secret, destination

    @staticmethod
    def _event(kind: str, source: dict | None, *, reply: bool = True, redelivery: bool = False,
               **fields: Any) -> dict:
        event: dict[str, Any] = {"type": kind}
        event.update(fields)
        event["webhookEventId"] = ulid()
        event["deliveryContext"] = {"isRedelivery": redelivery}
        event["timestamp"] = int(time.time() * 1000)
        if source is not None:
            event["source"] = source
        if reply:
            event["replyToken"] = secrets.token_hex(16)
        event["mode"] = "active"
        return event

    @staticmethod
    def user(uid: str) -> dict:
        return {"type": "user", "userId": uid}

    @staticmethod
    def group(group_id: str, uid: str | None = None) -> dict:
        return {"type": "group", "groupId": group_id, **({"userId": uid} if uid else {})}

    def message(self, uid: str, content: dict, source: dict | None = None) -> dict:
        content = {"id": str(secrets.randbelow(10**17)), **content}
        return self._event("message", source or self.user(uid), message=content)

    def text(self, uid: str, text: str, source: dict | None = None) -> dict:
        return self.message(uid, {"type": "text", "quoteToken": secrets.token_hex(8), "text": text}, source)

    def image(self, uid: str) -> dict:
        return self.message(uid, {"type": "image", "contentProvider": {"type": "line"},
                                  "quoteToken": secrets.token_hex(8)})

    def sticker(self, uid: str) -> dict:
        return self.message(uid, {"type": "sticker", "packageId": "446", "stickerId": "1988",
                                  "stickerResourceType": "STATIC", "keywords": ["Hello"],
                                  "quoteToken": secrets.token_hex(8)})

    def video(self, uid: str) -> dict:
        return self.message(uid, {"type": "video", "duration": 6000, "contentProvider": {"type": "line"},
                                  "quoteToken": secrets.token_hex(8)})

    def audio(self, uid: str) -> dict:
        return self.message(uid, {"type": "audio", "duration": 3000, "contentProvider": {"type": "line"}})

    def location(self, uid: str) -> dict:
        return self.message(uid, {"type": "location", "title": "อนุสาวรีย์ชัยฯ", "address": "กรุงเทพฯ",
                                  "latitude": 13.7649, "longitude": 100.5383})

    def file(self, uid: str) -> dict:
        return self.message(uid, {"type": "file", "fileName": "doc.pdf", "fileSize": 2048})

    def follow(self, uid: str) -> dict:
        return self._event("follow", self.user(uid), follow={"isUnblocked": False})

    def unfollow(self, uid: str) -> dict:
        return self._event("unfollow", self.user(uid), reply=False)

    def postback(self, uid: str, data: str) -> dict:
        return self._event("postback", self.user(uid), postback={"data": data})

    def body(self, *events: dict) -> bytes:
        return json.dumps({"destination": self.destination, "events": list(events)},
                          ensure_ascii=False).encode("utf-8")

    def headers(self, body: bytes, secret: str | None = None) -> dict[str, str]:
        return {"Content-Type": "application/json; charset=utf-8",
                "X-Line-Signature": sign(body, secret or self.secret), "User-Agent": "LineBotWebhook/2.0"}


