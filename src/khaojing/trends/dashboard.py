"""What the dashboards show for a period: volume over time (by channel, topic, verdict), top claims by reports and
by growth, bursts, response times — read from the daily aggregates and small indexed tables only."""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session

from khaojing.accounts.models import Agency
from khaojing.cases.models import AgencyRequest, Case
from khaojing.claims.models import Claim, Verdict
from khaojing.db.base import utcnow
from khaojing.settings import Settings
from khaojing.trends import bursts as burst_service
from khaojing.trends.aggregates import day_start, days, local_day
from khaojing.trends.funnel import Funnel, Period, compute
from khaojing.trends.models import DailyCount, KeyDailyCount, TrendCache

TOP = 10
CACHED_PERIODS = (7, 28, 90, 365)  # the console's standard choices, ending today


@dataclass
class TopClaim:
    claim_id: int
    title: str
    topic: str | None
    reports: int
    previous: int
    verdict: str | None
    public: bool  # has a published verdict with a public label (may be shown on the public site)

    @property
    def growth(self) -> float:
        return (self.reports + 1) / (self.previous + 1)


@dataclass
class Timing:
    key: str  # first_action | agency_answer | verdict
    count: int
    median_hours: float | None
    p90_hours: float | None
    agency: str | None = None
    agency_id: int | None = None


@dataclass
class Dashboard:
    period: Period
    funnel: Funnel
    days: list[str]
    by_channel: dict[str, list[int]]
    by_topic: dict[str, list[int]]
    claims_by_topic: dict[str, list[int]]
    by_verdict: dict[str, list[int]]
    top_reports: list[TopClaim]
    top_growth: list[TopClaim]
    timings: list[Timing]
    agency_timings: list[Timing]
    bursts: list = field(default_factory=list)


def _series(session: Session, period: Period, metric: str, column) -> dict[str, list[int]]:  # noqa: ANN001
    index = {d: i for i, d in enumerate(days(period.start, period.end))}
    out: dict[str, list[int]] = defaultdict(lambda: [0] * len(index))
    for day, key, n in session.execute(select(DailyCount.day, column, func.sum(DailyCount.n))
                                       .where(DailyCount.metric == metric, DailyCount.day >= period.start,
                                              DailyCount.day < period.end).group_by(DailyCount.day, column)):
        out[key or ""][index[day]] += int(n)
    return dict(out)


def _verdict_series(session: Session, period: Period, settings: Settings) -> dict[str, list[int]]:
    index = {d: i for i, d in enumerate(days(period.start, period.end))}
    out: dict[str, list[int]] = defaultdict(lambda: [0] * len(index))
    for label, published in session.execute(select(Verdict.label, Verdict.published_at).where(
            Verdict.published_at >= day_start(period.start, settings),
            Verdict.published_at < day_start(period.end, settings))):
        out[label][index[local_day(published, settings)]] += 1
    return dict(out)


def top_claims(session: Session, *, settings: Settings, period: Period, limit: int = TOP,
               by: str = "reports", public_only: bool = False) -> list[TopClaim]:
    """Claims with the most reports in the period, or the fastest growth against the period before."""
    prev = period.previous()
    this_n = func.sum(case((KeyDailyCount.day >= period.start, KeyDailyCount.n), else_=0))
    prev_n = func.sum(case((KeyDailyCount.day < period.start, KeyDailyCount.n), else_=0))
    since = period.start if by == "reports" else prev.start  # the previous period matters only for growth
    stmt = (select(KeyDailyCount.key, this_n, prev_n)
            .where(KeyDailyCount.kind == "claim", KeyDailyCount.day >= since, KeyDailyCount.day < period.end)
            .group_by(KeyDailyCount.key).having(this_n > 0))
    public_labels = {lb.key for lb in settings.verdict_labels if lb.public}
    if public_only:
        stmt = stmt.where(KeyDailyCount.key.in_(select(Verdict.claim_id).where(
            Verdict.published_at.is_not(None), Verdict.label.in_(public_labels))))
    if by == "reports":
        rows = session.execute(stmt.order_by(this_n.desc(), KeyDailyCount.key).limit(limit)).all()
    else:  # growth: at least 3 reports, ranked by (this + 1) / (before + 1)
        ratio = (this_n + 1.0) / (prev_n + 1.0)
        rows = session.execute(stmt.having(this_n >= 3).order_by(ratio.desc(), this_n.desc(), KeyDailyCount.key)
                               .limit(limit)).all()
    ids = [r[0] for r in rows]
    claims = {c.id: c for c in session.scalars(select(Claim).where(Claim.id.in_(ids)))} if ids else {}
    verdicts = {v.claim_id: v for v in session.scalars(select(Verdict).where(Verdict.claim_id.in_(ids)))} \
        if ids else {}
    out = []
    for key, n, before in rows:
        claim, verdict = claims.get(key), verdicts.get(key)
        published = verdict is not None and verdict.published_at is not None
        title = (verdict.headline if public_only and published else claim.title if claim else f"#{key}")
        out.append(TopClaim(key, title[:300], claim.topic if claim else None, int(n), int(before),
                            verdict.label if published else None, published and verdict.label in public_labels))
    return out


