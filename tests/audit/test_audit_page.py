"""The audit log page: who may see it, events newest first, filters, paging, and an honest chain check."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from khaojing.accounts.models import Role
from khaojing.audit import views as audit_views
from khaojing.audit.service import latest_hash, record

EVENT_ROW = re.compile(r'<td class="mono">(\d+)</td>')


def add_events(env, n: int, *, action: str = "test.event", object_type: str = "thing") -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        for i in range(n):
            record(session, actor="system", action=action, object_type=object_type, object_id=i,
                   data={"n": i, "หมายเหตุ": "<b>ทดสอบ</b>"})


def event_ids(html: str) -> list[int]:
    return [int(i) for i in EVENT_ROW.findall(html)]


@pytest.fixture
def editor(env):  # noqa: ANN001, ANN201
    return env.login(env.user(Role.editor, username="editor1"))


@pytest.mark.parametrize("role", [Role.analyst, Role.agency_officer])
def test_analysts_and_agency_officers_are_refused(env, role):
    client = env.login(env.user(role))
    assert client.get("/console/audit").status_code == 403


def test_anonymous_user_is_sent_to_login(env):
    response = env.client.get("/console/audit", follow_redirects=False)
    assert response.status_code == 303 and "next=/console/audit" in response.headers["location"]


def test_admin_sees_the_audit_log(env):
    client = env.login(env.user(Role.admin))
    assert client.get("/console/audit").status_code == 200


def test_events_newest_first_with_actor_name_escaped_data_and_short_hashes(env, editor):
    add_events(env, 3)
    page = editor.get("/console/audit")
    assert page.status_code == 200
    ids = event_ids(page.text)
    assert ids == sorted(ids, reverse=True)
    assert "auth.login" in page.text and "user.created" in page.text and "test.event" in page.text
    assert re.search(r"editor1 <small class=\"muted mono\">user:\d+</small>", page.text)
    assert "&lt;b&gt;ทดสอบ&lt;/b&gt;" in page.text and "<b>ทดสอบ</b>" not in page.text
    assert re.search(r'<span title="[0-9a-f]{64}">[0-9a-f]{12}</span>', page.text)
    assert re.search(r"\d{1,2} [ก-๙]+ 25\d\d", page.text)  # Thai month, Buddhist-era year


def test_chain_ok_is_shown(env, editor):
    add_events(env, 5)
    page = editor.get("/console/audit")
    assert "สายโซ่ถูกต้อง" in page.text
    assert "chain-ok" in page.text
    with env.db.unit_of_work(readonly=True) as session:
        assert latest_hash(session) in page.text  # to compare with a copy kept elsewhere
    assert "Chain OK" in editor.get("/console/audit?lang=en").text


def test_a_tampered_row_is_reported(env, editor):
    add_events(env, 5)
    with env.db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET actor = 'user:999' "
                          "WHERE action = 'test.event' AND object_id = '2'"))
    page = editor.get("/console/audit")
    assert "สายโซ่ถูกต้อง" not in page.text
    assert "พบปัญหา 1 จุด" in page.text
    assert "content changed after it was written" in page.text


def test_a_deleted_row_is_reported(env, editor):
    add_events(env, 5)
    with env.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events WHERE action = 'test.event' AND object_id = '1'"))
    page = editor.get("/console/audit?lang=en")
    assert "problems found" in page.text and "link broken" in page.text


def test_big_logs_are_checked_only_on_request(env, editor, monkeypatch):
    add_events(env, 3)
    monkeypatch.setattr(audit_views, "AUTO_VERIFY_MAX", 2)
    page = editor.get("/console/audit")
    assert "ยังไม่ได้ตรวจ" in page.text and "สายโซ่ถูกต้อง" not in page.text
    assert 'name="verify" value="1"' in page.text
    checked = editor.get("/console/audit?verify=1")
    assert "สายโซ่ถูกต้อง" in checked.text


def test_chain_is_not_rechecked_on_later_pages_unless_asked(env, editor):
    add_events(env, 60)
    second = editor.get("/console/audit?page=2")
    assert "ยังไม่ได้ตรวจ" in second.text
    assert "สายโซ่ถูกต้อง" in editor.get("/console/audit?page=2&verify=1").text


def test_filter_by_action_and_object_type_with_paging(env, editor):
    add_events(env, 55, action="report.accepted", object_type="report")
    add_events(env, 4, action="case.opened", object_type="case")
    first = editor.get("/console/audit?action=report.accepted")
    assert "55 รายการ" in first.text
    assert len(event_ids(first.text)) == 50
    assert 'href="/console/audit?action=report.accepted&amp;page=2"' in first.text
    assert len(event_ids(editor.get("/console/audit?action=report.accepted&page=2").text)) == 5
    cases = editor.get("/console/audit?type=case")
    assert len(event_ids(cases.text)) == 4 and "report.accepted" not in cases.text.split("<table")[1]
    assert '<option value="case" selected>' in cases.text
    assert "ไม่มีบันทึกตามเงื่อนไขนี้" in editor.get("/console/audit?action=nothing.like.this").text


def test_page_past_the_end_shows_the_last_page(env, editor):
    add_events(env, 3)
    assert len(event_ids(editor.get("/console/audit?page=40").text)) > 0


def test_report_objects_link_to_the_report(env, editor):
    with env.db.unit_of_work() as session:
        record(session, actor="system", action="report.accepted", object_type="report", object_id=42)
    assert '<a href="/console/reports/42">report:42</a>' in editor.get("/console/audit").text


@pytest.mark.parametrize("query", ["page=abc", "page=999999999999999999", "action=" + "x" * 500, "type=%00",
                                   "action=a%00"])
def test_odd_query_values_do_not_break_the_page(env, editor, query):
    assert editor.get(f"/console/audit?{query}").status_code == 200
