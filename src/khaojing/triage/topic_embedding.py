"""The topic model of new claims: the screening model's text features plus the claim's sentence embedding.

Screening reads every report and stays sparse (topics.py, about 0.2 ms an item). A report that starts a new claim
is embedded anyway (for semantic matching), so its topic is decided again here from the text *and* that vector: one
linear SVM over [TF-IDF blocks, EMBEDDING_WEIGHT · embedding], plus the same cue-word prior and "other" rule. The
model file (topics_embedding.npz/.json) is portable like the linear ones (no pickle) and records which embedding
model its vectors must come from; with another embedding model it is not used (the screening topic stays)."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from khaojing.settings import Settings
from khaojing.triage import fitting, topics
from khaojing.triage.features import TextFeatures, features, fingerprint
from khaojing.triage.linear import LinearModel, ModelFileError, Vectorizer, data_digest, fit_scale, make_version

MODEL_NAME = "topics_embedding"
FORMAT, FORMAT_VERSION = "khaojing-topic-embedding", 1
# Chosen by 5-fold CV on May-Jul 2025 and by training May-Jun / testing Jul (never on Aug): SVM C 0.1-1, embedding
# weight 1.5-5, prior 0-1, logistic regression, the teacher's pseudo-labels, cue counts as features (docs/topics.md).
C = 0.3
EMBEDDING_WEIGHT = 3.0
PRIOR_BETA = topics.PRIOR_BETA
MIN_CONFIDENCE = 0.5  # as the screening model (calibrated probabilities); measured in tests/triage/test_topic_embedding


@dataclass
class TopicEmbeddingModel:
    """Scores = TF-IDF(text) · text.coef + vector · embedding_coef + intercept + cue prior; softmax(scale · scores)."""

    text: LinearModel               # vectorizer, text coefficients, intercept, scale, metadata (version, cues, ...)
    embedding_coef: np.ndarray      # (dim, n_classes), the embedding weight already folded in

    @property
    def classes(self) -> list[str]:
        return self.text.classes

    @property
    def version(self) -> str:
        return self.text.version

    @property
    def meta(self) -> dict:
        return self.text.meta

    @property
    def dim(self) -> int:
        return int(self.embedding_coef.shape[0])

    def accepts(self, embedding_model: str, vector: np.ndarray | None) -> bool:
        """Whether `vector` (from settings.embedding_model) is the kind of vector this model learnt from."""
        trained = str(self.meta.get("embedding", {}).get("model", ""))
        return (vector is not None and np.ndim(vector) == 1 and len(vector) == self.dim
                and trained.strip().lower() == (embedding_model or "").strip().lower())


def predict(model: TopicEmbeddingModel, doc: TextFeatures, vector: np.ndarray) -> topics.TopicPrediction:
    hits = topics.cue_hits(model.text, doc)
    extra = topics.prior(model.text, hits) + np.asarray(vector, dtype=np.float64) @ model.embedding_coef
    probs = fitting.probabilities(model.text, doc, extra)
    best = int(probs.argmax())
    topic, confidence = model.classes[best], float(probs[best])
    if topic != topics.OTHER and confidence < float(model.meta.get("min_confidence", 0.0)):
        topic = topics.OTHER
    return topics.TopicPrediction(topic, confidence, {k: float(p) for k, p in zip(model.classes, probs, strict=True)},
                                  hits)


@dataclass
class TopicDecision:
    topic: str
    confidence: float
    scores: dict[str, float]
    model_version: str


def decide(model: TopicEmbeddingModel, text: str, vector: np.ndarray, settings: Settings) -> TopicDecision:
    """The topic of a new claim over the center's taxonomy, by the same rules as screening (a claim the model is
    unsure about is "other" when the taxonomy has it)."""
    from khaojing.triage import service  # the taxonomy rules of screening (service imports nothing of this module)

    prediction = predict(model, features(text), vector)
    scores = service._topic_scores(prediction, [t.key for t in settings.topics])  # noqa: SLF001
    topic, confidence = service._topic(prediction, scores, True)  # noqa: SLF001
    return TopicDecision(topic, round(confidence, 4), scores, model.version)


def _matrix(vec: Vectorizer, docs: list[TextFeatures], vectors: np.ndarray, weight: float):  # noqa: ANN202
    from scipy import sparse

    return sparse.hstack([vec.transform(docs), sparse.csr_matrix(np.asarray(vectors, dtype=np.float32) * weight)]
                         ).tocsr()


def _held_out(docs: list[TextFeatures], vectors: np.ndarray, labels: np.ndarray, weights: np.ndarray, c: float,
              weight: float, prior_scores: np.ndarray, folds: int = 5) -> np.ndarray | None:
    """Scores of each example from a model that did not see it (stratified k-fold), or None when too few."""
    from sklearn.model_selection import StratifiedKFold

    k = fitting.fold_count(labels.tolist(), folds)
    if k < 2:
        return None
    classes = sorted(set(labels.tolist()))
    out = np.zeros((len(docs), len(classes)))
    for train, test in StratifiedKFold(k, shuffle=True, random_state=fitting.SEED).split(np.zeros(len(labels)),
                                                                                         labels):
        vec = Vectorizer.fit([docs[i] for i in train])
        clf = fitting.fit_linear("svc", _matrix(vec, [docs[i] for i in train], vectors[train], weight),
                                 labels[train], weights[train], c)
        coef, intercept = fitting.columns(clf)
        cols = [classes.index(label) for label in clf.classes_]
        out[np.ix_(test, cols)] = _matrix(vec, [docs[i] for i in test], vectors[test], weight) @ coef + intercept
    return out + prior_scores


def train(examples: list[tuple[str, str]], vectors: np.ndarray, *, embedding_model: str, embedder: str = "",
          weights: list[float] | None = None, cues: dict[str, list[str]] | None = None,
          sources: list[dict] | None = None, c: float = C, embedding_weight: float = EMBEDDING_WEIGHT,
          prior_beta: float = PRIOR_BETA, min_examples: int = topics.MIN_EXAMPLES,
          min_confidence: float = MIN_CONFIDENCE, calibrate: bool = True) -> TopicEmbeddingModel:
    """Train on (title, topic_key) pairs and each title's sentence vector (one row of `vectors` each, from
    `embedding_model`). Topics with fewer than `min_examples` titles are left out, as in topics.train_topics."""
    if len(vectors) != len(examples):
        raise ValueError(f"{len(examples)} titles but {len(vectors)} vectors")
    weights = list(weights) if weights is not None else [1.0] * len(examples)
    counts = Counter(topic for _, topic in examples)
    keep = [i for i, (title, topic) in enumerate(examples) if counts[topic] >= min_examples and title.strip()]
    if len({examples[i][1] for i in keep}) < 2:
        raise ValueError("a topic model needs at least two topics with enough examples")
    docs = [features(examples[i][0]) for i in keep]
    labels = np.asarray([examples[i][1] for i in keep])
    w = np.asarray([weights[i] for i in keep], dtype=np.float64)
    x_vectors = np.asarray(vectors, dtype=np.float32)[keep]
    cues = topics.default_cues() if cues is None else cues
    classes = sorted(set(labels.tolist()))
    prior_scores = topics._prior_matrix(docs, labels.tolist(), cues, prior_beta)  # noqa: SLF001
    vec = Vectorizer.fit(docs)
    clf = fitting.fit_linear("svc", _matrix(vec, docs, x_vectors, embedding_weight), labels, w, c)
    coef, intercept = fitting.columns(clf)
    n_text = len(vec.vocab)
    held = _held_out(docs, x_vectors, labels, w, c, embedding_weight, prior_scores) if calibrate else None
    y = np.searchsorted(np.asarray(classes), labels)
    scale = fit_scale(held, y) if held is not None else 1.0
    params = {"kind": "svc", "C": c, "embedding_weight": embedding_weight, "prior_beta": prior_beta,
              "min_examples": min_examples, "min_confidence": min_confidence,
              "features": "char 1-5 within newmm words + syllable 1-2, sublinear tf-idf; sentence embedding"}
    features_digest = fingerprint()
    digest = data_digest([f"{s['name']}:{s.get('sha256', '')}:{s.get('rows', '')}" for s in sources or []]
                         + [f"{k}={v}" for k, v in sorted(params.items())] + classes
                         + [features_digest, embedding_model, embedder])
    created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    meta = {"version": make_version(MODEL_NAME, digest), "created": created,
            "features_fingerprint": features_digest, "params": params,
            "training": {"sources": sources or [], "examples": len(docs), "per_class": dict(sorted(Counter(
                labels.tolist()).items()))},
            "embedding": {"model": embedding_model, "embedder": embedder, "dim": int(x_vectors.shape[1])},
            "cues": {k: v for k, v in cues.items() if k in classes}, "prior_beta": prior_beta,
            "min_confidence": min_confidence, "left_out": {k: n for k, n in counts.items() if n < min_examples}}
    if held is not None:
        meta["training"]["cv_accuracy"] = round(float(np.mean(held.argmax(1) == y)), 4)
    text = LinearModel(name=MODEL_NAME, classes=[str(k) for k in clf.classes_], vectorizer=vec, coef=coef[:n_text],
                       intercept=intercept, scale=scale, meta=meta)
    return TopicEmbeddingModel(text, (coef[n_text:] * embedding_weight).astype(np.float32))


def save(model: TopicEmbeddingModel, directory: Path) -> tuple[Path, Path]:
    """Write topics_embedding.npz (vocabulary, idf, text and embedding coefficients) and topics_embedding.json."""
    directory.mkdir(parents=True, exist_ok=True)
    vec = model.text.vectorizer
    names = sorted(vec.vocab, key=vec.vocab.__getitem__)
    npz, meta_path = directory / f"{MODEL_NAME}.npz", directory / f"{MODEL_NAME}.json"
    tmp_npz, tmp_json = npz.with_suffix(".npz.tmp"), meta_path.with_suffix(".json.tmp")
    with tmp_npz.open("wb") as fh:
        np.savez_compressed(fh, vocab=np.frombuffer("\n".join(names).encode("utf-8"), dtype=np.uint8),
                            idf=vec.idf.astype(np.float32), coef=model.text.coef.astype(np.float32),
                            embedding_coef=model.embedding_coef.astype(np.float32),
                            intercept=model.text.intercept.astype(np.float64))
    meta = {"format": FORMAT, "format_version": FORMAT_VERSION, "name": MODEL_NAME, "classes": model.classes,
            "scale": model.text.scale, "n_features": len(names), **model.meta}
    tmp_json.write_text(json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    tmp_npz.replace(npz)
    tmp_json.replace(meta_path)
    return npz, meta_path


def load(directory: Path) -> TopicEmbeddingModel:
    npz_path, meta_path = directory / f"{MODEL_NAME}.npz", directory / f"{MODEL_NAME}.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        with np.load(npz_path, allow_pickle=False) as data:
            arrays = {key: data[key] for key in ("vocab", "idf", "coef", "embedding_coef", "intercept")}
    except (OSError, ValueError, KeyError) as exc:
        raise ModelFileError(f"cannot read model {MODEL_NAME!r} in {directory}: {exc}") from exc
    if meta.get("format") != FORMAT or meta.get("format_version") != FORMAT_VERSION:
        raise ModelFileError(f"{meta_path} is not a {FORMAT} v{FORMAT_VERSION} model file")
    names = arrays["vocab"].tobytes().decode("utf-8").split("\n") if arrays["vocab"].size else []
    n_classes = len(meta["classes"])
    if arrays["coef"].shape != (len(names), n_classes) or arrays["embedding_coef"].shape[1:] != (n_classes,):
        raise ModelFileError(f"{npz_path}: coefficients do not match the vocabulary and classes")
    extra = {k: v for k, v in meta.items() if k not in ("format", "format_version", "name", "classes", "scale")}
    text = LinearModel(name=MODEL_NAME, classes=list(meta["classes"]),
                       vectorizer=Vectorizer({n: i for i, n in enumerate(names)}, arrays["idf"]), coef=arrays["coef"],
                       intercept=arrays["intercept"], scale=float(meta.get("scale", 1.0)), meta=extra)
    return TopicEmbeddingModel(text, arrays["embedding_coef"])


RECHECK_SECONDS = 5.0  # as service.py: a retrained file is picked up within seconds
_cache: dict[str, tuple[float, int, TopicEmbeddingModel]] = {}
_lock = threading.Lock()


def _cached(directory: Path) -> TopicEmbeddingModel | None:
    key, now = str(directory), time.monotonic()
    entry = _cache.get(key)
    if entry is not None and now - entry[0] < RECHECK_SECONDS:
        return entry[2]
    try:
        stamp = (directory / f"{MODEL_NAME}.json").stat().st_mtime_ns
    except OSError:
        return None
    with _lock:
        entry = _cache.get(key)
        model = entry[2] if entry is not None and entry[1] == stamp else load(directory)
        _cache[key] = (now, stamp, model)
    return model


def load_model(settings: Settings) -> TopicEmbeddingModel | None:
    """The model of the first directory that has one (settings.model_dir, then the package), or None (then new
    claims keep the screening topic)."""
    from khaojing.triage.service import model_dirs

    for directory in model_dirs(settings):
        model = _cached(directory)
        if model is not None:
            return model
    return None


def clear_cache() -> None:
    with _lock:
        _cache.clear()
