"""Domain exceptions and the single place that turns them into JSON errors or an HTML error page."""

from __future__ import annotations

import logging
from typing import Any

from khaojing.messages import MESSAGES, say

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A refusal. `detail` is English, for developers, logs and API clients. `key` (a message-catalogue key,
    registered in the owning module's messages*.py) and `params` say the same to a person in Thai or English:
    `Invalid("the answer is due within 30 days", key="err.due_range", params={"days": 30})`. Without a key the
    person reads the class's general text (`message_th` / `message_en`)."""

    status_code = 400
    code = "error"
    message_th = "เกิดข้อผิดพลาด"
    message_en = "Something went wrong"
    key: str | None = None

    def __init__(self, detail: str | None = None, *, key: str | None = None, params: dict[str, Any] | None = None,
                 fields: list[dict[str, Any]] | None = None, headers: dict[str, str] | None = None):
        super().__init__(detail or self.message_en)
        self.detail = detail or self.message_en
        if key is not None:
            self.key = key
        self.params = dict(params or {})
        self.fields = fields
        self.headers = headers or {}

    def text(self, lang: str) -> str | None:
        """The specific reason in `lang` (see `khaojing.messages.say`), or None when the error has no registered
        key and only the general text applies."""
        if not self.key or self.key not in MESSAGES:
            return None
        return say(self.key, lang, self.params)

    def general(self, lang: str) -> str:
        return self.message_th if lang == "th" else self.message_en


class Invalid(DomainError):
    status_code = 422
    code = "invalid"
    message_th = "ข้อมูลไม่ถูกต้อง"
    message_en = "The data is not valid"


class NotFound(DomainError):
    status_code = 404
    code = "not_found"
    message_th = "ไม่พบสิ่งที่ต้องการ"
    message_en = "Not found"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"
    message_th = "ขัดแย้งกับข้อมูลที่มีอยู่"
    message_en = "Conflict with the current state"


class InvalidTransition(Conflict):
    code = "invalid_transition"
    message_th = "ไม่สามารถเปลี่ยนสถานะนี้ได้"
    message_en = "This state change is not allowed"


class Unauthorized(DomainError):
    status_code = 401
    code = "unauthorized"
    message_th = "ต้องเข้าสู่ระบบหรือใช้กุญแจ API ที่ถูกต้อง"
    message_en = "Authentication required"


class Forbidden(DomainError):
    status_code = 403
    code = "forbidden"
    message_th = "ไม่มีสิทธิ์ทำรายการนี้"
    message_en = "You are not allowed to do this"


class FormExpired(Forbidden):
    """A form posted without this session's token: usually a page left open past the session, so the general text
    says so rather than "not allowed"."""

    message_th = "แบบฟอร์มหมดอายุ"
    message_en = "The form has expired"


class TooLarge(DomainError):
    status_code = 413
    code = "too_large"
    message_th = "ข้อมูลมีขนาดใหญ่เกินกำหนด"
    message_en = "The content is too large"


class UnsupportedMediaType(DomainError):
    status_code = 415
    code = "unsupported_media_type"
    message_th = "ไม่รองรับชนิดข้อมูลนี้"
    message_en = "Unsupported content type"


class TooManyRequests(DomainError):
    status_code = 429
    code = "too_many_requests"
    message_th = "มีการร้องขอมากเกินไป กรุณารอสักครู่"
    message_en = "Too many attempts; please wait"


class StorageFull(DomainError):
    status_code = 507
    code = "storage_full"
    message_th = "พื้นที่จัดเก็บไฟล์เต็ม กรุณาส่งใหม่ภายหลัง"
    message_en = "File storage is full; please send it again later"

    def __init__(self, detail: str | None = None, **kw: Any):
        super().__init__(detail, **kw)
        self.headers.setdefault("Retry-After", "300")


def reason(exc: DomainError, lang: str) -> str:
    """What a form shows when `exc` refused a change: the specific text in the reader's language when the error has
    a key, else the general text and the English detail (an error nobody has worded for people yet)."""
    return exc.text(lang) or f"{exc.general(lang)}: {exc.detail}"


def error_body(exc: DomainError) -> dict[str, Any]:
    """The JSON error: `message` is the English detail, `message_th` the Thai reason (specific when the error has a
    key, the general Thai text otherwise)."""
    body: dict[str, Any] = {"error": {"code": exc.code, "message": exc.detail,
                                      "message_th": exc.text("th") or exc.message_th}}
    if exc.fields:
        body["error"]["fields"] = exc.fields
    return body
