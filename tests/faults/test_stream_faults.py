"""Faults during a stream of partner reports and LINE webhooks: the web process and the worker are killed with
SIGKILL and restarted, and the database drops every connection (PostgreSQL: a real restart when allowed).
Afterwards every acknowledged report exists exactly once, every job ran or is dead with its error, and no LINE
reply token was used twice. The counts are printed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, func, select, text

from khaojing.intake.models import Report
from khaojing.jobs import registry
from khaojing.jobs.models import DEAD, DONE, Job
from khaojing.settings import Settings
from khaojing.tipline.models import InboundEvent
from line_fake import FakeLine, line_api  # noqa: F401
from line_webhooks import CHANNEL_SECRET, Webhook, user_id
from servers import BIN, free_port, process_env, start_worker, stop, wait_until

REPORTS, WEBHOOKS = 60, 30
FAST = {"KHAOJING_JOB_LEASE_SECONDS": "3", "KHAOJING_WORKER_POLL_SECONDS": "0.1", "KHAOJING_JOB_BACKOFF_SECONDS": "0"}


class Web:
    """A uvicorn process on a fixed port, so that clients keep their address across a restart."""

    def __init__(self, env: dict[str, str], log: Path):
        self.env, self.log, self.port = env, log, free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        out = open(self.log, "ab")  # noqa: SIM115
        self.proc = subprocess.Popen([str(BIN / "python"), "-m", "uvicorn", "--factory", "khaojing.app:create_app",
                                      "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"],
                                     env=self.env, stdout=out, stderr=subprocess.STDOUT)
        assert wait_until(self._healthy, 60), f"the server did not start; see {self.log}"

    def _healthy(self) -> bool:
        try:
            return httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def kill(self) -> None:
        assert self.proc is not None
        stop(self.proc, kill=True)


def _deliver(send, deadline: float) -> httpx.Response | None:  # noqa: ANN001
    """Send until the server answers without a 5xx (as a partner or LINE would retry), or give up."""
    while time.monotonic() < deadline:
        try:
            r = send()
            if r.status_code < 500:
                return r
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    return None


def _restart_database(settings: Settings) -> str:
    if not settings.database_url.startswith("postgresql"):
        return "SQLite: nothing to restart (the processes were killed instead)"
    if os.environ.get("KHAOJING_TEST_RESTART_POSTGRES") == "1" and shutil.which("pg_ctlcluster"):
        version = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout.split()[0]
        subprocess.run(["pg_ctlcluster", version, "main", "restart"], check=True, timeout=60)
        return f"PostgreSQL {version} restarted"
    url = settings.database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        n = conn.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                              "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar()
    admin.dispose()
    return f"PostgreSQL dropped {n} connections (set KHAOJING_TEST_RESTART_POSTGRES=1 for a real restart)"


@pytest.mark.timeout(420)
def test_kills_and_a_database_restart_lose_nothing_and_repeat_nothing(env, line_api: FakeLine,  # noqa: ANN001, F811
                                                                      tmp_path: Path) -> None:
    key = env.partner_key("faults")
    hook = Webhook()
    extra = {**FAST, "KHAOJING_LINE_CHANNEL_SECRET": CHANNEL_SECRET,
             "KHAOJING_LINE_CHANNEL_ACCESS_TOKEN": line_api.token, "KHAOJING_LINE_API_URL": line_api.api_url,
             "KHAOJING_LINE_DATA_API_URL": line_api.data_url, "KHAOJING_LINE_RATE_LIMIT_PER_USER": "1000"}
    proc_env = process_env(env.settings, **extra)
    web = Web(proc_env, tmp_path / "web.log")
    web.start()
    worker = start_worker(env.settings, tmp_path / "worker.log", **extra)
    acked_reports: set[str] = set()
    acked_events: set[str] = set()
    deadline = time.monotonic() + 240

    def partner() -> None:
        client = httpx.Client(timeout=10)
        for i in range(REPORTS):
            body = {"text": f"ข่าวลือที่ {i}: ธนาคารแจกเงิน {i * 100} บาท กดลิงก์เพื่อลงทะเบียน"}
            headers = {"Authorization": f"Bearer {key}", "Idempotency-Key": f"fault-{i}"}
            r = _deliver(lambda b=body, h=headers: client.post(f"{web.base}/api/v1/reports", json=b, headers=h),
                         deadline)
            if r is not None and r.status_code in (200, 201):
                acked_reports.add(f"fault-{i}")

    def line() -> None:
        client = httpx.Client(timeout=10)
        for i in range(WEBHOOKS):
            event = hook.text(user_id(), f"ข้อความที่ {i} วัคซีนทำให้เป็นหมันจริงไหม")
            first = True

            def send() -> httpx.Response:
                nonlocal first
                event["deliveryContext"] = {"isRedelivery": not first}  # noqa: B023
                first = False
                raw = hook.body(event)  # noqa: B023
                return client.post(f"{web.base}/line/webhook", content=raw, headers=hook.headers(raw))

            r = _deliver(send, deadline)
            if r is not None and r.status_code == 200:
                acked_events.add(event["webhookEventId"])

    senders = [threading.Thread(target=partner), threading.Thread(target=line)]
    for t in senders:
        t.start()
    faults = []
    wait_until(lambda: len(acked_reports) >= REPORTS // 4, 60)
    web.kill()
    faults.append("web killed (SIGKILL)")
    time.sleep(0.5)
    web.start()
    wait_until(lambda: len(acked_reports) >= REPORTS // 2, 60)
    stop(worker, kill=True)
    faults.append("worker killed (SIGKILL)")
    worker = start_worker(env.settings, tmp_path / "worker.log", **extra)
    wait_until(lambda: len(acked_reports) >= 3 * REPORTS // 4, 60)
    faults.append(_restart_database(env.settings))
    for t in senders:
        t.join()

    scheduled = {s.name for s in registry.schedules()}

    def settled() -> bool:
        with env.db.unit_of_work(readonly=True) as session:
            return not session.scalar(select(func.count(Job.id)).where(Job.status.not_in([DONE, DEAD]),
                                                                        Job.name.not_in(scheduled)))
    try:
        assert wait_until(settled, 150, 0.5), "jobs did not settle"
    finally:
        stop(worker)
        web.kill()

    with env.db.unit_of_work(readonly=True) as session:
        keys = session.execute(select(Report.idempotency_key, func.count(Report.id))
                               .where(Report.idempotency_key.is_not(None)).group_by(Report.idempotency_key)).all()
        events = session.execute(select(InboundEvent.webhook_event_id, func.count(InboundEvent.id))
                                 .group_by(InboundEvent.webhook_event_id)).all()
        jobs = dict(session.execute(select(Job.status, func.count(Job.id)).group_by(Job.status)).all())
        dead = session.execute(select(Job.name, Job.last_error).where(Job.status == DEAD)).all()
    tokens = [c.body.get("replyToken") for c in line_api.replies()]
    counts = {"faults": faults, "reports_acknowledged": len(acked_reports), "reports_stored": len(keys),
              "webhook_events_acknowledged": len(acked_events), "webhook_events_stored": len(events),
              "jobs": jobs, "dead_jobs": [list(d) for d in dead], "line_replies": len(tokens),
              "reply_tokens_used_twice": len(tokens) - len(set(tokens))}
    print("\n" + json.dumps(counts, ensure_ascii=False, indent=1))

    assert len(acked_reports) == REPORTS and len(acked_events) == WEBHOOKS  # every delivery got through in the end
    assert {k for k, _ in keys} == acked_reports and all(n == 1 for _, n in keys)
    assert {e for e, _ in events} == acked_events and all(n == 1 for _, n in events)
    assert all(error for _, error in dead)  # a dead job says why
    assert not [name for name, _ in dead if name == "triage.report"], dead  # faults delay screening, never lose it
    assert counts["reply_tokens_used_twice"] == 0
