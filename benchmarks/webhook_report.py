"""The webhook benchmark's Markdown page (benchmarks/results/webhook.md) from its JSON (webhook_bench.py)."""

from __future__ import annotations

from typing import Any


def markdown(data: dict[str, Any]) -> str:
    lines = ["# Webhook benchmark", "", f"{data['machine']['date']} · {data['machine']['cpu_count']} cores "
             f"({data['machine']['cpu_model']}) · commit {data['machine']['khaojing_commit']}", ""]
    for kind, r in data["databases"].items():
        if "error" in r:
            lines += [f"## {kind}", "", f"failed: {r['error']}", ""]
            continue
        a, e = r["acknowledge"], r["end_to_end"]
        lines += [f"## {kind}: {r['data']['claims']:,} claims ({r['data']['verified']:,} with a verdict)", "",
                  "| measure | p50 | p95 | p99 | max | errors |", "|---|---|---|---|---|---|",
                  f"| (a) acknowledgement, {a['rate_target_per_s']:g}/s for {a['seconds_measured']:g} s "
                  f"(achieved {a['achieved_rate_per_s']}/s), ms | {a['latency_ms']['p50']} | {a['latency_ms']['p95']} "
                  f"| {a['latency_ms']['p99']} | {a['latency_ms']['max']} | {a['errors']} |",
                  f"| (b) webhook → reply call at LINE, known fake, {e['messages']} messages, ms | "
                  f"{e['latency_ms']['p50']} | {e['latency_ms']['p95']} | {e['latency_ms']['p99']} | "
                  f"{e['latency_ms']['max']} | {e['missing'] + e['not_the_fake_bubble']} |", "",
                  f"(a) events stored = 200 answers: {a['count_check']}; {a.get('web_processes', 1)} web process(es), "
                  f"{a['server_cores']} cores, "
                  f"machine {a['machine_cores']} cores busy. (b) worker poll interval "
                  f"{data['parameters']['poll_seconds']} s; first reply (index build) after {e['warmup_reply_s']} s.",
                  ""]
    return "\n".join(lines + data["notes"]) + "\n"
