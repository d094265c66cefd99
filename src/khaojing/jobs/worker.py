"""The worker: claims jobs, runs each handler in its own unit of work, retries, and enqueues periodic jobs."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import traceback
import uuid

from khaojing.db.base import utcnow
from khaojing.db.session import Database
from khaojing.jobs import queue, registry
from khaojing.jobs.models import Job

log = logging.getLogger(__name__)


class PermanentError(Exception):
    """Raised by a handler for a failure that retrying cannot fix: the job goes to dead-letter at once."""


class Worker:
    def __init__(self, db: Database, *, worker_id: str | None = None):
        self.db = db
        self.settings = db.settings
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._stop = threading.Event()
        self.processed = 0
        self._schedules_checked = 0.0

    def stop(self) -> None:
        self._stop.set()

    def run_forever(self) -> None:
        log.info("worker %s started; handlers: %s", self.worker_id, ", ".join(registry.names()))
        while not self._stop.is_set():
            try:
                self.enqueue_due_schedules()
                if not self.run_one():
                    self._stop.wait(self.settings.worker_poll_seconds)
            except Exception:  # the database went away: wait and carry on
                log.exception("worker loop error; retrying shortly")
                self._stop.wait(min(5.0, self.settings.worker_poll_seconds * 4))
        log.info("worker %s stopped after %d jobs", self.worker_id, self.processed)

    def run_until_empty(self, *, max_jobs: int = 100_000) -> int:
        """Run ready jobs until none is left (used by the CLI's --once and by tests)."""
        n = 0
        while n < max_jobs and self.run_one():
            n += 1
        return n

    def run_one(self) -> bool:
        with self.db.unit_of_work() as session:
            job = queue.claim_next(session, worker_id=self.worker_id,
                                   lease_seconds=self.settings.job_lease_seconds)
            if job is None:
                return False
            job_id, name, payload = job.id, job.name, dict(job.payload or {})
        self._execute(job_id, name, payload)
        self.processed += 1
        return True

    def _execute(self, job_id: int, name: str, payload: dict) -> None:
        fn = registry.get_handler(name)
        heartbeat = _Heartbeat(self, job_id)
        heartbeat.start()
        try:
            if fn is None:
                raise PermanentError(f"no handler registered for job {name!r}")
            with self.db.unit_of_work() as session:
                registry.run_handler(fn, session, payload, self.settings)
                if not queue.mark_done(session, job_id=job_id, worker_id=self.worker_id):
                    raise _LeaseLost()
        except _LeaseLost:
            log.warning("job %s (%s): lease lost; another worker runs it", job_id, name)
        except Exception as exc:  # every failure is recorded on the job
            retryable = not isinstance(exc, PermanentError)
            error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=8)}"
            with self.db.unit_of_work() as session:
                status = queue.mark_failed(session, job_id=job_id, worker_id=self.worker_id, error=error,
                                           backoff_seconds=self.settings.job_backoff_seconds,
                                           retryable=retryable)
            log.warning("job %s (%s) failed -> %s: %s", job_id, name, status, exc)
        finally:
            heartbeat.stop()

    def enqueue_due_schedules(self, *, min_interval: float = 30.0) -> None:
        if time.monotonic() - self._schedules_checked < min_interval and self._schedules_checked:
            return
        self._schedules_checked = time.monotonic()
        now = utcnow().timestamp()
        for sched in registry.schedules():
            period = int(now // sched.every_seconds)
            key = f"schedule:{sched.name}:{period}"
            with self.db.unit_of_work() as session:
                queue.enqueue(session, sched.name, sched.payload, dedupe_key=key, priority=200)


class _LeaseLost(Exception):
    pass


class _Heartbeat:
    """Extends the job's lease while a long handler runs, so a live worker keeps its job."""

    def __init__(self, worker: Worker, job_id: int):
        self.worker, self.job_id = worker, job_id
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._done.set()

    def _run(self) -> None:
        lease = self.worker.settings.job_lease_seconds
        while not self._done.wait(max(1.0, lease / 3)):
            try:
                with self.worker.db.unit_of_work() as session:
                    queue.extend_lease(session, job_id=self.job_id, worker_id=self.worker.worker_id,
                                       lease_seconds=lease)
            except Exception:
                log.exception("could not extend the lease of job %s", self.job_id)


def start_in_thread(db: Database) -> tuple[Worker, threading.Thread]:
    worker = Worker(db)
    thread = threading.Thread(target=worker.run_forever, name="khaojing-worker", daemon=True)
    thread.start()
    return worker, thread


def job_summary(job: Job) -> dict:
    return {"id": job.id, "name": job.name, "status": job.status, "attempts": job.attempts,
            "last_error": job.last_error}
