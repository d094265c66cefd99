"""Publication benchmark: server time of the public verdict page (and the list, the API) with 100k verdicts, SQLite.

    .venv/bin/python benchmarks/publication_bench.py [--verdicts 100000] [--requests 400]

1. A fresh SQLite database (migrated like production) gets `--verdicts` published verdicts, bulk-inserted: each is
   built from a real AFNC post of ../shared/data/afnc-2025 (title as the claim, the post as the explanation, its
   verifying agency, verdict and topic), with a variant number, published over the last three years; every claim
   has two reports with a link (the page lists where the claim was seen) and every tenth a correction (version 2).
2. The app (create_app, the production middleware) is driven in process through its ASGI interface (httpx
   ASGITransport): no network, so the time measured is the server's (routing, the database queries, Jinja
   rendering, middleware). Random verdict pages after a warm-up; then page 1 of the list, a topic page, the API.
Writes benchmarks/results/publication.json, publication.md and the "publication" key of summary.json.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import hashlib
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402
import httpx  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from khaojing.accounts.models import Agency  # noqa: E402
from khaojing.app import create_app  # noqa: E402
from khaojing.cases.models import VerdictVersion  # noqa: E402
from khaojing.claims.models import (
    Claim,  # noqa: E402
    Verdict,
)
from khaojing.db.migrate import upgrade  # noqa: E402
from khaojing.db.session import Database  # noqa: E402
from khaojing.intake.models import Report, Source  # noqa: E402
from khaojing.settings import AFNC_TOPICS, Settings  # noqa: E402

POSTS = benchlib.SHARED_DATA / "afnc-2025" / "afnc_posts_2025_may_aug.csv"
LABELS = {"ข่าวปลอม": "fake", "ข่าวจริง": "true", "ข่าวบิดเบือน": "distorted"}
TOPICS = {t.afnc: t.key for t in AFNC_TOPICS if t.afnc}
BATCH = 5000
NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def load_posts() -> list[dict[str, str]]:
    if not POSTS.is_file():
        sys.exit(f"{POSTS} is absent: the benchmark builds its verdicts from the real AFNC posts")
    out = []
    with POSTS.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            label = LABELS.get(re.sub(r"(.)\1+", r"\1", row["label"].strip()))  # typos: ข่่าวปลอม, ข่าวจริิง
            if label and row["title"].strip():
                out.append({"title": row["title"].strip(), "content": row["content"].strip()[:3000],
                            "agency": (row["author"] or "").strip()[:200] or "ศูนย์ต่อต้านข่าวปลอม",
                            "label": label, "topic": TOPICS.get(row["category"].strip(), "other")})
    return out


def fill(db: Database, n: int, posts: list[dict[str, str]]) -> float:
    started = time.perf_counter()
    rng = random.Random(6)
    with db.unit_of_work() as session:
        source = Source(kind="webform", name="webform")
        session.add(source)
        names = sorted({p["agency"] for p in posts})
        session.execute(insert(Agency), [{"name_th": name, "name_en": None} for name in names])
        agencies = {a.name_th: a.id for a in session.query(Agency)}
        session.flush()
        source_id = source.id
    for start in range(0, n, BATCH):
        claims, verdicts, versions, reports = [], [], [], []
        for i in range(start, min(n, start + BATCH)):
            post, cid = posts[i % len(posts)], i + 1
            published = NOW - dt.timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
            title = f"{post['title']} ({i // len(posts) + 1})"
            claims.append({"id": cid, "title": title, "match_text": title, "topic": post["topic"],
                           "status": "verified", "report_count": 2, "first_seen_at": published - dt.timedelta(days=2),
                           "last_seen_at": published})
            version = 2 if i % 10 == 0 else 1
            fields = {"label": post["label"], "headline": title, "claim_text": title, "explanation": post["content"]}
            verdicts.append({"id": cid, "claim_id": cid, "agency_id": agencies[post["agency"]],
                             "published_at": published, "version": version,
                             "sources": [{"kind": "url", "url": f"https://example.go.th/n/{cid}"}], **fields})
            for v in range(1, version + 1):
                versions.append({"verdict_id": cid, "version": v, "status": "published" if v == version
                                 else "superseded", "published_at": published - dt.timedelta(days=version - v),
                                 "reason": "หน่วยงานส่งข้อมูลเพิ่มเติม" if v > 1 else None, **fields})
            for r in range(2):
                text = f"{title} [{r}]"
                reports.append({"tracking_code": f"B{cid:09d}{r}", "source_id": source_id, "channel": "webform",
                                "received_at": published - dt.timedelta(days=1), "text": text,
                                "text_sha256": hashlib.sha256(text.encode()).hexdigest(), "claim_id": cid,
                                "urls": [f"https://facebook.com/post/{cid}/{r}"], "status": "answered"})
        with db.unit_of_work() as session:
            for model, rows in ((Claim, claims), (Verdict, verdicts), (VerdictVersion, versions), (Report, reports)):
                session.execute(insert(model), rows)
    return time.perf_counter() - started


def stats(times: list[float]) -> dict[str, Any]:
    ordered = sorted(t * 1000 for t in times)
    return {"n": len(ordered), "median_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(benchlib.percentile(ordered, 95), 2), "max_ms": round(ordered[-1], 2)}


async def timed(client: httpx.AsyncClient, paths: list[str]) -> list[float]:
    times = []
    for path in paths:
        start = time.perf_counter()
        response = await client.get(path)
        times.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"GET {path}: HTTP {response.status_code}")
    return times


async def measure(settings: Settings, db: Database, n: int, requests: int) -> dict[str, Any]:
    app = create_app(settings, db=db, start_worker=False)
    rng = random.Random(7)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        await timed(client, [f"/verdicts/{rng.randrange(1, n + 1)}" for _ in range(50)])  # warm-up
        page = await timed(client, [f"/verdicts/{rng.randrange(1, n + 1)}" for _ in range(requests)])
        listing = await timed(client, ["/verdicts"] * max(20, requests // 10))
        topic = await timed(client, ["/verdicts?topic=health"] * max(20, requests // 10))
        api = await timed(client, [f"/api/v1/verdicts/{rng.randrange(1, n + 1)}" for _ in range(requests // 2)])
    return {"verdict_page": stats(page), "list_page": stats(listing), "topic_page": stats(topic),
            "api_verdict": stats(api)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verdicts", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--keep", type=Path, help="keep the filled database in this directory (reused when there)")
    args = parser.parse_args()
    posts = load_posts()
    with tempfile.TemporaryDirectory(prefix="khaojing-pubbench-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        url, reuse = f"sqlite:///{work}/bench.db", (work / "bench.db").is_file()
        upgrade(url)
        settings = Settings(_env_file=None, database_url=url, data_dir=work / "data", dev_mode=True,
                            inprocess_worker=False, secret_key="bench-secret-key-0123456789-abcdefghijklmnop")
        db = Database(settings)
        fill_seconds = 0.0 if reuse else fill(db, args.verdicts, posts)
        print("database reused" if reuse else f"{args.verdicts} verdicts inserted in {fill_seconds:.1f} s", flush=True)
        results = asyncio.run(measure(settings, db, args.verdicts, args.requests))
        db.dispose()
    data = {"verdicts": args.verdicts, "database": "sqlite", "fill_seconds": round(fill_seconds, 1),
            "source_posts": len(posts), **results, "target_ms": 100, "machine": benchlib.machine_info(),
            "commit": benchlib.git_commit(), "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    benchlib.write_json(benchlib.RESULTS_DIR / "publication.json", data)
    rows = "\n".join(f"| {name.replace('_', ' ')} | {r['n']} | {r['median_ms']} | {r['p95_ms']} | {r['max_ms']} |"
                     for name, r in results.items())
    page, machine = results["verdict_page"], data["machine"]
    filled = f"Filled in {fill_seconds:.0f} s." if fill_seconds else "Database reused (--keep)."
    benchlib.write_text(benchlib.RESULTS_DIR / "publication.md", f"""# Publication benchmark

{args.verdicts:,} published verdicts on SQLite, built from {len(posts)} real AFNC posts (afnc-2025), two reports each,
every tenth corrected. Server time through the ASGI app in process (no network), after 50 warm-up requests.

| request | n | median ms | p95 ms | max ms |
|---|---|---|---|---|
{rows}

Verdict page: median {page['median_ms']} ms, p95 {page['p95_ms']} ms (target: under 100 ms).
{filled} Machine: {machine.get('cpu_model') or '?'}, {machine.get('cpu_count') or '?'} CPUs.
""")
    benchlib.merge_summary("publication", {"verdicts": args.verdicts, "verdict_page_median_ms": page["median_ms"],
                                           "verdict_page_p95_ms": page["p95_ms"]})
    print(f"verdict page: median {page['median_ms']} ms, p95 {page['p95_ms']} ms")


if __name__ == "__main__":
    main()
