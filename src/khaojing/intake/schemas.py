"""Pydantic shapes of incoming and outgoing reports (shared by the API, the web form and the importer)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, field_validator

Language = Literal["th", "en"]


class RequesterIn(BaseModel):
    """Who sent the item on the partner's side; stored only as a keyed hash."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["email", "phone", "line_user_id", "partner_user_id"]
    value: str = Field(min_length=1, max_length=320)


class ContactIn(BaseModel):
    """A contact the center may use to reply; kept only until its retention date."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["email", "phone"]
    value: str = Field(min_length=3, max_length=320)

    @field_validator("value")
    @classmethod
    def _plausible(cls, v: str, info) -> str:  # noqa: ANN001
        v = v.strip()
        if info.data.get("kind") == "email" and ("@" not in v or " " in v):
            raise ValueError("not an email address")
        if info.data.get("kind") == "phone" and sum(ch.isdigit() for ch in v) < 6:
            raise ValueError("not a phone number")
        return v


class ImageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    content_base64: str = Field(min_length=1, description="The image bytes, base64-encoded (JPEG, PNG or WebP, "
                                "at most 10 MB)")
    filename: str | None = Field(default=None, max_length=300)


class ReportIn(BaseModel):
    """One item a partner agency forwards to the center."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "text": "ดื่มน้ำมะนาวผสมโซดาฆ่าเชื้อไวรัสได้",
        "urls": ["https://example.com/post/123"],
        "external_id": "moph-2026-000123",
        "received_at": "2026-11-26T08:30:00+07:00",
        "language": "th",
    }], "anyOf": [  # a report carries something to check: a text, a link or an image
        {"required": ["text"], "properties": {"text": {"pattern": "[0-9A-Za-z\u0E00-\u0E7F]"}}},
        {"required": ["urls"], "properties": {"urls": {"minItems": 1}}},
        {"required": ["images"], "properties": {"images": {"minItems": 1}}},
    ]})

    text: str = Field(default="", description="The message as it circulated (at most 1 MB)")
    # the center's own limits (settings max_urls_per_report, max_images_per_report) are checked on intake
    urls: list[AnyHttpUrl] = Field(default_factory=list, max_length=100)
    images: list[ImageIn] = Field(default_factory=list, max_length=20)
    external_id: str | None = Field(default=None, min_length=1, max_length=200,
                                    description="Your own id for this item; a second delivery returns the first")
    received_at: dt.datetime | None = Field(default=None, description="When you received it (ISO 8601 with zone)")
    language: Language = "th"
    requester: RequesterIn | None = None
    contact: ContactIn | None = None
    meta: dict[str, str | int | float | bool | None] = Field(default_factory=dict, max_length=50)

    @field_validator("received_at")
    @classmethod
    def _aware(cls, v: dt.datetime | None) -> dt.datetime | None:
        if v is not None and v.tzinfo is None:
            raise ValueError("received_at needs a time zone, e.g. 2026-11-26T08:30:00+07:00")
        return v


class MediaOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    sha256: str
    content_type: str
    width: int
    height: int


class ReportOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    tracking_code: str
    status: str
    channel: str
    external_id: str | None
    received_at: dt.datetime
    created_at: dt.datetime
    text: str
    urls: list[str]
    language: str
    claim_id: int | None
    media: list[MediaOut]
    tracking_url: str | None = None
