"""The outbox: each OutboundMessage reaches LINE once — reply while the token is fresh, else push; retries safe."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from khaojing.db.base import utcnow
from khaojing.jobs.models import Job
from khaojing.tipline import outbox, service
from khaojing.tipline.models import OutboundMessage
from line_fake import FakeLine, count, run_jobs, user_id

HELLO = [{"type": "text", "text": "สวัสดี"}]


def make_requester(db, uid: str | None = None) -> int:  # noqa: ANN001
    with db.unit_of_work() as session:
        return service.line_requester(session, secret_key=db.settings.secret_key, user_id=uid or user_id(),
                                      retention_days=90).id


def queue_reply(db, requester_id: int, *, age_seconds: float = 0, token: str = "reply-token-1",  # noqa: ANN001
                key: str = "reply:ev1") -> int:
    with db.unit_of_work() as session:
        row = outbox.send(session, dedupe_key=key, kind="reply", to=requester_id, messages=HELLO,
                          reply_token=token, reply_token_at=utcnow() - dt.timedelta(seconds=age_seconds))
        return row.id


def outbound(db, row_id: int) -> OutboundMessage:  # noqa: ANN001
    with db.unit_of_work(readonly=True) as session:
        return session.get(OutboundMessage, row_id)


def send_job(db, row_id: int) -> Job:  # noqa: ANN001
    with db.unit_of_work(readonly=True) as session:
        return session.scalar(select(Job).where(Job.dedupe_key == f"tipline.send:{row_id}"))


def test_a_fresh_reply_token_is_used(db, line_api: FakeLine) -> None:  # noqa: ANN001
    row_id = queue_reply(db, make_requester(db))
    run_jobs(db)
    [call] = line_api.replies()
    assert call.body["replyToken"] == "reply-token-1" and "x-line-retry-key" not in call.headers
    row = outbound(db, row_id)
    assert (row.status, row.sent_via, row.attempts, row.reply_token) == ("sent", "reply", 1, None)
    assert row.sent_at is not None


def test_a_reply_token_too_old_is_not_used_the_user_gets_a_push(db, line_api: FakeLine) -> None:  # noqa: ANN001
    uid = user_id()
    row_id = queue_reply(db, make_requester(db, uid), age_seconds=55)
    run_jobs(db)
    assert line_api.replies() == []
    [push] = line_api.pushes()
    assert push.body["to"] == uid and push.body["messages"] == HELLO
    assert push.headers["x-line-retry-key"] == outbound(db, row_id).retry_key
    assert outbound(db, row_id).sent_via == "push"


def test_a_reply_token_line_calls_invalid_falls_back_to_a_push(db, line_api: FakeLine) -> None:  # noqa: ANN001
    line_api.invalid_reply_tokens.add("reply-token-1")
    row_id = queue_reply(db, make_requester(db))
    run_jobs(db)
    assert len(line_api.pushes()) == 1 and outbound(db, row_id).sent_via == "push"


def test_a_second_send_with_the_same_key_is_a_no_op(db, line_api: FakeLine) -> None:  # noqa: ANN001
    requester_id = make_requester(db)
    queue_reply(db, requester_id)
    with db.unit_of_work() as session:
        assert outbox.send(session, dedupe_key="reply:ev1", kind="reply", to=requester_id, messages=HELLO,
                           reply_token="reply-token-1") is None
    run_jobs(db)
    assert count(db, OutboundMessage) == 1 and len(line_api.sent()) == 1


def test_line_down_500_then_200_the_reply_is_retried_and_sent_once(db, line_api: FakeLine) -> None:  # noqa: ANN001
    line_api.fail_next(1, 500, path="/v2/bot/message/reply")
    row_id = queue_reply(db, make_requester(db))
    run_jobs(db)  # first attempt fails (500), the job is queued again (backoff 0 in tests) and succeeds
    assert [c.status for c in line_api.sent("/v2/bot/message/reply", ok_only=False)] == [500, 200]
    assert len(line_api.replies()) == 1 and line_api.pushes() == []
    row = outbound(db, row_id)
    assert (row.status, row.attempts, row.uncertain) == ("sent", 2, True)
    assert send_job(db, row_id).status == "done"


def test_429_is_retried_too(db, line_api: FakeLine) -> None:  # noqa: ANN001
    line_api.fail_next(2, 429)
    row_id = queue_reply(db, make_requester(db))
    run_jobs(db)
    assert outbound(db, row_id).status == "sent" and len(line_api.sent()) == 1


def test_401_from_line_dead_letters_the_job_with_lines_message(db, line_api: FakeLine) -> None:  # noqa: ANN001
    line_api.fail_next(1, 401)
    row_id = queue_reply(db, make_requester(db))
    run_jobs(db)
    job = send_job(db, row_id)
    assert job.status == "dead" and job.attempts == 1
    assert "LINE API 401: Authentication failed" in job.last_error
    row = outbound(db, row_id)
    assert row.status == "failed" and "Authentication failed" in row.last_error
    assert line_api.sent() == []


def test_line_unreachable_is_retried_until_the_last_attempt(settings, db) -> None:  # noqa: ANN001
    from khaojing.db.session import Database

    down = Database(settings.model_copy(update={"line_api_url": "http://127.0.0.1:9"}))
    try:
        row_id = queue_reply(down, make_requester(down))
        run_jobs(down)
        job = send_job(down, row_id)
        assert job.status == "dead" and job.attempts == outbox.MAX_ATTEMPTS
        assert "NewConnectionError" in job.last_error
        row = outbound(down, row_id)
        assert row.status == "failed" and row.attempts == outbox.MAX_ATTEMPTS and not row.uncertain
    finally:
        down.dispose()


def test_a_push_whose_commit_was_lost_is_not_delivered_twice(db, line_api: FakeLine) -> None:  # noqa: ANN001
    """LINE accepted the push but the process died before the commit: the retry's 409 means 'already sent'."""
    requester_id = make_requester(db)
    with db.unit_of_work() as session:
        row_id = outbox.send(session, dedupe_key="notify:1", kind="push", to=requester_id, messages=HELLO).id

    class Crash(Exception):
        pass

    with pytest.raises(Crash), db.unit_of_work() as session:
        outbox.deliver(session, settings=db.settings, message_id=row_id)
        raise Crash  # the transaction that marked it sent is lost
    assert outbound(db, row_id).status == "queued"
    run_jobs(db)
    assert [c.status for c in line_api.sent("/v2/bot/message/push", ok_only=False)] == [200, 409]
    assert outbound(db, row_id).status == "sent"


