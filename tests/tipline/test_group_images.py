"""Pictures in group chats: one brief reply for a clear fake or distortion, silence for anything else."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from helpers import image_bytes
from khaojing.accounts.models import Agency
from khaojing.claims import service as claims_service
from khaojing.claims.models import Claim, Verdict
from khaojing.db.base import utcnow
from khaojing.intake.media import check_image
from khaojing.intake.models import Report
from khaojing.intake.service import Submission, accept_report, get_or_create_source
from khaojing.matching import service as matching
from khaojing.tipline.models import InboundEvent
from line_fake import FakeLine, Webhook, count, post_events, run_jobs, user_id

CLAIM = "ดื่มน้ำมะนาวผสมโซดาทุกเช้าช่วยฆ่าเชื้อไวรัสโควิด-19 ในลำคอได้"
GROUP = "C" + "5" * 32


def published_picture(env, label: str) -> bytes:  # noqa: ANN001
    """A verified claim whose report carried a picture (so the claim is matched by the picture's hash)."""
    picture = image_bytes("PNG", (320, 240), color="blue")
    with env.db.unit_of_work() as session:
        source = get_or_create_source(session, kind="webform", name="webform")
        image = check_image(picture, max_bytes=env.settings.max_image_bytes)
        report_id = accept_report(session, settings=env.settings, source=source,
                                  sub=Submission(text=CLAIM, images=[image]), actor="system").report.id
    run_jobs(env.db)
    with env.db.unit_of_work() as session:
        claim_id = session.get(Report, report_id).claim_id
        agency = Agency(name_th="กรมควบคุมโรค", name_en="Department of Disease Control")
        session.add(agency)
        session.flush()
        session.get(Claim, claim_id).status = "verified"
        session.add(Verdict(claim_id=claim_id, label=label, headline=CLAIM, explanation="ไม่มีหลักฐาน",
                            agency_id=agency.id, published_at=utcnow()))
        session.flush()
        claims_service.log_change(session, claim_id)
        matching.index_claim(session, claim_id, settings=env.settings)
    return picture


def group_image(webhook: Webhook, line_api: FakeLine, data: bytes | None) -> dict:
    uid = user_id()
    event = webhook.message(uid, {"type": "image", "contentProvider": {"type": "line"},
                                  "quoteToken": secrets.token_hex(8)}, Webhook.group(GROUP, uid))
    if data is not None:
        line_api.content[event["message"]["id"]] = (data, "image/png")
    return event


def deliver(env, webhook, *events) -> None:  # noqa: ANN001
    assert post_events(env.client, webhook, *events).status_code == 200
    run_jobs(env.db)


def note_of(env, event: dict) -> tuple[str, str | None]:  # noqa: ANN001
    with env.db.unit_of_work(readonly=True) as session:
        row = session.scalar(select(InboundEvent).where(InboundEvent.webhook_event_id == event["webhookEventId"]))
        return row.status, row.note


def test_a_picture_of_a_fake_in_a_group_gets_one_brief_reply(env, webhook, line_api: FakeLine) -> None:  # noqa: ANN001
    picture = published_picture(env, "fake")
    reports = count(env.db, Report)
    event = group_image(webhook, line_api, picture)
    deliver(env, webhook, event)
    deliver(env, webhook, {**event, "deliveryContext": {"isRedelivery": True}})
    [reply] = line_api.replies()
    assert reply.body["replyToken"] == event["replyToken"]
    [bubble] = reply.body["messages"]
    assert bubble["type"] == "flex" and bubble["contents"]["header"]["backgroundColor"] == "#C62828"
    assert "quickReply" not in bubble  # brief: no menu in a group
    assert not line_api.sent("/v2/bot/chat/loading/start")  # the typing dots exist only in one-to-one chats
    assert count(env.db, Report) == reports  # nothing from a group is filed
    assert note_of(env, event)[1].startswith("group: answered from claim")


def test_a_true_verdict_or_an_unknown_picture_in_a_group_is_silent(env, webhook, line_api: FakeLine) -> None:  # noqa: ANN001
    picture = published_picture(env, "true")
    deliver(env, webhook, group_image(webhook, line_api, picture))
    unknown = group_image(webhook, line_api, image_bytes("PNG", (300, 200), color="yellow"))
    deliver(env, webhook, unknown)
    assert line_api.sent("/v2/bot/message/reply") == []
    assert note_of(env, unknown) == ("ignored", "group chat: no answer")


def test_a_picture_too_large_or_gone_is_passed_over_in_silence(env, webhook, line_api: FakeLine) -> None:  # noqa: ANN001
    published_picture(env, "fake")
    env.settings.max_image_bytes = 1000
    big = group_image(webhook, line_api, image_bytes("PNG", (800, 600), color="blue") + b"\0" * 2000)
    gone = group_image(webhook, line_api, None)  # LINE answers 404
    deliver(env, webhook, big, gone)
    assert line_api.sent("/v2/bot/message/reply") == []
    assert note_of(env, big)[0] == note_of(env, gone)[0] == "ignored"
