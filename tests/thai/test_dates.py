"""Buddhist-era dates: parsing what Thai people write, formatting for readers, clear errors for garbage."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from khaojing.thai.dates import format_date_numeric, format_date_short, format_datetime, parse_be_datetime

BANGKOK = ZoneInfo("Asia/Bangkok")


@pytest.mark.parametrize(("written", "local"), [
    ("23/07/2568", (2025, 7, 23, 0, 0, 0)),
    ("23/07/68", (2025, 7, 23, 0, 0, 0)),
    ("23-07-2568", (2025, 7, 23, 0, 0, 0)),
    ("23 ก.ค. 68", (2025, 7, 23, 0, 0, 0)),
    ("23 ก.ค.68", (2025, 7, 23, 0, 0, 0)),
    ("23 กรกฎาคม 2568", (2025, 7, 23, 0, 0, 0)),
    ("23 กรกฎาคม 2568 | 07:54 น.", (2025, 7, 23, 7, 54, 0)),
    ("27/07/2568 10:57:49", (2025, 7, 27, 10, 57, 49)),
    ("วันที่ 1 ม.ค. พ.ศ. 2569 เวลา 08.30 น.", (2026, 1, 1, 8, 30, 0)),
    ("๒๓ ก.ค. ๒๕๖๘ ๐๗:๕๔ น.", (2025, 7, 23, 7, 54, 0)),
    ("๒๘/๐๖/๒๕๖๘ 00:05", (2025, 6, 28, 0, 5, 0)),
    ("29 ก.พ. 2567", (2024, 2, 29, 0, 0, 0)),
    ("23 Jul 2025", (2025, 7, 23, 0, 0, 0)),
    ("23/07/2025", (2025, 7, 23, 0, 0, 0)),  # a 4-digit year below 2400 is Common era
    ("2025-07-23", (2025, 7, 23, 0, 0, 0)),  # ISO, as in links and bookmarks
    ("2568-07-23", (2025, 7, 23, 0, 0, 0)),  # ... the same rule: from 2400 on a 4-digit year is Buddhist era
    ("2026-03-03T09:00", (2026, 3, 3, 9, 0, 0)),  # what <input type=datetime-local> used to send
])
def test_parse_thai_dates(written: str, local: tuple[int, ...]) -> None:
    parsed = parse_be_datetime(written)
    assert parsed == dt.datetime(*local, tzinfo=BANGKOK)
    assert parsed.tzinfo is not None
    utc = parse_be_datetime(written, to_utc=True)
    assert utc.utcoffset() == dt.timedelta(0) and utc == parsed


def test_another_zone() -> None:
    assert parse_be_datetime("23/07/2568 12:00", "UTC") == dt.datetime(2025, 7, 23, 12, tzinfo=ZoneInfo("UTC"))
    assert parse_be_datetime("23/07/2568 07:00", BANGKOK, to_utc=True) == dt.datetime(2025, 7, 23, tzinfo=dt.UTC)


@pytest.mark.parametrize("garbage", ["", "   ", "garbage", "32/01/2568", "29 ก.พ. 2568", "23/13/2568",
                                     "23 ยยย 2568", "23/07/2568 25:00", "2568-7-23", "23/07", "๒๓", "😀",
                                     "23/07/2568 07:54 extra", "1" * 10_000])
def test_garbage_raises_a_clear_value_error(garbage: str) -> None:
    with pytest.raises(ValueError, match="^bad date"):
        parse_be_datetime(garbage)


def test_formats_round_trip() -> None:
    when = dt.datetime(2025, 7, 23, 0, 54, tzinfo=dt.UTC)  # 07:54 in Bangkok
    assert format_datetime(when) == "23 กรกฎาคม 2568 07:54 น."
    assert format_date_short(when) == "23 ก.ค. 68"
    assert format_date_numeric(when) == "23/07/2568"
    assert format_date_numeric(when, with_time=True, thai_digits=True) == "๒๓/๐๗/๒๕๖๘ ๐๗:๕๔"
    for text in (format_datetime(when), format_date_numeric(when, with_time=True, thai_digits=True)):
        assert parse_be_datetime(text, to_utc=True) == when
    assert parse_be_datetime(format_date_short(when)) == dt.datetime(2025, 7, 23, tzinfo=BANGKOK)
