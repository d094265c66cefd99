"""The webhook benchmark's parts (benchmarks/webhook_bench.py) on a small scale, so `make bench` does not rot."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import func, select

from khaojing.claims.models import Claim
from khaojing.jobs.worker import start_in_thread
from khaojing.tipline.models import InboundEvent

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))

import webhook_bench as bench  # noqa: E402


def test_load_then_end_to_end_on_a_small_index(env, live_url, line_api) -> None:  # noqa: ANN001
    facts = bench.populate(env.db, env.settings, 50)
    with env.db.unit_of_work(readonly=True) as session:
        assert session.scalar(select(func.count(Claim.id))) == facts["claims"] == 51

    ack = bench.acknowledge_load([live_url, live_url], ["ข่าวลือเรื่องหนึ่ง", "อีกเรื่องหนึ่ง"], rate=20, seconds=0.5,
                                 warmup=0.2, clients=2)
    assert ack["requests"] == 14 and ack["answers_200"] == 14 and ack["errors"] == 0
    assert ack["latency_ms"]["p50"] is not None and ack["samples"] == 10
    with env.db.unit_of_work(readonly=True) as session:
        assert session.scalar(select(func.count(InboundEvent.id))) == 14
    assert bench.set_backlog_aside(env.db) == 14

    worker, thread = start_in_thread(env.db)
    try:
        e2e = bench.end_to_end(live_url, line_api, messages=2, interval=0.05, timeout=30, warmup_timeout=60)
    finally:
        worker.stop()
        thread.join(timeout=10)
    assert (e2e["replies"], e2e["missing"], e2e["not_the_fake_bubble"]) == (2, 0, 0)
    assert 0 < e2e["latency_ms"]["p50"] < 30_000
    text = bench.markdown({"machine": {"date": "d", "cpu_count": 2, "cpu_model": "cpu", "khaojing_commit": "c"},
                           "parameters": {"poll_seconds": 0.5}, "notes": [],
                           "databases": {"sqlite": {"data": facts, "acknowledge": {**ack, "count_check": "ok",
                                                                                   "server_cores": 0.1,
                                                                                   "machine_cores": 0.5},
                                                    "end_to_end": e2e}}})
    assert "(a) acknowledgement, 20/s" in text and "(b) webhook → reply call" in text


def test_quick_mode_uses_small_numbers() -> None:
    args = bench.parse_args(["--quick"])
    assert (args.claims, args.seconds, args.e2e_messages) == (300, 1.0, 3)
    assert bench.parse_args([]).claims == 100_000
