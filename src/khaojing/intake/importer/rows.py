"""Turn one imported row into a Submission: the AFNC open-data layout, or plain text,url,received_at."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
import unicodedata
from typing import Any

from khaojing.intake.importer.files import (
    AFNC_BODY,
    AFNC_HASHTAGS,
    AFNC_LINK,
    AFNC_META,
    AFNC_PUBLISHED,
    AFNC_TITLE,
)
from khaojing.intake.service import Submission
from khaojing.thai import dates as thai_dates

EXTERNAL_ID_MAX = 200
_HTTP_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


class RowError(Exception):
    """A row that cannot become a report; the message says why (shown with its line number)."""


def _s(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _external_id(value: str) -> str:
    return value if len(value) <= EXTERNAL_ID_MAX else "sha256:" + hashlib.sha256(value.encode()).hexdigest()


def _not_future(when: dt.datetime, raw: str, now: dt.datetime) -> dt.datetime:
    if when > now + dt.timedelta(days=1):
        raise RowError(f"date {raw!r} is in the future (a Buddhist-era year in an ISO date?)")
    return when


def parse_be_datetime(raw: str, tz: dt.tzinfo) -> dt.datetime:
    """'27/07/2568 10:57:49' (Buddhist era, local time of the center) -> aware UTC (rules in khaojing.thai.dates)."""
    try:
        return thai_dates.parse_be_datetime(raw, tz, to_utc=True)
    except ValueError as exc:
        raise RowError(str(exc)) from exc


def parse_iso_datetime(raw: str, tz: dt.tzinfo) -> dt.datetime:
    """ISO 8601 -> aware UTC; a time without a zone is the center's local time."""
    try:
        when = dt.datetime.fromisoformat(raw.strip())
    except ValueError as exc:
        raise RowError(f"bad date {raw!r} (expected ISO 8601, e.g. 2026-11-26T08:30:00+07:00)") from exc
    return (when if when.tzinfo else when.replace(tzinfo=tz)).astimezone(dt.UTC)


def _afnc_submission(data: dict[str, Any], tz: dt.tzinfo, now: dt.datetime) -> Submission:
    title, body = html.unescape(_s(data.get(AFNC_TITLE))), html.unescape(_s(data.get(AFNC_BODY)))
    text = "\n".join(part for part in (title, body) if part)
    link = _s(data.get(AFNC_LINK))
    if not text:
        raise RowError(f"empty text ({AFNC_TITLE} and {AFNC_BODY} are both empty)")
    if not link:
        raise RowError(f"no link ({AFNC_LINK})")
    raw_date = _s(data.get(AFNC_PUBLISHED))
    received = _not_future(parse_be_datetime(raw_date, tz), raw_date, now)
    meta: dict[str, Any] = {"import_layout": "afnc"}
    meta.update({key: _s(data.get(column)) for key, column in AFNC_META.items() if _s(data.get(column))})
    tags = [t.strip() for t in _s(data.get(AFNC_HASHTAGS)).split(",") if t.strip()]
    if tags:
        meta["hashtags"] = tags
    return Submission(text=text, urls=[link], external_id=_external_id(link), received_at=received, meta=meta)


def _plain_urls(data: dict[str, Any]) -> list[str]:
    value = data.get("urls", data.get("url"))
    urls = [_s(u) for u in value] if isinstance(value, list) else _s(value).split()
    for url in urls:
        if not _HTTP_URL.fullmatch(url):
            raise RowError(f"not an http(s) link: {url[:80]!r}")
    return [u for u in urls if u]


def _normalised(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _plain_submission(data: dict[str, Any], tz: dt.tzinfo, now: dt.datetime) -> Submission:
    text = _s(data.get("text"))
    if not text:
        raise RowError("empty text")
    urls = _plain_urls(data)
    raw_date = _s(data.get("received_at"))
    received = _not_future(parse_iso_datetime(raw_date, tz), raw_date, now) if raw_date else None
    language = _s(data.get("language")) or "th"
    if language not in ("th", "en"):
        raise RowError(f"language {language!r} is not th or en")
    key = json.dumps([_normalised(text), urls, received.isoformat() if received else ""], ensure_ascii=False)
    return Submission(text=text, urls=urls, received_at=received, language=language,
                      external_id="sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest(),
                      meta={"import_layout": "plain"})


def to_submission(data: dict[str, Any], layout: str, tz: dt.tzinfo, now: dt.datetime) -> Submission:
    convert = _afnc_submission if layout == "afnc" else _plain_submission
    return convert(data, tz, now)
