"""Burst detection: a claim or watchlist whose last 60 minutes jump against its own hourly baseline.

Poisson z-score: with λ the mean hourly count over the previous `burst_baseline_days` (floored, so a brand-new claim
has a small baseline rather than none), z = (x − λ) / √λ for the x reports of the last hour. Flagged when
x ≥ burst_min_count and z ≥ burst_min_z. Only candidates with enough recent reports are looked at, each by an
indexed count, so a run every two minutes stays cheap."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from khaojing.claims.models import Claim
from khaojing.db.base import utcnow
from khaojing.intake.models import Report
from khaojing.settings import Settings
from khaojing.trends.models import Burst, WatchHit, Watchlist

WINDOW = dt.timedelta(hours=1)
MIN_BASELINE = 0.2  # reports per hour assumed for a claim with no history


@dataclass
class Candidate:
    kind: str
    key: int
    count: int
    before: int = 0


def score(count: int, before: int, hours: float) -> tuple[float, float]:
    """(baseline per hour, z) for `count` reports in the last hour after `before` in the `hours` before it."""
    baseline = max(before / hours, MIN_BASELINE)
    return baseline, (count - baseline) / math.sqrt(baseline)


def _claim_candidates(session: Session, now: dt.datetime, settings: Settings) -> list[Candidate]:
    since, base_from = now - WINDOW, now - WINDOW - dt.timedelta(days=settings.burst_baseline_days)
    rows = session.execute(select(Report.claim_id, func.count(Report.id))
                           .where(Report.received_at >= since, Report.received_at < now, Report.claim_id.is_not(None))
                           .group_by(Report.claim_id)
                           .having(func.count(Report.id) >= settings.burst_min_count)).all()
    out = []
    for claim_id, count in rows:
        before = session.scalar(select(func.count(Report.id)).where(
            Report.claim_id == claim_id, Report.received_at >= base_from, Report.received_at < since)) or 0
        out.append(Candidate("claim", claim_id, count, before))
    return out


def _watch_candidates(session: Session, now: dt.datetime, settings: Settings) -> list[Candidate]:
    since, base_from = now - WINDOW, now - WINDOW - dt.timedelta(days=settings.burst_baseline_days)
    rows = session.execute(select(WatchHit.watchlist_id, func.count(WatchHit.id))
                           .where(WatchHit.at >= since, WatchHit.at < now).group_by(WatchHit.watchlist_id)
                           .having(func.count(WatchHit.id) >= settings.burst_min_count)).all()
    out = []
    for watchlist_id, count in rows:
        before = session.scalar(select(func.count(WatchHit.id)).where(
            WatchHit.watchlist_id == watchlist_id, WatchHit.at >= base_from, WatchHit.at < since)) or 0
        out.append(Candidate("watch", watchlist_id, count, before))
    return out


def _label(session: Session, kind: str, key: int) -> str:
    if kind == "claim":
        return (session.scalar(select(Claim.title).where(Claim.id == key)) or "")[:300]
    return session.scalar(select(Watchlist.name).where(Watchlist.id == key)) or ""


def detect(session: Session, *, settings: Settings, now: dt.datetime | None = None) -> list[Burst]:
    """Flag the bursts of the last hour; one row per claim/watchlist and hour (a stronger reading updates it)."""
    now = now or utcnow()
    hour = now.replace(minute=0, second=0, microsecond=0)
    hours = settings.burst_baseline_days * 24.0
    flagged = []
    for cand in _claim_candidates(session, now, settings) + _watch_candidates(session, now, settings):
        baseline, z = score(cand.count, cand.before, hours)
        if z < settings.burst_min_z:
            continue
        burst = session.scalar(select(Burst).where(Burst.kind == cand.kind, Burst.key == cand.key,
                                                   Burst.hour == hour))
        if burst is None:
            burst = Burst(kind=cand.kind, key=cand.key, hour=hour, count=cand.count, baseline=round(baseline, 3),
                          score=round(z, 2), detected_at=now, label=_label(session, cand.kind, cand.key))
            session.add(burst)
        elif cand.count > burst.count:
            burst.count, burst.baseline, burst.score = cand.count, round(baseline, 3), round(z, 2)
        flagged.append(burst)
    session.flush()
    return flagged


def recent(session: Session, *, since: dt.datetime, limit: int = 50) -> list[Burst]:
    return list(session.scalars(select(Burst).where(Burst.detected_at >= since)
                                .order_by(Burst.detected_at.desc(), Burst.score.desc()).limit(limit)))
