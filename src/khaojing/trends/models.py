"""Trends and social-listening tables (issue 7): listening sources, watchlists and their hits, daily aggregates,
bursts, and the small state the incremental aggregation keeps."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from khaojing.db.base import Base, utcnow


class FeedSource(Base):
    """A listening source: an RSS/Atom or JSON feed, a JSON endpoint, or a drop folder; its schedule and health.

    Its items enter as reports of the intake Source `source_id` (kind "feed")."""

    __tablename__ = "feed_sources"
    __table_args__ = (Index("ix_feed_sources_active_next_fetch_at", "active", "next_fetch_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # rss (also Atom) | jsonfeed | json | folder
    url: Mapped[str] = mapped_column(String(2048))  # a URL, or the drop folder's path
    item_path: Mapped[str | None] = mapped_column(String(200))  # json: dotted path to the list of items
    fields: Mapped[dict] = mapped_column(default=dict)  # json/folder: {"id": .., "text": .., "link": .., "date": ..}
    topic: Mapped[str | None] = mapped_column(String(80))  # a topic hint for items of this source
    every_minutes: Mapped[int] = mapped_column(default=15)
    active: Mapped[bool] = mapped_column(default=True)
    etag: Mapped[str | None] = mapped_column(String(300))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[dict] = mapped_column(default=dict)  # folder: files already read {name: sha256}
    next_fetch_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_fetch_at: Mapped[dt.datetime | None]
    last_ok_at: Mapped[dt.datetime | None]
    last_error_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    failures: Mapped[int] = mapped_column(default=0)  # consecutive failed fetches (the backoff grows with it)
    items_total: Mapped[int] = mapped_column(BigInteger, default=0)
    last_items: Mapped[int] = mapped_column(default=0)  # new items in the last successful fetch
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Watchlist(Base):
    """Keywords and phrases to listen for (Thai, matched on word tokens), with a topic and a priority boost."""

    __tablename__ = "watchlists"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    phrases: Mapped[list] = mapped_column(default=list)
    topic: Mapped[str | None] = mapped_column(String(80))
    priority_boost: Mapped[float] = mapped_column(Float, default=0.0)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class WatchHit(Base):
    """A report that matched a watchlist (written when a listening item is collected, or by the aggregation job)."""

    __tablename__ = "watch_hits"
    __table_args__ = (UniqueConstraint("watchlist_id", "report_id"),
                      Index("ix_watch_hits_at", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    watchlist_id: Mapped[int] = mapped_column(ForeignKey("watchlists.id", ondelete="CASCADE"))
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime]  # the report's received_at
    phrase: Mapped[str] = mapped_column(String(200))
    boosted: Mapped[bool] = mapped_column(default=False)  # the boost was added to the report's claim


class DailyCount(Base):
    """Reports per local day, metric, topic and channel: collected, screened as claims (incrementally refreshed)."""

    __tablename__ = "trend_daily"
    __table_args__ = (UniqueConstraint("day", "metric", "topic", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date)
    metric: Mapped[str] = mapped_column(String(20))  # collected | claim
    topic: Mapped[str] = mapped_column(String(80), default="")
    channel: Mapped[str] = mapped_column(String(20), default="")
    n: Mapped[int] = mapped_column(BigInteger, default=0)


class KeyDailyCount(Base):
    """Reports per local day of one claim or one watchlist: top claims, growth, distinct claims, burst baselines."""

    __tablename__ = "trend_key_daily"
    __table_args__ = (UniqueConstraint("kind", "key", "day"),
                      Index("ix_trend_key_daily_kind_day", "kind", "day"))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # claim | watch
    key: Mapped[int] = mapped_column()  # claim id or watchlist id
    day: Mapped[dt.date] = mapped_column(Date)
    n: Mapped[int] = mapped_column(default=0)


class Burst(Base):
    """A claim or watchlist whose last hour jumped against its own baseline (Poisson z-score)."""

    __tablename__ = "trend_bursts"
    __table_args__ = (UniqueConstraint("kind", "key", "hour"), Index("ix_trend_bursts_detected_at", "detected_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # claim | watch
    key: Mapped[int] = mapped_column()
    hour: Mapped[dt.datetime]  # start of the hour (UTC) in which it was flagged
    count: Mapped[int]  # reports in the 60 minutes before detection
    baseline: Mapped[float] = mapped_column(Float)  # expected reports per hour
    score: Mapped[float] = mapped_column(Float)  # z = (count - baseline) / sqrt(baseline)
    detected_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    label: Mapped[str] = mapped_column(Text, default="")  # the claim's title or the watchlist's name, then


class TrendState(Base):
    """Small named values of the incremental jobs (e.g. the last report id the watchlist scan has seen)."""

    __tablename__ = "trend_state"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class TrendCache(Base):
    """The dashboard of a standard period (the last 7/28/90/365 days), computed by a periodic job: one row read."""

    __tablename__ = "trend_cache"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)  # staff|public:<start>:<end>
    data: Mapped[dict] = mapped_column(default=dict)
    computed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
