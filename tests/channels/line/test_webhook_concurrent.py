"""Concurrent redeliveries of one event from 8 threads to two real uvicorn processes make one row and one reply."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from khaojing.jobs.models import Job
from khaojing.settings import Settings
from khaojing.tipline.models import InboundEvent
from line_fake import FakeLine, Webhook, count, line_settings_update, run_jobs, user_id
from servers import web_servers


@contextmanager
def line_servers(settings: Settings, fake: FakeLine, tmp_path: Path) -> Iterator[list[str]]:
    """Two real khaojing web processes configured for the fake LINE API through KHAOJING_LINE_* variables."""
    line_env = {f"KHAOJING_{k.upper()}": str(v) for k, v in line_settings_update(fake).items()}
    with web_servers(settings, [tmp_path / f"web{i}.log" for i in range(2)], **line_env) as servers:
        yield [base for base, _proc in servers]


def test_eight_concurrent_deliveries_of_one_event_make_one_row_one_job_one_reply(
        settings: Settings, db, line_api: FakeLine, tmp_path: Path) -> None:  # noqa: ANN001
    hook = Webhook()
    event = hook.text(user_id(), "ส่งต่อด่วน ข่าวนี้จริงไหม")
    first = hook.body(event)
    again = hook.body({**event, "deliveryContext": {"isRedelivery": True}})
    with line_servers(settings, line_api, tmp_path) as bases:
        barrier = threading.Barrier(8)
        statuses: list[int] = []

        def deliver(i: int) -> None:
            body = first if i == 0 else again
            with httpx.Client(timeout=30) as client:
                barrier.wait()
                response = client.post(f"{bases[i % 2]}/line/webhook", content=body, headers=hook.headers(body))
                statuses.append(response.status_code)

        threads = [threading.Thread(target=deliver, args=(i,)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert statuses == [200] * 8
    assert count(db, InboundEvent) == 1
    assert count(db, Job, Job.name == "tipline.event") == 1
    run_jobs(db)
    assert len(line_api.replies()) == 1


def test_concurrent_bodies_with_the_same_users_in_other_orders_all_succeed(
        settings: Settings, db, line_api: FakeLine, tmp_path: Path) -> None:  # noqa: ANN001
    """Each request updates the same requesters; in another order that could deadlock without a lock order."""
    hook = Webhook()
    users = [user_id() for _ in range(4)]
    bodies = []
    for i in range(8):
        order = users[i % 4:] + users[:i % 4]
        bodies.append(hook.body(*[hook.text(uid, f"ข่าว {i}-{j}") for j, uid in enumerate(reversed(order)
                                                                                        if i % 2 else order)]))
    with line_servers(settings, line_api, tmp_path) as bases:
        barrier = threading.Barrier(8)
        statuses: list[int] = []

        def deliver(i: int) -> None:
            with httpx.Client(timeout=60) as client:
                barrier.wait()
                response = client.post(f"{bases[i % 2]}/line/webhook", content=bodies[i],
                                       headers=hook.headers(bodies[i]))
                statuses.append(response.status_code)

        threads = [threading.Thread(target=deliver, args=(i,)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(90)
    assert statuses == [200] * 8
    assert count(db, InboundEvent) == 32
    assert count(db, Job, Job.name == "tipline.event") == 32
