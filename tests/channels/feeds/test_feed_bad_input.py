"""Bad feeds — malformed XML, HTML, endless bodies, slow servers, redirect loops, mislabelled TIS-620, HTTP errors —
mark their source unhealthy with the reason and back off, while the other sources go on collecting."""

from __future__ import annotations

import datetime as dt

import pytest
from feed_server import rss
from sqlalchemy import select

from khaojing.channels.feeds.fetch import FeedError, Limits, check_url, fetch
from khaojing.intake.models import Report
from khaojing.jobs.models import Job
from khaojing.trends import listening
from khaojing.trends.models import FeedSource

THAI = [("t1", "ด่วน! ธนาคารจะปิดบัญชีที่ไม่ยืนยันตัวตนภายในวันนี้")]


def test_bad_sources_are_unhealthy_with_reasons_and_good_ones_continue(env, feed_server) -> None:  # noqa: ANN001
    good = rss(THAI, encoding="TIS-620")  # correctly declared TIS-620 is read as Thai
    bad = {
        "malformed": (dict(body=rss(THAI)[:-30]), "malformed XML"),
        "html": (dict(body=b"<!doctype html><html><body>Login</body></html>", content_type="text/html"),
                 "HTML page"),
        "huge": (dict(endless=True), "too large"),
        "slow": (dict(body=rss(THAI), delay=3.0), "timed out"),
        "loop": (dict(status=302, location="/loop"), "too many redirects"),
        "mislabelled": (dict(body=rss(THAI, encoding="TIS-620").replace(b"TIS-620", b"UTF-8")), "TIS-620"),
        "gone": (dict(status=500, body=b"oops"), "HTTP 500"),
    }
    with env.db.unit_of_work() as session:
        for name, (route, _) in bad.items():
            listening.add_source(session, name=name, kind="rss", url=feed_server.add(f"/{name}", **route),
                                 actor="test")
        listening.add_source(session, name="good", kind="rss", url=feed_server.add("/good", body=good),
                             actor="test", every_minutes=10)
        assert listening.enqueue_due(session) == 8
    env.run_jobs()  # the fetch jobs, then the triage job of the one good item
    with env.db.unit_of_work(readonly=True) as session:
        feeds = {f.name: f for f in session.scalars(select(FeedSource))}
        report = session.scalar(select(Report))
        failed_jobs = session.scalars(select(Job).where(Job.status != "done")).all()
    assert failed_jobs == []  # a bad feed is a health state, not a crashed job
    for name, (_, reason) in bad.items():
        feed = feeds[name]
        assert listening.health(feed) == "failing" and reason in feed.last_error, (name, feed.last_error)
        assert feed.failures == 1 and feed.next_fetch_at - feed.last_fetch_at == dt.timedelta(minutes=30)
    assert listening.health(feeds["good"]) == "ok" and feeds["good"].items_total == 1
    assert report.text.startswith("ด่วน! ธนาคาร")


def test_backoff_grows_with_each_failure_and_resets_after_success(env, feed_server) -> None:  # noqa: ANN001
    feed_server.add("/flaky", status=503)
    with env.db.unit_of_work() as session:
        source_id = listening.add_source(session, name="flaky", kind="rss", url=feed_server.base + "/flaky",
                                         actor="test", every_minutes=5).id
    now = dt.datetime(2026, 11, 20, 4, 0, tzinfo=dt.UTC)
    gaps = []
    for _ in range(3):
        with env.db.unit_of_work() as session:
            listening.run_fetch(session, settings=env.settings, source_id=source_id, now=now)
            feed = session.get(FeedSource, source_id)
            gaps.append(feed.next_fetch_at - now)
            now = feed.next_fetch_at
    assert gaps == [dt.timedelta(minutes=10), dt.timedelta(minutes=20), dt.timedelta(minutes=40)]
    feed_server.add("/flaky", body=rss(THAI))
    with env.db.unit_of_work() as session:
        assert listening.run_fetch(session, settings=env.settings, source_id=source_id, now=now).new == 1
        feed = session.get(FeedSource, source_id)
        assert (feed.failures, feed.next_fetch_at - now) == (0, dt.timedelta(minutes=5))
        assert feed.last_error and feed.last_ok_at == now  # the last error stays visible with its time


@pytest.mark.parametrize("url", ["http://127.0.0.1/feed", "http://10.1.2.3/x", "http://[::1]/x",
                                 "http://169.254.169.254/latest/meta-data", "http://localhost:8000/"])
def test_private_and_loopback_addresses_are_refused_unless_allowed(url: str) -> None:
    with pytest.raises(FeedError, match="private or loopback"):
        check_url(url, allow_private=False)
    check_url(url, allow_private=True)


def test_a_redirect_to_a_loopback_address_is_not_followed(feed_server) -> None:  # noqa: ANN001
    """The first hop is allowed here (the test server is itself on loopback); the fetcher checks every hop, so a
    public feed redirecting to an internal address is refused the same way as this one."""
    with pytest.raises(FeedError, match="private or loopback"):
        fetch("http://localhost:1/x", limits=Limits(allow_private=False))
    with pytest.raises(FeedError, match="not an http"):
        check_url("file:///etc/passwd", allow_private=True)
