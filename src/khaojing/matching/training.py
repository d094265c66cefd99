"""Fit the fusion model by cross-validation on the dev pairs and study the decision thresholds.

Run: python -m khaojing.matching.training --data-dir ../shared/data [--c 0.03 0.1 0.3] [--write]
The weights are chosen by k-fold cross-validation over the dev queries (the held-out fold is ranked by the
production scoring); the thresholds are studied on the held-out folds' best matches; the written model is then
fitted on all dev pairs. See docs/matching.md.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from khaojing.matching import fusion
from khaojing.matching.afnc import SUBDIR, GoldPair, load_pairs
from khaojing.matching.evaluation import Corpus, build_corpus, gold_keys, prepare_query
from khaojing.matching.index import Match
from khaojing.matching.neardup import jaccard, shingles
from khaojing.matching.semantic import CachingEmbedder, DiskEmbeddingCache, Embedder, load_embedder
from khaojing.settings import Settings

SAME_CLAIM_COSINE = 0.95  # a candidate this close to the gold item is a re-post of it: neither label fits
BOOTSTRAP = fusion.FusionModel(features=fusion.FEATURES, mean=(0.0,) * len(fusion.FEATURES),
                               scale=(1.0,) * len(fusion.FEATURES),
                               coef=(10.0, 0, 1.0, 0, 1.0, 0, 0, 0, 0, 0, 0, 0, 0), intercept=-10.0,
                               trained_on="bootstrap")
BOOTSTRAP_LEXICAL = fusion.FusionModel(features=fusion.LEXICAL_FEATURES, mean=(0.0,) * len(fusion.LEXICAL_FEATURES),
                                       scale=(1.0,) * len(fusion.LEXICAL_FEATURES),
                                       coef=(1.0, 0, 1.0, 0, 0, 0, 0, 0, 0),
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


def cross_validate(corpus: Corpus, pairs: list[GoldPair], embedder: Embedder | None, *, c: float,
                   folds: int = 5, seeds: Sequence[int] = (0, 1, 2)) -> tuple[dict, list, list]:
    """k-fold cross-validation over the queries, repeated with several shuffles: fit on k-1 folds, rank the held-out
    fold with the production scoring (index.score). Returns the mean recall@1/5 and MRR, and the held-out best
    matches of the first shuffle (with and without the gold item) for the threshold study."""
    per_query = [training_rows(corpus, [p], embedder) for p in pairs]
    results, positives, negatives = [], [], []
    saved = corpus.index.model, corpus.index.lexical_model
    try:
        for seed in seeds:
            order = np.random.default_rng(seed).permutation(len(pairs))
            ranks: list[int | None] = [None] * len(pairs)
            for fold in range(folds):
                held = set(order[fold::folds].tolist())
                train = [per_query[i] for i in range(len(pairs)) if i not in held and len(per_query[i][1])]
                corpus.index.model, corpus.index.lexical_model = _fit_both(
                    np.concatenate([r for r, _ in train]), np.concatenate([y for _, y in train]), c, "cv")
                for i in sorted(held):
                    gold = gold_keys(corpus, pairs[i])
                    found = corpus.index.search(prepare_query(pairs[i].claim, embedder), k=10)
                    ranks[i] = next((r for r, m in enumerate(found) if m.claim_id in gold), None)
                if seed == seeds[0]:
                    chosen = [pairs[i] for i in sorted(held)]
                    positives += top_matches(corpus, chosen, embedder)
                    negatives += top_matches(corpus, chosen, embedder, leave_gold_out=True)
            results.append([sum(r is not None and r < k for r in ranks) / len(ranks) for k in (1, 5)]
                           + [sum(1 / (r + 1) for r in ranks if r is not None) / len(ranks)])
    finally:
        corpus.index.model, corpus.index.lexical_model = saved
    mean = np.mean(results, axis=0)
    return ({"recall_at_1": round(float(mean[0]), 4), "recall_at_5": round(float(mean[1]), 4),
             "mrr": round(float(mean[2]), 4), "folds": folds, "repeats": len(seeds)}, positives, negatives)


def _fit_both(rows: np.ndarray, labels: np.ndarray, c: float, trained_on: str) -> tuple[fusion.FusionModel, ...]:
    model = fusion.fit(rows, labels, c=c, trained_on=trained_on)
    columns = [fusion.FEATURES.index(f) for f in fusion.LEXICAL_FEATURES]
    lexical = fusion.fit(rows[:, columns], labels, features=fusion.LEXICAL_FEATURES, c=c, trained_on=trained_on)
    return model, lexical


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--c", type=float, nargs="+", default=[0.1],
                        help="regularisation strengths to compare by cross-validation (the best is fitted)")
    parser.add_argument("--write", action="store_true", help="write the model fitted on all dev pairs")
    parser.add_argument("--embedding-model", default=None, help="default: the KHAOJING_EMBEDDING_MODEL setting")
    args = parser.parse_args()
    model_name = args.embedding_model or Settings().embedding_model
    embedder = CachingEmbedder(load_embedder(model_name), DiskEmbeddingCache())
    pairs = load_pairs(args.data_dir / SUBDIR / "cofact_afnc_pairs_dev.csv")
    corpus = build_corpus(args.data_dir, embedder=embedder, cache=DiskEmbeddingCache(), model=BOOTSTRAP,
                          lexical_model=BOOTSTRAP_LEXICAL)
    studies = {c: cross_validate(corpus, pairs, embedder, c=c) for c in args.c}
    best = max(studies, key=lambda c: (studies[c][0]["recall_at_1"], studies[c][0]["mrr"]))
    _, positives, negatives = studies[best]
    rows, labels = training_rows(corpus, pairs, embedder)
    trained_on = (f"cofact_afnc_pairs_dev.csv, all {len(pairs)} queries ({len(labels)} candidates), C={best} "
                  f"({studies[best][0]['folds']}-fold CV)")
    model, lexical = _fit_both(rows, labels, best, trained_on)
    # chatter is no query of the dev pairs: the model that will run scores it (cross_validate restored the bootstrap)
    corpus.index.model, corpus.index.lexical_model = model, lexical
    negatives = negatives + unrelated_tops(corpus, chatter(args.data_dir), embedder)
    report = {"cross_validation": {str(c): study[0] for c, study in studies.items()}, "chosen_c": best,
              "model": model.__dict__, "lexical_model": lexical.__dict__,
              "thresholds_out_of_fold": threshold_table(positives, negatives)}
    print(json.dumps(report, ensure_ascii=False, indent=1))
    if args.write:
        fusion.save_models(model, lexical)


if __name__ == "__main__":
    main()
