"""Signed webhooks to partners: delivered to a real receiver on 127.0.0.1 that checks the signature; retries with
exponential backoff while it is down; a wrong secret is rejected and ends dead; never twice for one verdict version."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from pub_helpers import correct, publish
from receiver import Receiver
from sqlalchemy import select

from khaojing.cases.verdicts import PUBLISHED_JOB
from khaojing.claims.models import Verdict
from khaojing.db.base import utcnow
from khaojing.jobs import queue
from khaojing.publication import jobs, webhooks
from khaojing.publication.models import WebhookDelivery


@pytest.fixture
def receiver():  # noqa: ANN201
    server = Receiver()
    yield server
    server.stop()


def _hook(env, url: str, name: str = "moph") -> str:  # noqa: ANN001
    env.partner_key(name)
    with env.db.unit_of_work() as session:
        return webhooks.add_webhook(session, name=name, url=url, actor="test", partner=name).secret


def _published(env, claim_id: int) -> None:  # noqa: ANN001
    """What approve_and_publish queues: the publication job (it queues the deliveries and a delivery run)."""
    with env.db.unit_of_work() as session:
        verdict = session.scalar(select(Verdict).where(Verdict.claim_id == claim_id))
        queue.enqueue(session, PUBLISHED_JOB, {"claim_id": claim_id, "verdict_id": verdict.id,
                                               "version": verdict.version})


def _deliveries(env) -> list[WebhookDelivery]:  # noqa: ANN001
    with env.db.unit_of_work(readonly=True) as session:
        return list(session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def _deliver(env, now: dt.datetime | None = None) -> webhooks.Delivered:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        return webhooks.deliver_due(session, settings=env.settings, now=now)


def test_published_and_corrected_verdicts_reach_the_partner_signed_and_once(env, receiver) -> None:  # noqa: ANN001
    receiver.secret = _hook(env, receiver.url)
    assert receiver.secret.startswith("whsec_")
    claim_id = publish(env.db, env.settings)
    _published(env, claim_id)
    env.run_jobs()  # the publication job, then the delivery run it queued
    assert len(receiver.accepted) == 1 and receiver.rejected == []
    headers, body = receiver.accepted[0]
    assert headers["X-Khaojing-Event"] == "verdict.published"
    assert json.loads(body) == env.client.get(f"/api/v1/verdicts/{claim_id}").json()  # the public API's JSON

    with env.db.unit_of_work() as session:  # the job runs again (a retry, a second worker): nothing new
        verdict = session.scalar(select(Verdict).where(Verdict.claim_id == claim_id))
        jobs.verdict_published(session=session, settings=env.settings, claim_id=claim_id, verdict_id=verdict.id,
                               version=1)
    assert _deliver(env).delivered == 0
    assert len(receiver.accepted) == 1 and len(_deliveries(env)) == 1

    correct(env.db, claim_id)
    _published(env, claim_id)
    env.run_jobs()
    assert len(receiver.accepted) == 2
    headers, body = receiver.accepted[1]
    assert headers["X-Khaojing-Event"] == "verdict.corrected" and json.loads(body)["version"] == 2
    assert [(d.version, d.status, d.attempts) for d in _deliveries(env)] == [(1, "delivered", 1), (2, "delivered", 1)]


def test_receiver_down_is_retried_with_exponential_backoff(env) -> None:  # noqa: ANN001
    probe = Receiver()
    port, url = probe.port, probe.url
    probe.stop()  # nothing listens there now
    secret = _hook(env, url)
    claim_id = publish(env.db, env.settings)
    _published(env, claim_id)
    env.run_jobs()
    t0 = utcnow()
    row = _deliveries(env)[0]
    assert (row.status, row.attempts) == ("pending", 1) and "ConnectError" in row.last_error
    assert 25 <= (row.next_attempt_at - t0).total_seconds() <= 31  # webhook_backoff_seconds = 30
    assert _deliver(env).delivered == 0  # not due yet
    second = row.next_attempt_at + dt.timedelta(seconds=1)
    _deliver(env, now=second)
    row = _deliveries(env)[0]
    assert row.attempts == 2 and (row.next_attempt_at - second).total_seconds() == 60  # doubled

    receiver = Receiver(secret=secret, port=port)  # the partner is back
    try:
        assert _deliver(env, now=row.next_attempt_at).delivered == 1
        assert len(receiver.accepted) == 1 and _deliveries(env)[0].status == "delivered"
    finally:
        receiver.stop()


def test_wrong_secret_is_rejected_by_the_receiver_and_ends_dead(env, receiver) -> None:  # noqa: ANN001
    _hook(env, receiver.url)
    receiver.secret = "whsec_not-the-one-khaojing-holds"
    env.settings.webhook_max_attempts, env.settings.webhook_backoff_seconds = 3, 0.0
    claim_id = publish(env.db, env.settings)
    _published(env, claim_id)
    env.run_jobs()
    for _ in range(4):
        _deliver(env)
    assert receiver.accepted == [] and len(receiver.rejected) == 3
    row = _deliveries(env)[0]
    assert (row.status, row.attempts, row.last_status, row.last_error) == ("dead", 3, 401, "HTTP 401")
    with env.db.unit_of_work(readonly=True) as session:
        status = webhooks.list_webhooks(session)[0]
        assert status.counts == {"pending": 0, "delivered": 0, "dead": 1} and status.last_error == "HTTP 401"


def test_signature_check_and_registration_errors(env) -> None:  # noqa: ANN001
    body, secret = b'{"claim_id":1}', "whsec_x"
    now = 1_800_000_000
    signature = webhooks.sign(secret, str(now), body)
    assert webhooks.verify(secret, str(now), body, signature, now=now)
    assert not webhooks.verify(secret, str(now), body + b" ", signature, now=now)  # body changed
    assert not webhooks.verify(secret, str(now), body, signature, now=now + 3600)  # a replay an hour later
    assert not webhooks.verify(secret, "soon", body, signature, now=now)
    from khaojing.errors import Conflict, Invalid, NotFound

    with env.db.unit_of_work() as session:
        with pytest.raises(Invalid):
            webhooks.add_webhook(session, name="x", url="ftp://example.com/", actor="test")
        with pytest.raises(NotFound):
            webhooks.add_webhook(session, name="x", url="https://example.com/", actor="test", partner="nobody")
        webhooks.add_webhook(session, name="x", url="https://example.com/", actor="test")
        with pytest.raises(Conflict):
            webhooks.add_webhook(session, name="x", url="https://example.com/2", actor="test")
