"""The matching benchmark's data: real AFNC and Sure And Share headlines (tokens and cached vectors), Cofact claims as
queries, perturbed copies up to a million claims, and a social-listening report mix (repeats, edited copies, chatter,
citizens' texts). Used by matching_bench.py and webhook_bench.py."""

from __future__ import annotations

import csv
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402

from khaojing.matching.afnc import SUBDIR, load_headlines  # noqa: E402
from khaojing.matching.claimtext import claim_core  # noqa: E402
from khaojing.matching.index import ClaimIndex, IndexedClaim  # noqa: E402
from khaojing.matching.lexical import tokens  # noqa: E402
from khaojing.matching.semantic import DiskEmbeddingCache, embed_cached  # noqa: E402
from khaojing.thai.normalize import normalize  # noqa: E402

CHATTER = benchlib.SHARED_DATA / "wisesight-sentiment"

NOISE = 0.02  # per dimension: a perturbed vector keeps a cosine of about 0.93 with its original


def base_claims(embedder) -> tuple[list[list[str]], np.ndarray | None, str]:  # noqa: ANN001
    """Real headlines: their tokens and vectors (from the embedding cache; None without an embedder)."""
    if (benchlib.SHARED_DATA / SUBDIR / "anti_thread.csv").is_file():
        texts = [claim_core(normalize(h.text).match_text) for h in load_headlines(benchlib.SHARED_DATA)]
        source = f"{SUBDIR} headlines"
    else:
        texts, source = benchlib.load_thai_texts(2000)
        texts = [claim_core(normalize(t).match_text) for t in texts]
    texts = [t for t in dict.fromkeys(texts) if t.strip()]
    if embedder is None:  # stage 1 alone: no stage before the semantic one reads a vector
        print(f"  {len(texts)} base claims, no vectors", flush=True)
        return [tokens(t) for t in texts], None, source
    started = time.perf_counter()
    vectors = embed_cached(embedder, texts, DiskEmbeddingCache())
    print(f"  {len(texts)} base claims, vectors in {time.perf_counter() - started:.1f} s", flush=True)
    return [tokens(t) for t in texts], vectors, source


def cofact_queries(limit: int) -> list[str]:
    path = benchlib.SHARED_DATA / SUBDIR / "cofact_info.csv"
    if not path.is_file():
        return benchlib.load_thai_texts(limit)[0]
    with path.open(encoding="utf-8", newline="") as fh:
        texts = [(r.get("content") or r.get("header") or "").strip() for r in csv.DictReader(fh)]
    texts = [t for t in texts if len(t) > 20]
    return random.Random(11).sample(texts, min(limit, len(texts)))


def perturb(toks: list[str], vocab: list[str], rng: random.Random) -> list[str]:
    out = list(toks)
    for _ in range(rng.randint(1, 3)):
        op = rng.random()
        i = rng.randrange(len(out)) if out else 0
        if op < 0.35 and len(out) > 3:
            del out[i]
        elif op < 0.7 and out:
            out[i] = rng.choice(vocab)
        elif len(out) > 1:
            j = rng.randrange(len(out))
            out[i], out[j] = out[j], out[i]
        else:
            out.append(rng.choice(vocab))
    return out


def synthetic(base_tokens: list[list[str]], base_vectors: np.ndarray | None, n: int,
              seed: int = 1) -> list[IndexedClaim]:
    """n claims: the base ones, then perturbed copies of them (tokens given: the index need not tokenise)."""
    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    vocab = sorted({t for toks in base_tokens for t in toks})
    items = []
    for start in range(0, n, 50_000):
        count = min(50_000, n - start)
        picks = [(start + i) % len(base_tokens) for i in range(count)]
        vectors = None
        if base_vectors is not None:
            vectors = base_vectors[picks] + nprng.normal(0, NOISE, size=(count, base_vectors.shape[1]))
            vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
        for i, b in enumerate(picks):
            cid = start + i + 1
            toks = base_tokens[b] if cid <= len(base_tokens) else perturb(base_tokens[b], vocab, rng)
            text = " ".join(toks)
            items.append(IndexedClaim(claim_id=cid, match_text=text, status="verified", verdict="fake",
                                      sha256s=[normalize(text).sha256] if cid % 10 == 0 else [],
                                      tokens=toks, vector=vectors[i] if vectors is not None else None))
    return items


def build(items: list[IndexedClaim], dim: int) -> tuple[ClaimIndex, float]:
    started = time.perf_counter()
    index = ClaimIndex(dim=dim)
    with index.bulk():
        for start in range(0, len(items), 100_000):
            index.upsert(items[start:start + 100_000])
    return index, time.perf_counter() - started



def chatter_texts() -> list[str]:
    """Social-media chatter (Wisesight sentiment messages): what most of a listening stream is."""
    lines: list[str] = []
    for name in ("neu.txt", "pos.txt", "neg.txt", "q.txt"):
        path = CHATTER / name
        if path.exists():
            lines += [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines


def report_mix(items: list[IndexedClaim], queries: list[str], n: int) -> list[str]:
    rng = random.Random(3)
    vocab = sorted({t for item in items[:5000] for t in item.tokens or []})
    chatter = chatter_texts() or queries
    mix = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.25:
            mix.append(items[rng.randrange(len(items))].match_text)
        elif roll < 0.4:
            mix.append(" ".join(perturb(items[rng.randrange(len(items))].tokens or [], vocab, rng)))
        elif roll < 0.7:
            mix.append(chatter[rng.randrange(len(chatter))])
        else:
            mix.append(queries[i % len(queries)])
    return mix
