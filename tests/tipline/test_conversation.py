"""The tipline.event job, end to end through the webhook and the fake LINE API (part A of the conversation)."""

from __future__ import annotations

from sqlalchemy import select

from helpers import image_bytes
from khaojing.intake.models import Media, Report, Requester, Source
from khaojing.jobs.models import Job
from khaojing.tipline import service
from khaojing.tipline.models import InboundEvent, OutboundMessage
from line_fake import FakeLine, count, post_events, run_jobs, user_id


def deliver(env, webhook, *events) -> None:  # noqa: ANN001
    assert post_events(env.client, webhook, *events).status_code == 200
    run_jobs(env.db)


def requester(db, uid: str) -> Requester:  # noqa: ANN001
    from khaojing.intake.requesters import keyed_hash

    with db.unit_of_work(readonly=True) as session:
        return session.scalar(select(Requester).where(
            Requester.key_hash == keyed_hash(db.settings.secret_key, "line_user_id", uid)))


def test_follow_greets_and_explains_with_quick_replies(env, webhook, line_api: FakeLine) -> None:  # noqa: ANN001
    uid = user_id()
    follow = webhook.follow(uid)
    deliver(env, webhook, follow)
    [reply] = line_api.replies()
    assert reply.body["replyToken"] == follow["replyToken"]
    greeting, howto = reply.body["messages"]
    assert "ศูนย์ต่อต้านข่าวปลอม" in greeting["text"] and "วิธีแจ้งข่าว" in howto["text"]
    labels = [i["action"]["label"] for i in howto["quickReply"]["items"]]
    assert labels == ["ตรวจสอบข่าว", "ข่าวปลอมล่าสุด", "วิธีแจ้งข่าว", "ตั้งค่าการแจ้งเตือน"]
    assert requester(env.db, uid).notify is True


def test_follow_in_english_when_lines_profile_says_english(env, webhook, line_api: FakeLine) -> None:  # noqa: ANN001
    uid = user_id()
    line_api.profiles[uid] = {"displayName": "Ann", "userId": uid, "language": "en"}
    deliver(env, webhook, webhook.follow(uid))
    greeting, howto = line_api.replies()[0].body["messages"]
    assert greeting["text"].startswith("Hello") and "How to report" in howto["text"]
    assert requester(env.db, uid).language == "en"


def test_unfollow_stops_pushes_and_follow_again_restores_them(env, webhook, line_api: FakeLine) -> None:  # noqa: ANN001
    uid = user_id()
    deliver(env, webhook, webhook.follow(uid))
    deliver(env, webhook, webhook.unfollow(uid))
    assert requester(env.db, uid).notify is False
    assert len(line_api.sent()) == 1  # the greeting; nothing for the unfollow
    deliver(env, webhook, webhook.follow(uid))
    assert requester(env.db, uid).notify is True


def test_an_old_unfollow_handled_late_does_not_undo_a_newer_follow(env, webhook) -> None:  # noqa: ANN001
    uid = user_id()
    unfollow = webhook.unfollow(uid)
    follow = webhook.follow(uid)
    unfollow["timestamp"], follow["timestamp"] = 1_000, 2_000
    deliver(env, webhook, follow, unfollow)
    assert requester(env.db, uid).notify is True


def test_a_sticker_gets_a_short_friendly_reply_and_the_menu(env, webhook, line_api: FakeLine) -> None:  # noqa: ANN001
    uid = user_id()
    deliver(env, webhook, webhook.sticker(uid))
    [reply] = line_api.replies()
    [message] = reply.body["messages"]
    assert "สติกเกอร์" in message["text"] and len(message["quickReply"]["items"]) == 4
    assert count(env.db, Report) == 0


def test_video_audio_location_and_file_are_politely_unsupported(env, webhook, line_api: FakeLine) -> None:  # noqa: ANN001
    uid = user_id()
    deliver(env, webhook, webhook.video(uid), webhook.audio(uid), webhook.location(uid), webhook.file(uid))
    texts = [c.body["messages"][0]["text"] for c in line_api.replies()]
    assert len(texts) == 4 and all(t.startswith("ขออภัย") for t in texts)
    assert any("วิดีโอ" in t for t in texts) and any("ตำแหน่งที่ตั้ง" in t for t in texts)
    assert count(env.db, Report) == 0


def test_a_new_text_is_filed_only_after_the_whole_message_and_consent_questions(env, webhook, line_api: FakeLine) -> None:  # noqa: ANN001, E501
    uid = user_id()
    event = webhook.text(uid, "ด่วน! ดื่มน้ำมะนาวผสมโซดาฆ่าเซลล์มะเร็งได้ แชร์ต่อ")
    deliver(env, webhook, event)
    deliver(env, webhook, {**event, "deliveryContext": {"isRedelivery": True}})
    assert count(env.db, Report) == 0
    [question] = line_api.replies()
    assert question.body["messages"][0]["text"].startswith("ข้อความนี้คือข้อความทั้งหมด")
    deliver(env, webhook, webhook.postback(uid, "a=whole&v=yes"))
    deliver(env, webhook, webhook.postback(uid, "a=consent&v=yes"))
    with env.db.unit_of_work(readonly=True) as session:
        [report] = session.scalars(select(Report)).all()
        source = session.get(Source, report.source_id)
        assert (report.channel, source.kind, source.name) == ("line", "line", "line")
        assert report.external_id == event["message"]["id"]
        assert report.text == event["message"]["text"]
        assert report.requester_id == requester(env.db, uid).id
        ev = session.scalar(select(InboundEvent))
        assert ev.status == "processed" and ev.reply_token is None
    last = line_api.replies()[-1].body["messages"][0]["text"]
    assert report.tracking_code in last and "แจ้งผล" in last


