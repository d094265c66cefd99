"""The public verdict list's date filters as Thai readers type them (Buddhist era), bookmarks with ISO dates, and a
clear message next to a date the page could not read (the other filters still work, the page never fails)."""

from __future__ import annotations

import datetime as dt

import pytest
from pub_helpers import publish

LATE = "ข่าวลือสี่ทุ่มครึ่ง เรื่องน้ำประปามีสารพิษ"
EARLY = "ข่าวลือหลังเที่ยงคืน เรื่องแจกเงินดิจิทัล"
LATER = "ข่าวลือสัปดาห์ถัดไป เรื่องวัคซีน"


@pytest.fixture
def verdicts(env) -> None:  # noqa: ANN001
    # 1 March 2026 23:30 and 2 March 00:30 in Bangkok: the same UTC day, different Bangkok days
    publish(env.db, env.settings, title=LATE, at=dt.datetime(2026, 3, 1, 16, 30, tzinfo=dt.UTC))
    publish(env.db, env.settings, title=EARLY, topic="finance", at=dt.datetime(2026, 3, 1, 17, 30, tzinfo=dt.UTC))
    publish(env.db, env.settings, title=LATER, at=dt.datetime(2026, 3, 9, 3, 0, tzinfo=dt.UTC))


def _titles(html: str) -> set[str]:
    return {t for t in (LATE, EARLY, LATER) if t in html}


@pytest.mark.parametrize(("params", "expected"), [
    ({"since": "02/03/2569", "until": "02/03/2569"}, {EARLY}),
    ({"since": "2/3/69", "until": "2 มี.ค. 69"}, {EARLY}),
    ({"until": "1 มีนาคม 2569"}, {LATE}),
    ({"since": "02.03.2569"}, {EARLY, LATER}),
    ({"since": "2026-03-02", "until": "2026-03-02"}, {EARLY}),  # a bookmark with ISO dates
    ({"since": "02/03/2026", "until": "02/03/2026", "lang": "en"}, {EARLY}),
])
def test_typed_dates_filter_to_the_right_bangkok_day(env, verdicts, params, expected) -> None:  # noqa: ANN001
    page = env.client.get("/verdicts", params=params)
    assert page.status_code == 200
    assert _titles(page.text) == expected
    assert "field-error" not in page.text


def test_fields_show_the_value_in_the_readers_convention(env, verdicts) -> None:  # noqa: ANN001
    thai = env.client.get("/verdicts?since=2026-03-02&until=9 มี.ค. 69").text
    assert 'type="date"' not in thai
    assert 'value="02/03/2569"' in thai and 'value="09/03/2569"' in thai
    assert thai.count("วว/ดด/ปปปป (พ.ศ.)") == 2
    english = env.client.get("/verdicts?since=02/03/2569&lang=en").text
    assert 'value="02/03/2026"' in english and "dd/mm/yyyy" in english


@pytest.mark.parametrize(("since", "lang", "message"), [
    ("31/02/2569", "th", "อ่านวันที่นี้ไม่ได้"),
    ("ก่อนสงกรานต์", "th", "อ่านวันที่นี้ไม่ได้"),
    ("23/07/99999", "en", "This is not a date we can read"),
    ("<script>alert(1)</script>", "en", "This is not a date we can read"),
])
def test_an_unreadable_date_is_named_next_to_the_field_and_kept(env, verdicts, since, lang, message) -> None:  # noqa: ANN001
    page = env.client.get("/verdicts", params={"since": since, "topic": "finance", "lang": lang})
    assert page.status_code == 200
    assert _titles(page.text) == {EARLY}  # the topic filter still works; the bad date is not used
    html = page.text
    field = html[html.index('id="since"'):]
    tag = field[:field.index(">")]
    assert 'aria-invalid="true"' in tag and 'aria-describedby="since-format since-error"' in tag
    error_at = field.index('id="since-error"')  # right after the box and its format hint, no other field between
    assert "<label" not in field[:error_at] and "<input" not in field[1:error_at]
    assert message in field[error_at:field.index("</p>", error_at)]
    assert "<script>alert(1)</script>" not in html
    assert html.count('class="field-error"') == 1


@pytest.mark.parametrize(("lang", "said"), [("th", "ค่าในช่อง page ไม่ถูกต้อง"), ("en", "The value of page is not valid")])
def test_a_mistyped_page_number_gets_the_error_page_in_the_readers_language(env, lang, said) -> None:  # noqa: ANN001
    page = env.client.get("/verdicts", params={"page": "abc", "lang": lang})
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert said in page.text and "<nav" in page.text  # the site's page with its navigation, not a JSON body
    api = env.client.get("/api/v1/verdicts", params={"page": "abc"})
    assert api.status_code == 422 and api.json()["error"]["fields"][0]["field"] == "query.page"  # the API keeps JSON