def _hours(pairs: list[tuple[dt.datetime, dt.datetime]]) -> list[float]:
    return [(b - a).total_seconds() / 3600 for a, b in pairs if a is not None and b is not None and b >= a]


def _timing(key: str, hours: list[float], agency_id: int | None = None) -> Timing:
    if not hours:
        return Timing(key, 0, None, None, agency_id=agency_id)
    hours = sorted(hours)
    p90 = hours[min(len(hours) - 1, int(round(0.9 * (len(hours) - 1))))]
    return Timing(key, len(hours), round(statistics.median(hours), 1), round(p90, 1), agency_id=agency_id)


def _timing_sql(session: Session, key: str, a, b, where: list, group=None) -> list[Timing]:  # noqa: ANN001
    """PostgreSQL: count, median and 90th percentile in the database (no rows travel to Python)."""
    hours = func.extract("epoch", b - a) / 3600.0
    cols = [func.count(), func.percentile_cont(0.5).within_group(hours), func.percentile_cont(0.9).within_group(hours)]
    stmt = select(*([group] if group is not None else []), *cols).where(*where, a.is_not(None), b.is_not(None), b >= a)
    rows = session.execute(stmt.group_by(group) if group is not None else stmt).all()
    out = []
    for row in rows:
        agency_id, (n, median, p90) = (row[0], row[1:]) if group is not None else (None, row)
        out.append(Timing(key, int(n), round(float(median), 1) if n else None, round(float(p90), 1) if n else None,
                          agency_id=agency_id))
    return out


def timings(session: Session, *, settings: Settings, period: Period) -> tuple[list[Timing], list[Timing]]:
    """Response times of the period: to first action (cases opened), to agency answer (answers given, by agency),
    to verdict (verdicts published: from the claim's first report). Agency names are filled in by `name_agencies`."""
    lo, hi = day_start(period.start, settings), day_start(period.end, settings)
    in_first = [Case.opened_at >= lo, Case.opened_at < hi]
    in_answer = [AgencyRequest.answered_at >= lo, AgencyRequest.answered_at < hi]
    in_verdict = [Verdict.published_at >= lo, Verdict.published_at < hi, Claim.id == Verdict.claim_id]
    if session.get_bind().dialect.name == "postgresql":
        overall = (_timing_sql(session, "first_action", Case.opened_at, Case.first_action_at, in_first)
                   + _timing_sql(session, "agency_answer", AgencyRequest.sent_at, AgencyRequest.answered_at, in_answer)
                   + _timing_sql(session, "verdict", Claim.first_seen_at, Verdict.published_at, in_verdict))
        by_agency = _timing_sql(session, "agency_answer", AgencyRequest.sent_at, AgencyRequest.answered_at, in_answer,
                                group=AgencyRequest.agency_id)
    else:
        first = session.execute(select(Case.opened_at, Case.first_action_at).where(*in_first)).all()
        answers = session.execute(select(AgencyRequest.agency_id, AgencyRequest.sent_at, AgencyRequest.answered_at)
                                  .where(*in_answer)).all()
        verdict = session.execute(select(Claim.first_seen_at, Verdict.published_at).where(*in_verdict)).all()
        overall = [_timing("first_action", _hours(first)),
                   _timing("agency_answer", _hours([(s, a) for _, s, a in answers])),
                   _timing("verdict", _hours(verdict))]
        per_agency: dict[int, list] = defaultdict(list)
        for agency_id, sent, answered in answers:
            per_agency[agency_id].append((sent, answered))
        by_agency = [_timing("agency_answer", _hours(p), agency_id=aid) for aid, p in per_agency.items()]
    return overall, sorted((t for t in by_agency if t.count), key=lambda t: (-t.count, t.agency_id or 0))


