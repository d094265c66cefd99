"""E-mail on publication, through a real SMTP server on loopback: requesters who left an address (once per version),
double opt-in topic subscriptions with a signed link, broadcasts with a one-click unsubscribe link."""

from __future__ import annotations

import re

from pub_helpers import CLAIM, correct, publish
from sqlalchemy import func, select

from helpers import csrf_from
from khaojing.cases.verdicts import PUBLISHED_JOB
from khaojing.claims.models import Verdict
from khaojing.intake.service import Submission, accept_report, get_or_create_source
from khaojing.jobs import queue
from khaojing.publication.models import Subscriber

LINK_RE = re.compile(r"http://127\.0\.0\.1:8000(/\S+)")


def _published(env, claim_id: int) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        verdict = session.scalar(select(Verdict).where(Verdict.claim_id == claim_id))
        queue.enqueue(session, PUBLISHED_JOB, {"claim_id": claim_id, "verdict_id": verdict.id,
                                               "version": verdict.version},
                      dedupe_key=f"test:{verdict.id}:{verdict.version}")
    env.run_jobs()


def _mails(smtp) -> list[tuple[list[str], str, str]]:  # noqa: ANN001
    return [(rcpt, msg["Subject"], msg.get_content()) for rcpt, msg in smtp.parsed()]


def test_requester_with_an_email_is_told_once_per_version(env, smtp) -> None:  # noqa: ANN001
    headline = "ข่าวปลอม อย่าแชร์! ดื่มน้ำมะนาวผสมโซดารักษามะเร็ง"  # an AFNC headline opens with its label
    claim_id = publish(env.db, env.settings, reports=1, headline=headline)
    with env.db.unit_of_work() as session:
        source = get_or_create_source(session, kind="webform", name="webform")
        for address in ("somchai@example.com", "Somchai@Example.com"):  # the same person twice
            report = accept_report(session, settings=env.settings, source=source, actor="system",
                                   sub=Submission(text=f"{CLAIM} {address}", contact_kind="email",
                                                  contact_value=address)).report
            report.claim_id = claim_id
    _published(env, claim_id)
    mails = _mails(smtp)
    assert len(mails) == 1
    rcpt, subject, body = mails[0]
    assert rcpt == ["somchai@example.com"] and "ข่าวปลอม" in subject and "Fake" in subject
    assert f"http://127.0.0.1:8000/verdicts/{claim_id}" in body and "— English —" in body
    assert f"\n{headline}\n" in body and f"Fake: {headline}" in body  # the label once in Thai, in front in English
    with env.db.unit_of_work() as session:  # the same version published again: nobody is told twice
        verdict = session.scalar(select(Verdict).where(Verdict.claim_id == claim_id))
        queue.enqueue(session, PUBLISHED_JOB, {"claim_id": claim_id, "verdict_id": verdict.id, "version": 1})
    env.run_jobs()
    assert len(smtp.messages) == 1
    correct(env.db, claim_id)
    _published(env, claim_id)
    assert len(smtp.messages) == 2 and "แก้ไขผลการตรวจสอบ" in _mails(smtp)[1][1]


def _subscribe(env, email: str, topics: list[str]):  # noqa: ANN001, ANN202
    page = env.client.get("/subscribe")
    return env.client.post("/subscribe", data={"email": email, "topics": topics, "csrf_token": csrf_from(page.text)})


def _subscribers(env) -> int:  # noqa: ANN001
    with env.db.unit_of_work(readonly=True) as session:
        return session.scalar(select(func.count(Subscriber.id)))


def test_double_opt_in_broadcast_by_topic_and_one_click_unsubscribe(env, smtp) -> None:  # noqa: ANN001
    form = env.client.get("/subscribe").text
    assert form.count("<h1") == 1 and '<label for="email">' in form and 'for="topic-health"' in form
    sent = _subscribe(env, "reader@example.com", ["health", "not-a-topic"])
    assert sent.status_code == 200 and "reader@example.com" in sent.text
    env.run_jobs()
    assert _subscribers(env) == 0  # nothing stored before the person confirms
    (rcpt, subject, body), = _mails(smtp)
    assert rcpt == ["reader@example.com"] and "ยืนยัน" in subject and "ผลิตภัณฑ์สุขภาพ" in body
    confirm = LINK_RE.search(body).group(1)
    assert env.client.get(confirm.replace("token=", "token=x")).status_code == 400  # a forged link
    assert "ยืนยันแล้ว" in env.client.get(confirm).text
    assert _subscribers(env) == 1

    health = publish(env.db, env.settings, title="ยาสมุนไพรรักษาเบาหวานหายขาดใน 7 วัน", topic="health")
    finance = publish(env.db, env.settings, title="แอปกู้เงินด่วนของธนาคารออมสิน", topic="finance")
    _published(env, health)
    _published(env, finance)
    broadcasts = _mails(smtp)[1:]
    assert len(broadcasts) == 1  # the finance verdict is not a health subscriber's business
    rcpt, subject, body = broadcasts[0]
    assert f"/verdicts/{health}" in body and "ยาสมุนไพร" in subject
    unsubscribe = next(link for link in LINK_RE.findall(body) if link.startswith("/unsubscribe"))
    assert "reader@example.com" in env.client.get(unsubscribe).text  # one click
    third = publish(env.db, env.settings, title="น้ำมันกัญชาทาแล้วหายปวดทันที", topic="health")
    _published(env, third)
    assert len(smtp.messages) == 2  # unsubscribed: no more mail
    assert env.client.get("/unsubscribe?token=forged").status_code == 400


def test_subscribe_form_errors(env, smtp) -> None:  # noqa: ANN001
    bad = _subscribe(env, "not an address", ["health"])
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.text and 'checked' in bad.text
    no_token = env.client.post("/subscribe", data={"email": "a@example.com"})
    assert no_token.status_code == 403
    env.run_jobs()
    assert smtp.messages == [] and _subscribers(env) == 0
    env.settings.smtp_host = None
    assert "ยังไม่เปิดบริการอีเมล" in env.client.get("/subscribe").text
