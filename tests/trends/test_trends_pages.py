"""The funnel counted exactly for a week (with what lies outside the week left out), the staff dashboard and its
tables, the public version without internal data, the aggregates kept incrementally, and the reports."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).parent))
from trend_data import add_reports, claim, hourly_stream, verified  # noqa: E402

from helpers import csrf_from  # noqa: E402
from khaojing.accounts.models import Role  # noqa: E402
from khaojing.jobs import queue  # noqa: E402
from khaojing.trends import aggregates, dashboard, funnel, reports  # noqa: E402
from khaojing.trends.jobs import PRECOMPUTE_JOB, WEEKLY_JOB  # noqa: E402
from khaojing.trends.models import Burst, DailyCount, FeedSource, TrendCache, Watchlist  # noqa: E402

MON = dt.datetime(2026, 11, 16, 1, 0, tzinfo=dt.UTC)  # Monday 08:00 in Bangkok, week 2026-W47
WEEK = funnel.week("2026-W47")


def _fill(env) -> dict:  # noqa: ANN001
    """A week: 300 collected items (feeds, LINE, web form), 3 claims; one sent, answered, published; one sent and
    waiting; one published last week (outside). Returns the claim ids."""
    rng = random.Random(1)
    with env.db.unit_of_work() as session:
        vaccine = claim(session, "วัคซีนโควิดทำให้เป็นหมัน", at=MON)
        bank = claim(session, "ธนาคารจะปิดบัญชีที่ไม่ยืนยันตัวตน", topic="finance", at=MON)
        quake = claim(session, "แผ่นดินไหวใหญ่ที่เชียงใหม่พรุ่งนี้", topic="disaster", at=MON)
        old = claim(session, "น้ำประปาปนเปื้อนสารพิษ", at=MON - dt.timedelta(days=10))
        add_reports(session, claim=None, times=hourly_stream(rng, start=MON, end=MON + dt.timedelta(days=5),
                                                            per_hour=2.0)[:250], channel="feed", is_claim=False)
        add_reports(session, claim=vaccine, times=[MON + dt.timedelta(hours=h) for h in range(30)])
        add_reports(session, claim=bank, times=[MON + dt.timedelta(hours=2 * h) for h in range(15)], channel="webform",
                    topic="finance")
        add_reports(session, claim=quake, times=[MON + dt.timedelta(days=4, hours=h) for h in range(5)],
                    topic="disaster")
        add_reports(session, claim=old, times=[MON - dt.timedelta(days=9)] * 7)  # last week: not counted
        verified(session, vaccine, opened=MON + dt.timedelta(hours=1), first_action_h=2, sent_h=3, answered_h=15,
                 published_h=20, agency="กรมควบคุมโรค")
        verified(session, bank, opened=MON + dt.timedelta(hours=5), first_action_h=1, sent_h=4, answered_h=None,
                 published_h=None, agency="ธนาคารแห่งประเทศไทย")
        verified(session, old, opened=MON - dt.timedelta(days=9), first_action_h=1, sent_h=2, answered_h=5,
                 published_h=8, agency="การประปานครหลวง")
        session.add(Burst(kind="claim", key=vaccine.id, hour=MON + dt.timedelta(hours=3), count=12, baseline=0.2,
                          score=26.4, detected_at=MON + dt.timedelta(hours=3, minutes=4), label=vaccine.title))
        aggregates.refresh_days(session, settings=env.settings, start=WEEK.start - dt.timedelta(days=14),
                                end=WEEK.end)
        return {"vaccine": vaccine.id, "bank": bank.id, "quake": quake.id, "old": old.id}


def test_the_weeks_funnel_by_stage_topic_and_channel(env) -> None:  # noqa: ANN001
    _fill(env)
    with env.db.unit_of_work(readonly=True) as session:
        result = funnel.compute(session, settings=env.settings, period=WEEK)
    assert result.totals == {"collected": 300, "claims": 50, "grouped": 3, "sent": 2, "answered": 1, "published": 1}
    assert result.by_channel["feed"] == {"collected": 250, "claims": 0}
    assert result.by_channel["webform"] == {"collected": 15, "claims": 15}
    assert result.by_topic["finance"]["sent"] == 1 and result.by_topic["finance"]["answered"] == 0
    assert result.by_topic["health"]["published"] == 1
    assert result.rate("claims") == pytest.approx(50 / 300)


def test_aggregates_are_refreshed_incrementally(env) -> None:  # noqa: ANN001
    ids = _fill(env)
    now = MON + dt.timedelta(days=5)
    with env.db.unit_of_work() as session:
        add_reports(session, claim=session.get(__import__("khaojing.claims.models", fromlist=["Claim"]).Claim,
                                               ids["quake"]), times=[now - dt.timedelta(minutes=5)] * 4,
                    topic="disaster")
        add_reports(session, claim=None, times=[MON - dt.timedelta(days=20)], channel="feed", is_claim=False)
        done = aggregates.refresh(session, settings=env.settings, now=now)
        assert done.days == 3  # the last 48 hours touch three local days; older days are left as they were
        old_day = (MON - dt.timedelta(days=20)).date()
        assert session.scalar(select(DailyCount).where(DailyCount.day == old_day)) is None
        result = funnel.compute(session, settings=env.settings, period=WEEK)
    assert result.totals["collected"] == 304 and result.totals["claims"] == 54


def test_staff_dashboard_shows_the_funnel_bursts_and_tables(env) -> None:  # noqa: ANN001
    ids = _fill(env)
    client = env.login(env.user(Role.analyst))
    page = client.get("/console/trends?week=2026-W47")
    assert page.status_code == 200, page.text
    html = page.text
    assert 'data-stage="collected">300<' in html and 'data-stage="sent">2<' in html
    assert "วัคซีนโควิดทำให้เป็นหมัน" in html and f'href="/console/claims/{ids["vaccine"]}"' in html  # burst + top
    assert 'id="trends-data"' in html and "<script>" not in html  # data in a JSON block, no inline script
    assert "กรมควบคุมโรค" in html and "16 พ.ย. 2569" in html  # per-agency times; Buddhist-era dates
    assert html.count("<details") >= 8  # every chart has a table view
    assert client.get("/console/trends?week=2026-W99").text.count("แสดง 7 วันล่าสุด") == 1


def test_public_dashboard_has_no_internal_data(env) -> None:  # noqa: ANN001
    _fill(env)
    html = env.client.get("/trends?week=2026-W47").text
    assert 'data-stage="published">1<' in html
    assert "fake: วัคซีนโควิดทำให้เป็นหมัน" in html  # the published verdict's headline, linked publicly
    assert "ธนาคารจะปิดบัญชี" not in html and "แผ่นดินไหวใหญ่" not in html  # unpublished claims stay internal
    assert "กรมควบคุมโรค" not in html and "26.4" not in html  # no per-agency times, no bursts
    assert "/console/" not in html.split("</header>", 1)[1]


def test_trends_pages_need_staff(env) -> None:  # noqa: ANN001
    assert env.client.get("/console/trends", follow_redirects=False).status_code in (303, 401)
    officer = env.login(env.user(Role.agency_officer))
    assert officer.get("/console/trends").status_code == 403


def test_weekly_report_builds_html_and_a_pdf_page(env, tmp_path) -> None:  # noqa: ANN001
    _fill(env)
    with env.db.unit_of_work() as session:  # the scheduled job, run on Tuesday of the next week
        queue.enqueue(session, WEEKLY_JOB, {"now": "2026-11-24T03:00:00+00:00"})
    env.run_jobs()
    built = next(r for r in reports.list_built(env.settings) if r.period == "2026-W47")
    html = built.html.read_text(encoding="utf-8")
    assert "รายงานสรุปประจำสัปดาห์" in html and "16 พ.ย. 2569 – 22 พ.ย. 2569 (สัปดาห์ที่ 47)" in html
    assert "2026" not in html.split("</header>", 1)[0].split("<body", 1)[-1]  # no Gregorian year in the Thai heading
    assert "data:image/png;base64," in html and "<svg" in html and "กรมควบคุมโรค" in html
    pdf = built.pdf.read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(built.pdf), str(tmp_path / "p")],
                   check=True)
    assert next(tmp_path.glob("p*.png")).stat().st_size > 10_000
    # listed and downloadable in the console
    client = env.login(env.user(Role.editor))
    listing = client.get("/console/trends/reports").text
    assert "weekly-2026-W47.pdf" in listing
    got = client.get("/console/trends/reports/weekly-2026-W47.pdf")
    assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
    assert client.get("/console/trends/reports/..%2Fsecret.pdf").status_code == 404
    assert client.post("/console/trends/reports", data={"kind": "weekly", "period": "2026-W99",
                                                        "csrf_token": csrf_from(listing)}).status_code == 422


def test_standard_periods_are_precomputed_by_a_job(env) -> None:  # noqa: ANN001
    _fill(env)
    now = MON + dt.timedelta(days=5)
    with env.db.unit_of_work() as session:
        queue.enqueue(session, PRECOMPUTE_JOB, {"now": now.isoformat()})
    env.run_jobs()
    with env.db.unit_of_work() as session:
        keys = set(session.scalars(select(TrendCache.key)))
        assert len(keys) == 8  # 7, 28, 90 and 365 days; staff and public
        year = funnel.Period(now.date() - dt.timedelta(days=364), now.date() + dt.timedelta(days=1), "365d")
        assert dashboard.cache_key(year, False) in keys and dashboard.cache_key(year, True) in keys
        cached = dashboard.build(session, settings=env.settings, period=year)
        live = dashboard._compute(session, settings=env.settings, period=year, public=False)
        dashboard.name_agencies(session, live.agency_timings, "th")
        assert dashboard.to_json(cached) == dashboard.to_json(live)
        assert cached.funnel.totals["collected"] == 300 + 7 and cached.agency_timings[0].agency


def test_editors_add_sources_and_watchlists_in_the_console(env) -> None:  # noqa: ANN001
    editor = env.login(env.user(Role.editor))
    page = editor.get("/console/trends/sources")
    token = csrf_from(page.text)
    added = editor.post("/console/trends/sources", data={"name": "เพจข่าว", "kind": "rss", "url": "https://x.example/rss",
                                                          "every_minutes": "10", "csrf_token": token})
    assert added.status_code == 200 and "เพิ่มแหล่งติดตามแล้ว" in added.text and "ยังไม่เคยดึง" in added.text
    saved = editor.post("/console/trends/watchlists", data={"name": "วัคซีน", "phrases": "วัคซีน\nเป็นหมัน\n",
                                                             "topic": "health", "priority_boost": "10",
                                                             "csrf_token": token})
    assert saved.status_code == 200 and "วัคซีน, เป็นหมัน" in saved.text
    bad = editor.post("/console/trends/sources", data={"name": "x", "kind": "rss", "url": "file:///etc/passwd",
                                                        "csrf_token": token})
    assert bad.status_code == 422 and "ที่อยู่ของแหล่งติดตามใช้ไม่ได้" in bad.text  # the reason, in Thai
    empty = editor.post("/console/trends/watchlists", data={"name": "ว่าง", "phrases": " \n", "csrf_token": token})
    assert empty.status_code == 422 and "รายการเฝ้าระวังต้องมีคำหรือวลีอย่างน้อยหนึ่งคำ" in empty.text
    with env.db.unit_of_work(readonly=True) as session:
        assert session.scalar(select(FeedSource.every_minutes)) == 10
        assert session.scalar(select(Watchlist.phrases)) == ["วัคซีน", "เป็นหมัน"]
    analyst = env.login(env.user(Role.analyst), client=type(env.client)(env.app))
    view = analyst.get("/console/trends/sources").text
    assert "เพจข่าว" in view and "เพิ่มแหล่งติดตาม" not in view  # analysts see the health, editors change sources
    denied = analyst.post("/console/trends/watchlists",
                          data={"name": "x", "phrases": "x", "csrf_token": csrf_from(view)})
    assert denied.status_code == 403
