"""Fit the portable linear models (scikit-learn at training time only) and calibrate their probabilities."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np

from khaojing.triage.features import TextFeatures, fingerprint
from khaojing.triage.linear import LinearModel, Vectorizer, data_digest, fit_scale, make_version, softmax

SEED = 0


def fold_count(labels: list[str], folds: int = 5) -> int:
    """How many stratified folds the rarest class allows (0: too few to calibrate)."""
    rarest = min(Counter(labels).values()) if labels else 0
    return min(folds, rarest) if rarest >= 2 else 0


def columns(clf) -> tuple[np.ndarray, np.ndarray]:  # noqa: ANN001 - a fitted sklearn linear classifier
    """(n_features, n_classes) coefficients and intercepts; a binary model becomes two symmetric columns."""
    coef, intercept = np.asarray(clf.coef_, dtype=np.float64), np.asarray(clf.intercept_, dtype=np.float64)
    if coef.shape[0] == 1:
        coef, intercept = np.vstack([-coef / 2, coef / 2]), np.concatenate([-intercept / 2, intercept / 2])
    return coef.T.astype(np.float32), intercept


def fit_linear(kind: str, x, labels: np.ndarray, weights: np.ndarray | None, c: float):  # noqa: ANN001, ANN201
    """A LinearSVC ("svc") or logistic regression ("logreg") with balanced class weights."""
    if kind == "svc":
        from sklearn.svm import LinearSVC

        clf = LinearSVC(C=c, class_weight="balanced", random_state=SEED, max_iter=20_000)
    else:
        from sklearn.linear_model import LogisticRegression

        clf = LogisticRegression(C=c, class_weight="balanced", max_iter=5_000)
    return clf.fit(x, labels, sample_weight=weights)


def held_out_scores(kind: str, docs: list[TextFeatures], labels: np.ndarray, weights: np.ndarray | None,
                    c: float, extra_scores: np.ndarray | None = None, folds: int = 5,
                    min_df: int = 1, vocab_docs: int | None = None) -> np.ndarray | None:
    """Decision scores of each example from a model that did not see it (stratified k-fold), or None. With
    `vocab_docs`, only the first `vocab_docs` examples give the features (the rest only add training rows)."""
    from sklearn.model_selection import StratifiedKFold

    k = fold_count(labels.tolist(), folds)
    if k < 2:
        return None
    classes = sorted(set(labels.tolist()))
    out = np.zeros((len(docs), len(classes)))
    for train, test in StratifiedKFold(k, shuffle=True, random_state=SEED).split(np.zeros(len(labels)), labels):
        vec = Vectorizer.fit([docs[i] for i in train if vocab_docs is None or i < vocab_docs], min_df=min_df)
        clf = fit_linear(kind, vec.transform([docs[i] for i in train]), labels[train],
                         None if weights is None else weights[train], c)
        coef, intercept = columns(clf)
        cols = [classes.index(label) for label in clf.classes_]
        out[np.ix_(test, cols)] = vec.transform([docs[i] for i in test]) @ coef + intercept
    if extra_scores is not None:
        out += extra_scores
    return out


def _prune(vec: Vectorizer, coef: np.ndarray, prune: float) -> Vectorizer:
    """The vectorizer restricted to features whose largest coefficient reaches `prune` (same idf)."""
    keep = np.flatnonzero(np.abs(coef).max(axis=1) >= prune)
    names = sorted(vec.vocab, key=vec.vocab.__getitem__)
    return Vectorizer({names[i]: j for j, i in enumerate(keep)}, vec.idf[keep])


def train_linear(name: str, kind: str, docs: list[TextFeatures], labels: list[str],
                 weights: list[float] | None = None, *, c: float, extra_scores: np.ndarray | None = None,
                 sources: list[dict] | None = None, params: dict | None = None, min_df: int = 1,
                 prune: float = 0.0, calibrate: bool = True, vocab_docs: int | None = None) -> LinearModel:
    """Fit on every example (then, with `prune`, again on the features that mattered), calibrate the softmax
    scale on k-fold held-out scores, and stamp a version. With `vocab_docs`, the vocabulary and the calibration come
    from the first `vocab_docs` examples only (the others, e.g. machine-labelled texts, only add training rows)."""
    y = np.asarray(labels)
    w = None if weights is None else np.asarray(weights, dtype=np.float64)
    n_vocab = len(docs) if vocab_docs is None else vocab_docs
    vec = Vectorizer.fit(docs[:n_vocab], min_df=min_df)
    clf = fit_linear(kind, vec.transform(docs), y, w, c)
    if prune > 0:
        vec = _prune(vec, columns(clf)[0], prune)
        clf = fit_linear(kind, vec.transform(docs), y, w, c)
    coef, intercept = columns(clf)
    classes = [str(label) for label in clf.classes_]
    held = held_out_scores(kind, docs, y, w, c, extra_scores, min_df=min_df, vocab_docs=vocab_docs) \
        if calibrate else None
    if held is not None:
        held, y = held[:n_vocab], y[:n_vocab]
    scale = fit_scale(held, np.searchsorted(np.asarray(classes), y)) if held is not None else 1.0
    params = {"kind": kind, "C": c, "min_df": min_df, "prune": prune, **(params or {})}
    features_digest = fingerprint()
    digest = data_digest([f"{s['name']}:{s.get('sha256', '')}:{s.get('rows', '')}" for s in sources or []]
                         + [f"{k}={v}" for k, v in sorted(params.items())] + classes + [features_digest])
    meta = {"version": make_version(name, digest), "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "features_fingerprint": features_digest,
            "params": params, "training": {"sources": sources or [], "examples": n_vocab,
                                           "per_class": dict(sorted(Counter(labels[:n_vocab]).items()))}}
    if held is not None:
        meta["training"]["cv_accuracy"] = round(float(np.mean(np.asarray(classes)[held.argmax(1)] == y)), 4)
    return LinearModel(name=name, classes=classes, vectorizer=vec, coef=coef, intercept=intercept, scale=scale,
                       meta=meta)


def probabilities(model: LinearModel, doc: TextFeatures, extra: np.ndarray | None = None) -> np.ndarray:
    scores = model.scores(doc)
    if extra is not None:
        scores = scores + extra
    return softmax(scores * model.scale)
