"""Burst detection on a synthetic stream: a claim whose last hour jumps against its own 7-day baseline is flagged
within minutes (by the periodic job); steady claims, busy but steady claims and small upticks are not."""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).parent))
from trend_data import add_reports, claim, hourly_stream  # noqa: E402

from khaojing.jobs import queue  # noqa: E402
from khaojing.trends import bursts  # noqa: E402
from khaojing.trends.jobs import BURSTS_JOB  # noqa: E402
from khaojing.trends.models import Burst, WatchHit, Watchlist  # noqa: E402

NOW = dt.datetime(2026, 11, 20, 4, 10, tzinfo=dt.UTC)
WEEK_AGO = NOW - dt.timedelta(days=7)


def test_a_planted_burst_is_flagged_and_steady_streams_are_not(env) -> None:  # noqa: ANN001
    rng = random.Random(47)
    with env.db.unit_of_work() as session:
        planted = claim(session, "ดื่มน้ำมะนาวโซดารักษามะเร็ง", at=WEEK_AGO)
        steady = claim(session, "แจกเงินดิจิทัลผ่านลิงก์", topic="finance", at=WEEK_AGO)
        busy = claim(session, "แผ่นดินไหวใหญ่ที่เชียงใหม่", topic="disaster", at=WEEK_AGO)
        small = claim(session, "ไฟฟ้าดับทั้งประเทศ", topic="security", at=WEEK_AGO)
        for c, rate in ((planted, 0.5), (steady, 0.5), (busy, 6.0), (small, 0.2)):
            add_reports(session, claim=c, times=hourly_stream(rng, start=WEEK_AGO, end=NOW - dt.timedelta(hours=1),
                                                              per_hour=rate))
        # the last hour: the planted claim spreads (25 reports in 10 minutes), the others go on as usual
        add_reports(session, claim=planted, times=[NOW - dt.timedelta(minutes=10) + dt.timedelta(seconds=20 * i)
                                                   for i in range(25)])
        add_reports(session, claim=steady, times=[NOW - dt.timedelta(minutes=m) for m in (50, 20)])
        add_reports(session, claim=busy, times=[NOW - dt.timedelta(minutes=m) for m in range(1, 60, 9)])
        add_reports(session, claim=small, times=[NOW - dt.timedelta(minutes=m) for m in (5, 15, 25)])
        queue.enqueue(session, BURSTS_JOB, {"now": NOW.isoformat()})
        ids = planted.id, steady.id, busy.id, small.id
    env.run_jobs()  # the periodic job (every two minutes in a worker)
    with env.db.unit_of_work() as session:
        flagged = session.scalars(select(Burst)).all()
        assert [(b.kind, b.key) for b in flagged] == [("claim", ids[0])]
        burst = flagged[0]
        assert burst.count == 25 and burst.baseline < 1 and burst.score > 20
        assert burst.label == "ดื่มน้ำมะนาวโซดารักษามะเร็ง" and burst.hour == NOW.replace(minute=0)
        # the next run in the same hour updates the same burst rather than adding another
        add_reports(session, claim=session.get(type(planted), ids[0]), times=[NOW + dt.timedelta(minutes=1)] * 5)
        bursts.detect(session, settings=env.settings, now=NOW + dt.timedelta(minutes=2))
        assert [(b.count) for b in session.scalars(select(Burst))] == [30]


def test_a_watchlist_keyword_burst_is_flagged(env) -> None:  # noqa: ANN001
    rng = random.Random(3)
    with env.db.unit_of_work() as session:
        wl = Watchlist(name="น้ำท่วม", phrases=["น้ำท่วม"], topic="disaster")
        session.add(wl)
        session.flush()
        base = hourly_stream(rng, start=WEEK_AGO, end=NOW - dt.timedelta(hours=1), per_hour=1.0)
        now_hits = [NOW - dt.timedelta(minutes=m) for m in range(1, 30, 2)]
        reports = add_reports(session, claim=None, times=base + now_hits, channel="feed", is_claim=False)
        session.add_all([WatchHit(watchlist_id=wl.id, report_id=r.id, at=r.received_at, phrase="น้ำท่วม")
                         for r in reports])
        session.flush()
        found = bursts.detect(session, settings=env.settings, now=NOW)
        assert [(b.kind, b.key, b.count, b.label) for b in found] == [("watch", wl.id, 15, "น้ำท่วม")]


def test_the_poisson_score() -> None:
    assert bursts.score(0, 0, 168) == (0.2, -0.2 / 0.2 ** 0.5)
    baseline, z = bursts.score(12, 168 * 2, 168)
    assert baseline == 2 and round(z, 2) == round(10 / 2 ** 0.5, 2)
