"""Domain exceptions and the single place that turns them into JSON errors or an HTML error page."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


class DomainError(Exception):
    status_code = 400
    code = "error"
    message_th = "เกิดข้อผิดพลาด"
    message_en = "Something went wrong"

    def __init__(self, detail: str | None = None, *, fields: list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(detail or self.message_en)
        self.detail = detail or self.message_en
        self.fields = fields
        self.headers = headers or {}


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


def error_body(exc: DomainError) -> dict[str, Any]:
    body: dict[str, Any] = {"error": {"code": exc.code, "message": exc.detail,
                                      "message_th": exc.message_th}}
    if exc.fields:
        body["error"]["fields"] = exc.fields
    return body