def test_an_image_is_downloaded_and_filed_with_the_loading_animation(env, webhook, line_api: FakeLine) -> None:  # noqa: ANN001
    uid = user_id()
    event = webhook.image(uid)
    line_api.content[event["message"]["id"]] = (image_bytes("JPEG", (320, 240)), "image/jpeg")
    deliver(env, webhook, event)
    loading = line_api.sent("/v2/bot/chat/loading/start")
    assert loading and loading[0].body["chatId"] == uid
    assert line_api.replies()[0].body["messages"][0]["text"].startswith("ยังไม่พบผลการตรวจสอบ")  # consent
    deliver(env, webhook, webhook.postback(uid, "a=consent&v=yes"))
    with env.db.unit_of_work(readonly=True) as session:
        [report] = session.scalars(select(Report)).all()
        [media] = session.scalars(select(Media)).all()
        assert media.report_id == report.id and media.content_type == "image/jpeg" and media.width == 320
    assert report.tracking_code in line_api.texts()[-1]
    assert line_api.sent(f"/v2/bot/message/{event['message']['id']}/content")[0].host == "data"


def test_an_image_over_the_limit_gets_a_polite_answer(env, webhook, line_api: FakeLine) -> None:  # noqa: ANN001
    uid = user_id()
    event = webhook.image(uid)
    line_api.content[event["message"]["id"]] = (b"\xff" * (env.settings.max_image_bytes + 1), "image/jpeg")
    deliver(env, webhook, event)
    assert "ใหญ่เกิน" in line_api.replies()[0].body["messages"][0]["text"]
    assert count(env.db, Report) == 0


def test_an_image_line_no_longer_has_gets_a_polite_answer(env, webhook, line_api: FakeLine) -> None:  # noqa: ANN001
    deliver(env, webhook, webhook.image(user_id()))
    assert "ส่งรูปอีกครั้ง" in line_api.replies()[0].body["messages"][0]["text"]
    assert count(env.db, Report) == 0


def test_postbacks_how_to_and_notification_settings(env, webhook, line_api: FakeLine) -> None:  # noqa: ANN001
    uid = user_id()
    deliver(env, webhook, webhook.postback(uid, "a=howto"))
    deliver(env, webhook, webhook.postback(uid, "a=notify"))
    deliver(env, webhook, webhook.postback(uid, "a=notify&v=off"))
    assert requester(env.db, uid).notify is False
    deliver(env, webhook, webhook.postback(uid, "a=consent&v=yes"))  # no open question: nothing filed
    texts = [c.body["messages"][0]["text"] for c in line_api.replies()]
    assert "วิธีแจ้งข่าว" in texts[0] and "เปิดอยู่" in texts[1] and "ปิดการแจ้งเตือนแล้ว" in texts[2]
    assert "หมดเวลา" in texts[3] and len(texts) == 4
    assert count(env.db, Report) == 0


def test_over_the_rate_limit_one_notice_per_minute_then_silence(settings, webhook, line_api) -> None:  # noqa: ANN001
    from helpers import TestEnv
    from khaojing.db.session import Database

    strict = settings.model_copy(update={"line_rate_limit_per_user": 3})
    db = Database(strict)
    env = TestEnv(strict, db)
    try:
        uid = user_id()
        deliver(env, webhook, *[webhook.text(uid, f"ข่าวที่ {i}") for i in range(6)])
    finally:
        env.close()
        db.dispose()
    texts = [c.body["messages"][0]["text"] for c in line_api.sent()]
    assert len(texts) == 4 and sum("ขอเวลาสักครู่" in t for t in texts) == 1
    assert count(db, InboundEvent, InboundEvent.note == "over the per-user rate limit") == 3


def test_a_blocked_user_gets_nothing_and_files_nothing(env, webhook, line_api: FakeLine) -> None:  # noqa: ANN001
    uid = user_id()
    deliver(env, webhook, webhook.follow(uid))
    with env.db.unit_of_work() as session:
        service.block(session, actor="user:1", reason="spam", requester_id=requester(env.db, uid).id)
    sent_before = len(line_api.calls)
    deliver(env, webhook, webhook.text(uid, "spam spam"), webhook.sticker(uid), webhook.postback(uid, "a=howto"))
    assert len(line_api.calls) == sent_before
    assert count(env.db, Report) == 0
    assert count(env.db, InboundEvent, InboundEvent.note == "blocked") == 3
    deliver(env, webhook, webhook.unfollow(uid))  # a blocked user can still stop our pushes
    assert requester(env.db, uid).notify is False


def test_a_job_that_runs_again_sends_nothing_twice(env, webhook, line_api: FakeLine) -> None:  # noqa: ANN001
    from khaojing.tipline import conversation

    deliver(env, webhook, webhook.sticker(user_id()))
    with env.db.unit_of_work() as session:
        event = session.scalar(select(InboundEvent))
        event.status = "received"  # as if the job's first run had died after queueing its answer
    with env.db.unit_of_work() as session:
        conversation.handle_event(session, settings=env.settings, event_id=event.id)
    run_jobs(env.db)
    assert len(line_api.replies()) == 1
    assert count(env.db, OutboundMessage) == 1
    assert count(env.db, Job, Job.name == "tipline.send") == 1


def test_group_chatter_gets_no_answer_in_part_a(env, webhook, line_api: FakeLine) -> None:  # noqa: ANN001
    from line_fake import Webhook

    uid = user_id()
    deliver(env, webhook, webhook.text(uid, "ในกลุ่ม", source=Webhook.group("C" + "3" * 32, uid)))
    assert line_api.sent() == [] and count(env.db, Report) == 0