def test_a_reply_retried_after_an_unanswered_attempt_is_not_pushed_again(db, line_api: FakeLine) -> None:  # noqa: ANN001
    """The first attempt's reply reached LINE but its answer was lost: LINE then calls the token invalid."""
    row_id = queue_reply(db, make_requester(db))
    line_api.used_reply_tokens.add("reply-token-1")  # what the lost attempt did
    with db.unit_of_work() as session:
        session.get(OutboundMessage, row_id).uncertain = True
    run_jobs(db)
    assert line_api.pushes() == []
    assert outbound(db, row_id).status == "sent"


def test_multicast_goes_in_batches_of_lines_limit_and_a_retry_resends_no_batch(settings, line_api: FakeLine) -> None:  # noqa: ANN001
    from khaojing.db.session import Database

    db = Database(settings.model_copy(update={"line_multicast_batch": 2}))
    try:
        uids = [user_id() for _ in range(5)]
        ids = [make_requester(db, uid) for uid in uids]
        with db.unit_of_work() as session:
            row_id = outbox.send(session, dedupe_key="notify:v1", kind="multicast", to=ids, messages=HELLO).id
        # batch 1 goes through, batch 2 fails once: the retry must not send batch 1 again
        original = line_api._route
        calls = {"n": 0}

        def second_batch_fails_once(host, method, path, headers, body):  # noqa: ANN001, ANN202
            if path == "/v2/bot/message/multicast":
                calls["n"] += 1
                if calls["n"] == 2:
                    return 500, {"message": "Internal server error"}, "application/json"
            return original(host, method, path, headers, body)

        line_api._route = second_batch_fails_once
        run_jobs(db)
        multicasts = line_api.sent("/v2/bot/message/multicast", ok_only=False)
        accepted = [c for c in multicasts if c.status == 200]
        assert sorted(u for c in accepted for u in c.body["to"]) == sorted(uids)  # everyone exactly once
        assert all(len(c.body["to"]) <= 2 for c in multicasts)
        assert [c.status for c in multicasts] == [200, 500, 409, 200, 200]
        keys = [c.headers["x-line-retry-key"] for c in multicasts]
        assert len(set(keys)) == 3 and keys[0] == outbound(db, row_id).retry_key
        assert outbound(db, row_id).status == "sent"
    finally:
        db.dispose()


def test_a_blocked_or_expired_recipient_is_not_sent_anything(db, line_api: FakeLine) -> None:  # noqa: ANN001
    from khaojing.intake.models import ContactPoint

    blocked, expired = make_requester(db), make_requester(db)
    with db.unit_of_work() as session:
        service.block(session, actor="user:1", reason="abuse", requester_id=blocked)
        for contact in session.scalars(select(ContactPoint).where(ContactPoint.requester_id == expired)):
            contact.expires_at = utcnow() - dt.timedelta(days=1)
    a = queue_reply(db, blocked, key="reply:a")
    b = queue_reply(db, expired, key="reply:b", token="t2")
    run_jobs(db)
    assert line_api.sent() == []
    assert outbound(db, a).status == "failed" and "blocked" in outbound(db, a).last_error
    assert "retention" in outbound(db, b).last_error


def test_send_checks_its_arguments(db) -> None:  # noqa: ANN001
    with db.unit_of_work() as session:
        with pytest.raises(ValueError):
            outbox.send(session, dedupe_key="x", kind="broadcast", to=1, messages=HELLO)
        with pytest.raises(ValueError):
            outbox.send(session, dedupe_key="x", kind="push", to=1, messages=HELLO * 6)
        with pytest.raises(ValueError):
            outbox.send(session, dedupe_key="x", kind="push", to=[1, 2], messages=HELLO)
