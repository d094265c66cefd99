"""The public report form: what a citizen sees, what gets stored, and every way a submission can fail."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from helpers import TestEnv, image_bytes
from khaojing.audit.models import AuditEvent
from khaojing.db.base import utcnow
from khaojing.intake.models import ContactPoint, Report, Requester
from khaojing.jobs.models import Job

TRACK_RE = re.compile(r"^/track/(KJ-[0-9A-Z]{4}-[0-9A-Z]{4})\?new=1$")
SUBMISSION_RE = re.compile(r'name="submission_id" value="([^"]+)"')


def _stored(env: TestEnv) -> list[Report]:
    with env.db.unit_of_work(readonly=True) as session:
        reports = list(session.scalars(select(Report)))
        for report in reports:
            _ = report.media, report.requester
        session.expunge_all()
        return reports


# ---------------------------------------------------------------- what a citizen sees

def test_home_page_explains_the_center_and_offers_both_actions(client) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert '<html lang="th">' in page.text
    assert 'href="/report"' in page.text and 'href="/track"' in page.text
    assert "แจ้งข้อความที่น่าสงสัย" in page.text and "ติดตามเรื่องที่แจ้ง" in page.text
    english = client.get("/?lang=en")
    assert "Report a suspicious message" in english.text and 'href="/report?lang=en"' in english.text


def test_form_is_in_thai_by_default(form) -> None:
    page = form()
    assert '<html lang="th">' in page.html
    assert "ข้อความที่สงสัย" in page.html
    assert "วางข้อความที่ได้รับมาทั้งหมด" in page.html  # the hint: paste the whole forwarded message
    assert 'enctype="multipart/form-data"' in page.html
    assert 'accept="image/jpeg,image/png,image/webp"' in page.html
    assert "90 วัน" in page.html  # the consent text says how long a contact is kept
    assert uuid.UUID(page.submission_id).version == 4


def test_form_is_in_english_with_lang_en_and_keeps_it_when_posting(form) -> None:
    page = form("/report?lang=en")
    assert '<html lang="en">' in page.html
    assert "Paste the whole forwarded message" in page.html
    assert 'action="/report?lang=en"' in page.html


def test_a_browser_keeps_one_submission_id_another_browser_has_its_own(env, client, form) -> None:
    """Back fetches the form again: the same id there makes the same message sent again one report."""
    assert form().submission_id == form().submission_id
    with TestClient(env.app) as other_browser:
        other = SUBMISSION_RE.search(other_browser.get("/report").text).group(1)
    assert other != form().submission_id
    assert client.get("/report").headers["cache-control"] == "no-store"


def test_the_same_message_sent_from_a_fresh_form_of_the_same_browser_is_one_report(form, report_count) -> None:
    first = form().submit(text="ข่าวลือเรื่องน้ำท่วม", url="https://example.com/flood")
    second = form().submit(text="ข่าวลือเรื่องน้ำท่วม", url="https://example.com/flood")
    assert first.headers["location"] == second.headers["location"]
    assert report_count() == 1


# ---------------------------------------------------------------- what gets stored

def test_full_report_is_stored_with_media_link_contact_and_triage_job(env, form, png) -> None:
    response = form().submit(text="ดื่มน้ำมะนาวโซดารักษามะเร็งได้\r\nส่งต่อด่วน", url="https://example.com/post/1",
                             contact="Someone@Example.com", consent="yes", files=[("chat.png", png)])
    assert response.status_code == 303
    code = TRACK_RE.match(response.headers["location"]).group(1)

    [report] = _stored(env)
    assert report.tracking_code == code and report.channel == "webform" and report.language == "th"
    assert report.text == "ดื่มน้ำมะนาวโซดารักษามะเร็งได้\nส่งต่อด่วน"
    assert report.urls == ["https://example.com/post/1"]
    [media] = report.media
    assert media.content_type == "image/png" and media.original_name == "chat.png"
    assert (env.settings.media_dir / media.storage_path).read_bytes() == png
    with env.db.unit_of_work(readonly=True) as session:
        contact = session.scalar(select(ContactPoint))
        assert contact.kind == "email" and contact.value == "someone@example.com"
        days = (contact.expires_at.replace(tzinfo=dt.UTC) - utcnow()).days
        assert env.settings.contact_retention_days - 1 <= days <= env.settings.contact_retention_days
        job = session.scalar(select(Job).where(Job.name == "triage.report"))
        assert job.payload == {"report_id": report.id}
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "report.accepted"))
        assert event.actor == "public"


def test_contact_is_not_kept_without_consent_and_the_person_is_told(env, form) -> None:
    response = form().submit(text="ข่าวลือเรื่องเงินช่วยเหลือ", contact="081 234 5678")
    assert response.status_code == 303
    [report] = _stored(env)
    assert report.requester is None
    with env.db.unit_of_work(readonly=True) as session:
        assert session.scalar(select(ContactPoint)) is None and session.scalar(select(Requester)) is None
    page = env.client.get(response.headers["location"])
    assert "ไม่ได้เก็บข้อมูลติดต่อของคุณ" in page.text
    assert "081" not in page.text


def test_phone_contact_with_consent_is_kept(env, form) -> None:
    response = form().submit(text="ข่าวลือ", contact="+66 81 234 5678", consent="yes")
    assert response.status_code == 303
    with env.db.unit_of_work(readonly=True) as session:
        contact = session.scalar(select(ContactPoint))
        assert (contact.kind, contact.value) == ("phone", "0812345678")
    page = env.client.get(response.headers["location"])
    assert "เราเก็บข้อมูลติดต่อของคุณไว้ 90 วัน" in page.text and "0812345678" not in page.text


def test_link_typed_without_scheme_is_accepted_as_https(env, form) -> None:
    assert form().submit(url="www.example.com/news/1").status_code == 303
    [report] = _stored(env)
    assert report.urls == ["https://www.example.com/news/1"]


def test_double_click_creates_one_report_and_shows_the_same_code(env, form, png, report_count) -> None:
    page = form()
    first = page.submit(text="ข่าวปลอมเรื่องวัคซีน", files=[("a.png", png)])
    second = page.submit(text="ข่าวปลอมเรื่องวัคซีน", files=[("a.png", png)])
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert report_count() == 1
    with env.db.unit_of_work(readonly=True) as session:
        assert len(session.scalars(select(Job).where(Job.name == "triage.report")).all()) == 1


def test_a_different_message_from_a_reused_form_is_a_new_report(form, report_count) -> None:
    page = form()  # e.g. the Back button restored the old form and its submission id
    first = page.submit(text="เรื่องแรก")
    second = page.submit(text="เรื่องที่สอง ไม่เหมือนเรื่องแรก")
    assert first.headers["location"] != second.headers["location"]
    assert report_count() == 2


# ---------------------------------------------------------------- unhappy paths: nothing is stored

def test_missing_csrf_token_is_403_and_nothing_is_stored(client, form, report_count) -> None:
    page = form()
    response = client.post("/report", data={"submission_id": page.submission_id, "text": "ข่าวลือ CSRF"},
                           follow_redirects=False)
    assert response.status_code == 403
    assert report_count() == 0
    assert "ข่าวลือ CSRF" in response.text  # the typed text is kept for a second try
    assert "แบบฟอร์มหมดอายุแล้ว" in response.text


def test_wrong_csrf_token_is_403_and_nothing_is_stored(form, report_count) -> None:
    page = form()
    page.csrf = "forged"
    assert page.submit(text="ข่าวลือ").status_code == 403
    assert report_count() == 0


def test_non_image_file_is_422_with_a_clear_error_and_nothing_is_stored(form, report_count) -> None:
    response = form().submit(text="ข้อความที่พิมพ์ไว้", url="https://example.com/x",
                             files=[("photo.png", b"%PDF-1.7 this is not an image")])
    assert response.status_code == 422
    assert report_count() == 0
    assert "ไฟล์ photo.png ไม่ใช่ภาพ JPEG, PNG หรือ WebP" in response.text
    assert 'role="alert"' in response.text
    assert 'aria-describedby="images-hint images-error"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert "ข้อความที่พิมพ์ไว้</textarea>" in response.text and 'value="https://example.com/x"' in response.text
    assert "กรุณาเลือกภาพอีกครั้ง" in response.text


def test_errors_are_in_english_for_an_english_reader(form, report_count) -> None:
    page = form("/report?lang=en")
    response = page.submit(action="/report?lang=en", files=[("photo.png", b"GIF89a not really")])
    assert response.status_code == 422
    assert "The file photo.png is not a JPEG, PNG or WebP image" in response.text
    assert report_count() == 0


def test_empty_report_is_422(form, report_count) -> None:
    response = form().submit(text="   ", url="")
    assert response.status_code == 422
    assert "กรุณาวางข้อความ แนบภาพ หรือใส่ลิงก์" in response.text
    assert report_count() == 0


def test_bad_link_is_422_and_keeps_what_was_typed(form, report_count) -> None:
    response = form().submit(text="ข่าวลือ", url="javascript:alert(1)")
    assert response.status_code == 422
    assert "ลิงก์ไม่ถูกต้อง" in response.text and 'value="javascript:alert(1)"' in response.text
    assert report_count() == 0


def test_invalid_contact_given_with_consent_is_422(form, report_count) -> None:
    response = form().submit(text="ข่าวลือ", contact="not a contact", consent="yes")
    assert response.status_code == 422
    assert "อีเมลหรือหมายเลขโทรศัพท์ไม่ถูกต้อง" in response.text and "checked" in response.text
    assert report_count() == 0


def test_oversize_image_is_413_and_nothing_is_stored(small_limits_env, small_form, report_count) -> None:
    big = image_bytes("JPEG", (800, 600))
    assert len(big) > small_limits_env.settings.max_image_bytes
    response = small_form().submit(text="ข่าวลือ", files=[("big.jpg", big)])
    assert response.status_code == 413
    assert "เกินกำหนด 1 KB" in response.text and "big.jpg" in response.text
    assert report_count() == 0
    assert not any(Path(small_limits_env.settings.media_dir).rglob("*.*"))


def test_text_over_the_limit_is_413_and_keeps_the_form(small_form, report_count) -> None:
    response = small_form().submit(text="ข่าวลือยาวมาก " * 40)
    assert response.status_code == 413
    assert "ข้อความยาวเกินกำหนด" in response.text and "<textarea" in response.text
    assert report_count() == 0


def test_several_screenshots_are_stored_in_order(env, form) -> None:
    shots = [("1.png", image_bytes("PNG", color="red")), ("2.jpg", image_bytes("JPEG", color="blue"))]
    assert form().submit(text="แชทยาวหลายหน้าจอ", files=shots).status_code == 303
    [report] = _stored(env)
    assert [m.original_name for m in report.media] == ["1.png", "2.jpg"]
    assert [m.content_type for m in report.media] == ["image/png", "image/jpeg"]


def test_more_images_than_allowed_is_422(env, form, report_count) -> None:
    limit = env.settings.max_images_per_report
    shots = [(f"{i}.png", image_bytes("PNG", color=(i * 40, 0, 0))) for i in range(limit + 1)]
    response = form().submit(text="ข่าวลือ", files=shots)
    assert response.status_code == 422
    assert f"แนบภาพได้ไม่เกิน {limit} ภาพ" in response.text
    assert report_count() == 0
