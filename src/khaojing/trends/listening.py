"""Listening sources: add and list them, fetch one (schedule, conditional GET, backoff, health), and let its items
enter through intake as reports of the source — so the triage job screens and groups them like any report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from khaojing.audit import service as audit
from khaojing.channels.feeds.fetch import FeedError, Limits, check_url, fetch
from khaojing.channels.feeds.folder import read_folder
from khaojing.channels.feeds.parse import KINDS, Item, parse
from khaojing.db.base import utcnow
from khaojing.errors import Conflict, DomainError, Invalid, NotFound
from khaojing.intake.models import Source
from khaojing.intake.service import Submission, accept_report
from khaojing.jobs import queue
from khaojing.settings import Settings
from khaojing.trends import watch
from khaojing.trends.models import FeedSource, WatchHit

FETCH_JOB = "feeds.fetch"


@dataclass
class FetchOutcome:
    source_id: int
    ok: bool
    status: str  # fetched | not_modified | failed
    items: int = 0  # items in the feed
    new: int = 0  # new reports
    repeated: int = 0  # already collected
    invalid: int = 0
    error: str | None = None


def health(feed: FeedSource) -> str:
    """never | ok | failing | paused — what the console's source list shows."""
    if not feed.active:
        return "paused"
    if feed.last_fetch_at is None:
        return "never"
    return "failing" if feed.failures else "ok"


def add_source(session: Session, *, name: str, kind: str, url: str, actor: str, every_minutes: int = 15,
               item_path: str | None = None, fields: dict | None = None, topic: str | None = None) -> FeedSource:
    """A new listening source with its own intake Source (kind "feed"); due for a first fetch at once."""
    name = name.strip()[:200]
    if not name:
        raise Invalid("a listening source needs a name", key="trends.err.source_name")
    if kind not in KINDS:
        raise Invalid(f"unknown kind {kind!r}; one of {', '.join(KINDS)}", key="trends.err.kind",
                      params={"kind": kind, "kinds": ", ".join(KINDS)})
    if kind != "folder":
        try:
            check_url(url, allow_private=True)
        except FeedError as exc:
            raise Invalid(str(exc), key="trends.err.url", params={"reason": str(exc)}) from exc
    if not 1 <= every_minutes <= 7 * 24 * 60:
        raise Invalid("the schedule is between 1 minute and 1 week", key="trends.err.schedule")
    if session.scalar(select(Source.id).where(Source.name == f"feed:{name}")) is not None:
        raise Conflict(f"a listening source named {name!r} exists", key="trends.err.source_exists",
                       params={"name": name})
    source = Source(kind="feed", name=f"feed:{name}")
    session.add(source)
    session.flush()
    feed = FeedSource(source_id=source.id, name=name, kind=kind, url=url.strip(), item_path=item_path or None,
                      fields=dict(fields or {}), topic=topic, every_minutes=every_minutes, next_fetch_at=utcnow())
    session.add(feed)
    session.flush()
    audit.record(session, actor=actor, action="feed.added", object_type="feed_source", object_id=feed.id,
                 data={"name": name, "kind": kind, "url": url, "every_minutes": every_minutes})
    return feed


def get_source(session: Session, source_id: int) -> FeedSource:
    feed = session.get(FeedSource, source_id)
    if feed is None:
        raise NotFound(f"listening source {source_id} not found", key="trends.err.no_source",
                           params={"ref": source_id})
    return feed


def find_source(session: Session, ref: str) -> FeedSource:
    """A source by id or by name."""
    feed = session.get(FeedSource, int(ref)) if ref.isdigit() else None
    feed = feed or session.scalar(select(FeedSource).where(FeedSource.name == ref))
    if feed is None:
        raise NotFound(f"no listening source {ref!r}", key="trends.err.no_source", params={"ref": ref})
    return feed


def list_sources(session: Session) -> list[FeedSource]:
    return list(session.scalars(select(FeedSource).order_by(FeedSource.name)))


def set_active(session: Session, *, source_id: int, active: bool, actor: str) -> FeedSource:
    feed = get_source(session, source_id)
    feed.active = active
    if active:
        feed.next_fetch_at, feed.failures = utcnow(), 0
    audit.record(session, actor=actor, action="feed.resumed" if active else "feed.paused",
                 object_type="feed_source", object_id=feed.id, data={"name": feed.name})
    return feed


def enqueue_due(session: Session, *, now: dt.datetime | None = None) -> int:
    """Queue a fetch job for every active source whose time has come (once per due time)."""
    now = now or utcnow()
    due = session.execute(select(FeedSource.id, FeedSource.next_fetch_at).where(
        FeedSource.active.is_(True), FeedSource.next_fetch_at <= now)).all()
    queued = 0
    for source_id, when in due:
        key = f"{FETCH_JOB}:{source_id}:{when.isoformat()}"
        if queue.enqueue(session, FETCH_JOB, {"source_id": source_id}, dedupe_key=key, priority=120):
            queued += 1
    return queued


@dataclass(frozen=True)
class _Config:
    id: int
    kind: str
    url: str
    item_path: str | None
    fields: dict
    etag: str | None
    last_modified: str | None
    state: dict


