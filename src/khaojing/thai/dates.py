"""Format dates for readers: Buddhist-era years and Thai month names for Thai, ISO-like for English."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from pythainlp.util import thai_strftime

BE_OFFSET = 543


def to_local(value: dt.datetime, tz: str = "Asia/Bangkok") -> dt.datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(ZoneInfo(tz))


def format_datetime(value: dt.datetime | None, lang: str = "th", tz: str = "Asia/Bangkok",
                    with_time: bool = True) -> str:
    """'26 พฤศจิกายน 2569 17:25 น.' in Thai; '26 Nov 2026 17:25' in English (local time of the center)."""
    if value is None:
        return "–"
    local = to_local(value, tz)
    if lang == "th":
        text = thai_strftime(local, "%-d %B %Y")
        return f"{text} {local:%H:%M} น." if with_time else text
    text = f"{local.day} {local:%b %Y}"
    return f"{text} {local:%H:%M}" if with_time else text


def format_date_short(value: dt.datetime | None, lang: str = "th", tz: str = "Asia/Bangkok") -> str:
    """'26 พ.ย. 69' in Thai; '26 Nov 2026' in English."""
    if value is None:
        return "–"
    local = to_local(value, tz)
    if lang == "th":
        return thai_strftime(local, "%-d %b %y")
    return f"{local.day} {local:%b %Y}"
