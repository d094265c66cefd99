"""Repeats arriving at the same moment, from many threads and from several server processes, make one report."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import func, select

from khaojing.intake.models import Report
from khaojing.jobs.models import Job
from servers import web_server, web_servers

BODY = {"text": "ประกันสังคมแจกเงิน 5,000 บาท กดลิงก์ลงทะเบียนด่วน", "external_id": "race-1"}


def _fire(urls: list[str], key: str, per_url: int, idem: str | None) -> list[httpx.Response]:
    """Send the same report from len(urls) * per_url threads released together by a barrier."""
    targets = [u for u in urls for _ in range(per_url)]
    barrier = threading.Barrier(len(targets))
    headers = {"Authorization": f"Bearer {key}"}
    if idem:
        headers["Idempotency-Key"] = idem

    def send(url: str) -> httpx.Response:
        with httpx.Client(timeout=60) as client:
            client.get(f"{url}/healthz")  # connect first, so the POSTs really start together
            barrier.wait()
            return client.post(f"{url}/api/v1/reports", json=BODY, headers=headers)

    with ThreadPoolExecutor(len(targets)) as pool:
        return list(pool.map(send, targets))


def _assert_one_report(env, responses: list[httpx.Response]) -> None:  # noqa: ANN001
    assert all(r.status_code in (200, 201) for r in responses), [r.text for r in responses]
    assert sorted(r.status_code for r in responses).count(201) == 1
    assert len({r.json()["id"] for r in responses}) == 1
    with env.db.unit_of_work(readonly=True) as session:
        assert session.scalar(select(func.count(Report.id))) == 1
        assert session.scalar(select(func.count(Job.id))) == 1


def test_concurrent_repeats_from_many_threads_make_one_report(env, tmp_path) -> None:  # noqa: ANN001
    key = env.partner_key()
    with web_server(env.settings, tmp_path / "web.log") as (base, _proc):
        responses = _fire([base], key, per_url=12, idem="same-key")
    _assert_one_report(env, responses)


def test_concurrent_repeats_across_three_server_processes_make_one_report(env, tmp_path) -> None:  # noqa: ANN001
    key = env.partner_key()
    with web_servers(env.settings, [tmp_path / f"{name}.log" for name in "abc"]) as servers:
        responses = _fire([base for base, _ in servers], key, per_url=4, idem=None)  # deduplicated on external_id
    _assert_one_report(env, responses)
