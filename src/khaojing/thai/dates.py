"""Buddhist-era dates: parse what Thai people write (23/07/2568, 23 ก.ค. 68) and format for Thai or English readers."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
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
_ISO_DATE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
                       r"(?:(?:T|\s+)(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?")
_PREFIX = re.compile(r"^(?:วัน[ก-๎]*\s*)?(?:ที่\s*)?")
BE_FROM = 2400  # the one rule for a 4-digit year: from 2400 on it is Buddhist era (2568), below it Common era (2025)


def _year(raw: str) -> int:
    """A Buddhist-era year (2568, or 68 for 2568) or a Common-era year (2025) -> the Common-era year."""
    year = int(raw)
    if len(raw) == 2:
        year += 2500
    return year - BE_OFFSET if year >= BE_FROM else year


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


def parse_be_datetime(raw: str, tz: str | dt.tzinfo = "Asia/Bangkok", *, to_utc: bool = False,
                      default_time: dt.time = dt.time()) -> dt.datetime:
    """A Thai date as people write it -> an aware datetime in `tz` (in UTC when to_utc).

    Accepts '23/07/2568', '23/07/68', '23-07-2568', '23.7.2568', '23 ก.ค. 68', '23 กรกฎาคม 2568 | 07:54 น.',
    '27/07/2568 10:57:49', 'วันที่ 23 ก.ค. 2568 เวลา 07.54 น.', Thai digits ('๒๓/๐๗/๒๕๖๘') and ISO dates
    ('2025-07-23', '2025-07-23T07:54'). One rule for every 4-digit year: from 2400 on it is Buddhist era (2568),
    below 2400 Common era (2025), so '2568-07-23' and '23/07/2025' are the same day; a 2-digit year is Buddhist era
    (68 = 2568). Without a time the day starts at `default_time`. Anything else raises ValueError starting 'bad date'.
    """
    text = " ".join(unicodedata.normalize("NFC", to_arabic(raw or "")).split())
    text = _PREFIX.sub("", text)
    match = _NUMERIC_DATE.fullmatch(text) or _TEXT_DATE.fullmatch(text) or _ISO_DATE.fullmatch(text)
    if not match:
        raise ValueError(f"bad date {raw!r} (expected e.g. 23/07/2568, 23 ก.ค. 68 or 23 กรกฎาคม 2568 07:54 น.)")
    try:
        parts = match.groupdict()
        clock = default_time if parts["hour"] is None else dt.time(int(parts["hour"]), int(parts["minute"]),
                                                                   int(parts["second"] or 0))
        when = dt.datetime.combine(dt.date(_year(parts["year"]), _month(parts["month"]), int(parts["day"])),
                                   clock, tzinfo=_zone(tz))
        return when.astimezone(dt.UTC) if to_utc else when
    except (ValueError, OverflowError) as exc:  # OverflowError: year 1 or 9999 moved across midnight to UTC
        raise ValueError(f"bad date {raw!r} ({exc})") from exc


def format_date_numeric(value: dt.datetime, tz: str = "Asia/Bangkok", *, with_time: bool = False,
                        thai_digits: bool = False) -> str:
    """'23/07/2568' (or '23/07/2568 07:54'), Buddhist era, local time of the center; Thai digits on request."""
    text = format_date_input(value, "th", tz, with_time=with_time)
    return to_thai(text) if thai_digits else text


INPUT_YEARS = (1970, 2199)  # the Common-era years a date field accepts (a typo like 2068 for 2568 is refused)


def parse_date_input(raw: str | None, tz: str | dt.tzinfo = "Asia/Bangkok", *,
                     with_time: bool = False) -> dt.datetime | None:
    """What a person typed into a date field (console and public filters, deadlines) -> an aware datetime in `tz`;
    None when empty. The rules are parse_be_datetime's; a date field's day starts at 00:00, while a deadline given
    without a time is due at the end of that day (23:59). A year outside INPUT_YEARS raises ValueError too."""
    text = (raw or "").strip()
    if not text:
        return None
    if len(text) > 80:
        raise ValueError("bad date (too long)")
    when = parse_be_datetime(text, tz, default_time=dt.time(23, 59) if with_time else dt.time())
    if not INPUT_YEARS[0] <= when.year <= INPUT_YEARS[1]:
        raise ValueError(f"bad date {raw!r} (year {when.year + BE_OFFSET} BE / {when.year} CE is out of range)")
    return when


def format_date_input(value: dt.date | dt.datetime | None, lang: str = "th", tz: str | None = None, *,
                      with_time: bool = False) -> str:
    """A date as a date field shows it: '23/07/2568' (Buddhist era) in Thai, '23/07/2025' in English, with ' 07:54'
    when with_time; a datetime is moved to `tz` first when one is given. parse_date_input reads it back."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and tz:
        value = to_local(value, tz)
    year = value.year + BE_OFFSET if lang == "th" else value.year
    text = f"{value.day:02d}/{value.month:02d}/{year}"
    if with_time and isinstance(value, dt.datetime):
        text += f" {value:%H:%M}"
    return text


@dataclass(frozen=True)
class DateInput:
    """One date field as a person filled it in: what was typed and the local time it means (None: empty or bad)."""

    raw: str = ""
    value: dt.datetime | None = None
    with_time: bool = False

    @property
    def bad(self) -> bool:
        return self.value is None and bool(self.raw.strip())

    @property
    def day(self) -> dt.date | None:
        return self.value.date() if self.value else None

    def shown(self, lang: str) -> str:
        """The value in the reader's convention, or what was typed when it could not be read (so it can be fixed)."""
        return format_date_input(self.value, lang, with_time=self.with_time) if self.value else self.raw.strip()


def read_date_input(raw: str | None, tz: str | dt.tzinfo = "Asia/Bangkok", *, with_time: bool = False) -> DateInput:
    """A date field's text -> DateInput; never raises (a bad date is a DateInput with .bad)."""
    raw = (raw or "")[:200]
    try:
        return DateInput(raw, parse_date_input(raw, tz, with_time=with_time), with_time)
    except ValueError:
        return DateInput(raw, None, with_time)
