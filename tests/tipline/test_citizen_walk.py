"""What a citizen tripped on when the LINE conversation was walked end to end (khaojing serve + the fake LINE API):
a thank-you answered with "hello", a link alone asked "is this the whole message?", a forwarded English rumour
answered as chatter, and an English speaker LINE gave us no profile for answered in Thai."""

from __future__ import annotations

from sqlalchemy import select

from khaojing.intake.models import Report, Requester
from khaojing.intake.requesters import keyed_hash
from line_fake import FakeLine, count, post_events, run_jobs, user_id

EN_RUMOUR = "Forwarded: drinking hot water every 15 minutes kills the coronavirus in your throat, share with everyone!"


def deliver(env, webhook, *events) -> None:  # noqa: ANN001
    assert post_events(env.client, webhook, *events).status_code == 200
    run_jobs(env.db)


def last_message(line_api: FakeLine) -> dict:
    return line_api.sent()[-1].body["messages"][-1]


def language(db, uid: str) -> str:  # noqa: ANN001
    with db.unit_of_work(readonly=True) as session:
        return session.scalar(
            select(Requester.language).where(
                Requester.key_hash == keyed_hash(db.settings.secret_key, "line_user_id", uid)
            )
        )


def test_a_thank_you_is_answered_you_are_welcome_not_hello(env, webhook, line_api: FakeLine) -> None:  # noqa: ANN001
    uid = user_id()
    deliver(env, webhook, webhook.text(uid, "ขอบคุณมากครับ 🙏"))
    answer = last_message(line_api)["text"]
    assert answer.startswith("ยินดี") and "สวัสดี" not in answer
    deliver(env, webhook, webhook.text(uid, "สวัสดีครับ"))
    assert last_message(line_api)["text"].startswith("สวัสดี")  # a greeting is still greeted
    assert count(env.db, Report) == 0


def test_ok_is_acknowledged_not_greeted(env, webhook, line_api: FakeLine) -> None:  # noqa: ANN001
    deliver(env, webhook, webhook.text(user_id(), "โอเคค่ะ"))
    answer = last_message(line_api)["text"]
    assert answer.startswith("รับทราบ") and "สวัสดี" not in answer


def test_a_link_alone_skips_the_whole_message_question(env, webhook, line_api: FakeLine) -> None:  # noqa: ANN001
    uid = user_id()
    link = "https://www.example-news.co.th/news/local/1234567"
    deliver(env, webhook, webhook.text(uid, link))
    question = last_message(line_api)
    assert question["text"].startswith("ยังไม่พบผลการตรวจสอบ")  # the consent question, at once
    assert [i["action"]["data"] for i in question["quickReply"]["items"]] == ["a=consent&v=yes", "a=consent&v=no"]
    deliver(env, webhook, webhook.postback(uid, "a=consent&v=yes"))
    with env.db.unit_of_work(readonly=True) as session:
        [report] = session.scalars(select(Report)).all()
        assert report.text == link
    assert report.tracking_code in last_message(line_api)["text"]


def test_a_link_in_a_forward_still_asks_whether_it_is_the_whole_message(env, webhook, line_api: FakeLine) -> None:  # noqa: ANN001, E501
    deliver(env, webhook, webhook.text(user_id(), "ด่วน! ดื่มน้ำมะนาวผสมโซดาฆ่าเซลล์มะเร็งได้ แชร์ต่อ https://bit.ly/3xYzAbC"))
    assert last_message(line_api)["text"].startswith("ข้อความนี้คือข้อความทั้งหมด")


def test_a_forwarded_english_rumour_is_checked_not_answered_hello(env, webhook, line_api: FakeLine) -> None:  # noqa: ANN001
    uid = user_id()
    line_api.profiles[uid] = {"displayName": "Ann", "userId": uid, "language": "en"}
    deliver(env, webhook, webhook.follow(uid))
    deliver(env, webhook, webhook.text(uid, EN_RUMOUR))
    assert last_message(line_api)["text"].startswith("Is this the whole message you received?")
    deliver(env, webhook, webhook.text(uid, "Hi, is this the fact-check center?"))  # short small talk: chatter
    assert last_message(line_api)["text"].startswith("Hello")


def test_english_without_a_profile_is_answered_in_english(env, webhook, line_api: FakeLine) -> None:  # noqa: ANN001
    uid = user_id()  # never followed (or LINE's follow came before the bot existed): no profile language known
    deliver(env, webhook, webhook.text(uid, "Hello, can you check this for me?"))
    assert last_message(line_api)["text"].startswith("Hello 😊")
    assert [i["action"]["label"] for i in last_message(line_api)["quickReply"]["items"]][0] == "Check a message"
    deliver(env, webhook, webhook.postback(uid, "a=howto"))  # a postback carries no text: the language stays
    assert last_message(line_api)["text"].startswith("How to report")
    assert language(env.db, uid) == "en"  # the follow-up will speak English too
    deliver(env, webhook, webhook.text(uid, "สวัสดีครับ"))
    assert last_message(line_api)["text"].startswith("สวัสดี")


def test_the_profile_language_wins_over_the_text(env, webhook, line_api: FakeLine) -> None:  # noqa: ANN001
    uid = user_id()
    line_api.profiles[uid] = {"displayName": "สมศรี", "userId": uid, "language": "th"}
    deliver(env, webhook, webhook.follow(uid))
    deliver(env, webhook, webhook.text(uid, "Hello, can you check this for me?"))
    assert last_message(line_api)["text"].startswith("สวัสดี")
    assert language(env.db, uid) == "th"
    deliver(env, webhook, webhook.text(uid, "ok"))  # one Latin word says nothing about the language
    assert language(env.db, uid) == "th"