def name_agencies(session: Session, items: list[Timing], lang: str) -> list[Timing]:
    ids = [t.agency_id for t in items if t.agency_id is not None]
    names = {a.id: (a.name_th if lang == "th" else a.name_en or a.name_th)
             for a in session.scalars(select(Agency).where(Agency.id.in_(ids)))} if ids else {}
    for item in items:
        item.agency = names.get(item.agency_id, f"#{item.agency_id}")
    return items


def _compute(session: Session, *, settings: Settings, period: Period, public: bool) -> Dashboard:
    overall, by_agency = timings(session, settings=settings, period=period)
    return Dashboard(
        period=period, funnel=compute(session, settings=settings, period=period),
        days=[d.isoformat() for d in days(period.start, period.end)],
        by_channel=_series(session, period, "collected", DailyCount.channel),
        by_topic=_series(session, period, "collected", DailyCount.topic),
        claims_by_topic=_series(session, period, "claim", DailyCount.topic),
        by_verdict=_verdict_series(session, period, settings),
        top_reports=top_claims(session, settings=settings, period=period, public_only=public),
        top_growth=top_claims(session, settings=settings, period=period, by="growth", public_only=public),
        timings=overall, agency_timings=[] if public else by_agency)


def to_json(dash: Dashboard) -> dict:
    data = asdict(dash)
    data.pop("bursts", None)
    return json.loads(json.dumps(data, default=str))


def from_json(data: dict) -> Dashboard:
    def period(raw: dict) -> Period:
        return Period(dt.date.fromisoformat(raw["start"]), dt.date.fromisoformat(raw["end"]), raw.get("name", ""))

    fun = data["funnel"]
    return Dashboard(
        period=period(data["period"]),
        funnel=Funnel(period(fun["period"]), fun["totals"], fun["by_topic"], fun["by_channel"]),
        days=data["days"], by_channel=data["by_channel"], by_topic=data["by_topic"],
        claims_by_topic=data["claims_by_topic"], by_verdict=data["by_verdict"],
        top_reports=[TopClaim(**c) for c in data["top_reports"]],
        top_growth=[TopClaim(**c) for c in data["top_growth"]],
        timings=[Timing(**t) for t in data["timings"]], agency_timings=[Timing(**t) for t in data["agency_timings"]])


def cache_key(period: Period, public: bool) -> str:
    return f"{'public' if public else 'staff'}:{period.start.isoformat()}:{period.end.isoformat()}"


def precompute(session: Session, *, settings: Settings, today: dt.date) -> int:
    """Compute the standard periods (the last 7, 28, 90 and 365 days) every ten minutes, so these dashboards are a
    single row read even for a year; other periods (an ISO week, a month) are computed per request."""
    end = today + dt.timedelta(days=1)
    keep = []
    for n in CACHED_PERIODS:
        period = Period(end - dt.timedelta(days=n), end, f"{n}d")
        for public in (False, True):
            key = cache_key(period, public)
            keep.append(key)
            row = session.get(TrendCache, key) or TrendCache(key=key)
            row.data, row.computed_at = to_json(_compute(session, settings=settings, period=period, public=public)), \
                utcnow()
            session.add(row)
    session.execute(delete(TrendCache).where(TrendCache.key.not_in(keep)))
    return len(keep)


def build(session: Session, *, settings: Settings, period: Period, public: bool = False,
          lang: str = "th") -> Dashboard:
    """The dashboard of a period: from the precomputed row when there is one, else computed now."""
    row = session.get(TrendCache, cache_key(period, public))
    dash = from_json(row.data) if row is not None else _compute(session, settings=settings, period=period,
                                                                public=public)
    name_agencies(session, dash.agency_timings, lang)
    dash.bursts = [] if public else burst_service.recent(session, since=day_start(period.start, settings))
    return dash
