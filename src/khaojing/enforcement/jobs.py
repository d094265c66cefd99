"""Enforcement job handlers (issue 8): takedown URL re-checks, reminders when a platform is late, retention."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy.orm import Session

from khaojing.db.base import utcnow
from khaojing.enforcement import privacy, recheck, takedowns
from khaojing.jobs import queue
from khaojing.jobs.registry import every, handler
from khaojing.settings import Settings

log = logging.getLogger(__name__)
RECHECK_DUE, RECHECK, REMINDERS, RETENTION = ("enforcement.recheck_due", "enforcement.recheck",
                                              "enforcement.reminders", "enforcement.retention")


def _clock(now: str | None) -> dt.datetime:
    """The job's clock: `now` from the payload (ISO 8601, for tests and replays), else the real time."""
    if not now:
        return utcnow()
    when = dt.datetime.fromisoformat(now)
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


@handler(RECHECK_DUE)
def recheck_due(*, session: Session, now: str | None = None) -> None:
    """One job per takedown whose URL is due (each fetch is its own short unit of work)."""
    when = _clock(now)
    for takedown_id in recheck.due(session, now=when):
        queue.enqueue(session, RECHECK, {"takedown_id": takedown_id, "now": now}, priority=150,
                      dedupe_key=f"{RECHECK}:{takedown_id}:{when.strftime('%Y%m%d%H')}")


@handler(RECHECK)
def recheck_one(*, session: Session, settings: Settings, takedown_id: int, now: str | None = None) -> None:
    td = takedowns.get(session, takedown_id)
    when = _clock(now)
    if td.next_check_at is not None and td.next_check_at > when:
        return  # already checked by an earlier run of this job
    result = recheck.recheck(session, settings=settings, takedown_id=takedown_id, now=when)
    log.info("takedown %s re-checked: %s", takedown_id, result)


@handler(REMINDERS)
def reminders(*, session: Session, now: str | None = None) -> None:
    takedowns.remind_overdue(session, now=_clock(now))


@handler(RETENTION)
def retention(*, session: Session, settings: Settings, now: str | None = None) -> None:
    result = privacy.apply_retention(session, settings=settings, now=_clock(now))
    if result.requesters or result.checks or result.evidence:
        log.info("retention: %s", result)


every(3600, RECHECK_DUE)
every(3600, REMINDERS)
every(86400, RETENTION)
