"""Infrastructure jobs that know no domain: a sleep to check that workers are alive; purge of finished jobs."""

from __future__ import annotations

import time

from khaojing.jobs.queue import purge_finished
from khaojing.jobs.registry import every, handler


@handler("system.sleep")
def sleep(*, session, seconds: float = 1.0) -> None:  # noqa: ANN001
    """Occupy a worker for `seconds` (operations check of the queue; also the killed-worker test)."""
    time.sleep(min(float(seconds), 600.0))


@handler("system.purge_jobs")
def purge_jobs(*, session, older_than_days: int = 7) -> None:  # noqa: ANN001
    purge_finished(session, older_than_days=older_than_days)


every(86400, "system.purge_jobs")
