"""Measure the screening models: topic macro-F1 on a train/test pair, claim-worthiness P/R on held-out data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from khaojing.thai.normalize import clean
from khaojing.triage import datasets, topic_embedding, topics, training, worthiness
from khaojing.triage.features import features
from khaojing.triage.linear import LinearModel

LONG_CLAIM = 600


def _ratio(num: int, den: int) -> float:
    return round(num / den, 4) if den else 0.0


def _f1(precision: float, recall: float) -> float:
    return round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0


def classification_report(truth: list[str], predicted: list[str], labels: list[str]) -> dict:
    """{"n", "macro_f1", "accuracy", "per_topic": {label: precision, recall, f1, support}} over `labels`."""
    per = {}
    for label in labels:
        tp = sum(1 for t, p in zip(truth, predicted, strict=True) if t == label and p == label)
        n_pred, support = predicted.count(label), truth.count(label)
        precision, recall = _ratio(tp, n_pred), _ratio(tp, support)
        per[label] = {"precision": precision, "recall": recall, "f1": _f1(precision, recall), "support": support}
    scored = [v["f1"] for v in per.values() if v["support"]]
    correct = sum(1 for t, p in zip(truth, predicted, strict=True) if t == p)
    return {"n": len(truth), "macro_f1": round(sum(scored) / len(scored), 4) if scored else 0.0,
            "accuracy": _ratio(correct, len(truth)), "per_topic": per}


def evaluate_topics(train: list[tuple[str, str]], test: list[tuple[str, str]], *,
                    unlabelled: list[str] | None = None, embed: topics.Embed | None = None,
                    embedding_model: str = "") -> dict:
    """Train a topic model on `train` (title, key) pairs and report it on `test` (top topic, no "other"; every topic
    of `train` is learnt, however few its titles). With `embed` (and the `embedding_model` it comes from), the model
    every new claim gets its topic from: text + sentence embedding (topic_embedding.py). Without, the screening model,
    as `khaojing triage retrain` trains it (with the teacher when `unlabelled` texts are given too)."""
    if embed is not None and embedding_model:
        model = topic_embedding.train(train, embed([t for t, _ in train]), embedding_model=embedding_model,
                                      min_confidence=0.0, min_examples=1, calibrate=False)
        vectors = embed([t for t, _ in test])
        predicted = [topic_embedding.predict(model, features(title), vector).topic
                     for (title, _), vector in zip(test, vectors, strict=True)]
    else:
        sparse = topics.train_topics(train, min_confidence=0.0, min_examples=1, unlabelled=unlabelled, embed=embed,
                                     calibrate=False)
        predicted = [topics.predict(sparse, features(title)).topic for title, _ in test]
    labels = sorted({k for _, k in train} | {k for _, k in test})
    return classification_report([k for _, k in test], predicted, labels)


def binary_report(truth: list[bool], predicted: list[bool]) -> dict:
    tp = sum(1 for t, p in zip(truth, predicted, strict=True) if t and p)
    precision, recall = _ratio(tp, sum(predicted)), _ratio(tp, sum(truth))
    return {"n": len(truth), "precision": precision, "recall": recall, "f1": _f1(precision, recall),
            "claims": sum(truth), "non_claims": len(truth) - sum(truth)}


def held_out_items(data_dir: Path) -> list[tuple[str, str, bool]]:
    """(source file, text, is a claim) for the held-out part of every worthiness source file."""
    items = []
    for rel, (label, texts) in training.worthiness_sources(data_dir).items():
        items += [(rel, t, label == worthiness.CLAIM) for t in texts if datasets.is_held_out(t)]
    return items


def worthiness_report(items: list[tuple[str, str, bool]], is_claim: Callable[[str], bool]) -> dict:
    """Precision/recall of `is_claim` on held-out items, the share judged a claim per file, and the recall on
    long claims (forwarded messages)."""
    predicted = [is_claim(text) for _, text, _ in items]
    report = binary_report([c for _, _, c in items], predicted)
    per_source: dict[str, list[bool]] = {}
    for (rel, _, _), p in zip(items, predicted, strict=True):
        per_source.setdefault(rel, []).append(p)
    report["claim_rate_per_file"] = {rel: _ratio(sum(v), len(v)) for rel, v in sorted(per_source.items())}
    long = [p for (_, text, claim), p in zip(items, predicted, strict=True) if claim and len(text) > LONG_CLAIM]
    report["long_claims"] = {"n": len(long), "recall": _ratio(sum(long), len(long))}
    return report


def classifier_is_claim(model: LinearModel) -> Callable[[str], bool]:
    """The worthiness rules and classifier alone (no harm override), for a model under evaluation."""
    def decide(text: str) -> bool:
        cleaned = clean(text)
        return worthiness.assess(model, cleaned, features(cleaned)).is_claim

    return decide
