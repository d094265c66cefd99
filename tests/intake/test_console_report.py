"""A report's console page: escaped text, safe links, images for staff only, requester privacy, history."""

from __future__ import annotations

import base64
import datetime as dt
import re

import pytest
from sqlalchemy import select

from helpers import image_bytes
from khaojing.accounts.models import Role
from khaojing.audit.service import record
from khaojing.intake.media import check_image
from khaojing.intake.models import ContactPoint, Media, Report
from khaojing.intake.service import Submission, accept_report, get_or_create_source


def add_report(env, **fields) -> int:  # noqa: ANN001, ANN003
    with env.db.unit_of_work() as session:
        source = get_or_create_source(session, kind="webform", name="webform")
        return accept_report(session, settings=env.settings, source=source, actor="public",
                             sub=Submission(**fields)).report.id


def media_ids(env, report_id: int) -> list[int]:  # noqa: ANN001
    with env.db.unit_of_work(readonly=True) as session:
        return list(session.scalars(select(Media.id).where(Media.report_id == report_id).order_by(Media.id)))


@pytest.fixture
def staff(env):  # noqa: ANN001, ANN201
    return env.login(env.user(Role.analyst))


def test_thai_text_is_shown_escaped_with_its_whitespace(env, staff):
    text = "<script>alert('x')</script> ข่าวลือ: วัคซีนมีไมโครชิป\n\n    ย่อหน้าที่สอง & อื่นๆ"
    rid = add_report(env, text=text)
    page = staff.get(f"/console/reports/{rid}")
    assert page.status_code == 200
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; ข่าวลือ: วัคซีนมีไมโครชิป\n\n    ย่อหน้าที่สอง &amp; อื่นๆ" \
        in page.text
    assert 'class="report-text"' in page.text


def test_web_links_open_safely_and_other_schemes_are_not_links(env, staff):
    rid = add_report(env, text="ดูลิงก์", urls=["https://example.com/a?b=1&c=2", "javascript:alert(1)",
                                                 "data:text/html,<b>x</b>"])
    page = staff.get(f"/console/reports/{rid}").text
    assert ('<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer nofollow" target="_blank">'
            in page)
    assert 'href="javascript:' not in page and 'href="data:' not in page
    assert "javascript:alert(1)" in page and "data:text/html,&lt;b&gt;x&lt;/b&gt;" in page


def test_details_show_source_dates_code_and_external_id(env, staff):
    rid = add_report(env, text="x", external_id="moph-001",
                     received_at=dt.datetime(2026, 11, 26, 1, 25, tzinfo=dt.UTC))
    page = staff.get(f"/console/reports/{rid}").text
    assert "moph-001" in page and "<dt>แหล่งที่มา</dt><dd>เว็บไซต์</dd>" in page  # the web form, by its name
    assert "26 พฤศจิกายน 2569 08:25 น." in page  # received, in Bangkok time and the Buddhist era
    assert "ไม่ระบุตัวตน" in page  # no requester


def test_requester_is_a_pseudonym_and_the_contact_is_never_shown(env, staff):
    rid = add_report(env, text="ติดต่อกลับได้", requester_kind="email", requester_value="somchai@example.com",
                     contact_kind="email", contact_value="somchai@example.com")
    with env.db.unit_of_work(readonly=True) as session:
        report = session.get(Report, rid)
        pseudonym = report.requester.key_hash[:10]
        until = report.requester.contacts[0].expires_at
    page = staff.get(f"/console/reports/{rid}").text
    assert pseudonym in page
    assert "somchai" not in page
    assert "เก็บไว้ถึง" in page and str(until.year + 543) in page
    english = staff.get(f"/console/reports/{rid}?lang=en").text
    assert "Held (until" in english


def test_expired_contact_is_not_claimed_as_held(env, staff):
    rid = add_report(env, text="x", requester_kind="email", requester_value="a@example.com",
                     contact_kind="email", contact_value="a@example.com")
    with env.db.unit_of_work() as session:
        for contact in session.scalars(select(ContactPoint)):
            contact.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    page = staff.get(f"/console/reports/{rid}").text
    assert "เก็บไว้ถึง" not in page and "ช่องทางติดต่อกลับ" in page


def test_report_history_lists_its_audit_events_oldest_first(env, staff):
    rid = add_report(env, text="x")
    with env.db.unit_of_work() as session:
        record(session, actor="user:1", action="report.screened", object_type="report", object_id=rid,
               data={"topic": "สุขภาพ"})
        record(session, actor="system", action="report.other", object_type="report", object_id=rid + 1)
    page = staff.get(f"/console/reports/{rid}").text
    assert page.index("report.accepted") < page.index("report.screened")
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "หมวดหมู่: สุขภาพ" in text and "topic=" not in text  # the event's data, named in the page's language
    assert "report.other" not in page


def test_unknown_report_is_a_404_page(env, staff):
    for rid in ("999999", "99999999999999999999999", "abc"):
        path = f"/console/reports/{rid}"
        response = staff.get(path)
        assert response.status_code == 404, path
        assert "text/html" in response.headers["content-type"]


def test_images_are_thumbnails_served_to_staff_with_their_type(env, staff):
    png, jpeg = image_bytes("PNG"), image_bytes("JPEG", color="blue")
    images = [check_image(png, max_bytes=10**7, original_name="a.png"),
              check_image(jpeg, max_bytes=10**7, original_name="b.jpg")]
    rid = add_report(env, text="มีรูป", images=images)
    first, second = media_ids(env, rid)
    page = staff.get(f"/console/reports/{rid}").text
    assert f'src="/console/media/{first}"' in page and f'src="/console/media/{second}"' in page
    response = staff.get(f"/console/media/{first}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.content == png
    assert staff.get(f"/console/media/{second}").headers["content-type"] == "image/jpeg"
    assert staff.get("/console/media/999999").status_code == 404


def test_images_are_not_served_to_anonymous_users_or_agency_officers(env):
    rid = add_report(env, text="มีรูป", images=[check_image(image_bytes(), max_bytes=10**7)])
    (mid,) = media_ids(env, rid)
    anonymous = env.client.get(f"/console/media/{mid}", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/console/login")
    env.login(env.user(Role.agency_officer))
    assert env.client.get(f"/console/media/{mid}").status_code == 403
    assert env.client.get(f"/console/reports/{rid}").status_code == 403


def test_report_sent_by_a_partner_shows_up_with_its_image(env, staff):
    key = env.partner_key("moph")
    body = {"text": "ข่าวจากกระทรวง", "external_id": "moph-77", "urls": ["https://moph.example/x"],
            "images": [{"content_base64": base64.b64encode(image_bytes()).decode(), "filename": "p.png"}]}
    created = env.client.post("/api/v1/reports", json=body, headers={"Authorization": f"Bearer {key}"})
    assert created.status_code == 201, created.text
    rid = created.json()["id"]
    page = staff.get(f"/console/reports/{rid}").text
    assert "ข่าวจากกระทรวง" in page and "moph-77" in page and "api:moph" in page
    (mid,) = media_ids(env, rid)
    assert staff.get(f"/console/media/{mid}").status_code == 200
    assert f'href="/console/reports/{rid}"' in staff.get("/console/reports?channel=api").text
