"""POST /line/webhook: signature first, LINE's shape second, then each event stored once with one job."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

import line_spec
from khaojing.intake.models import ContactPoint, Requester
from khaojing.jobs.models import Job
from khaojing.tipline.models import InboundEvent
from line_fake import FakeLine, Webhook, count, post_events, run_jobs, sign, user_id

TABLES = (InboundEvent, Job, Requester, ContactPoint)


def nothing_stored(db) -> bool:  # noqa: ANN001
    return all(count(db, table) == 0 for table in TABLES)


def test_the_test_bodies_are_valid_against_webhook_yml(webhook: Webhook) -> None:
    uid = user_id()
    body = json.loads(webhook.body(webhook.text(uid, "hi"), webhook.image(uid), webhook.sticker(uid),
                                   webhook.video(uid), webhook.audio(uid), webhook.location(uid),
                                   webhook.file(uid), webhook.follow(uid), webhook.unfollow(uid),
                                   webhook.postback(uid, "a=check"),
                                   webhook.text(uid, "x", source=Webhook.group("C" + "1" * 32, uid))))
    line_spec.webhook().validate(body, "CallbackRequest")


@pytest.mark.parametrize("signature", [None, "", "bm90IHRoZSBzaWduYXR1cmU=", "wrong secret"])
def test_a_wrong_or_missing_signature_is_refused_and_nothing_is_stored(env, db, webhook, signature) -> None:  # noqa: ANN001
    body = webhook.body(webhook.text(user_id(), "ข่าวนี้จริงไหม"))
    headers = {"Content-Type": "application/json"}
    if signature == "wrong secret":
        headers["X-Line-Signature"] = sign(body, "another-channel-secret")
    elif signature is not None:
        headers["X-Line-Signature"] = signature
    response = env.client.post("/line/webhook", content=body, headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "bad_signature"
    assert nothing_stored(db)


def test_a_signature_over_a_different_body_is_refused(env, db, webhook) -> None:  # noqa: ANN001
    body = webhook.body(webhook.text(user_id(), "one"))
    other = webhook.body(webhook.text(user_id(), "two"))
    response = env.client.post("/line/webhook", content=other, headers=webhook.headers(body))
    assert response.status_code == 401
    assert nothing_stored(db)


def _event(**changes) -> dict:  # noqa: ANN003
    event = Webhook().text(user_id(), "hello")
    for key, value in changes.items():
        if value is None:
            event.pop(key)
        else:
            event[key] = value
    return event


MALFORMED = {
    "not json": b"hello, not json",
    "json array": b"[1, 2, 3]",
    "no destination": json.dumps({"events": []}).encode(),
    "bad destination": json.dumps({"destination": "bot", "events": []}).encode(),
    "events not a list": json.dumps({"destination": "U" + "b" * 32, "events": {}}).encode(),
    "no webhookEventId": Webhook().body(_event(webhookEventId=None)),
    "no deliveryContext": Webhook().body(_event(deliveryContext=None)),
    "no type": Webhook().body(_event(type=None)),
    "timestamp as text": Webhook().body(_event(timestamp="1700000000000")),
    "bad mode": Webhook().body(_event(mode="sleeping")),
    "isRedelivery not a bool": Webhook().body(_event(deliveryContext={"isRedelivery": "no"})),
    "message without id": Webhook().body(_event(message={"type": "text", "text": "x"})),
    "bad source type": Webhook().body(_event(source={"type": "planet"})),
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_a_signed_body_that_is_not_lines_shape_is_refused_and_nothing_is_stored(env, db, webhook, name) -> None:  # noqa: ANN001
    body = MALFORMED[name]
    response = env.client.post("/line/webhook", content=body, headers=webhook.headers(body))
    assert response.status_code == 400, response.text
    assert nothing_stored(db)


def test_lines_verify_call_with_no_events_is_acknowledged(env, db, webhook) -> None:  # noqa: ANN001
    response = post_events(env.client, webhook)
    assert response.status_code == 200
    assert nothing_stored(db)


def test_a_text_event_is_stored_without_raw_ids_and_queued_once(env, db, webhook) -> None:  # noqa: ANN001
    uid = user_id()
    event = webhook.text(uid, "ดื่มน้ำมะนาวรักษามะเร็ง")
    assert post_events(env.client, webhook, event).status_code == 200
    with db.unit_of_work(readonly=True) as session:
        row = session.scalar(select(InboundEvent))
        assert row.webhook_event_id == event["webhookEventId"] and row.kind == "message"
        assert row.message_type == "text" and row.source_type == "user" and row.status == "received"
        assert row.reply_token == event["replyToken"] and row.reply_token_at is not None
        stored = json.dumps(row.body)
        assert uid not in stored and event["replyToken"] not in stored
        assert row.body["message"]["text"] == "ดื่มน้ำมะนาวรักษามะเร็ง"
        requester = session.get(Requester, row.requester_id)
        assert uid not in requester.key_hash and requester.channel == "line"
        contact = session.scalar(select(ContactPoint))
        assert (contact.kind, contact.value, contact.requester_id) == ("line_user_id", uid, requester.id)
        jobs = session.scalars(select(Job)).all()
        assert [(j.name, j.payload) for j in jobs] == [("tipline.event", {"event_id": row.id})]


def test_a_redelivered_event_is_acknowledged_without_a_second_row_job_or_reply(env, db, webhook,  # noqa: ANN001
                                                                            line_api: FakeLine) -> None:
    event = webhook.text(user_id(), "ข่าวลือ")
    assert post_events(env.client, webhook, event).status_code == 200
    again = {**event, "deliveryContext": {"isRedelivery": True}}
    assert post_events(env.client, webhook, again).status_code == 200
    assert post_events(env.client, webhook, again).status_code == 200
    assert count(db, InboundEvent) == 1
    assert count(db, Job, Job.name == "tipline.event") == 1
    run_jobs(db)
    assert post_events(env.client, webhook, again).status_code == 200
    run_jobs(db)
    assert len(line_api.replies()) == 1


def test_unknown_and_unhandled_event_types_are_stored_as_ignored(env, db, webhook, caplog) -> None:  # noqa: ANN001
    uid = user_id()
    unknown = {**webhook.follow(uid), "type": "teleport"}
    unknown.pop("follow")
    join = {**webhook.follow(uid), "type": "join"}
    join.pop("follow")
    with caplog.at_level("WARNING"):
        assert post_events(env.client, webhook, unknown, join).status_code == 200
    with db.unit_of_work(readonly=True) as session:
        rows = {r.kind: r for r in session.scalars(select(InboundEvent))}
    assert rows["teleport"].status == "ignored" and "unknown event type" in rows["teleport"].note
    assert rows["join"].status == "ignored"
    assert all(r.reply_token is None for r in rows.values())
    assert count(db, Job) == 0
    assert "teleport" in caplog.text


def test_a_group_message_keeps_only_hashes(env, db, webhook) -> None:  # noqa: ANN001
    uid, gid = user_id(), "C" + "2" * 32
    event = webhook.text(uid, "in the group", source=Webhook.group(gid, uid))
    assert post_events(env.client, webhook, event).status_code == 200
    with db.unit_of_work(readonly=True) as session:
        row = session.scalar(select(InboundEvent))
        assert row.source_type == "group" and row.group_hash and gid not in row.group_hash
        assert gid not in json.dumps(row.body) and uid not in json.dumps(row.body)
    assert count(db, ContactPoint) == 0  # a member of a group did not write to us: no raw id kept
    assert count(db, Requester) == 1


def test_several_events_in_one_body_each_get_a_job(env, db, webhook) -> None:  # noqa: ANN001
    uid = user_id()
    assert post_events(env.client, webhook, webhook.follow(uid), webhook.text(uid, "a"),
                       webhook.sticker(uid)).status_code == 200
    assert count(db, InboundEvent) == 3
    assert count(db, Job, Job.name == "tipline.event") == 3
    assert count(db, Requester) == 1


def test_without_a_channel_secret_the_webhook_says_it_is_not_configured(settings, db, webhook) -> None:  # noqa: ANN001
    from helpers import TestEnv

    bare = TestEnv(settings.model_copy(update={"line_channel_secret": ""}), db)
    body = webhook.body(webhook.text(user_id(), "x"))
    try:
        assert bare.client.post("/line/webhook", content=body, headers=webhook.headers(body)).status_code == 503
    finally:
        bare.close()
    assert nothing_stored(db)


def test_the_webhook_is_not_in_the_api_document(env) -> None:  # noqa: ANN001
    assert "/line/webhook" not in env.client.get("/api/openapi.json").json()["paths"]
