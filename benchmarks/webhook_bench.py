"""Webhook benchmark: LINE webhook acknowledgement latency under load, and webhook -> reply time for a known fake.

    .venv/bin/python benchmarks/webhook_bench.py [--claims 100000] [--rate 200] [--seconds 30] [--postgres] [--quick]

1. A fresh database (SQLite, or PostgreSQL `khaojing_webhook_bench` with --postgres) gets `--claims` claims,
   synthesised from the real AFNC / Sure And Share headlines of ../shared/data as matching_bench.py does (perturbed
   copies; their vectors are stored as the claims' embeddings), every tenth one verified with a published verdict,
   plus one known fake claim indexed the normal way (matching.index_claim).
2. A fake LINE Messaging API (tests/line_fake.py: checks the token and every body against messaging-api.yml,
   records each call) runs in this process; uvicorn serves khaojing in its own process (benchlib.ServerProcess).
3. (a) Acknowledgement: signed webhook requests (one text event each, Thai texts, a new user each) at a fixed
   rate (open loop: request i is due at start + i/rate) for `--seconds`, no worker running: latency p50/p99 of
   the 200 answers, errors, and the stored events must equal the 2xx answers. The queued jobs of (a) are then
   set aside (marked done) so that (b) measures a queue without backlog.
4. (b) End to end, with a `khaojing worker` process: messages matching the known fake claim, one every
   `--e2e-interval` s; time from sending the webhook to the reply call arriving at the fake LINE API (same clock),
   p50/p99; each reply must be the fake verdict's Flex bubble. The first message (index build) is warm-up.
Writes benchmarks/results/webhook.json, webhook.md and the "webhook" key of summary.json.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import contextlib
import itertools
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))  # the fake LINE API and LINE's webhook bodies

import benchlib  # noqa: E402
from webhook_report import markdown  # noqa: E402

from line_fake import ACCESS_TOKEN, FakeLine  # noqa: E402
from line_webhooks import CHANNEL_SECRET, Webhook, user_id  # noqa: E402

KNOWN_FAKE = "ดื่มน้ำมะนาวผสมโซดาทุกเช้าช่วยฆ่าเชื้อไวรัสโควิด-19 ในลำคอได้ ยืนยันโดยแพทย์ชื่อดัง แชร์ต่อด่วน"
FORWARDS = ["{t}", "ส่งต่อด่วน!! {t}", "{t} 🙏🙏", "จริงไหม? {t}"]
LABELS = ("fake", "distorted", "true")


# ---------------------------------------------------------------- data

def populate(db: Any, settings: Any, n: int) -> dict[str, Any]:
    """n synthetic claims (tokens and vectors from real headlines) and the known fake claim; returns facts."""
    from matching_data import base_claims, synthetic
    from sqlalchemy import insert, text

    from khaojing.claims.models import Claim, TextEmbedding, Verdict
    from khaojing.db.base import utcnow
    from khaojing.matching import service as matching
    from khaojing.matching.claimtext import claim_core
    from khaojing.matching.semantic import cache_key, load_embedder, text_sha256
    from khaojing.thai.normalize import normalize

    started = time.perf_counter()
    embedder = load_embedder(settings.embedding_model)
    base_tokens, base_vectors, source = base_claims(embedder)
    items = synthetic(base_tokens, base_vectors, n)
    model, now, seen = cache_key(embedder), utcnow(), set()
    with db.unit_of_work() as session:
        for start in range(0, len(items), 5000):
            chunk = items[start:start + 5000]
            session.execute(insert(Claim), [
                {"id": it.claim_id, "title": it.match_text, "match_text": it.match_text,
                 "norm_sha256": it.sha256s[0] if it.sha256s else None,
                 "status": "verified" if it.claim_id % 10 == 0 else "open"} for it in chunk])
            session.execute(insert(Verdict), [
                {"claim_id": it.claim_id, "label": LABELS[(it.claim_id // 10) % 3], "headline": it.match_text,
                 "explanation": "", "published_at": now} for it in chunk if it.claim_id % 10 == 0])
            vectors = []
            for it in chunk:
                key = text_sha256(claim_core(it.match_text))
                if it.vector is not None and key not in seen:
                    seen.add(key)
                    vectors.append({"model": model, "text_sha256": key, "dim": int(it.vector.shape[0]),
                                    "vector": it.vector.astype("<f4").tobytes()})
            if vectors:
                session.execute(insert(TextEmbedding), vectors)
        if session.get_bind().dialect.name == "postgresql":  # explicit ids do not move the id sequence
            session.execute(text("SELECT setval(pg_get_serial_sequence('claims', 'id'), :n)"), {"n": n + 1})
    with db.unit_of_work() as session:
        claim = Claim(id=n + 1, title=KNOWN_FAKE, status="verified")
        norm = normalize(KNOWN_FAKE)
        claim.match_text, claim.norm_sha256 = norm.match_text, norm.sha256
        session.add(claim)
        session.flush()
        session.add(Verdict(claim_id=claim.id, label="fake", headline=KNOWN_FAKE, explanation="ไม่มีหลักฐาน",
                            published_at=now))
        session.flush()
        matching.index_claim(session, claim.id, settings=settings)
    return {"claims": n + 1, "verified": n // 10 + 1, "claims_from": source, "known_claim_id": n + 1,
            "seconds": round(time.perf_counter() - started, 1)}


# ---------------------------------------------------------------- load

def signed(hook: Webhook, text: str) -> tuple[bytes, dict[str, str], dict]:
    event = hook.text(user_id(), text)
    body = hook.body(event)
    return body, hook.headers(body), event


def acknowledge_load(base_urls: list[str], texts: list[str], *, rate: float, seconds: float, warmup: float,
                     clients: int = 32) -> dict[str, Any]:
    """Open loop: request i is due at start + i / rate; latency from the actual send to the answer. With several
    web processes, request i goes to process i mod N (round robin, as nginx's upstream does in deploy.md)."""
    hook, counter, lock = Webhook(), itertools.count(), threading.Lock()
    total = int((warmup + seconds) * rate)
    start = time.monotonic() + 0.5
    measured: list[float] = []
    late: list[float] = []
    statuses: dict[str, int] = {}
    errors: list[str] = []

    def client() -> None:
        with httpx.Client(timeout=30.0) as http:
            while (i := next(counter)) < total:
                due = start + i / rate
                body, headers, _ = signed(hook, texts[i % len(texts)])
                url = f"{base_urls[i % len(base_urls)]}/line/webhook"
                pause = due - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                t0 = time.monotonic()
                try:
                    code = str(http.post(url, content=body, headers=headers).status_code)
                except httpx.HTTPError as exc:
                    code = type(exc).__name__
                elapsed = (time.monotonic() - t0) * 1000
                with lock:
                    statuses[code] = statuses.get(code, 0) + 1
                    if code != "200" and len(errors) < 5:
                        errors.append(code)
                    if i >= warmup * rate:
                        measured.append(elapsed)
                        late.append(max(0.0, (t0 - due) * 1000))

    with cf.ThreadPoolExecutor(clients) as pool:
        for f in [pool.submit(client) for _ in range(clients)]:
            f.result()
    took = time.monotonic() - start
    measured.sort()
    late.sort()
    ok = statuses.get("200", 0)
    return {"rate_target_per_s": rate, "seconds_measured": seconds, "warmup_seconds": warmup, "clients": clients,
            "requests": total, "achieved_rate_per_s": round(total / took, 1), "status_counts": statuses,
            "answers_200": ok, "errors": total - ok, "error_samples": errors, **latency_summary(measured),
            "send_lateness_ms": {"p50": _q(late, 50), "p99": _q(late, 99)}}


def _q(values: list[float], q: float) -> float | None:
    v = benchlib.percentile(values, q)
    return None if v is None else round(v, 2)


def latency_summary(sorted_ms: list[float]) -> dict[str, Any]:
    return {"latency_ms": {"p50": _q(sorted_ms, 50), "p95": _q(sorted_ms, 95), "p99": _q(sorted_ms, 99),
                           "max": _q(sorted_ms, 100)}, "samples": len(sorted_ms)}


def end_to_end(base_url: str, fake: FakeLine, *, messages: int, interval: float, timeout: float,
               warmup_timeout: float) -> dict[str, Any]:
    """Webhook sent -> reply call received at the fake LINE API, for texts that match the known fake claim."""
    hook = Webhook()

    def send(text: str) -> tuple[str, str, float]:
        body, headers, event = signed(hook, text)
        t0 = time.monotonic()
        status = httpx.post(f"{base_url}/line/webhook", content=body, headers=headers, timeout=30).status_code
        if status != 200:
            raise RuntimeError(f"webhook answered {status}")
        return event["replyToken"], event["source"]["userId"], t0

    def answer_to(token: str, uid: str) -> Any:
        """The reply with the event's token, or the push that replaced it once the token was too old."""
        return next((c for c in fake.sent() if c.body.get("replyToken") == token
                     or (c.path.endswith("/push") and c.body.get("to") == uid)), None)

    token, uid, t0 = send(KNOWN_FAKE)  # warm-up: the worker loads the embedder and builds its claim index here
    deadline = t0 + warmup_timeout
    while answer_to(token, uid) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    first = answer_to(token, uid)
    if first is None:
        raise RuntimeError(f"no answer to the warm-up message within {warmup_timeout:.0f} s")
    sent = []
    for i in range(messages):
        sent.append(send(FORWARDS[i % len(FORWARDS)].format(t=KNOWN_FAKE)))
        time.sleep(interval)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(answer_to(tok, u) is None for tok, u, _ in sent):
        time.sleep(0.05)
    times, wrong, missing = [], 0, 0
    pushed = 0
    for tok, u, started in sent:
        call = answer_to(tok, u)
        if call is None:
            missing += 1
            continue
        pushed += call.path.endswith("/push")
        times.append((call.at - started) * 1000)
        bubble = call.body["messages"][0]
        if bubble.get("type") != "flex" or bubble["contents"]["header"]["backgroundColor"] != "#C62828":
            wrong += 1
    times.sort()
    return {"messages": messages, "interval_s": interval, "warmup_reply_s": round(first.at - t0, 2),
            "replies": len(times), "pushed_instead": pushed, "missing": missing, "not_the_fake_bubble": wrong,
            **latency_summary(times)}


# ---------------------------------------------------------------- processes and database

def set_backlog_aside(db: Any) -> int:
    """Mark the queued event jobs of the acknowledgement run done, so (b) starts with an empty queue."""
    from sqlalchemy import update

    from khaojing.jobs.models import Job
    from khaojing.tipline.models import InboundEvent

    with db.unit_of_work() as session:
        n = session.execute(update(Job).where(Job.name == "tipline.event", Job.status == "queued")
                            .values(status="done")).rowcount or 0
        session.execute(update(InboundEvent).where(InboundEvent.status == "received")
                        .values(status="ignored", note="benchmark: acknowledgement load", reply_token=None))
    return n


def start_worker(settings: dict[str, Any], workdir: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHAOJING_")}
    env.update({f"KHAOJING_{k.upper()}": str(v) for k, v in settings.items()})
    log = (workdir / "worker.log").open("wb")
    return subprocess.Popen([str(Path(sys.executable).parent / "khaojing"), "worker"], env=env, cwd=workdir,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def run(args: argparse.Namespace, url: str, workdir: Path) -> dict[str, Any]:
    from sqlalchemy import func, select

    import khaojing.handlers  # noqa: F401
    from khaojing.db.migrate import upgrade
    from khaojing.db.session import Database
    from khaojing.settings import Settings
    from khaojing.tipline.models import InboundEvent

    fake = FakeLine()
    settings = {"database_url": url, "data_dir": str(workdir / "data"), "dev_mode": True, "inprocess_worker": False,
                "secret_key": "webhook-bench-secret-key-0123456789abcdef",
                "line_channel_secret": CHANNEL_SECRET, "line_channel_access_token": ACCESS_TOKEN,
                "line_api_url": fake.api_url, "line_data_api_url": fake.data_url,
                "worker_poll_seconds": args.poll_seconds}
    upgrade(url)
    db = Database(Settings(_env_file=None, **settings))
    out: dict[str, Any] = {"database_url": benchlib.redact(url)}
    try:
        print(f"indexing {args.claims} claims …", flush=True)
        out["data"] = populate(db, db.settings, args.claims)
        texts, text_source = benchlib.load_thai_texts(2000)
        out["data"]["load_texts"] = f"{len(texts)} from {text_source}"
        processes = args.pg_web_processes if url.startswith("postgresql") else 1  # SQLite: one web process
        with contextlib.ExitStack() as stack:
            for n in range(processes):
                (workdir / f"web{n}").mkdir(exist_ok=True)
            servers = [stack.enter_context(benchlib.ServerProcess(settings, workdir / f"web{n}"))
                       for n in range(processes)]
            server = servers[0]
            print(f"(a) {args.rate:g} signed requests/s for {args.seconds:g} s on "
                  f"{', '.join(s.base_url for s in servers)}", flush=True)
            cpu0, sys0 = [benchlib.process_cpu_seconds(s.proc.pid) for s in servers], benchlib.system_cpu_times()
            ack = acknowledge_load([s.base_url for s in servers], texts, rate=args.rate, seconds=args.seconds,
                                   warmup=args.warmup, clients=args.clients)
            cpu1, sys1 = [benchlib.process_cpu_seconds(s.proc.pid) for s in servers], benchlib.system_cpu_times()
            total = args.seconds + args.warmup
            ack["web_processes"] = processes
            ack["server_cores"] = (None if None in cpu0 + cpu1
                                   else round((sum(cpu1) - sum(cpu0)) / total, 2))
            ack["machine_cores"] = benchlib.busy_cores(sys0, sys1)
            with db.unit_of_work(readonly=True) as session:
                stored = session.scalar(select(func.count(InboundEvent.id))) or 0
            ack["events_stored"], ack["count_check"] = stored, "ok" if stored == ack["answers_200"] else "MISMATCH"
            out["acknowledge"] = ack
            out["acknowledge"]["jobs_set_aside"] = set_backlog_aside(db)
            print(f"    p50 {ack['latency_ms']['p50']} ms, p99 {ack['latency_ms']['p99']} ms, errors {ack['errors']}, "
                  f"{ack['count_check']}", flush=True)
            worker = start_worker(settings, workdir)
            try:
                print(f"(b) {args.e2e_messages} messages matching the known fake, with a worker", flush=True)
                out["end_to_end"] = end_to_end(server.base_url, fake, messages=args.e2e_messages,
                                               interval=args.e2e_interval, timeout=60.0,
                                               warmup_timeout=args.warmup_timeout)
            finally:
                stop(worker)
            e2e = out["end_to_end"]
            print(f"    p50 {e2e['latency_ms']['p50']} ms, p99 {e2e['latency_ms']['p99']} ms, missing "
                  f"{e2e['missing']} (warm-up reply after {e2e['warmup_reply_s']} s)", flush=True)
            out["server_log"] = [s.log_problems() for s in servers]
    finally:
        db.dispose()
        fake.close()
    return out


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--rate", type=float, default=200.0, help="signed webhook requests per second (a)")
    ap.add_argument("--seconds", type=float, default=30.0, help="measured seconds of (a)")
    ap.add_argument("--warmup", type=float, default=3.0, help="seconds of (a) before measuring")
    ap.add_argument("--clients", type=int, default=32, help="sending threads of (a): enough to keep the pace")
    ap.add_argument("--e2e-messages", type=int, default=60)
    ap.add_argument("--e2e-interval", type=float, default=0.5)
    ap.add_argument("--warmup-timeout", type=float, default=900.0, help="seconds to wait for the index build")
    ap.add_argument("--poll-seconds", type=float, default=0.5, help="the worker's KHAOJING_WORKER_POLL_SECONDS")
    ap.add_argument("--postgres", action="store_true", help="also run on PostgreSQL (KHAOJING_BENCH_POSTGRES_URL)")
    ap.add_argument("--pg-web-processes", type=int, default=2,
                    help="web processes on PostgreSQL (deploy.md's example: two behind nginx); SQLite always one")
    ap.add_argument("--quick", action="store_true", help="a smoke test of a few seconds: small numbers")
    ap.add_argument("--results-dir", type=Path, default=benchlib.RESULTS_DIR)
    args = ap.parse_args(argv)
    if args.quick:
        args.claims, args.rate, args.seconds, args.warmup = min(args.claims, 300), 40.0, 1.0, 0.5
        args.e2e_messages, args.e2e_interval, args.poll_seconds = 3, 0.2, 0.1
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(SystemExit(143)))
    data: dict[str, Any] = {"benchmark": "webhook", "machine": benchlib.machine_info(),
                            "parameters": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
                            "databases": {}, "notes": []}
    with tempfile.TemporaryDirectory(prefix="khaojing-webhook-bench-") as tmp:
        plans = [("sqlite", f"sqlite:///{Path(tmp) / 'sqlite' / 'khaojing.db'}")]
        if args.postgres and (admin := benchlib.pg_admin_url()):
            plans.append(("postgresql", benchlib.recreate_pg_database(admin, "khaojing_webhook_bench")[0]))
        for kind, url in plans:
            workdir = Path(tmp) / kind
            workdir.mkdir(exist_ok=True)
            try:
                data["databases"][kind] = run(args, url, workdir)
            except Exception as exc:  # record it, go on with the next database
                print(f"[{kind}] FAILED: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
                data["databases"][kind] = {"error": f"{type(exc).__name__}: {exc}"[:2000]}
    failed = any("error" in r or r["acknowledge"]["errors"] or r["end_to_end"]["missing"]
                 or r["acknowledge"]["count_check"] != "ok" for r in data["databases"].values())
    if not args.quick or args.results_dir != benchlib.RESULTS_DIR:
        benchlib.write_json(args.results_dir / "webhook.json", data)
        benchlib.write_text(args.results_dir / "webhook.md", markdown(data))
        if not args.quick:
            benchlib.merge_summary("webhook", {k: {"ack_ms": r.get("acknowledge", {}).get("latency_ms"),
                                                   "e2e_ms": r.get("end_to_end", {}).get("latency_ms")}
                                               for k, r in data["databases"].items()}, args.results_dir)
    print(markdown(data))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
