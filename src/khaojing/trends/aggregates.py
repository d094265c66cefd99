"""Daily aggregates, maintained incrementally: each run recounts only the recent local days (indexed range scans on
reports.received_at and watch_hits.at), so dashboards read a few thousand aggregate rows instead of millions of
reports. Also adds watchlist priority boosts to the claims that listening items joined."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import case, delete, func, insert, literal_column, select
from sqlalchemy.orm import Session

from khaojing.claims.models import Claim
from khaojing.db.base import utcnow
from khaojing.intake.models import Report
from khaojing.settings import Settings
from khaojing.trends.models import DailyCount, KeyDailyCount, TrendState, WatchHit, Watchlist

BOOST_KEY = "watchlist"
BOOST_WINDOW = dt.timedelta(days=7)


def local_day(when: dt.datetime, settings: Settings) -> dt.date:
    return when.astimezone(ZoneInfo(settings.timezone)).date()


def day_start(day: dt.date, settings: Settings) -> dt.datetime:
    """The UTC instant a local day begins."""
    return dt.datetime.combine(day, dt.time(), ZoneInfo(settings.timezone)).astimezone(dt.UTC)


def days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Days from start up to, not including, end."""
    return [start + dt.timedelta(days=i) for i in range((end - start).days)]


@dataclass
class Refreshed:
    days: int
    daily_rows: int
    key_rows: int
    boosted_claims: int


def _count_day(session: Session, day: dt.date, settings: Settings) -> tuple[list[dict], list[dict]]:
    lo, hi = day_start(day, settings), day_start(day + dt.timedelta(days=1), settings)
    window = (Report.received_at >= lo, Report.received_at < hi)
    topic = func.coalesce(Report.topic, literal_column("''"))  # no bound parameter: GROUP BY must match SELECT
    rows = session.execute(select(Report.channel, topic, func.count(Report.id),
                                  func.sum(case((Report.is_claim.is_(True), 1), else_=0)))
                           .where(*window).group_by(Report.channel, topic)).all()
    daily = []
    for channel, tp, collected, claims in rows:
        daily.append({"day": day, "metric": "collected", "topic": tp, "channel": channel, "n": collected})
        if claims:
            daily.append({"day": day, "metric": "claim", "topic": tp, "channel": channel, "n": int(claims)})
    keys = [{"kind": "claim", "key": cid, "day": day, "n": n} for cid, n in session.execute(
        select(Report.claim_id, func.count(Report.id)).where(*window, Report.claim_id.is_not(None))
        .group_by(Report.claim_id))]
    keys += [{"kind": "watch", "key": wid, "day": day, "n": n} for wid, n in session.execute(
        select(WatchHit.watchlist_id, func.count(WatchHit.id)).where(WatchHit.at >= lo, WatchHit.at < hi)
        .group_by(WatchHit.watchlist_id))]
    return daily, keys


def refresh_days(session: Session, *, settings: Settings, start: dt.date, end: dt.date) -> Refreshed:
    """Recount the aggregates of the local days [start, end): replace what was there (idempotent)."""
    out = Refreshed(days=0, daily_rows=0, key_rows=0, boosted_claims=0)
    for day in days(start, end):
        daily, keys = _count_day(session, day, settings)
        session.execute(delete(DailyCount).where(DailyCount.day == day))
        session.execute(delete(KeyDailyCount).where(KeyDailyCount.day == day))
        if daily:
            session.execute(insert(DailyCount), daily)
        if keys:
            session.execute(insert(KeyDailyCount), keys)
        out.days, out.daily_rows, out.key_rows = out.days + 1, out.daily_rows + len(daily), out.key_rows + len(keys)
    return out


def refresh(session: Session, *, settings: Settings, now: dt.datetime | None = None,
            hours: int | None = None) -> Refreshed:
    """The periodic step: recount the days of the last `trends_refresh_hours`, then add watchlist boosts."""
    now = now or utcnow()
    start = local_day(now - dt.timedelta(hours=hours or settings.trends_refresh_hours), settings)
    out = refresh_days(session, settings=settings, start=start, end=local_day(now, settings) + dt.timedelta(days=1))
    out.boosted_claims = apply_boosts(session, now=now)
    set_state(session, "refreshed_at", now.isoformat())
    return out


def apply_boosts(session: Session, *, now: dt.datetime) -> int:
    """Claims that listening items with watchlist hits joined get the watchlist's boost as a priority part (again
    after the claim's priority is recomputed), and its topic when the model found none."""
    rows = session.execute(
        select(Report.claim_id, Watchlist.name, Watchlist.priority_boost, Watchlist.topic)
        .join(WatchHit, WatchHit.report_id == Report.id).join(Watchlist, Watchlist.id == WatchHit.watchlist_id)
        .where(WatchHit.at >= now - BOOST_WINDOW, Report.claim_id.is_not(None), Watchlist.active.is_(True))
        .distinct()).all()
    best: dict[int, tuple[str, float, str | None]] = {}
    for claim_id, name, boost, topic in rows:
        if claim_id not in best or boost > best[claim_id][1]:
            best[claim_id] = (name, boost, topic)
    changed = 0
    for claim_id, (name, boost, topic) in best.items():
        claim = session.get(Claim, claim_id)
        if claim is None:
            continue
        reasons = [r for r in (claim.priority_reasons or []) if isinstance(r, dict)]
        if claim.status != "open" or any(r.get("key") == BOOST_KEY for r in reasons):
            continue
        if boost > 0:
            claim.priority = round(min(100.0, (claim.priority or 0.0) + boost), 1)
            claim.priority_reasons = [*reasons, {"key": BOOST_KEY, "points": boost,
                                                 "th": f"ตรงกับรายการเฝ้าระวัง “{name}”",
                                                 "en": f"matches the watchlist “{name}”"}]
        if topic and claim.topic_source != "analyst" and claim.topic in (None, "other"):
            claim.topic = topic
        changed += 1
    session.execute(WatchHit.__table__.update().where(WatchHit.boosted.is_(False), WatchHit.at >= now - BOOST_WINDOW)
                    .values(boosted=True))
    return changed


def set_state(session: Session, key: str, value: str) -> None:
    row = session.get(TrendState, key)
    if row is None:
        session.add(TrendState(key=key, value=value))
    else:
        row.value = value


def get_state(session: Session, key: str) -> str | None:
    row = session.get(TrendState, key)
    return row.value if row else None
