"""The funnel for any period — collected → screened as claims → grouped into claims → sent to agencies → answered →
published — in total, by topic and by channel: the figure the center publishes each week.

Collected and screened come from the daily aggregates; grouped counts distinct claims in the per-claim daily
aggregates; the agency and verdict stages count distinct claims by SQL on indexed date columns."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, literal_column, select
from sqlalchemy.orm import Session

from khaojing.cases.models import AgencyRequest, Case
from khaojing.claims.models import Claim, Verdict
from khaojing.settings import Settings
from khaojing.trends.aggregates import day_start
from khaojing.trends.models import DailyCount, KeyDailyCount

STAGES = ("collected", "claims", "grouped", "sent", "answered", "published")
NO_TOPIC = ""


@dataclass
class Period:
    start: dt.date
    end: dt.date  # exclusive
    name: str = ""

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def previous(self) -> Period:
        return Period(self.start - dt.timedelta(days=self.days), self.start)


def week(spec: str) -> Period:
    """'2026-W47' → Monday to Sunday of that ISO week."""
    try:
        year, number = spec.upper().split("-W")
        start = dt.date.fromisocalendar(int(year), int(number), 1)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"not an ISO week like 2026-W47: {spec!r}") from exc
    return Period(start, start + dt.timedelta(days=7), f"{int(year)}-W{int(number):02d}")


def month(spec: str) -> Period:
    """'2026-11' → the calendar month."""
    try:
        if not re.fullmatch(r"\d{4}-\d{1,2}", spec):
            raise ValueError(spec)
        year, number = (int(p) for p in spec.split("-"))
        start = dt.date(year, number, 1)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"not a month like 2026-11: {spec!r}") from exc
    end = dt.date(year + (number == 12), number % 12 + 1, 1)
    return Period(start, end, f"{year}-{number:02d}")


def last_full_week(today: dt.date) -> Period:
    iso = (today - dt.timedelta(days=7)).isocalendar()
    return week(f"{iso.year}-W{iso.week}")


@dataclass
class Funnel:
    period: Period
    totals: dict[str, int]
    by_topic: dict[str, dict[str, int]] = field(default_factory=dict)
    by_channel: dict[str, dict[str, int]] = field(default_factory=dict)  # collected and claims only

    def rate(self, stage: str, of: str = "collected") -> float | None:
        base = self.totals.get(of) or 0
        return self.totals.get(stage, 0) / base if base else None


def _claim_stage(session: Session, claim_ids_stmt) -> dict[str, int]:  # noqa: ANN001
    """Distinct claims of a subquery, counted by topic."""
    sub = claim_ids_stmt.subquery()
    topic = func.coalesce(Claim.topic, literal_column("''"))  # no bound parameter: GROUP BY must match SELECT
    rows = session.execute(select(topic, func.count(Claim.id)).where(Claim.id.in_(select(sub.c[0]))).group_by(topic))
    return {topic: n for topic, n in rows}


def compute(session: Session, *, settings: Settings, period: Period) -> Funnel:
    lo, hi = day_start(period.start, settings), day_start(period.end, settings)
    by_topic: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STAGES, 0))
    by_channel: dict[str, dict[str, int]] = defaultdict(lambda: {"collected": 0, "claims": 0})
    rows = session.execute(select(DailyCount.metric, DailyCount.topic, DailyCount.channel, func.sum(DailyCount.n))
                           .where(DailyCount.day >= period.start, DailyCount.day < period.end)
                           .group_by(DailyCount.metric, DailyCount.topic, DailyCount.channel))
    for metric, topic, channel, n in rows:
        stage = "collected" if metric == "collected" else "claims"
        by_topic[topic][stage] += int(n)
        by_channel[channel][stage] += int(n)
    stages = {
        "grouped": select(KeyDailyCount.key).where(KeyDailyCount.kind == "claim", KeyDailyCount.day >= period.start,
                                                   KeyDailyCount.day < period.end),
        "sent": select(Case.claim_id).join(AgencyRequest, AgencyRequest.case_id == Case.id)
        .where(AgencyRequest.sent_at >= lo, AgencyRequest.sent_at < hi),
        "answered": select(Case.claim_id).join(AgencyRequest, AgencyRequest.case_id == Case.id)
        .where(AgencyRequest.answered_at >= lo, AgencyRequest.answered_at < hi),
        "published": select(Verdict.claim_id).where(Verdict.published_at >= lo, Verdict.published_at < hi),
    }
    for stage, stmt in stages.items():
        for topic, n in _claim_stage(session, stmt).items():
            by_topic[topic][stage] += n
    totals = {stage: sum(t[stage] for t in by_topic.values()) for stage in STAGES}
    return Funnel(period=period, totals=totals, by_topic=dict(by_topic), by_channel=dict(by_channel))
