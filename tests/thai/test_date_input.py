"""Date fields typed as text (filters, deadlines): what a Thai or English user types, what it means, how it shows
back, and that garbage is a clear ValueError (or a DateInput marked bad), never a crash."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khaojing.thai.dates import (
    DateInput,
    format_date_input,
    parse_be_datetime,
    parse_date_input,
    read_date_input,
)

BKK = ZoneInfo("Asia/Bangkok")
JULY_23 = dt.date(2025, 7, 23)


@pytest.mark.parametrize("typed", [
    "23/07/2568", "23/7/2568", "23-07-2568", "23.07.2568", "23 / 7 / 2568",  # BE with / - or .
    "23/7/68", "23.7.68",  # two-digit BE years
    "23 ก.ค. 2568", "23 ก.ค. 68", "23 กรกฎาคม 2568", "23 กรกฎาคม 68", "23 กค 68", "วันที่ 23 ก.ค. 2568",  # Thai months
    "๒๓/๐๗/๒๕๖๘",  # Thai digits
    "2025-07-23", "2568-07-23",  # ISO (links, bookmarks): the same 2400 rule decides CE or BE
    "23/07/2025", "23 Jul 2025",  # what an English reader types
    "  23/07/2568  ",
])
def test_every_way_of_writing_23_july_2025(typed: str) -> None:
    when = parse_date_input(typed, BKK)
    assert when == dt.datetime(2025, 7, 23, tzinfo=BKK)
    assert read_date_input(typed, BKK) == DateInput(typed, when)
    assert read_date_input(typed, BKK).day == JULY_23


@pytest.mark.parametrize(("year", "meant"), [("2399", 2399), ("2400", 1857), ("2568", 2025), ("1999", 1999)])
def test_the_one_year_rule_at_2400(year: str, meant: int) -> None:
    assert parse_be_datetime(f"01/01/{year}").year == meant
    assert parse_be_datetime(f"{year}-01-01").year == meant


def test_a_deadline_takes_a_time_and_a_bare_date_is_due_at_the_end_of_that_day() -> None:
    due = parse_date_input("25/07/2568 16:30", BKK, with_time=True)
    assert due == dt.datetime(2025, 7, 25, 16, 30, tzinfo=BKK)
    assert due.astimezone(dt.UTC) == dt.datetime(2025, 7, 25, 9, 30, tzinfo=dt.UTC)
    assert parse_date_input("25 ก.ค. 68 เวลา 16.30 น.", BKK, with_time=True) == due
    assert parse_date_input("2025-07-25T16:30", BKK, with_time=True) == due  # the old datetime-local form
    assert parse_date_input("25/07/2568", BKK, with_time=True) == dt.datetime(2025, 7, 25, 23, 59, tzinfo=BKK)
    assert parse_date_input("25/07/2568", BKK) == dt.datetime(2025, 7, 25, tzinfo=BKK)  # a filter: from 00:00


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_empty_is_no_value_and_not_an_error(typed: str | None) -> None:
    assert parse_date_input(typed) is None
    field = read_date_input(typed)
    assert field.value is None and not field.bad and field.shown("th") == ""


@pytest.mark.parametrize("typed", [
    "31/02/2568", "29/02/2568", "32/01/2568", "23/13/2568", "abc", "ยี่สิบสาม", "23/07/99999", "99999",
    "2025-7-23", "23/07", "23/07/2568 25:00", "01/01/2200",  # 2200 CE: outside the years a field accepts
    "01/01/1969", "9999-12-31", "0001-01-01", "01/01/0001", "23/07/2568 <script>", "1" * 500,
])
def test_bad_input_is_a_clear_value_error_and_kept_as_typed(typed: str) -> None:
    with pytest.raises(ValueError, match="^bad date"):
        parse_date_input(typed)
    field = read_date_input(typed)
    assert field.bad and field.value is None and field.day is None
    assert field.shown("th") == field.shown("en") == typed[:200]  # kept, so it can be fixed


def test_shown_in_the_readers_convention() -> None:
    when = dt.datetime(2025, 7, 23, 0, 54, tzinfo=dt.UTC)  # 07:54 in Bangkok
    assert format_date_input(when, "th", "Asia/Bangkok") == "23/07/2568"
    assert format_date_input(when, "en", "Asia/Bangkok") == "23/07/2025"
    assert format_date_input(when, "th", "Asia/Bangkok", with_time=True) == "23/07/2568 07:54"
    assert format_date_input(when, "en", "Asia/Bangkok", with_time=True) == "23/07/2025 07:54"
    assert format_date_input(JULY_23, "th") == "23/07/2568" and format_date_input(None, "th") == ""
    field = read_date_input("2025-07-23")  # an ISO link shows as the reader types it
    assert (field.shown("th"), field.shown("en")) == ("23/07/2568", "23/07/2025")
    deadline = read_date_input("25 ก.ค. 68 16:30", with_time=True)
    assert (deadline.shown("th"), deadline.shown("en")) == ("25/07/2568 16:30", "25/07/2025 16:30")


PROPERTY = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DATE_ALPHABET = st.sampled_from(list("0123456789๐๑๒๓๔๕๖๗๘๙/-.:T |,น.ก-ฮพศค ") + ["ก.ค.", "กรกฎาคม", "Jul", "เวลา"])
DATEISH = st.lists(DATE_ALPHABET, max_size=25).map("".join)
ANY = st.one_of(st.text(max_size=60), DATEISH,
                st.builds(lambda d, m, y, s: f"{d}{s}{m}{s}{y}", st.integers(-5, 40), st.integers(-2, 14),
                          st.integers(-1, 100_000), st.sampled_from(["/", "-", ".", " "])),
                st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.integers(0, 9999), st.integers(0, 13),
                          st.integers(0, 32)))


@PROPERTY
@given(ANY, st.booleans(), st.sampled_from(["Asia/Bangkok", "UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago"]))
def test_never_raises_anything_but_value_error(text: str, with_time: bool, tz: str) -> None:
    for parse in (lambda: parse_be_datetime(text, tz, to_utc=True), lambda: parse_date_input(text, tz,
                                                                                          with_time=with_time)):
        try:
            parse()
        except ValueError as exc:
            assert str(exc).startswith("bad date")
    field = read_date_input(text, tz, with_time=with_time)  # the form side never raises at all
    assert field.bad == (field.value is None and bool(text.strip()))


@PROPERTY
@given(st.datetimes(min_value=dt.datetime(1970, 1, 2), max_value=dt.datetime(2199, 12, 30)),
       st.sampled_from(["th", "en"]))
def test_format_then_parse_round_trips(moment: dt.datetime, lang: str) -> None:
    local = moment.replace(second=0, microsecond=0, tzinfo=BKK)
    assert parse_date_input(format_date_input(local, lang, "Asia/Bangkok"), BKK).date() == local.date()
    shown = format_date_input(local, lang, "Asia/Bangkok", with_time=True)
    assert parse_date_input(shown, BKK, with_time=True) == local
    assert read_date_input(shown, BKK, with_time=True).shown(lang) == shown
