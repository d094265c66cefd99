"""The durable queue: jobs run once, failures retry with backoff, the last failure goes to dead-letter."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from khaojing.jobs import queue, registry
from khaojing.jobs.models import DEAD, DONE, QUEUED, Job
from khaojing.jobs.worker import PermanentError, Worker

CALLS: dict[str, int] = {}
SEEN: list[int] = []
_lock = threading.Lock()


@registry.handler("test.flaky")
def flaky(*, session, key: str, fail_times: int) -> None:  # noqa: ANN001
    CALLS[key] = CALLS.get(key, 0) + 1
    if CALLS[key] <= fail_times:
        raise RuntimeError(f"boom {CALLS[key]}")


@registry.handler("test.permanent")
def permanent(*, session) -> None:  # noqa: ANN001
    raise PermanentError("this input can never work")


@registry.handler("test.record")
def record(*, session, n: int) -> None:  # noqa: ANN001
    with _lock:
        SEEN.append(n)


def _job(db, job_id: int) -> Job:  # noqa: ANN001
    with db.unit_of_work(readonly=True) as session:
        return session.get(Job, job_id)


def _enqueue(db, name: str, payload: dict, **kw) -> int:  # noqa: ANN001, ANN003
    with db.unit_of_work() as session:
        return queue.enqueue(session, name, payload, **kw).id


def test_a_job_enqueued_in_a_rolled_back_transaction_never_runs(db) -> None:  # noqa: ANN001
    with pytest.raises(RuntimeError), db.unit_of_work() as session:
        queue.enqueue(session, "test.record", {"n": 1})
        raise RuntimeError("the request failed")
    with db.unit_of_work(readonly=True) as session:
        assert session.scalar(select(func.count(Job.id))) == 0


def test_failures_are_retried_with_backoff_then_succeed(db) -> None:  # noqa: ANN001
    job_id = _enqueue(db, "test.flaky", {"key": "retry", "fail_times": 2})
    worker = Worker(db)
    assert worker.run_one()
    job = _job(db, job_id)
    assert (job.status, job.attempts) == (QUEUED, 1)
    assert "boom 1" in job.last_error
    assert job.run_after >= job.started_at  # backoff: not before the failure
    for _ in range(2):
        assert worker.run_one()
    job = _job(db, job_id)
    assert (job.status, job.attempts, job.last_error) == (DONE, 3, None)


def test_backoff_delays_the_next_attempt(db) -> None:  # noqa: ANN001
    slow = Worker(db)
    slow.settings = db.settings.model_copy(update={"job_backoff_seconds": 60.0})
    job_id = _enqueue(db, "test.flaky", {"key": "backoff", "fail_times": 1})
    assert slow.run_one()
    assert not slow.run_one()  # not ready for about a minute
    job = _job(db, job_id)
    assert 40 <= (job.run_after - job.started_at).total_seconds() <= 80


def test_the_last_failure_goes_to_dead_letter_with_its_error(db) -> None:  # noqa: ANN001
    job_id = _enqueue(db, "test.flaky", {"key": "dead", "fail_times": 99}, max_attempts=3)
    assert Worker(db).run_until_empty() == 3
    job = _job(db, job_id)
    assert job.status == DEAD and job.attempts == 3 and "boom 3" in job.last_error


def test_permanent_errors_and_unknown_jobs_are_dead_at_once(db) -> None:  # noqa: ANN001
    a = _enqueue(db, "test.permanent", {})
    b = _enqueue(db, "no.such.job", {})
    Worker(db).run_until_empty()
    assert _job(db, a).status == DEAD and _job(db, a).attempts == 1
    assert _job(db, b).status == DEAD and "no handler" in _job(db, b).last_error


def test_a_dead_job_can_be_retried(db) -> None:  # noqa: ANN001
    job_id = _enqueue(db, "test.flaky", {"key": "revive", "fail_times": 1}, max_attempts=1)
    Worker(db).run_until_empty()
    assert _job(db, job_id).status == DEAD
    with db.unit_of_work() as session:
        queue.retry_dead(session, job_id=job_id)
    Worker(db).run_until_empty()
    assert _job(db, job_id).status == DONE


def test_dedupe_key_enqueues_once(db) -> None:  # noqa: ANN001
    with db.unit_of_work() as session:
        assert queue.enqueue(session, "test.record", {"n": 1}, dedupe_key="once") is not None
        assert queue.enqueue(session, "test.record", {"n": 1}, dedupe_key="once") is None
    with db.unit_of_work(readonly=True) as session:
        assert session.scalar(select(func.count(Job.id))) == 1


def test_two_workers_never_run_the_same_job(db) -> None:  # noqa: ANN001
    from khaojing.db.session import Database

    SEEN.clear()
    with db.unit_of_work() as session:
        for n in range(200):
            queue.enqueue(session, "test.record", {"n": n})
    dbs = [Database(db.settings) for _ in range(2)]
    workers = [Worker(d) for d in dbs]
    threads = [threading.Thread(target=w.run_until_empty) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for d in dbs:
        d.dispose()
    assert sorted(SEEN) == list(range(200))
    with db.unit_of_work(readonly=True) as session:
        assert session.scalar(select(func.count(Job.id)).where(Job.status == DONE)) == 200
        assert session.scalar(select(func.max(Job.attempts))) == 1
    assert sum(w.processed for w in workers) == 200


GOT_SETTINGS: list = []


@registry.handler("test.settings")
def wants_settings(*, session, settings, n: int) -> None:  # noqa: ANN001
    GOT_SETTINGS.append((settings, n))


def test_a_handler_that_asks_for_settings_gets_the_workers(db) -> None:  # noqa: ANN001
    GOT_SETTINGS.clear()
    _enqueue(db, "test.settings", {"n": 7})
    Worker(db).run_until_empty()
    assert GOT_SETTINGS == [(db.settings, 7)]
