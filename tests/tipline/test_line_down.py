"""LINE's API down in the middle of a conversation: the report is kept, the answers are retried from the queue."""

from __future__ import annotations

from sqlalchemy import select

from helpers import image_bytes
from khaojing.intake.models import Report
from khaojing.jobs.models import Job
from khaojing.tipline.models import InboundEvent, OutboundMessage
from line_fake import FakeLine, count, post_events, run_jobs, user_id

RUMOUR = "ด่วน! กระทรวงการคลังแจกเงินเยียวยา 5,000 บาท กดลิงก์ลงทะเบียนรับเงินพร้อมกรอกเลขบัญชีธนาคารภายในวันนี้"


def test_a_consent_while_line_answers_500_files_once_and_the_answer_arrives_once(env, webhook,  # noqa: ANN001
                                                                                 line_api: FakeLine) -> None:
    uid = user_id()
    for event in (webhook.text(uid, RUMOUR), webhook.postback(uid, "a=whole&v=yes")):
        assert post_events(env.client, webhook, event).status_code == 200
        run_jobs(env.db)
    line_api.fail_next(2, 500, path="/v2/bot/message/reply")
    line_api.fail_next(1, 429, path="/v2/bot/message/reply")
    consent = webhook.postback(uid, "a=consent&v=yes")
    assert post_events(env.client, webhook, consent).status_code == 200
    run_jobs(env.db)  # the send job fails three times (backoff 0 in tests), then LINE is back
    assert count(env.db, Report) == 1
    filed = [c for c in line_api.replies() if c.body["replyToken"] == consent["replyToken"]]
    assert len(filed) == 1 and "ส่งเรื่องให้เจ้าหน้าที่ตรวจสอบแล้ว" in filed[0].body["messages"][0]["text"]
    with env.db.unit_of_work(readonly=True) as session:
        row = session.scalar(select(OutboundMessage).where(OutboundMessage.dedupe_key == f"reply:"
                                                           f"{consent['webhookEventId']}"))
        assert (row.status, row.attempts, row.sent_via) == ("sent", 4, "reply")


def test_an_image_whose_download_fails_is_retried_by_its_job(env, webhook, line_api: FakeLine) -> None:  # noqa: ANN001
    uid = user_id()
    event = webhook.image(uid)
    line_api.content[event["message"]["id"]] = (image_bytes("PNG", (200, 150), color="green"), "image/png")
    line_api.fail_next(1, 503, path=f"/v2/bot/message/{event['message']['id']}/content")
    assert post_events(env.client, webhook, event).status_code == 200
    run_jobs(env.db)
    [reply] = line_api.replies()
    assert reply.body["messages"][0]["text"].startswith("ยังไม่พบผลการตรวจสอบ")  # the consent question
    with env.db.unit_of_work(readonly=True) as session:
        stored = session.scalar(select(InboundEvent).where(InboundEvent.webhook_event_id == event["webhookEventId"]))
        job = session.scalar(select(Job).where(Job.dedupe_key == f"tipline.event:{event['webhookEventId']}"))
        assert stored.status == "processed" and (job.status, job.attempts) == ("done", 2)
