"""The LINE blocklist in the console, end to end: block from a report, the webhook goes quiet, unblock, roles."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from helpers import csrf_from
from khaojing.accounts.models import Role
from khaojing.audit.models import AuditEvent
from khaojing.db.base import utcnow
from khaojing.intake.models import Report
from khaojing.tipline.models import Blocked, InboundEvent
from line_fake import FakeLine, Webhook, count, post_events, run_jobs, user_id

RUMOUR = "ด่วน! กระทรวงการคลังแจกเงินเยียวยา 5,000 บาท กดลิงก์ลงทะเบียนรับเงินพร้อมกรอกเลขบัญชีธนาคารภายในวันนี้"
PAGE = "/console/line/blocklist"


def deliver(env, webhook, *events) -> None:  # noqa: ANN001
    assert post_events(env.client, webhook, *events).status_code == 200
    run_jobs(env.db)


def file_report(env, webhook, uid: str) -> str:  # noqa: ANN001
    deliver(env, webhook, webhook.text(uid, RUMOUR), webhook.postback(uid, "a=whole&v=yes"),
            webhook.postback(uid, "a=consent&v=yes"))
    with env.db.unit_of_work(readonly=True) as session:
        return session.scalars(select(Report.tracking_code).order_by(Report.id.desc())).first()


def post_form(env, url: str, data: dict, *, page: str = PAGE):  # noqa: ANN001, ANN201
    token = csrf_from(env.client.get(page).text)
    return env.client.post(url, data={**data, "csrf_token": token}, follow_redirects=False)


def test_an_editor_blocks_a_sender_from_their_report_and_the_bot_goes_quiet(env, webhook, line_api: FakeLine):  # noqa: ANN001
    uid = user_id()
    code = file_report(env, webhook, uid)
    env.login(env.user(Role.editor))
    listing = env.client.get(PAGE)
    assert listing.status_code == 200 and code in listing.text and "บล็อกผู้ส่งนี้" in listing.text
    assert 'href="/console/line/blocklist"' in listing.text  # the console navigation links to it

    done = post_form(env, PAGE, {"target": code.lower().replace("-", " "), "reason": "ส่งข้อความก่อกวนซ้ำ ๆ",
                                 "days": ""})
    assert done.status_code == 303
    shown = env.client.get(PAGE).text
    assert "ส่งข้อความก่อกวนซ้ำ ๆ" in shown and "จนกว่าจะยกเลิก" in shown and "ถูกบล็อกแล้ว" in shown
    with env.db.unit_of_work(readonly=True) as session:
        [row] = session.scalars(select(Blocked)).all()
        assert row.requester_id is not None and row.until is None and row.created_by.startswith("user:")
        assert session.scalar(select(AuditEvent).where(AuditEvent.action == "tipline.blocked")) is not None

    sent, reports = len(line_api.sent()), count(env.db, Report)
    message = webhook.text(uid, RUMOUR + " อีกครั้ง")
    deliver(env, webhook, message, webhook.sticker(uid), webhook.postback(uid, "a=howto"))
    assert len(line_api.sent()) == sent and count(env.db, Report) == reports  # no reply, no report
    with env.db.unit_of_work(readonly=True) as session:
        event = session.scalar(select(InboundEvent).where(InboundEvent.webhook_event_id == message["webhookEventId"]))
        assert (event.status, event.note) == ("ignored", "blocked")

    lifted = post_form(env, f"{PAGE}/{row.id}/lift", {"reason": "ผู้ใช้ยืนยันตัวตนแล้ว"})
    assert lifted.status_code == 303 and count(env.db, Blocked) == 0
    assert "ยกเลิกการบล็อก" in env.client.get(PAGE).text
    deliver(env, webhook, webhook.sticker(uid))
    assert "สติกเกอร์" in line_api.replies()[-1].body["messages"][0]["text"]  # answered again
    with env.db.unit_of_work(readonly=True) as session:
        lift_event = session.scalar(select(AuditEvent).where(AuditEvent.action == "tipline.unblocked"))
        assert lift_event.data["reason"] == "ผู้ใช้ยืนยันตัวตนแล้ว"


def test_analysts_see_the_list_but_cannot_block_or_unblock(env, webhook) -> None:  # noqa: ANN001
    uid = user_id()
    code = file_report(env, webhook, uid)
    env.login(env.user(Role.admin, username="admin1"))
    assert post_form(env, PAGE, {"target": code, "reason": "spam"}).status_code == 303
    env.client.post("/console/logout", data={"csrf_token": csrf_from(env.client.get(PAGE).text)})
    env.login(env.user(Role.analyst))
    page = env.client.get(PAGE)
    assert page.status_code == 200 and "spam" in page.text and 'name="target"' not in page.text
    assert "/lift" not in page.text
    with env.db.unit_of_work(readonly=True) as session:
        block_id = session.scalar(select(Blocked.id))
    assert post_form(env, PAGE, {"target": code, "reason": "again"}).status_code == 403
    assert post_form(env, f"{PAGE}/{block_id}/lift", {"reason": "no"}).status_code == 403
    assert count(env.db, Blocked) == 1
    with env.db.unit_of_work(readonly=True) as session:
        assert session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.denied")) is not None


def test_refusals_keep_the_form_and_store_nothing(env, webhook) -> None:  # noqa: ANN001
    uid = user_id()
    code = file_report(env, webhook, uid)
    env.login(env.user(Role.editor))
    no_csrf = env.client.post(PAGE, data={"target": code, "reason": "x"}, follow_redirects=False)
    assert no_csrf.status_code == 403
    no_reason = post_form(env, PAGE, {"target": code, "reason": "   "})
    assert no_reason.status_code == 422 and code in no_reason.text  # the form keeps what was typed
    unknown = post_form(env, PAGE, {"target": "KJ-2345-6789", "reason": "spam"})
    assert unknown.status_code == 404 and "role=\"alert\"" in unknown.text
    assert post_form(env, PAGE, {"target": "abc", "reason": "spam"}).status_code == 404
    assert post_form(env, PAGE, {"target": code, "reason": "spam", "days": "0"}).status_code == 422
    assert count(env.db, Blocked) == 0
    assert post_form(env, PAGE, {"target": code, "reason": "spam", "days": "7"}).status_code == 303
    again = post_form(env, PAGE, {"target": code, "reason": "spam"})
    assert again.status_code == 409 and count(env.db, Blocked) == 1
    with env.db.unit_of_work(readonly=True) as session:
        until = session.scalar(select(Blocked.until))
    assert dt.timedelta(days=6) < until - utcnow() <= dt.timedelta(days=7)
    assert post_form(env, f"{PAGE}/999999/lift", {"reason": "x"}).status_code == 404


def test_a_group_blocked_by_its_line_id_and_an_expired_block(env, webhook, line_api: FakeLine) -> None:  # noqa: ANN001
    group, uid = "C" + "7" * 32, user_id()
    env.login(env.user(Role.editor))
    assert post_form(env, PAGE, {"target": group, "reason": "กลุ่มส่งสแปม"}).status_code == 303
    listing = env.client.get(PAGE).text
    assert group not in listing and "กลุ่ม" in listing  # the raw id is hashed, never shown or stored
    mention = webhook.text(uid, "@ข่าวจริง ช่วยดูหน่อย", source=Webhook.group(group, uid))
    mention["message"]["mention"] = {"mentionees": [{"index": 0, "length": 9, "type": "user", "isSelf": True}]}
    deliver(env, webhook, mention)
    assert line_api.sent() == []

    other = user_id()
    assert post_form(env, PAGE, {"target": other, "reason": "ทดสอบ", "days": "1"}).status_code == 303
    with env.db.unit_of_work() as session:  # a day later the block has expired
        for row in session.scalars(select(Blocked).where(Blocked.requester_id.is_not(None))):
            row.until = utcnow() - dt.timedelta(minutes=1)
    assert "หมดอายุแล้ว" in env.client.get(PAGE).text
    deliver(env, webhook, webhook.sticker(other))
    assert len(line_api.replies()) == 1
