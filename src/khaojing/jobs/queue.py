"""The queue's rules: enqueue, claim (FOR UPDATE SKIP LOCKED on PostgreSQL), finish, retry with backoff, dead-letter."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from khaojing.db.base import utcnow
from khaojing.db.upsert import insert_new
from khaojing.jobs.models import DEAD, DONE, QUEUED, RUNNING, Job


def enqueue(session: Session, name: str, payload: dict[str, Any] | None = None, *, priority: int = 100,
            delay_seconds: float = 0, max_attempts: int = 5, dedupe_key: str | None = None) -> Job | None:
    """Add a job in the caller's transaction (it runs only if that transaction commits).

    With a dedupe_key, a second enqueue of the same key is a no-op and returns None.
    """
    values = dict(name=name, payload=payload or {}, priority=priority, max_attempts=max_attempts,
                  run_after=utcnow() + dt.timedelta(seconds=delay_seconds), dedupe_key=dedupe_key)
    if dedupe_key is None:
        job = Job(**values)
        session.add(job)
        session.flush()
        return job
    return insert_new(session, Job, values, unique=["dedupe_key"])


def claim_next(session: Session, *, worker_id: str, lease_seconds: int) -> Job | None:
    """Take the next job to run and lease it to this worker: first one whose worker's lease ran out (that
    worker died), else the first ready queued job by priority. Both queries are served by an index."""
    now = utcnow()
    while True:
        job = session.scalar(select(Job).where(Job.status == RUNNING, Job.locked_until < now)
                             .order_by(Job.locked_until).limit(1).with_for_update(skip_locked=True))
        if job is not None and job.attempts >= job.max_attempts:
            _bury(job, f"worker {job.locked_by} was lost while running the last allowed attempt", now)
            session.flush()
            continue
        if job is None:
            job = session.scalar(select(Job).where(Job.status == QUEUED, Job.run_after <= now)
                                 .order_by(Job.priority, Job.id).limit(1).with_for_update(skip_locked=True))
        if job is None:
            return None
        job.status = RUNNING
        job.attempts += 1
        job.locked_by = worker_id
        job.locked_until = now + dt.timedelta(seconds=lease_seconds)
        job.started_at = now
        session.flush()
        return job


def purge_finished(session: Session, *, older_than_days: int) -> int:
    """Delete done jobs older than the retention period (dead-letter jobs stay until someone looks at them)."""
    cutoff = utcnow() - dt.timedelta(days=older_than_days)
    result = session.execute(delete(Job).where(Job.status == DONE, Job.finished_at < cutoff))
    return result.rowcount or 0


def mark_done(session: Session, *, job_id: int, worker_id: str) -> bool:
    """Finish a job in the handler's own transaction; False if this worker no longer holds its lease."""
    result = session.execute(update(Job).where(Job.id == job_id, Job.status == RUNNING,
                                               Job.locked_by == worker_id)
                             .values(status=DONE, finished_at=utcnow(), locked_until=None, last_error=None))
    return result.rowcount == 1


def mark_failed(session: Session, *, job_id: int, worker_id: str, error: str,
                backoff_seconds: float, retryable: bool = True) -> str | None:
    """Record a failure: queue again after an exponential backoff, or dead-letter after the last attempt."""
    job = session.get(Job, job_id, with_for_update=True)
    if job is None or job.status != RUNNING or job.locked_by != worker_id:
        return None
    now = utcnow()
    job.last_error = error[-4000:]
    if not retryable or job.attempts >= job.max_attempts:
        _bury(job, job.last_error, now)
    else:
        delay = backoff_seconds * (2 ** (job.attempts - 1)) * random.uniform(0.8, 1.2)
        job.status = QUEUED
        job.run_after = now + dt.timedelta(seconds=delay)
        job.locked_by = None
        job.locked_until = None
    session.flush()
    return job.status


def extend_lease(session: Session, *, job_id: int, worker_id: str, lease_seconds: int) -> bool:
    result = session.execute(update(Job).where(Job.id == job_id, Job.status == RUNNING,
                                               Job.locked_by == worker_id)
                             .values(locked_until=utcnow() + dt.timedelta(seconds=lease_seconds)))
    return result.rowcount == 1


def retry_dead(session: Session, *, job_id: int) -> Job:
    job = session.get(Job, job_id)
    if job is None or job.status != DEAD:
        from khaojing.errors import Conflict
        raise Conflict(f"job {job_id} is not in the dead-letter state")
    job.status, job.attempts, job.run_after, job.finished_at = QUEUED, 0, utcnow(), None
    return job


def counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(Job.status, func.count()).group_by(Job.status)).all()
    return {status: n for status, n in rows}


def _bury(job: Job, error: str, now: dt.datetime) -> None:
    job.status = DEAD
    job.last_error = error
    job.finished_at = now
    job.locked_until = None
