"""Trends benchmark: the dashboard over a year of data (≈50M collected items, ≈60k claims) on PostgreSQL.

    .venv/bin/python benchmarks/trends_bench.py [--collected 50000000] [--claims 60000] [--raw-days 2] [--runs 5]

1. A fresh PostgreSQL database (KHAOJING_BENCH_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/test;
   migrated like production) gets a year of daily aggregates (trend_daily: per day × metric × topic × channel,
   summing to --collected items; trend_key_daily: every claim active on ~10 days), --claims claims with cases,
   agency requests and verdicts, and a realistic sample of raw rows: the last --raw-days days of reports at the
   year's average rate (what the periodic refresh recounts), with claim links and watchlist hits. All inserted
   with generate_series in SQL.
2. Times (warm, median and max of --runs): the periodic jobs (refresh over the raw sample, precompute of the standard
   periods, burst detection); the dashboard data of the standard periods as requests read them (precomputed) and
   as the precompute job computes them (live: funnel, series, top claims, growth, response times); whole pages
   over HTTP (ASGI in process: routing, queries, Jinja), including an ISO week and a month computed live.
3. Drops its database. Writes benchmarks/results/trends.json, trends.md and the "trends" key of summary.json.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402
import httpx  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from khaojing.accounts.models import Role  # noqa: E402
from khaojing.accounts.service import create_user  # noqa: E402
from khaojing.app import create_app  # noqa: E402
from khaojing.db.migrate import upgrade  # noqa: E402
from khaojing.db.session import Database  # noqa: E402
from khaojing.settings import Settings  # noqa: E402
from khaojing.trends import aggregates, bursts, dashboard, funnel  # noqa: E402
from khaojing.trends.funnel import Period  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
NOW = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)  # pages ask for periods ending today
TODAY = NOW.astimezone(ZoneInfo("Asia/Bangkok")).date()
TOPICS = ["policy", "finance", "security", "health", "disaster", "drugs", ""]
CHANNELS = ["feed", "line", "webform", "api", "import"]
PASSWORD = "bench-password-2569"


def fill(url: str, *, collected: int, claims: int, raw_days: int) -> dict[str, int]:
    engine = create_engine(url)
    start = TODAY - dt.timedelta(days=364)
    per_cell = collected // (365 * 14)  # 7 topics × 2 busy channels carry most of it; see the weights below
    params = {"start": start, "per_cell": per_cell, "claims": claims, "now": NOW,
              "raw": int(collected / 365 * raw_days)}
    steps = [
        ("agencies", "INSERT INTO agencies (name_th, name_en, topics, contact, active, created_at)"
         " SELECT 'หน่วยงาน ' || g, 'Agency ' || g, '[]', '{}', true, now() FROM generate_series(1, 40) g"),
        ("daily collected", "INSERT INTO trend_daily (day, metric, topic, channel, n)"
         " SELECT CAST(:start AS date) + d, 'collected', t, c,"
         " (:per_cell * (CASE c WHEN 'feed' THEN 1.7 WHEN 'line' THEN 0.25 ELSE 0.02 END)"
         " * (0.7 + 0.6 * random()))::bigint FROM generate_series(0, 364) d,"
         " unnest(ARRAY['policy','finance','security','health','disaster','drugs','']) t,"
         " unnest(ARRAY['feed','line','webform','api','import']) c"),
        ("daily claims", "INSERT INTO trend_daily (day, metric, topic, channel, n)"
         " SELECT day, 'claim', topic, channel,"
         " greatest(1, (n * 0.0015)::bigint) FROM trend_daily WHERE metric = 'collected'"),
        ("claims", "INSERT INTO claims (title, match_text, topic, topic_source, status, priority, harm,"
         " priority_reasons,"
         " report_count, requester_count, channel_count, first_seen_at, last_seen_at, created_at, updated_at)"
         " SELECT 'ประเด็นข่าวทดสอบที่ ' || g, '', (ARRAY['policy','finance','security','health','disaster','drugs'])"
         "[1 + g % 6], 'model', CASE WHEN g % 3 = 0 THEN 'verified' ELSE 'open' END, random() * 100, '{}', '[]',"
         " 10 + g % 50, 5, 2, ts, ts + interval '3 days', ts, ts"
         " FROM (SELECT g, :now - (random() * 365) * interval '1 day' AS ts FROM generate_series(1, :claims) g) x"),
        ("claim days", "INSERT INTO trend_key_daily (kind, key, day, n) SELECT 'claim', c.id,"
         " (c.first_seen_at AT TIME ZONE 'Asia/Bangkok')::date + k, 1 + (random() * 20)::int FROM claims c,"
         " generate_series(0, 9) k"
         " WHERE (c.first_seen_at AT TIME ZONE 'Asia/Bangkok')::date + k <= CAST(:now AS date)"),
        ("cases", "INSERT INTO cases (claim_id, state, opened_at, state_since, first_action_at, closed_at)"
         " SELECT id, 'published', first_seen_at + interval '1 hour', first_seen_at,"
         " first_seen_at + (random() * 24) * interval '1 hour', NULL FROM claims WHERE id % 3 = 0"),
        ("agency requests", "INSERT INTO agency_requests (case_id, agency_id, claim_text, question, evidence_links,"
         " status, sent_at, due_at, answered_at) SELECT c.id, 1 + c.id % 40, '', 'จริงหรือไม่', '[]', 'answered',"
         " c.opened_at + interval '2 hours', c.opened_at + interval '26 hours',"
         " c.opened_at + (2 + random() * 60) * interval '1 hour' FROM cases c"),
        ("verdicts", "INSERT INTO verdicts (claim_id, case_id, label, headline, claim_text, explanation, sources,"
         " agency_id, published_at, version, created_at) SELECT c.claim_id, c.id,"
         " (ARRAY['fake','distorted','true'])[1 + c.id % 3], 'ข่าวปลอม อย่าแชร์! ประเด็น ' || c.claim_id, '', '',"
         " '[]', 1 + c.id % 40, c.opened_at + (10 + random() * 90) * interval '1 hour', 1, now() FROM cases c"),
        ("source", "INSERT INTO sources (kind, name, active, created_at) VALUES ('feed', 'feed:bench', true, now())"),
        ("raw reports", "INSERT INTO reports (tracking_code, source_id, channel, received_at, created_at, updated_at,"
         " text, text_sha256, urls, language, status, claim_id, meta, topic, is_claim, screened_at, screening)"
         " SELECT upper(substr(md5(g::text), 1, 12)), 1, (ARRAY['feed','feed','feed','line','webform'])[1 + g % 5],"
         " ts, ts, ts, 'ข้อความที่รวบรวม ' || g, md5(g::text), '[]', 'th',"
         " CASE WHEN g % 600 = 0 THEN 'grouped' ELSE 'rejected' END,"
         " CASE WHEN g % 600 = 0 THEN 1 + (g / 600) % :claims END, '{}',"
         " (ARRAY['policy','finance','security','health','disaster','drugs', NULL])[1 + g % 7],"
         " g % 600 = 0, ts, '{}'"
         " FROM (SELECT g, :now - (random() * :raw_days) * interval '1 day' AS ts"
         " FROM generate_series(1, :raw) g) x"),
        ("watchlist", "INSERT INTO watchlists (name, phrases, topic, priority_boost, active, created_at)"
         " VALUES ('วัคซีน', '[\"วัคซีน\"]', 'health', 10, true, now())"),
        ("watch hits", "INSERT INTO watch_hits (watchlist_id, report_id, at, phrase, boosted)"
         " SELECT 1, id, received_at,"
         " 'วัคซีน', false FROM reports WHERE id % 97 = 0"),
    ]
    params["raw_days"] = raw_days
    timings = {}
    with engine.begin() as conn:
        for name, sql in steps:
            t0 = time.perf_counter()
            used = {k: v for k, v in params.items() if f":{k}" in sql}
            conn.execute(text(sql), used)
            timings[name] = round(time.perf_counter() - t0, 1)
            print(f"  {name}: {timings[name]} s", flush=True)
    t0 = time.perf_counter()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))  # what autovacuum does to a year-old table
    timings["vacuum analyze"] = round(time.perf_counter() - t0, 1)
    with engine.connect() as conn:
        counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()  # noqa: S608 (our table names)
                  for t in ("trend_daily", "trend_key_daily", "claims", "cases", "agency_requests", "verdicts",
                            "reports", "watch_hits")}
        counts["collected_in_aggregates"] = int(conn.execute(text(
            "SELECT sum(n) FROM trend_daily WHERE metric = 'collected'")).scalar_one())
    engine.dispose()
    return {**counts, "fill_seconds": timings}


def drop_database(admin_url: str, name: str) -> None:
    engine = create_engine("postgresql+psycopg://" + admin_url.split("://", 1)[1], isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n "
                          "AND pid <> pg_backend_pid()"), {"n": name})
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    engine.dispose()


def timed(fn, runs: int) -> dict[str, float]:  # noqa: ANN001
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return {"median_ms": round(statistics.median(samples), 1), "max_ms": round(max(samples), 1)}


async def http_timings(settings: Settings, db: Database, runs: int) -> dict[str, Any]:
    app = create_app(settings, db=db, start_worker=False)
    with db.unit_of_work() as session:
        create_user(session, username="bench", password=PASSWORD, role=Role.analyst, display_name="bench")
    out = {}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        page = await client.get("/console/login")
        token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        await client.post("/console/login", data={"username": "bench", "password": PASSWORD, "csrf_token": token})
        week = (TODAY - dt.timedelta(days=7)).isocalendar()
        for label, path in (("HTTP staff page, last 7 days", "/console/trends?days=7"),
                            ("HTTP staff page, last 365 days", "/console/trends?days=365"),
                            ("HTTP public page, last 28 days", "/trends?days=28"),
                            ("HTTP staff page, an ISO week (live)", f"/console/trends?week={week.year}-W{week.week}"),
                            ("HTTP staff page, a month (live)", f"/console/trends?month={TODAY:%Y-%m}")):
            samples = []
            for i in range(runs + 1):
                t0 = time.perf_counter()
                response = await client.get(path)
                assert response.status_code == 200, response.text[:500]
                if i:
                    samples.append((time.perf_counter() - t0) * 1000)
            out[label] = {"median_ms": round(statistics.median(samples), 1), "max_ms": round(max(samples), 1),
                          "bytes": len(response.content)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--collected", type=int, default=50_000_000)
    parser.add_argument("--claims", type=int, default=60_000)
    parser.add_argument("--raw-days", type=int, default=2)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    admin = benchlib.pg_admin_url()
    if admin is None:
        print("PostgreSQL is off (KHAOJING_BENCH_POSTGRES_URL); this benchmark needs it")
        return
    name = f"khaojing_trends_bench_{os.getpid()}"
    url, version = benchlib.recreate_pg_database(admin, name)
    try:
        upgrade(url)
        print(f"filling {name} …", flush=True)
        data = fill(url, collected=args.collected, claims=args.claims, raw_days=args.raw_days)
        settings = Settings(_env_file=None, database_url=url, dev_mode=True, inprocess_worker=False,
                            secret_key="bench-secret-key-long-enough-0123456789abcdef")
        db = Database(settings)
        results: dict[str, Any] = {}

        def refresh() -> None:
            with db.unit_of_work() as session:
                aggregates.refresh(session, settings=settings, now=NOW)

        def precompute() -> None:
            with db.unit_of_work() as session:
                dashboard.precompute(session, settings=settings, today=TODAY)

        def detect() -> None:
            with db.unit_of_work() as session:
                bursts.detect(session, settings=settings, now=NOW)

        results["refresh job: recount 48 h of raw reports (every 5 min)"] = timed(refresh, 3)
        results["precompute job: 7/28/90/365 days × staff/public (every 10 min)"] = timed(precompute, 2)
        results["burst detection job (every 2 min)"] = timed(detect, 3)
        end = TODAY + dt.timedelta(days=1)
        periods = {n: Period(end - dt.timedelta(days=n), end, f"{n}d") for n in (7, 28, 365)}
        with db.unit_of_work(readonly=True) as session:
            for n, period in periods.items():
                results[f"dashboard data, last {n} days (precomputed)"] = timed(
                    lambda p=period: dashboard.build(session, settings=settings, period=p), args.runs)
            for n, period in periods.items():
                results[f"dashboard data, {n} days computed live"] = timed(
                    lambda p=period: dashboard._compute(session, settings=settings, period=p, public=False), args.runs)
            results["funnel alone, 365 days live"] = timed(
                lambda: funnel.compute(session, settings=settings, period=periods[365]), args.runs)
            year = funnel.compute(session, settings=settings, period=periods[365]).totals
        results.update(asyncio.run(http_timings(settings, db, args.runs)))
        db.dispose()
    finally:
        drop_database(admin, name)
    report = {"benchmark": "trends", "postgres": version, "data": data, "year_funnel": year, "timings": results,
              "machine": benchlib.machine_info(), "commit": benchlib.git_commit(),
              "run_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    benchlib.write_json(RESULTS / "trends.json", report)
    lines = ["# Trends benchmark (PostgreSQL)", "",
             f"PostgreSQL {version}; {data['collected_in_aggregates']:,} collected items in a year of daily aggregates "
             f"({data['trend_daily']:,} rows), {data['claims']:,} claims ({data['trend_key_daily']:,} claim-day rows), "
             f"{data['verdicts']:,} verdicts, {data['agency_requests']:,} agency requests, and {data['reports']:,} raw "
             "reports (the last days at the year's average rate).", "",
             "| what | median ms | max ms |", "|---|---:|---:|"]
    lines += [f"| {k} | {v['median_ms']:,} | {v['max_ms']:,} |" for k, v in results.items()]
    lines += ["", "Year funnel: " + ", ".join(f"{k} {v:,}" for k, v in year.items()), "",
              "Reproduce: `.venv/bin/python benchmarks/trends_bench.py` (see its docstring)."]
    benchlib.write_text(RESULTS / "trends.md", "\n".join(lines) + "\n")
    benchlib.merge_summary("trends", {k: v["median_ms"] for k, v in results.items()})
    print("\n".join(lines))


if __name__ == "__main__":
    main()
