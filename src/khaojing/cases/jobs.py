"""Job handlers of the case workflow: the periodic deadline check, and sending e-mail (retried while SMTP is down)."""

from __future__ import annotations

import datetime as dt
import logging

from khaojing.cases import deadlines, mail
from khaojing.db.base import utcnow
from khaojing.jobs.registry import every, handler
from khaojing.jobs.worker import PermanentError

log = logging.getLogger(__name__)
CHECK_JOB = "cases.check_deadlines"
CHECK_EVERY_SECONDS = 300


def _clock(now: str | None) -> dt.datetime:
    """The job's clock: `now` from the payload (ISO 8601, for tests and replays), else the real time."""
    if not now:
        return utcnow()
    when = dt.datetime.fromisoformat(now)
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


@handler(CHECK_JOB)
def check_deadlines(*, session, settings, now: str | None = None) -> None:  # noqa: ANN001
    result = deadlines.check(session, settings=settings, now=_clock(now))
    if any(vars(result).values()):
        log.info("case deadlines: %s", result)


@handler(mail.EMAIL_JOB)
def send_email(*, session, settings, to: list[str], subject: str, body: str) -> None:  # noqa: ANN001
    try:
        mail.send(settings, to=list(to), subject=subject, body=body)
    except mail.PermanentMailError as exc:
        raise PermanentError(str(exc)) from exc


every(CHECK_EVERY_SECONDS, CHECK_JOB)
