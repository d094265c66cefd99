"""The inbox's date filters as a Thai analyst types them (Buddhist era, Thai month names), shown back in the page's
convention; an unreadable date is named next to its field and the rest of the filter still works."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from khaojing.accounts.models import Role
from khaojing.intake.service import Submission, accept_report, get_or_create_source
from khaojing.intake.views import parse_inbox_query

BKK = ZoneInfo("Asia/Bangkok")
ROW = re.compile(r'href="/console/reports/(\d+)"')


def add_report(env, text: str, *, channel: str = "webform", received_at: dt.datetime) -> int:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        source = get_or_create_source(session, kind=channel, name=f"test:{channel}")
        return accept_report(session, settings=env.settings, source=source, actor="system",
                             sub=Submission(text=text, received_at=received_at)).report.id


def row_ids(html: str) -> list[int]:
    return [int(i) for i in ROW.findall(html)]


@pytest.fixture
def analyst(env):  # noqa: ANN001, ANN201
    return env.login(env.user(Role.analyst))


@pytest.fixture
def two_nights(env) -> tuple[int, int]:  # noqa: ANN001
    late = add_report(env, "สี่ทุ่มครึ่ง", channel="line", received_at=dt.datetime(2026, 11, 25, 23, 30, tzinfo=BKK))
    early = add_report(env, "หลังเที่ยงคืน", received_at=dt.datetime(2026, 11, 26, 0, 30, tzinfo=BKK))
    return late, early  # the same UTC day (25 Nov), different Bangkok days


@pytest.mark.parametrize(("since", "until", "lang", "which"), [
    ("25/11/2569", "25/11/2569", "th", 0),
    ("25/11/69", "25-11-2569", "th", 0),
    ("25 พ.ย. 2569", "25 พฤศจิกายน 69", "th", 0),
    ("๒๖/๑๑/๒๕๖๙", "", "th", 1),
    ("26.11.2569", "", "en", 1),  # an English reader may type the Buddhist year too
    ("26/11/2026", "26/11/2026", "en", 1),
    ("2026-11-26", "", "th", 1),  # ISO, as older links carry
])
def test_a_typed_date_filters_to_the_right_bangkok_day(env, analyst, two_nights, since, until, lang,  # noqa: ANN001
                                                       which) -> None:
    page = analyst.get("/console/reports", params={"from": since, "to": until, "lang": lang})
    assert page.status_code == 200
    assert row_ids(page.text) == [two_nights[which]]
    assert "field-error" not in page.text and "ไม่ใช้ค่าตัวกรอง" not in page.text


def test_the_fields_show_the_value_in_the_pages_convention(env, analyst, two_nights) -> None:  # noqa: ANN001
    thai = analyst.get("/console/reports", params={"from": "2026-11-25", "to": "26 พ.ย. 69", "lang": "th"}).text
    assert 'type="date"' not in thai
    assert 'value="25/11/2569"' in thai and 'value="26/11/2569"' in thai
    assert thai.count("วว/ดด/ปปปป (พ.ศ.)") == 2 and 'inputmode="decimal"' in thai
    english = analyst.get("/console/reports", params={"from": "25/11/2569", "lang": "en"}).text
    assert 'value="25/11/2026"' in english and "dd/mm/yyyy" in english


@pytest.mark.parametrize(("typed", "lang", "message"), [
    ("31/02/2569", "th", "อ่านวันที่นี้ไม่ได้"),
    ("เมื่อวาน", "th", "อ่านวันที่นี้ไม่ได้"),
    ("01/01/99999", "en", "This is not a date we can read"),
])
def test_a_bad_date_is_named_next_to_its_field_and_the_rest_still_filters(env, analyst, two_nights, typed,  # noqa: ANN001
                                                                          lang, message) -> None:
    page = analyst.get("/console/reports", params={"from": typed, "channel": "line", "lang": lang})
    assert page.status_code == 200
    assert row_ids(page.text) == [two_nights[0]]  # the channel filter still applies; the date is not used
    html = page.text
    field = html[html.index('id="f-from"'):]
    assert f'value="{typed}"' in field[:field.index(">")] and 'aria-invalid="true"' in field[:field.index(">")]
    error_at = field.index('id="f-from-error"')  # right after the box and its format hint, no other field between
    assert "<label" not in field[:error_at] and "<input" not in field[1:error_at]
    assert message in field[error_at:field.index("</p>", error_at)]
    assert html.count('class="field-error"') == 1  # only the bad field


def test_page_links_carry_the_dates_as_iso() -> None:
    query = parse_inbox_query({"from": "23/07/2568", "to": "31 ก.ค. 68", "page": "2"})
    assert query.params() == {"from": "2025-07-23", "to": "2025-07-31"}
    assert query.page_url(3) == "/console/reports?from=2025-07-23&to=2025-07-31&page=3"
    bad = parse_inbox_query({"from": "31/02/2568"})
    assert bad.params() == {} and bad.ignored == ["inbox.from"] and bad.dates["from"].bad
