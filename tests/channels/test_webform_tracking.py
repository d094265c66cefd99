"""Report tracking without an account: the code lookup, the status page and its privacy."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update

from khaojing.intake.models import Report, Requester
from khaojing.thai.dates import to_local


@pytest.fixture
def tracked(env, form, png):
    """A report sent through the form with a contact: (tracking code, location of its 'new' page)."""
    response = form().submit(text="ข่าวลือ: ธนาคารจะปิดบัญชีทุกบัญชีที่ไม่ยืนยันตัวตนภายในวันนี้",
                             contact="citizen@example.com", consent="yes", files=[("shot.png", png)],
                             url="https://scam.example.net/verify")
    assert response.status_code == 303
    location = response.headers["location"]
    return re.search(r"KJ-[0-9A-Z]{4}-[0-9A-Z]{4}", location).group(0), location


def _set_status(env, code: str, status: str) -> None:
    with env.db.unit_of_work() as session:
        session.execute(update(Report).where(Report.tracking_code == code).values(status=status))


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_new_report_page_shows_the_code_to_keep_and_the_thai_status(env, tracked) -> None:
    code, location = tracked
    page = env.client.get(location)
    assert page.status_code == 200
    assert f'<p class="track-code" aria-labelledby="code-label">{code}</p>' in page.text
    text = _text(page.text)
    assert "ได้รับข้อความของคุณแล้ว" in text and "โปรดจดรหัสนี้" in text
    assert "สถานะ: ได้รับเรื่องแล้ว รอคัดกรอง" in text
    assert "ช่องทาง เว็บไซต์" in text
    with env.db.unit_of_work(readonly=True) as session:
        received = to_local(session.scalar(select(Report.received_at)))
    assert f"{received.year + 543} " in text  # Buddhist era, e.g. 2569 for 2026
    assert str(received.year) not in text
    assert '<meta name="robots" content="noindex">' in page.text
    assert page.headers["cache-control"] == "no-store"


def test_tracking_page_never_shows_contact_data_or_requester_hash(env, tracked) -> None:
    code, location = tracked
    with env.db.unit_of_work(readonly=True) as session:
        key_hash = session.scalar(select(Requester.key_hash))
    for page in (env.client.get(location), env.client.get(f"/track/{code}")):
        assert "citizen@example.com" not in page.text and key_hash not in page.text
    assert "scam.example.net" in page.text and "/verify" not in page.text  # the link's site only
    assert "ภาพที่แนบ 1 ภาพ" in page.text


def test_plain_status_page_in_english_uses_the_gregorian_year(env, tracked) -> None:
    code, _ = tracked
    page = env.client.get(f"/track/{code}?lang=en")
    text = _text(page.text)
    assert "Status: Received, waiting for screening" in text and "Web form" in text
    with env.db.unit_of_work(readonly=True) as session:
        received = to_local(session.scalar(select(Report.received_at)))
    assert f"{received.year} " in text
    assert "We have received your report" not in text  # the thank-you is only for ?new=1


def test_contact_notice_is_shown_once_and_only_to_the_sender(env, tracked) -> None:
    code, location = tracked
    assert "เราเก็บข้อมูลติดต่อของคุณไว้" in env.client.get(location).text
    assert "เราเก็บข้อมูลติดต่อของคุณไว้" not in env.client.get(location).text


@pytest.mark.parametrize(("status", "label", "states"), [
    ("new", "ได้รับเรื่องแล้ว รอคัดกรอง", ["done", "current", "todo", "todo"]),
    ("screened", "คัดกรองแล้ว", ["done", "done", "current", "todo"]),
    ("grouped", "อยู่ระหว่างตรวจสอบ", ["done", "done", "current", "todo"]),
    ("answered", "ตรวจสอบแล้ว", ["done", "done", "done", "done"]),
    ("rejected", "ไม่เข้าข่ายการตรวจสอบ", ["done", "done", "stopped"]),
])
def test_timeline_follows_the_report_status(env, tracked, status, label, states) -> None:
    code, _ = tracked
    _set_status(env, code, status)
    page = env.client.get(f"/track/{code}")
    assert f"สถานะ: {label}" in _text(page.text)
    assert re.findall(r'class="step step-(\w+)"', page.text) == states
    assert page.text.count('aria-current="step"') == states.count("current")


def test_long_text_is_shown_as_a_short_excerpt(env, form) -> None:
    response = form().submit(text="ก" * 2000)
    page = env.client.get(response.headers["location"])
    assert "ก" * 280 + "…" in page.text and "ก" * 281 not in page.text


def test_lookup_form_accepts_a_code_in_any_case_without_dashes(env, tracked) -> None:
    code, _ = tracked
    assert env.client.get("/track").status_code == 200
    typed = code.lower().replace("-", " ")
    response = env.client.get("/track", params={"code": typed}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/track/{code}"
    assert code in env.client.get(response.headers["location"]).text


def test_status_page_address_is_normalised(env, tracked) -> None:
    code, _ = tracked
    response = env.client.get(f"/track/{code.lower()}", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/track/{code}"


@pytest.mark.parametrize(("typed", "message"), [
    ("hello", "รหัสนี้ไม่ใช่รหัสติดตามเรื่อง"),
    ("  ", "กรุณากรอกรหัสติดตามเรื่อง"),
])
def test_lookup_of_something_that_is_not_a_code_explains_the_format(client, typed, message) -> None:
    page = client.get("/track", params={"code": typed})
    assert page.status_code == 422
    assert message in page.text and 'aria-invalid="true"' in page.text


def test_unknown_code_is_a_friendly_404_with_the_lookup_form(client) -> None:
    page = client.get("/track/KJ-0000-0000")
    assert page.status_code == 404
    assert "ไม่พบเรื่องที่มีรหัสนี้" in page.text and "KJ-0000-0000" in page.text
    assert 'action="/track"' in page.text and 'name="code"' in page.text
    assert '<meta name="robots" content="noindex">' in page.text
    english = client.get("/track/KJ-0000-0000?lang=en")
    assert english.status_code == 404 and "No report has this code" in english.text


def test_garbage_in_the_tracking_address_is_a_404_not_an_error(client) -> None:
    page = client.get("/track/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert page.status_code == 404
    assert "<script>alert(1)</script>" not in page.text


def test_odd_query_values_still_give_the_html_page(env, tracked) -> None:
    code, _ = tracked
    page = env.client.get(f"/track/{code}?new=yes-please")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "ได้รับข้อความของคุณแล้ว" not in page.text


@pytest.mark.parametrize("lang", ["th", "en"])
def test_no_page_shows_an_untranslated_text_key(env, tracked, lang) -> None:
    code, location = tracked
    paths = ["/", "/report", "/track", "/track?code=nonsense", "/track/KJ-0000-0000", location, f"/track/{code}"]
    for status in ("grouped", "answered", "rejected"):
        _set_status(env, code, status)
        paths.append(f"/track/{code}")
    for path in paths:
        page = env.client.get(path, params={"lang": lang})
        leaked = re.findall(r"\b(?:public|status|channel)\.[a-z_.]+\b", _text(page.text))
        assert not leaked, f"{path} shows {leaked}"
