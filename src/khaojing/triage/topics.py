"""Topic classifier: word-boundary character and syllable n-grams, a linear SVM, a cue-word prior, and "other";
trained with the help of a sentence-embedding teacher that labels unlabelled headlines (screening stays sparse)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from khaojing.triage import fitting, lexicon
from khaojing.triage.features import TextFeatures, features
from khaojing.triage.linear import LinearModel, Vectorizer, data_digest

OTHER = "other"
MODEL_NAME = "topics"
C = 0.3                # chosen by 5-fold CV on May-Jul 2025 and by training May-Jun / testing Jul (never on Aug)
PRIOR_BETA = 0.6       # weight of log(1 + cue words found) added to a topic's score
MIN_EXAMPLES = 5       # a topic with fewer training titles is not learned (its score stays 0)
MIN_CONFIDENCE = 0.5   # below this top probability a claim is "other": trained May-Jul (with the teacher), it sends
#                        3.4 % of the August AFNC titles and 49 % of held-out Wisesight chat there (test_topics.py)
# The teacher (training time only): the same TF-IDF blocks plus a sentence embedding of each title (scaled by
# TEACHER_EMBEDDING_WEIGHT) label unlabelled older headlines; the screening model learns from them at PSEUDO_WEIGHT,
# over the vocabulary of the labelled titles only (same size, same speed). Chosen by 5-fold CV on May-Jul 2025
# (macro-F1 0.895 -> 0.908) and May-Jun -> Jul (0.885 -> 0.901), never on Aug.
TEACHER_EMBEDDING_WEIGHT = 3.0
PSEUDO_WEIGHT = 0.1

Embed = Callable[[list[str]], np.ndarray]  # texts -> L2-normalised sentence vectors, one row each


@dataclass
class TopicPrediction:
    topic: str
    confidence: float
    scores: dict[str, float]
    cues: dict[str, list[str]] = field(default_factory=dict)  # cue words found, by topic


def default_cues() -> dict[str, list[str]]:
    return lexicon.topic_cues(lexicon.load("topics")["cues"])


def cue_hits(model: LinearModel, doc: TextFeatures) -> dict[str, list[str]]:
    cues = model.meta.get("cues", {})
    return {key: found for key in model.classes if (found := lexicon.matches(doc, cues.get(key, [])))}


def prior(model: LinearModel, hits: dict[str, list[str]]) -> np.ndarray:
    beta = float(model.meta.get("prior_beta", 0.0))
    return np.array([beta * np.log1p(len(hits.get(key, []))) for key in model.classes])


def predict(model: LinearModel, doc: TextFeatures) -> TopicPrediction:
    hits = cue_hits(model, doc)
    probs = fitting.probabilities(model, doc, prior(model, hits))
    best = int(probs.argmax())
    topic, confidence = model.classes[best], float(probs[best])
    threshold = float(model.meta.get("min_confidence", 0.0))
    if topic != OTHER and confidence < threshold:
        topic = OTHER
    return TopicPrediction(topic, confidence, {k: float(p) for k, p in zip(model.classes, probs, strict=True)}, hits)


def _prior_matrix(docs: list[TextFeatures], labels: list[str], cues: dict[str, list[str]], beta: float) -> np.ndarray:
    classes = sorted(set(labels))
    return np.array([[beta * np.log1p(len(lexicon.matches(doc, cues.get(k, [])))) for k in classes] for doc in docs])


def teacher_labels(texts: list[str], docs: list[TextFeatures], labels: list[str], weights: list[float],
                   pool: list[str], pool_docs: list[TextFeatures], embed: Embed, cues: dict[str, list[str]],
                   c: float = C, prior_beta: float = PRIOR_BETA) -> list[str]:
    """The topic a teacher (TF-IDF + sentence embedding + cue prior, fitted on the labelled titles) gives each
    unlabelled text of `pool`."""
    from scipy import sparse

    vec = Vectorizer.fit(docs)
    x = sparse.hstack([vec.transform(docs), sparse.csr_matrix(embed(texts) * TEACHER_EMBEDDING_WEIGHT)]).tocsr()
    clf = fitting.fit_linear("svc", x, np.asarray(labels), np.asarray(weights, dtype=np.float64), c)
    coef, intercept = fitting.columns(clf)
    xp = sparse.hstack([vec.transform(pool_docs), sparse.csr_matrix(embed(pool) * TEACHER_EMBEDDING_WEIGHT)])
    scores = np.asarray(xp.tocsr() @ coef) + intercept + _prior_matrix(pool_docs, labels, cues, prior_beta)
    classes = [str(k) for k in clf.classes_]
    return [classes[i] for i in scores.argmax(axis=1)]


def train_topics(examples: list[tuple[str, str]], *, other_texts: list[str] | None = None,
                 weights: list[float] | None = None, cues: dict[str, list[str]] | None = None,
                 sources: list[dict] | None = None, c: float = C, prior_beta: float = PRIOR_BETA,
                 min_examples: int = MIN_EXAMPLES, min_confidence: float = MIN_CONFIDENCE,
                 unlabelled: list[str] | None = None, embed: Embed | None = None,
                 calibrate: bool = True) -> LinearModel:
    """Train on (title, topic_key) pairs. A prediction below `min_confidence` is "other"; `other_texts` (if any)
    teach "other" as a class of its own. Topics with fewer than `min_examples` titles are left out (listed in the
    model's metadata). With `unlabelled` texts and an `embed` function, a teacher that also reads sentence
    embeddings labels those texts and the model learns from them too (at PSEUDO_WEIGHT); the model itself never
    needs embeddings."""
    weights = list(weights) if weights is not None else [1.0] * len(examples)
    counts = Counter(topic for _, topic in examples)
    kept = [(t, k, w) for (t, k), w in zip(examples, weights, strict=True) if counts[k] >= min_examples]
    kept += [(t, OTHER, 1.0) for t in other_texts or []]
    if len({k for _, k, _ in kept}) < 2:
        raise ValueError("a topic model needs at least two topics with enough examples")
    docs = [features(t) for t, _, _ in kept]
    labels, weights = [k for _, k, _ in kept], [w for _, _, w in kept]
    cues = default_cues() if cues is None else cues
    params = {"prior_beta": prior_beta, "min_examples": min_examples, "min_confidence": min_confidence,
              "features": "char 1-5 within newmm words + syllable 1-2, sublinear tf-idf"}
    n_labelled = len(docs)
    seen = {doc.text for doc in docs}
    found = [(t, doc) for t in dict.fromkeys(unlabelled or []) if t.strip() and (doc := features(t)).text not in seen
             ] if embed is not None else []
    pool, pool_docs = [t for t, _ in found], [doc for _, doc in found]
    if pool and embed is not None:
        pseudo = teacher_labels([t for t, _, _ in kept], docs, labels, weights, pool, pool_docs, embed, cues, c,
                                prior_beta)
        docs, labels, weights = docs + pool_docs, labels + pseudo, weights + [PSEUDO_WEIGHT] * len(pool)
        params.update(teacher="tf-idf + sentence embedding", teacher_embedding_weight=TEACHER_EMBEDDING_WEIGHT,
                      pseudo_weight=PSEUDO_WEIGHT, machine_labelled=len(pool))
    model = fitting.train_linear(MODEL_NAME, "svc", docs, labels, weights, c=c,
                                 extra_scores=_prior_matrix(docs, labels, cues, prior_beta), sources=sources,
                                 params=params, vocab_docs=n_labelled, calibrate=calibrate)
    if len(docs) > n_labelled:
        model.meta["training"]["teacher_labelled"] = {"rows": len(docs) - n_labelled, "sha256": data_digest(pool),
                                                      "per_class": dict(sorted(Counter(labels[n_labelled:]).items()))}
    model.meta.update(cues={k: v for k, v in cues.items() if k in model.classes}, prior_beta=prior_beta,
                      min_confidence=min_confidence,
                      left_out={k: n for k, n in counts.items() if n < min_examples})
    return model
