"""Render the intake benchmark's results: the Markdown table (intake.md) and the summary.json section."""

from __future__ import annotations

import json
from typing import Any


def _fmt(value: Any) -> str:
    return "–" if value is None else f"{value:,}" if isinstance(value, int | float) else str(value)


def markdown(data: dict[str, Any]) -> str:
    dbs = data["databases"]
    names = list(dbs)
    rows: list[tuple[str, list[Any]]] = []

    def get(db: dict[str, Any], *path: str) -> Any:
        for p in path:
            if not isinstance(db, dict) or p not in db:
                return None
            db = db[p]
        return db

    for label, path in [("reports/s (2xx, measured window)", ("intake", "reports_per_s")),
                        ("latency p50 ms", ("intake", "latency_ms", "p50")),
                        ("latency p95 ms", ("intake", "latency_ms", "p95")),
                        ("latency p99 ms", ("intake", "latency_ms", "p99")),
                        ("latency max ms", ("intake", "latency_ms", "max")),
                        ("errors (non-2xx or no answer), whole run", ("intake", "errors_total")),
                        ("CPU cores busy: server", ("intake", "cpu", "server_cores")),
                        ("CPU cores busy: clients", ("intake", "cpu", "clients_cores")),
                        ("CPU cores busy: local PostgreSQL processes", ("intake", "cpu", "postgres_cores")),
                        ("CPU cores busy: other work on the machine", ("intake", "cpu", "other_work_cores")),
                        ("2xx answers, whole run", ("intake", "answers_2xx_total")),
                        ("reports in database", ("intake", "reports_in_database")),
                        ("count check", ("intake", "count_check")),
                        ("worker: triage jobs/s", ("worker", "triage", "jobs_per_s")),
                        ("worker: triage jobs run / queued", None),
                        ("worker: system.sleep(0) jobs/s", ("worker", "sleep0", "jobs_per_s")),
                        ("enqueue jobs/s (one transaction)",
                         ("worker", "sleep0", "enqueue_per_s_one_transaction")),
                        ("server log: tracebacks / 'database is locked'", None)]:
        if label.startswith("worker: triage jobs run"):
            cells = [f"{_fmt(get(dbs[n], 'worker', 'triage', 'jobs_run'))} / "
                     f"{_fmt(get(dbs[n], 'worker', 'triage', 'jobs_queued'))}" for n in names]
        elif label.startswith("server log"):
            cells = [f"{_fmt(get(dbs[n], 'server_log', 'tracebacks'))} / "
                     f"{_fmt(get(dbs[n], 'server_log', 'database_is_locked'))}" for n in names]
        else:
            cells = [_fmt(get(dbs[n], *path)) for n in names]
        cells = ["skipped" if "skipped" in dbs[n] else c for n, c in zip(names, cells, strict=True)]
        rows.append((label, cells))
    p, m = data["parameters"], data["machine"]
    lines = [
        "# Intake benchmark", "",
        f"{m['date']} · {m['cpu_count']} CPUs ({m['cpu_model']}) · Python {m['python']} · "
        f"SQLite {m['sqlite']} · PostgreSQL {m.get('postgresql') or '–'} · "
        f"khaojing {m['khaojing_commit']}", "",
        f"{p['clients']} concurrent keep-alive clients ({p['client_mode']}es) posting Thai reports to "
        f"`POST /api/v1/reports` on one uvicorn process (intake only), {p['warmup_seconds']:g} s warm-up, "
        f"{p['seconds']:g} s measured. Latency is over every answer in the measured window. "
        f"Worker: one process, `Worker.run_until_empty()`; "
        f"{p['sleep_jobs']} `system.sleep` jobs with seconds=0. "
        f"Texts: {p['texts']}. CPU rows: cores busy on average during the measured window, of "
        f"{m['cpu_count']}; 'other work' is load from outside the benchmark, which makes the numbers "
        f"noisy.", "",
        "| | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names),
    ]
    lines += [f"| {label} | " + " | ".join(cells) + " |" for label, cells in rows]
    notes = [f"- {n}: skipped — {dbs[n]['skipped']}" for n in names if "skipped" in dbs[n]]
    for n in names:
        for sample in (get(dbs[n], "intake", "error_samples") or [])[:3]:
            notes.append(f"- {n} error sample: `{json.dumps(sample, ensure_ascii=False)[:240]}`")
    notes += [f"- {n}" for n in data.get("notes", [])]
    if notes:
        lines += ["", "Notes:", "", *notes]
    return "\n".join(lines) + "\n"


def summary_section(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"date": data["machine"]["date"], "cpu_count": data["machine"]["cpu_count"],
                           "clients": data["parameters"]["clients"], "seconds": data["parameters"]["seconds"]}
    for name, db in data["databases"].items():
        if "skipped" in db:
            out[name] = {"skipped": db["skipped"]}
            continue
        intake, worker = db.get("intake", {}), db.get("worker", {})
        out[name] = {"reports_per_s": intake.get("reports_per_s"),
                     "p50_ms": intake.get("latency_ms", {}).get("p50"),
                     "p95_ms": intake.get("latency_ms", {}).get("p95"),
                     "p99_ms": intake.get("latency_ms", {}).get("p99"),
                     "errors": intake.get("errors_total"), "count_check": intake.get("count_check"),
                     "triage_jobs_per_s": worker.get("triage", {}).get("jobs_per_s"),
                     "sleep0_jobs_per_s": worker.get("sleep0", {}).get("jobs_per_s")}
        if "error" in db:
            out[name]["error"] = db["error"]
    return out
