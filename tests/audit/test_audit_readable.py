"""The audit log as a person reads it: actions and actors by name in Thai or English (the code kept in a title and as
the filter link), details as named values instead of JSON, and every column on a 1280-pixel screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import PASSWORD
from khaojing.accounts.models import Role
from khaojing.audit.messages_names import ACTIONS
from khaojing.audit.service import record

SRC = Path(__file__).resolve().parents[2] / "src" / "khaojing"
ACTION_ARG = re.compile(r'action="([a-z0-9_]+\.[a-z0-9_]+)"')  # every literal action, however nested its call
ACTION_FORMAT = re.compile(r'action=f"([a-z0-9_]+)\.\{')  # action=f"case.{kind}": its kinds are listed below
CASE_KINDS = ("claimed", "handed_over", "assigned")  # cases.service.assign


def _rows(html: str) -> str:
    """The table body's visible text (tags and attributes removed)."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def _events(env) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        record(session, actor="ip:203.0.113.9", action="auth.login_failed", object_type="user", object_id=1,
               data={"ip": "203.0.113.9", "failures": 2})
        record(session, actor="user:1", action="auth.denied", object_type="route",
               object_id="/console/agency/requests/123",
               data={"path": "/console/agency/requests/123", "method": "GET", "reason": "role",
                     "role": "editor", "required": ["agency_officer"], "ip": "127.0.0.1"})
        record(session, actor="user:1", action="agency_request.sent", object_type="agency_request", object_id=5,
               data={"case_id": 3, "agency_id": 2, "due_at": "2026-11-21 13:45:50.100016+00:00"})
        record(session, actor="public", action="report.accepted", object_type="report", object_id=7,
               data={"channel": "webform", "source": "webform", "tracking_code": "KJ-AAAA-BBBB", "media": 0})
        record(session, actor="system", action="brand.new_thing", object_type="thing", object_id=1, data={"n": 1})


@pytest.fixture
def editor(env):  # noqa: ANN001, ANN201
    return env.login(env.user(Role.editor, username="editor1"))


def test_thai_log_names_actions_actors_and_details(env, editor) -> None:  # noqa: ANN001
    _events(env)
    page = editor.get("/console/audit").text
    rows = _rows(page)
    assert "ปฏิเสธการเข้าถึง" in rows and "รับข้อความแจ้ง" in rows and "เข้าสู่ระบบไม่สำเร็จ" in rows
    assert 'title="auth.denied"' in page and 'href="/console/audit?action=auth.denied"' in page  # the code is kept
    assert "brand.new_thing" in rows  # an action without a name shows its code
    assert "ประชาชน (แบบฟอร์มบนเว็บไซต์)" in rows and "ผู้ใช้ที่ยังไม่ได้เข้าสู่ระบบ (IP 203.0.113.9)" in rows
    assert "เหตุผล: บทบาทนี้ไม่มีสิทธิ์" in rows and "บทบาทที่ต้องมี: เจ้าหน้าที่หน่วยงาน" in rows
    assert "บทบาท: บรรณาธิการ" in rows and "จำนวนครั้งที่ผิด: 2" in rows
    assert "แหล่งที่มา: เว็บไซต์" in rows and "ครบกำหนด: 21 พฤศจิกายน 2569 20:45 น." in rows
    assert '{"' not in rows and "auth.denied" not in rows and "2026-11-21" not in rows


def test_english_log_names_actions_and_details(env, editor) -> None:  # noqa: ANN001
    _events(env)
    rows = _rows(editor.get("/console/audit?lang=en").text)
    assert "Access refused" in rows and "Report received" in rows and "Logged in" in rows
    assert "reason: role not allowed" in rows and "roles required: Agency officer" in rows
    assert "the public (web form)" in rows and "source: Web form" in rows and "due: 21 Nov 2026 20:45" in rows


def test_the_action_filter_suggests_names(env, editor) -> None:  # noqa: ANN001
    _events(env)
    page = editor.get("/console/audit").text
    assert '<option value="auth.denied">ปฏิเสธการเข้าถึง</option>' in page


def test_every_action_the_code_records_has_a_name() -> None:
    code = "\n".join(p.read_text() for p in SRC.rglob("*.py") if not p.name.startswith("messages"))
    found = set(ACTION_ARG.findall(code)) | {f"case.{kind}" for kind in CASE_KINDS}
    assert set(ACTION_FORMAT.findall(code)) == {"case"}, "a new formatted action: list its kinds here"
    assert len(found) > 60, "the scan found too few actions: has audit.record changed its signature?"
    assert sorted(found - ACTIONS.keys()) == []


@pytest.mark.browser
def test_the_hash_column_is_on_a_1280_pixel_screen(env, browser, live_url) -> None:  # noqa: ANN001
    _events(env)
    with env.db.unit_of_work() as session:
        for i in range(5):
            record(session, actor="user:1", action="auth.denied", object_type="route",
                   object_id=f"/console/agency/requests/{i}/answer/attachments",
                   data={"path": f"/console/agency/requests/{i}/answer/attachments", "method": "POST",
                         "reason": "this request was sent to another agency, not yours", "ip": "127.0.0.1",
                         "role": "analyst", "required": ["admin", "analyst", "editor"]})
    env.user(Role.editor, username="editor1")
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="th-TH")
    page.goto(live_url + "/console/login")
    page.fill("#username", "editor1")
    page.fill("#password", PASSWORD)
    page.locator("form:has(#password) button[type=submit]").click()
    page.wait_for_load_state("load")
    page.goto(live_url + "/console/audit")
    box = page.locator(".table-scroll")
    scroll, client = box.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert scroll <= client, f"the table is {scroll}px wide in a {client}px box: the hash column is cut off"
    right = page.locator("td.hash").first.evaluate("e => e.getBoundingClientRect().right")
    assert right <= 1280
    page.close()
