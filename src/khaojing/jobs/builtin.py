"""Infrastructure jobs that know no domain: a sleep used to check that workers are alive."""

from __future__ import annotations

import time

from khaojing.jobs.registry import handler


@handler("system.sleep")
def sleep(*, session, seconds: float = 1.0) -> None:  # noqa: ANN001
    """Occupy a worker for `seconds` (operations check of the queue; also the killed-worker test)."""
    time.sleep(min(float(seconds), 600.0))
