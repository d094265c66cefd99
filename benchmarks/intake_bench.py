"""Intake benchmark: partner API reports/s and latency against a real server, then worker jobs/s.

    .venv/bin/python benchmarks/intake_bench.py [--seconds 20] [--clients 4] [--skip-postgres]

For SQLite (a fresh file in a temporary folder) and PostgreSQL (database `khaojing_bench`, recreated on the
server of KHAOJING_BENCH_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/test; `off` skips it):
migrate, create a partner key, start uvicorn serving create_app in its own process (web process only takes
reports in: inprocess_worker=False), and run concurrent keep-alive clients posting Thai reports, each with a
unique Idempotency-Key, for a warm-up and then a fixed measured time. Afterwards the number of stored reports
must equal the number of 2xx answers. Then one worker process (this one) runs the queued triage jobs with
Worker.run_until_empty(), and N `system.sleep` jobs with seconds=0 (the queue's own overhead).
Writes benchmarks/results/intake.json, intake.md and the "intake" key of summary.json.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import contextlib
import json
import multiprocessing
import random
import signal
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402
from intake_report import markdown, summary_section  # noqa: E402
from intake_worker import bench_worker  # noqa: E402

MAX_REQUESTS_PER_CLIENT = 500_000
URL_HOSTS = ["https://www.facebook.com/share/p/", "https://www.tiktok.com/@news/video/", "https://x.com/i/status/",
             "https://line.me/R/ti/p/", "https://www.youtube.com/watch?v="]
META_CHANNELS = ["line_oa", "hotline_1111", "facebook_page", "walk_in", "email"]


# ---------------------------------------------------------------- clients

def report_body(texts: list[str], client_no: int, seq: int, run_id: str,
                rng: random.Random) -> dict[str, Any]:
    """A realistic partner item: Thai text, sometimes links, an external id, a requester or a contact."""
    text = texts[(client_no * 7919 + seq * 31) % len(texts)]
    minutes = rng.randint(0, 72 * 60)
    received = time.strftime("%Y-%m-%dT%H:%M:%S+07:00", time.gmtime(time.time() + 7 * 3600 - minutes * 60))
    body: dict[str, Any] = {"text": text, "received_at": received, "language": "th",
                            "meta": {"channel": META_CHANNELS[seq % len(META_CHANNELS)], "bench": True}}
    if seq % 3 == 0:
        body["urls"] = [f"{URL_HOSTS[seq % len(URL_HOSTS)]}{rng.randrange(10**9, 10**10)}"]
    if seq % 2 == 0:
        body["external_id"] = f"{run_id}-c{client_no}-{seq}"
    if seq % 5 == 0:  # a pool of repeat senders: exercises the requester lookup and its race handling
        body["requester"] = {"kind": "line_user_id", "value": f"U{rng.randrange(500):032x}"}
    if seq % 10 == 0:
        body["contact"] = {"kind": "phone", "value": f"08{rng.randrange(10**8):08d}"}
    return body


def run_client(spec: dict[str, Any]) -> dict[str, Any]:
    """One partner client: posts until the end time (or the request cap), keep-alive on one connection."""
    n, run_id, texts = spec["client_no"], spec["run_id"], spec["texts"]
    rng = random.Random(f"{run_id}-{n}")
    headers = {"Authorization": f"Bearer {spec['key']}", "Content-Type": "application/json"}
    statuses_all: Counter[int] = Counter()
    statuses_measured: Counter[int] = Counter()
    latencies: list[float] = []
    samples: list[dict[str, Any]] = []
    exceptions: Counter[str] = Counter()
    seq = 0
    cpu_start = cpu_end = None
    with httpx.Client(base_url=spec["base_url"], timeout=spec["timeout"],
                      limits=httpx.Limits(max_connections=1, max_keepalive_connections=1)) as client:
        while time.time() < spec["start_at"]:
            time.sleep(0.005)
        while seq < spec["max_requests"]:
            started_wall = time.time()
            if started_wall >= spec["end_at"]:
                break
            if cpu_start is None and started_wall >= spec["measure_from"]:
                cpu_start = time.process_time() if spec["own_process"] else None
            seq += 1
            payload = json.dumps(report_body(texts, n, seq, run_id, rng), ensure_ascii=False).encode()
            t0 = time.perf_counter()
            try:
                response = client.post("/api/v1/reports", content=payload,
                                       headers={**headers, "Idempotency-Key": f"{run_id}-c{n}-{seq}"})
            except httpx.HTTPError as exc:
                exceptions[type(exc).__name__] += 1
                if len(samples) < 5:
                    samples.append({"status": None, "error": f"{type(exc).__name__}: {exc}"[:300]})
                continue
            elapsed_ms = (time.perf_counter() - t0) * 1000
            statuses_all[response.status_code] += 1
            if started_wall >= spec["measure_from"]:
                statuses_measured[response.status_code] += 1
                latencies.append(elapsed_ms)
            if not 200 <= response.status_code < 300 and len(samples) < 5:
                samples.append({"status": response.status_code, "body": response.text[:300]})
    if cpu_start is not None:
        cpu_end = time.process_time()
    cpu_seconds = None if cpu_start is None or cpu_end is None else cpu_end - cpu_start
    return {"client_no": n, "sent": seq, "cpu_seconds_measured": cpu_seconds,
            "statuses_all": dict(statuses_all), "statuses_measured": dict(statuses_measured),
            "latencies_ms": latencies, "exceptions": dict(exceptions), "error_samples": samples}


def drive_clients(args: argparse.Namespace, base_url: str, key: str, texts: list[str],
                  server_pid: int) -> dict[str, Any]:
    run_id = uuid.uuid4().hex[:10]
    start_at = time.time() + 1.5  # let every client process start and connect
    measure_from = start_at + args.warmup
    end_at = measure_from + args.seconds
    specs = [{"client_no": i, "run_id": run_id, "texts": texts, "key": key, "base_url": base_url,
              "start_at": start_at, "measure_from": measure_from, "end_at": end_at, "timeout": 30.0,
              "max_requests": MAX_REQUESTS_PER_CLIENT, "own_process": args.client_mode == "process"}
             for i in range(args.clients)]
    if args.client_mode == "process":
        pool: cf.Executor = cf.ProcessPoolExecutor(args.clients,
                                                   mp_context=multiprocessing.get_context("spawn"))
    else:
        pool = cf.ThreadPoolExecutor(args.clients)
    with pool:
        futures = [pool.submit(run_client, spec) for spec in specs]
        time.sleep(max(0.0, measure_from - time.time()))
        cpu = cpu_snapshot(server_pid)
        time.sleep(max(0.0, end_at - time.time()))
        cpu_after = cpu_snapshot(server_pid)
        results = [f.result(timeout=args.seconds + args.warmup + 120) for f in futures]
    summary = summarise_clients(results, args.seconds)
    summary["cpu"] = cpu_usage(cpu, cpu_after, results, args.seconds)
    return summary


def cpu_snapshot(server_pid: int) -> dict[str, Any]:
    return {"server": benchlib.process_cpu_seconds(server_pid), "system": benchlib.system_cpu_times(),
            "postgres": benchlib.cpu_seconds_of("postgres"), "load": benchlib.load_average()}


def cpu_usage(before: dict[str, Any], after: dict[str, Any], results: list[dict[str, Any]],
              seconds: float) -> dict[str, Any]:
    """Cores busy during the measured window: server, clients, local PostgreSQL, the machine, and the rest."""

    def rate(key: str) -> float | None:
        if before[key] is None or after[key] is None:
            return None
        return round(max(0.0, after[key] - before[key]) / seconds, 2)

    server, postgres = rate("server"), rate("postgres")
    client_cpu = [r["cpu_seconds_measured"] for r in results]
    clients = None if None in client_cpu else round(sum(client_cpu) / seconds, 2)
    machine = benchlib.busy_cores(before["system"], after["system"])
    rest = None
    if None not in (server, clients, machine):
        rest = round(max(0.0, machine - server - clients - (postgres or 0.0)), 2)
    return {"server_cores": server, "clients_cores": clients, "postgres_cores": postgres,
            "machine_cores": machine, "other_work_cores": rest, "load_average_start": before["load"],
            "load_average_end": after["load"]}


def summarise_clients(results: list[dict[str, Any]], seconds: float) -> dict[str, Any]:
    all_statuses: Counter[int] = Counter()
    measured: Counter[int] = Counter()
    exceptions: Counter[str] = Counter()
    latencies: list[float] = []
    samples: list[dict[str, Any]] = []
    for r in results:
        all_statuses.update({int(k): v for k, v in r["statuses_all"].items()})
        measured.update({int(k): v for k, v in r["statuses_measured"].items()})
        exceptions.update(r["exceptions"])
        latencies.extend(r["latencies_ms"])
        samples.extend(r["error_samples"])
    latencies.sort()
    ok_measured = sum(v for k, v in measured.items() if 200 <= k < 300)
    errors_measured = sum(v for k, v in measured.items() if not 200 <= k < 300)
    errors_total = sum(v for k, v in all_statuses.items() if not 200 <= k < 300) + sum(exceptions.values())

    def ms(q: float) -> float | None:
        value = benchlib.percentile(latencies, q)
        return None if value is None else round(value, 2)

    return {
        "measured_seconds": seconds,
        "requests_measured": sum(measured.values()),
        "reports_per_s": round(ok_measured / seconds, 1),
        "latency_ms": {"p50": ms(50), "p95": ms(95), "p99": ms(99), "max": ms(100),
                       "mean": round(sum(latencies) / len(latencies), 2) if latencies else None},
        "errors_measured": errors_measured,
        "errors_total": errors_total,
        "status_counts_measured": {str(k): v for k, v in sorted(measured.items())},
        "status_counts_total": {str(k): v for k, v in sorted(all_statuses.items())},
        "client_exceptions": dict(exceptions),
        "answers_2xx_total": sum(v for k, v in all_statuses.items() if 200 <= k < 300),
        "answers_201_total": all_statuses.get(201, 0),
        "error_samples": samples[:10],
    }


# ---------------------------------------------------------------- one database

def bench_database(kind: str, url: str, workdir: Path, args: argparse.Namespace,
                   texts: list[str]) -> dict[str, Any]:
    from sqlalchemy import func, select

    from khaojing.db.migrate import upgrade
    from khaojing.db.session import Database
    from khaojing.intake import partners
    from khaojing.intake.models import Report
    from khaojing.jobs.models import Job
    from khaojing.settings import Settings

    settings_kwargs = {"dev_mode": True, "database_url": url, "data_dir": str(workdir / "data"),
                       "inprocess_worker": False}
    print(f"[{kind}] migrating {benchlib.redact(url)}", flush=True)
    t0 = time.perf_counter()
    upgrade(url)
    result: dict[str, Any] = {"database_url": benchlib.redact(url),
                              "migrate_seconds": round(time.perf_counter() - t0, 2)}
    db = Database(Settings(_env_file=None, **settings_kwargs))
    try:
        with db.unit_of_work() as s:
            issued = partners.create_partner(s, name="bench-partner", actor="system")
            source_id, key = issued.source.id, issued.key
        server = benchlib.ServerProcess(settings_kwargs, workdir)
        try:
            server.start()
            print(f"[{kind}] server pid {server.proc.pid} on {server.base_url}; {args.clients} clients, "
                  f"{args.warmup:g} s warm-up + {args.seconds:g} s", flush=True)
            result["intake"] = drive_clients(args, server.base_url, key, texts, server.proc.pid)
            result["intake"]["server_peak_rss_mib"] = benchlib.peak_rss_mib(server.proc.pid)
        finally:
            server.stop()
            result["server_log"] = server.log_problems()
        intake = result["intake"]
        with db.unit_of_work(readonly=True) as s:
            stored = s.scalar(select(func.count(Report.id)).where(Report.source_id == source_id)) or 0
            jobs = s.scalar(select(func.count(Job.id)).where(Job.name == "triage.report")) or 0
        intake["reports_in_database"] = stored
        intake["triage_jobs_in_database"] = jobs
        intake["count_check"] = "ok" if stored == intake["answers_2xx_total"] == jobs else "MISMATCH"
        print(f"[{kind}] {intake['reports_per_s']} reports/s, p50 {intake['latency_ms']['p50']} ms, "
              f"p99 {intake['latency_ms']['p99']} ms, errors {intake['errors_total']}; "
              f"database has {stored} reports for {intake['answers_2xx_total']} 2xx answers "
              f"({intake['count_check']})", flush=True)
        result["worker"] = bench_worker(db, args)
        result["worker"]["peak_rss_mib"] = benchlib.peak_rss_mib()  # this process ran the worker (and the index)
        w = result["worker"]
        print(f"[{kind}] worker: triage {w['triage']['jobs_per_s']} jobs/s ({w['triage']['jobs_run']} jobs), "
              f"system.sleep(0) {w['sleep0']['jobs_per_s']} jobs/s ({w['sleep0']['jobs_run']} jobs)",
              flush=True)
    finally:
        db.dispose()
    return result


# ---------------------------------------------------------------- main

def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=20.0, help="measured seconds per database (default 20)")
    ap.add_argument("--warmup", type=float, default=3.0, help="warm-up seconds before measuring (default 3)")
    ap.add_argument("--clients", type=int, default=4, help="concurrent clients (default 4)")
    ap.add_argument("--client-mode", choices=["process", "thread"], default="process",
                    help="run each client in its own process (default) or as threads of one process")
    ap.add_argument("--sleep-jobs", type=int, default=2000, help="system.sleep(0) jobs for the queue test")
    ap.add_argument("--worker-seconds", type=float, default=120.0, help="time limit of each worker run")
    ap.add_argument("--skip-postgres", action="store_true", help="SQLite only")
    ap.add_argument("--skip-sqlite", action="store_true", help="PostgreSQL only")
    ap.add_argument("--results-dir", type=Path, default=benchlib.RESULTS_DIR)
    ap.add_argument("--keep-workdir", action="store_true",
                    help="keep the temporary folder (SQLite file, server.log) for a look afterwards")
    args = ap.parse_args(argv)
    if not 1 <= args.clients <= 64 or args.seconds <= 0 or args.warmup < 0 or args.sleep_jobs < 0:
        ap.error("need 1..64 clients, a positive --seconds, and non-negative --warmup and --sleep-jobs")
    return args


def _on_sigterm(_signum: int, _frame: Any) -> None:
    raise SystemExit(143)  # run the finally blocks: the server process is stopped


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _on_sigterm)
    texts, text_source = benchlib.load_thai_texts()
    machine = benchlib.machine_info()
    data: dict[str, Any] = {
        "benchmark": "intake", "machine": machine,
        "parameters": {"seconds": args.seconds, "warmup_seconds": args.warmup, "clients": args.clients,
                       "client_mode": args.client_mode, "sleep_jobs": args.sleep_jobs,
                       "worker_seconds_limit": args.worker_seconds,
                       "texts": f"{len(texts)} from {text_source}",
                       "server": "1 uvicorn process (uvloop/httptools when installed), access log off, "
                                 "dev_mode=True, inprocess_worker=False"},
        "databases": {}, "notes": [],
    }
    failed = False
    workdir_cm: contextlib.AbstractContextManager[str] = (
        contextlib.nullcontext(tempfile.mkdtemp(prefix="khaojing-bench-")) if args.keep_workdir
        else tempfile.TemporaryDirectory(prefix="khaojing-bench-"))
    with workdir_cm as tmp:
        if args.keep_workdir:
            print(f"working folder (kept): {tmp}", flush=True)
        plans: list[tuple[str, str | None, str | None]] = []
        if not args.skip_sqlite:
            (Path(tmp) / "sqlite").mkdir()
            plans.append(("sqlite", f"sqlite:///{Path(tmp) / 'sqlite' / 'khaojing.db'}", None))
        if not args.skip_postgres:
            plans.append(("postgresql", *prepare_postgres(machine)))
        for kind, url, skipped in plans:
            if url is None:
                print(f"[{kind}] skipped: {skipped}", flush=True)
                data["databases"][kind] = {"skipped": skipped}
                continue
            workdir = Path(tmp) / kind
            workdir.mkdir(exist_ok=True)
            try:
                data["databases"][kind] = bench_database(kind, url, workdir, args, texts)
                if kind == "postgresql":
                    data["databases"][kind]["server_settings"] = benchlib.pg_settings(url)
            except Exception as exc:  # record and go on with the next database
                failed = True
                print(f"[{kind}] FAILED: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
                data["databases"][kind] = {"error": f"{type(exc).__name__}: {exc}"[:2000]}
    for kind, db in data["databases"].items():
        if db.get("intake", {}).get("count_check") == "MISMATCH" or db.get("intake", {}).get("errors_total"):
            failed = True
            data["notes"].append(f"{kind}: errors or a count mismatch — see intake.json")
    args.results_dir.mkdir(parents=True, exist_ok=True)
    benchlib.write_json(args.results_dir / "intake.json", data)
    benchlib.write_text(args.results_dir / "intake.md", markdown(data))
    benchlib.merge_summary("intake", summary_section(data), args.results_dir)
    print(markdown(data))
    print(f"wrote {args.results_dir / 'intake.json'}, intake.md and summary.json", flush=True)
    return 1 if failed else 0


def prepare_postgres(machine: dict[str, Any]) -> tuple[str | None, str | None]:
    admin = benchlib.pg_admin_url()
    if admin is None:
        return None, "KHAOJING_BENCH_POSTGRES_URL says off"
    try:
        url, version = benchlib.recreate_pg_database(admin, "khaojing_bench")
    except Exception as exc:  # no server, no permission: skip with a note, as documented
        note = f"PostgreSQL at {benchlib.redact(admin)} did not answer: {type(exc).__name__}: {exc}"
        return None, note[:500]
    machine["postgresql"] = version
    return url, None


if __name__ == "__main__":
    sys.exit(main())
