"""The deadline of an agency request is typed as a Thai analyst writes it (25/07/2569 16:30, Buddhist era, Thailand
time) and stored as the right UTC instant; an unreadable one is refused next to the field, with the text kept."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from helpers import csrf_from
from khaojing.cases.models import AgencyRequest
from khaojing.thai.dates import THAI_MONTHS_SHORT

BKK = ZoneInfo("Asia/Bangkok")


def _send(client, case_id: int, due_at: str, *, agency: int | None, lang: str = "th"):  # noqa: ANN001, ANN202
    url = f"/console/cases/{case_id}"
    token = csrf_from(client.get(url, params={"lang": lang}).text)
    data = {"csrf_token": token, "question": "ขอทราบข้อเท็จจริง", "due_at": due_at}
    if agency:
        data["agency_ids"] = str(agency)
    return client.post(f"{url}/requests", data=data, follow_redirects=False)


def _dues(env, case_id: int) -> list[dt.datetime]:  # noqa: ANN001
    with env.db.unit_of_work(readonly=True) as session:
        return list(session.scalars(select(AgencyRequest.due_at).where(AgencyRequest.case_id == case_id)))


def _in_days(days: int) -> dt.date:
    return (dt.datetime.now(BKK) + dt.timedelta(days=days)).date()


def test_a_buddhist_era_deadline_is_stored_as_the_bangkok_instant(env, staff, case_id) -> None:  # noqa: ANN001
    day = _in_days(3)
    typed = f"{day.day:02d}/{day.month:02d}/{day.year + 543} 16:30"
    client = env.login(staff.analyst)
    sent = _send(client, case_id, typed, agency=staff.agency.id)
    assert sent.status_code == 303, sent.text[:800]
    expected = dt.datetime(day.year, day.month, day.day, 16, 30, tzinfo=BKK)
    assert _dues(env, case_id) == [expected]
    assert _dues(env, case_id)[0].astimezone(dt.UTC) == expected.astimezone(dt.UTC)  # 09:30 UTC
    assert expected.astimezone(dt.UTC).hour == 9
    page = client.get(f"/console/cases/{case_id}").text
    assert f"{day.year + 543} 16:30 น." in page  # shown back in Thai, Buddhist era


def test_thai_month_name_and_a_date_without_time_is_due_at_the_end_of_that_day(env, staff, case_id) -> None:  # noqa: ANN001
    day = _in_days(5)
    typed = f"{day.day} {THAI_MONTHS_SHORT[day.month - 1]} {(day.year + 543) % 100:02d}"  # e.g. '25 ก.ค. 69'
    sent = _send(env.login(staff.analyst), case_id, typed, agency=staff.agency.id)
    assert sent.status_code == 303, sent.text[:800]
    assert _dues(env, case_id) == [dt.datetime(day.year, day.month, day.day, 23, 59, tzinfo=BKK)]


def test_an_iso_datetime_as_the_old_field_sent_still_works(env, staff, case_id) -> None:  # noqa: ANN001
    day = _in_days(2)
    sent = _send(env.login(staff.analyst), case_id, f"{day.isoformat()}T09:00", agency=staff.agency.id)
    assert sent.status_code == 303
    assert _dues(env, case_id) == [dt.datetime(day.year, day.month, day.day, 9, tzinfo=BKK)]


@pytest.mark.parametrize(("typed", "lang", "message"), [
    ("31/02/2569 10:00", "th", "อ่านวันเวลานี้ไม่ได้"),
    ("พรุ่งนี้เช้า", "th", "อ่านวันเวลานี้ไม่ได้"),
    ("01/01/99999 10:00", "en", "This is not a date and time we can read"),
])
def test_an_unreadable_deadline_is_refused_next_to_the_field_and_kept(env, staff, case_id, typed, lang,  # noqa: ANN001
                                                                     message) -> None:
    refused = _send(env.login(staff.analyst), case_id, typed, agency=staff.agency.id, lang=lang)
    assert refused.status_code == 422
    html = refused.text
    assert f'value="{typed}"' in html  # what was typed stays, to be fixed
    field = html[html.index('id="req-due"'):]
    assert 'aria-invalid="true"' in field[:field.index(">")]
    error_at = field.index('id="req-due-error"')  # right after the box and its format hint, no other field between
    assert "<label" not in field[:error_at] and "<input" not in field[1:error_at]
    assert message in field[error_at:field.index("</p>", error_at)]  # the error is right under the box
    assert 'class="field-error" id="req-due-error"' in html
    assert _dues(env, case_id) == []  # nothing was sent


def test_a_past_deadline_is_refused_and_another_refusal_shows_the_deadline_in_be(env, staff, case_id) -> None:  # noqa: ANN001
    client = env.login(staff.analyst)
    past = _send(client, case_id, "01/01/2568 10:00", agency=staff.agency.id)
    assert past.status_code == 422 and "ไม่เกิน 30 วัน" in past.text and _dues(env, case_id) == []  # in Thai
    day = _in_days(4)
    no_agency = _send(client, case_id, f"{day.isoformat()}T14:05", agency=None)  # refused: no agency chosen
    assert no_agency.status_code == 422
    assert f'value="{day.day:02d}/{day.month:02d}/{day.year + 543} 14:05"' in no_agency.text
    english = _send(client, case_id, f"{day.day}/{day.month}/{day.year + 543} 14:05", agency=None, lang="en")
    assert f'value="{day.day:02d}/{day.month:02d}/{day.year} 14:05"' in english.text  # English: Common era


def test_the_form_shows_the_format_hint_in_both_languages(env, staff, case_id) -> None:  # noqa: ANN001
    client = env.login(staff.analyst)
    thai = client.get(f"/console/cases/{case_id}", params={"lang": "th"}).text
    assert "วว/ดด/ปปปป ชช:นน (พ.ศ.)" in thai and 'type="datetime-local"' not in thai
    assert thai.count('id="req-due-hint"') == thai.count('id="req-due-format"') == 1  # ids stay unique
    assert 'aria-describedby="req-due-format req-due-hint"' in thai  # both hints are read with the box
    english = client.get(f"/console/cases/{case_id}", params={"lang": "en"}).text
    assert "dd/mm/yyyy hh:mm" in english