def _read_config(engine: Engine, source_id: int) -> _Config:
    """The source's settings, read in a short transaction of its own: no write lock is held while fetching."""
    with Session(bind=engine.execution_options(sqlite_begin="DEFERRED")) as reader:
        feed = reader.get(FeedSource, source_id)
        if feed is None:
            raise NotFound(f"listening source {source_id} not found", key="trends.err.no_source",
                           params={"ref": source_id})
        return _Config(feed.id, feed.kind, feed.url, feed.item_path, dict(feed.fields or {}), feed.etag,
                       feed.last_modified, dict(feed.state or {}))


def _limits(settings: Settings) -> Limits:
    return Limits(timeout_seconds=settings.feed_timeout_seconds, max_bytes=settings.feed_max_bytes,
                  max_redirects=settings.feed_max_redirects, allow_private=settings.feed_allow_private_addresses)


def _read_items(cfg: _Config, settings: Settings) -> tuple[str, list[Item], dict]:
    """(status, items, changes to the source) — or FeedError."""
    if cfg.kind == "folder":
        got = read_folder(cfg.url, seen=cfg.state.get("files", {}), fields=cfg.fields,
                          max_items=settings.feed_max_items_per_fetch, max_file_bytes=settings.feed_max_bytes * 20)
        return "fetched", got.items, {"state": {"files": got.files, "bad_rows": got.bad_rows,
                                                "errors": got.errors[-5:]}}
    fetched = fetch(cfg.url, etag=cfg.etag, last_modified=cfg.last_modified, limits=_limits(settings))
    if fetched.status == 304:
        return "not_modified", [], {}
    items = parse(cfg.kind, fetched.body, content_type=fetched.content_type, item_path=cfg.item_path,
                  fields=cfg.fields)
    return "fetched", items[:settings.feed_max_items_per_fetch], {"etag": fetched.etag,
                                                                   "last_modified": fetched.last_modified}


def collect(session: Session, *, settings: Settings, feed: FeedSource, items: list[Item],
            now: dt.datetime) -> FetchOutcome:
    """Items enter as reports (idempotent on the item's id); watchlist hits are kept for trends and priority."""
    source = session.get(Source, feed.source_id)
    rules = watch.active_rules(session)
    out = FetchOutcome(source_id=feed.id, ok=True, status="fetched", items=len(items))
    actor = audit.source_actor(source.id)
    for item in items:
        meta = {"feed_id": feed.id, "feed": feed.name}
        if item.published:
            meta["published_at"] = item.published.isoformat()
        if feed.topic:
            meta["topic_hint"] = feed.topic
        meta.update({k: v for k, v in item.meta.items() if isinstance(v, str)})
        hits = watch.match(rules, item.text)
        if hits:
            meta["watch"] = [rule.name for rule, _ in hits]
        sub = Submission(text=item.text or item.link or "", urls=[item.link] if item.link else [],
                         external_id=item.external_id, received_at=now, meta=meta)
        try:
            accepted = accept_report(session, settings=settings, source=source, sub=sub, actor=actor)
        except DomainError:
            out.invalid += 1
            continue
        if not accepted.created:
            out.repeated += 1
            continue
        out.new += 1
        for rule, phrase in hits:
            session.add(WatchHit(watchlist_id=rule.watchlist_id, report_id=accepted.report.id, at=now,
                                 phrase=phrase[:200]))
    return out


def _backoff(feed: FeedSource, settings: Settings) -> dt.timedelta:
    minutes = feed.every_minutes * 2 ** min(feed.failures, 12)
    return dt.timedelta(minutes=min(minutes, max(settings.feed_backoff_max_minutes, feed.every_minutes)))


def run_fetch(session: Session, *, settings: Settings, source_id: int,
              now: dt.datetime | None = None) -> FetchOutcome:
    """Fetch one source now; a failure marks it unhealthy with the reason and backs off (never raises FeedError)."""
    now = now or utcnow()
    cfg = _read_config(session.get_bind(), source_id)
    try:
        status, items, changes = _read_items(cfg, settings)
        error = None
    except FeedError as exc:
        status, items, changes, error = "failed", [], {}, str(exc)[:500]
    feed = get_source(session, source_id)
    feed.last_fetch_at = now
    if error is not None:
        feed.failures += 1
        feed.last_error, feed.last_error_at = error, now
        feed.next_fetch_at = now + _backoff(feed, settings)
        outcome = FetchOutcome(source_id=feed.id, ok=False, status="failed", error=error)
    else:
        outcome = collect(session, settings=settings, feed=feed, items=items, now=now) if items \
            else FetchOutcome(source_id=feed.id, ok=True, status=status)
        outcome.status = status
        for key, value in changes.items():
            setattr(feed, key, value)
        feed.failures, feed.last_ok_at = 0, now
        feed.next_fetch_at = now + dt.timedelta(minutes=feed.every_minutes)
        feed.items_total += outcome.new
        feed.last_items = outcome.new
    audit.record(session, actor=audit.SYSTEM, action="feed.fetched", object_type="feed_source", object_id=feed.id,
                 data={"status": outcome.status, "new": outcome.new, "repeated": outcome.repeated,
                       "invalid": outcome.invalid, "error": outcome.error})
    return outcome
