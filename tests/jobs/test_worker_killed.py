"""A `khaojing worker` killed with SIGKILL mid-job: after its lease runs out another worker runs the job again."""

from __future__ import annotations

import os
import signal

from khaojing.jobs import queue
from khaojing.jobs.models import DONE, RUNNING, Job
from servers import start_worker, stop, wait_until


def _job(db, job_id: int) -> Job:  # noqa: ANN001
    with db.unit_of_work(readonly=True) as session:
        return session.get(Job, job_id)


def test_a_job_whose_worker_was_killed_is_run_again_after_restart(db, tmp_path) -> None:  # noqa: ANN001
    with db.unit_of_work() as session:
        job_id = queue.enqueue(session, "system.sleep", {"seconds": 3}).id
    lease = {"KHAOJING_JOB_LEASE_SECONDS": "2", "KHAOJING_WORKER_POLL_SECONDS": "0.2"}
    first = start_worker(db.settings, tmp_path / "worker-1.log", **lease)
    try:
        assert wait_until(lambda: _job(db, job_id).status == RUNNING, 30), (tmp_path / "worker-1.log").read_text()
        killed_owner = _job(db, job_id).locked_by
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
    finally:
        stop(first, kill=True)
    assert _job(db, job_id).status == RUNNING  # nobody finished it: it is still leased to the dead worker

    second = start_worker(db.settings, tmp_path / "worker-2.log", **lease)
    try:
        assert wait_until(lambda: _job(db, job_id).status == DONE, 40), (tmp_path / "worker-2.log").read_text()
    finally:
        stop(second)
    job = _job(db, job_id)
    print(f"job {job.id}: status={job.status} attempts={job.attempts} first={killed_owner} then={job.locked_by}")
    assert job.attempts == 2 and job.locked_by != killed_owner
