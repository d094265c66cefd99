"""Trends and listening job handlers (issue 7): due feed fetches, one fetch, the aggregate refresh, burst
detection, and last week's report."""

from __future__ import annotations

import datetime as dt
import logging

from khaojing.db.base import utcnow
from khaojing.jobs.registry import every, handler
from khaojing.trends import aggregates, bursts, dashboard, listening

log = logging.getLogger(__name__)
DUE_JOB, REFRESH_JOB, BURSTS_JOB, WEEKLY_JOB = "feeds.fetch_due", "trends.refresh", "trends.bursts", "trends.weekly"
PRECOMPUTE_JOB = "trends.precompute"


def _clock(now: str | None) -> dt.datetime:
    """The job's clock: `now` from the payload (ISO 8601, for tests and replays), else the real time."""
    if not now:
        return utcnow()
    when = dt.datetime.fromisoformat(now)
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


@handler(DUE_JOB)
def fetch_due(*, session, now: str | None = None) -> None:  # noqa: ANN001
    listening.enqueue_due(session, now=_clock(now))


@handler(listening.FETCH_JOB)
def fetch_one(*, session, settings, source_id: int, now: str | None = None) -> None:  # noqa: ANN001
    outcome = listening.run_fetch(session, settings=settings, source_id=source_id, now=_clock(now))
    if not outcome.ok:
        log.warning("listening source %s failed: %s", source_id, outcome.error)


@handler(REFRESH_JOB)
def refresh(*, session, settings, now: str | None = None) -> None:  # noqa: ANN001
    aggregates.refresh(session, settings=settings, now=_clock(now))


@handler(PRECOMPUTE_JOB)
def precompute(*, session, settings, now: str | None = None) -> None:  # noqa: ANN001
    dashboard.precompute(session, settings=settings, today=aggregates.local_day(_clock(now), settings))


@handler(BURSTS_JOB)
def detect_bursts(*, session, settings, now: str | None = None) -> None:  # noqa: ANN001
    found = bursts.detect(session, settings=settings, now=_clock(now))
    if found:
        log.info("bursts: %s", ", ".join(f"{b.kind}:{b.key} z={b.score}" for b in found))


@handler(WEEKLY_JOB)
def weekly_report(*, session, settings, now: str | None = None) -> None:  # noqa: ANN001
    from khaojing.trends import reports  # weasyprint loads only when a report is built

    period = reports.last_week(settings, now=_clock(now))
    if not reports.exists(settings, "weekly", period.name):
        aggregates.refresh_days(session, settings=settings, start=period.start, end=period.end)
        reports.build(session, settings=settings, kind="weekly", period=period)


@handler("trends.build_report")
def build_report(*, session, settings, kind: str, period: str) -> None:  # noqa: ANN001
    from khaojing.trends import reports

    chosen = reports.period_of(kind, period)
    # recount the period's days first, as `khaojing report` does: the periodic refresh recounts only the last hours,
    # so days whose reports came in later (an import, a backlog) would otherwise be reported as they were counted
    aggregates.refresh_days(session, settings=settings, start=chosen.start, end=chosen.end)
    reports.build(session, settings=settings, kind=kind, period=chosen)


every(60, DUE_JOB)
every(300, REFRESH_JOB)
every(600, PRECOMPUTE_JOB)
every(120, BURSTS_JOB)
every(3600, WEEKLY_JOB)
