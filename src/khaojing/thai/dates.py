"""Buddhist-era dates: parse what Thai people write (23/07/2568, 23 ก.ค. 68) and format for Thai or English readers."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from zoneinfo import ZoneInfo

from pythainlp.util import thai_strftime

from khaojing.thai.digits import to_arabic, to_thai

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


THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน",
               "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
THAI_MONTHS_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
_ENGLISH_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {**{name: i for i, name in enumerate(THAI_MONTHS, 1)},
           **{short.replace(".", ""): i for i, short in enumerate(THAI_MONTHS_SHORT, 1)},
           **{name: i for i, name in enumerate(_ENGLISH_MONTHS, 1)}}
_TIME = r"(?:\s*(?:[|,]|เวลา)?\s*(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2}))?\s*(?:น\.?|นาฬิกา)?)?"
_NUMERIC_DATE = re.compile(r"(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})\s*[/.-]\s*(?P<year>\d{4}|\d{2})" + _TIME)
_TEXT_DATE = re.compile(r"(?P<day>\d{1,2})\s*(?P<month>[ก-๎.]+|[A-Za-z]{3,9}\.?)\s*(?:พ\.\s?ศ\.|ค\.\s?ศ\.)?\s*"
                        r"(?P<year>\d{4}|\d{2})(?!\d)" + _TIME)
_PREFIX = re.compile(r"^(?:วัน[ก-๎]*\s*)?(?:ที่\s*)?")


def _year(raw: str) -> int:
    """A Buddhist-era year (2568, or 68 for 2568) or a Common-era year (2025) -> the Common-era year."""
    year = int(raw)
    if len(raw) == 2:
        year += 2500
    return year - BE_OFFSET if year > 2400 else year


def _month(raw: str) -> int:
    key = raw.replace(".", "").replace(" ", "").lower()
    if key in _MONTHS:
        return _MONTHS[key]
    if key[:3] in _ENGLISH_MONTHS and key.isascii():
        return _ENGLISH_MONTHS.index(key[:3]) + 1
    if key.isdigit():
        return int(key)
    raise ValueError(f"unknown month {raw!r}")


def _zone(tz: str | dt.tzinfo) -> dt.tzinfo:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def parse_be_datetime(raw: str, tz: str | dt.tzinfo = "Asia/Bangkok", *, to_utc: bool = False) -> dt.datetime:
    """A Thai date as people write it -> an aware datetime in `tz` (in UTC when to_utc).

    Accepts '23/07/2568', '23/07/68', '23-07-2568', '23 ก.ค. 68', '23 กรกฎาคม 2568 | 07:54 น.',
    '27/07/2568 10:57:49', 'วันที่ 23 ก.ค. 2568 เวลา 07.54 น.', Thai digits ('๒๓/๐๗/๒๕๖๘'), and Common-era years
    (a 4-digit year below 2400). Anything else raises ValueError starting 'bad date'.
    """
    text = " ".join(unicodedata.normalize("NFC", to_arabic(raw or "")).split())
    text = _PREFIX.sub("", text)
    match = _NUMERIC_DATE.fullmatch(text) or _TEXT_DATE.fullmatch(text)
    if not match:
        raise ValueError(f"bad date {raw!r} (expected e.g. 23/07/2568, 23 ก.ค. 68 or 23 กรกฎาคม 2568 07:54 น.)")
    try:
        parts = match.groupdict()
        when = dt.datetime(_year(parts["year"]), _month(parts["month"]), int(parts["day"]),
                           int(parts["hour"] or 0), int(parts["minute"] or 0), int(parts["second"] or 0),
                           tzinfo=_zone(tz))
    except ValueError as exc:
        raise ValueError(f"bad date {raw!r} ({exc})") from exc
    return when.astimezone(dt.UTC) if to_utc else when


def format_date_numeric(value: dt.datetime, tz: str = "Asia/Bangkok", *, with_time: bool = False,
                        thai_digits: bool = False) -> str:
    """'23/07/2568' (or '23/07/2568 07:54'), Buddhist era, local time of the center; Thai digits on request."""
    local = to_local(value, tz)
    text = f"{local.day:02d}/{local.month:02d}/{local.year + BE_OFFSET}"
    text = f"{text} {local:%H:%M}" if with_time else text
    return to_thai(text) if thai_digits else text
