"""Worker part of the intake benchmark: triage jobs/s, and the queue's own overhead with empty jobs."""

from __future__ import annotations

import argparse
import time
from typing import Any

WORKER_BATCH = 250


def drain(worker: Any, deadline: float, max_jobs: int) -> int:
    """Worker.run_until_empty() in batches, so the run stops by time as well as by count."""
    done = 0
    while done < max_jobs and time.monotonic() < deadline:
        n = worker.run_until_empty(max_jobs=min(WORKER_BATCH, max_jobs - done))
        done += n
        if n == 0:
            break
    return done


def bench_worker(db: Any, args: argparse.Namespace) -> dict[str, Any]:
    from sqlalchemy import func, select

    import khaojing.handlers  # noqa: F401  (registers every job handler)
    from khaojing.intake.models import Report
    from khaojing.jobs import queue
    from khaojing.jobs.models import Job
    from khaojing.jobs.worker import Worker

    def job_counts(name: str) -> dict[str, int]:
        with db.unit_of_work(readonly=True) as s:
            rows = s.execute(select(Job.status, func.count()).where(Job.name == name).group_by(Job.status))
            return {status: n for status, n in rows}

    out: dict[str, Any] = {}
    queued = job_counts("triage.report").get("queued", 0)
    worker = Worker(db, worker_id="bench-worker")
    t0 = time.perf_counter()
    ran = drain(worker, time.monotonic() + args.worker_seconds, queued)
    elapsed = time.perf_counter() - t0
    with db.unit_of_work(readonly=True) as s:
        screened = s.scalar(select(func.count(Report.id)).where(Report.screened_at.is_not(None))) or 0
    out["triage"] = {"jobs_queued": queued, "jobs_run": ran, "seconds": round(elapsed, 2),
                     "jobs_per_s": round(ran / elapsed, 1) if elapsed else None,
                     "job_status_after": job_counts("triage.report"), "reports_screened_after": screened,
                     "complete": ran == queued}

    n = args.sleep_jobs
    t0 = time.perf_counter()
    with db.unit_of_work() as s:
        for _ in range(n):  # ahead of any triage job the first stage left queued: this measures the queue alone
            queue.enqueue(s, "system.sleep", {"seconds": 0}, priority=0)
    enqueue_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    ran = drain(worker, time.monotonic() + args.worker_seconds, n)
    elapsed = time.perf_counter() - t0
    out["sleep0"] = {"jobs_queued": n, "jobs_run": ran, "seconds": round(elapsed, 2),
                     "jobs_per_s": round(ran / elapsed, 1) if elapsed else None,
                     "enqueue_per_s_one_transaction": round(n / enqueue_s, 1) if enqueue_s else None,
                     "job_status_after": job_counts("system.sleep"), "complete": ran == n}
    return out
