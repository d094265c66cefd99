"""Portable linear text models: TF-IDF vocabulary + coefficients in .npz/.json (no pickle), predicted with numpy."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from khaojing.triage.features import GRAM_IDS, TextFeatures

FORMAT = "khaojing-linear"
FORMAT_VERSION = 1
BLOCKS = ("c", "s")


class ModelFileError(RuntimeError):
    """A model file is missing, unreadable or of an unknown format."""


@dataclass
class Vectorizer:
    """Sublinear TF-IDF over the feature blocks of a TextFeatures, each block L2-normalised."""

    vocab: dict[str, int]   # "block:gram" -> column
    idf: np.ndarray

    def __post_init__(self) -> None:
        self._blocks: dict[str, dict[str, int]] = {}
        for name, column in self.vocab.items():
            block, _, gram = name.partition(":")
            self._blocks.setdefault(block, {})[gram] = column
        # GRAM_IDS id -> column (-1: not in this vocabulary): a text is looked up once for all models
        self._columns: dict[str, np.ndarray] = {}
        for block, grams in self._blocks.items():
            ids = GRAM_IDS.add(block, grams)
            columns = np.full(GRAM_IDS.size(block), -1, dtype=np.int64)
            columns[ids] = np.fromiter(grams.values(), dtype=np.int64, count=len(grams))
            self._columns[block] = columns

    def _columns_of(self, block: str) -> np.ndarray | None:
        columns = self._columns.get(block)
        if columns is not None and len(columns) < GRAM_IDS.size(block):  # another model added grams since
            columns = np.concatenate([columns, np.full(GRAM_IDS.size(block) - len(columns), -1, dtype=np.int64)])
            self._columns[block] = columns
        return columns

    @classmethod
    def fit(cls, docs: list[TextFeatures], min_df: int = 1) -> Vectorizer:
        df: Counter[str] = Counter()
        for doc in docs:
            for block, counts in doc.counts.items():
                df.update(f"{block}:{gram}" for gram in counts)
        names = sorted(name for name, n in df.items() if n >= min_df)
        n_docs = len(docs)
        idf = np.array([math.log((1 + n_docs) / (1 + df[name])) + 1.0 for name in names], dtype=np.float32)
        return cls({name: i for i, name in enumerate(names)}, idf)

    def transform_one(self, doc: TextFeatures) -> tuple[np.ndarray, np.ndarray]:
        """(columns, values) of the text's sublinear TF-IDF, each block L2-normalised (columns in id order)."""
        indices: list[np.ndarray] = []
        values: list[np.ndarray] = []
        for block, (ids, counts) in doc.gram_ids().items():
            columns = self._columns_of(block)
            if columns is None or not len(ids):
                continue
            cols = columns[ids]
            known = cols >= 0
            if not known.any():
                continue
            cols = cols[known]
            vals = (1.0 + np.log(counts[known].astype(np.float32))) * self.idf[cols]
            vals /= float(np.linalg.norm(vals)) or 1.0
            indices.append(cols)
            values.append(vals.astype(np.float32, copy=False))
        if not indices:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        return np.concatenate(indices), np.concatenate(values)

    def transform(self, docs: list[TextFeatures]):  # noqa: ANN201 - scipy.sparse.csr_matrix
        from scipy import sparse

        rows, cols, vals = [], [], []
        for r, doc in enumerate(docs):
            c, v = self.transform_one(doc)
            rows.extend([r] * len(c))
            cols.extend(c.tolist())
            vals.extend(v.tolist())
        return sparse.csr_matrix((vals, (rows, cols)), shape=(len(docs), len(self.vocab)), dtype=np.float32)


@dataclass
class LinearModel:
    """Scores = x · coef + intercept over a Vectorizer's features; probabilities = softmax(scale · scores)."""

    name: str
    classes: list[str]
    vectorizer: Vectorizer
    coef: np.ndarray            # (n_features, n_classes)
    intercept: np.ndarray       # (n_classes,)
    scale: float = 1.0
    meta: dict = field(default_factory=dict)

    @property
    def version(self) -> str:
        return str(self.meta.get("version", "unversioned"))

    def scores(self, doc: TextFeatures) -> np.ndarray:
        cols, vals = self.vectorizer.transform_one(doc)
        if not len(cols):
            return self.intercept.astype(np.float64).copy()
        return vals.astype(np.float64) @ self.coef[cols].astype(np.float64) + self.intercept


def softmax(scores: np.ndarray) -> np.ndarray:
    z = scores - scores.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def fit_scale(scores: np.ndarray, labels: np.ndarray) -> float:
    """The softmax temperature (scale) that best predicts held-out labels (least log loss, grid search)."""
    best, best_loss = 1.0, math.inf
    for scale in np.geomspace(0.25, 64, 49):
        probs = softmax(scores * scale)
        loss = -float(np.mean(np.log(probs[np.arange(len(labels)), labels] + 1e-12)))
        if loss < best_loss:
            best, best_loss = float(scale), loss
    return best


def data_digest(parts: list[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def make_version(name: str, digest: str, today: dt.date | None = None) -> str:
    today = today or dt.datetime.now(dt.UTC).date()
    return f"{name}-{today:%Y%m%d}-{digest[:8]}"


def save(model: LinearModel, directory: Path) -> tuple[Path, Path]:
    """Write <name>.npz (vocabulary, idf, coefficients) and <name>.json (version, training data, parameters)."""
    directory.mkdir(parents=True, exist_ok=True)
    names = sorted(model.vectorizer.vocab, key=model.vectorizer.vocab.__getitem__)
    vocab = np.frombuffer("\n".join(names).encode("utf-8"), dtype=np.uint8)
    npz, meta_path = directory / f"{model.name}.npz", directory / f"{model.name}.json"
    tmp_npz, tmp_json = npz.with_suffix(".npz.tmp"), meta_path.with_suffix(".json.tmp")
    with tmp_npz.open("wb") as fh:
        np.savez_compressed(fh, vocab=vocab, idf=model.vectorizer.idf.astype(np.float32),
                            coef=model.coef.astype(np.float32), intercept=model.intercept.astype(np.float64))
    meta = {"format": FORMAT, "format_version": FORMAT_VERSION, "name": model.name, "classes": model.classes,
            "scale": model.scale, "n_features": len(names), **model.meta}
    tmp_json.write_text(json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    tmp_npz.replace(npz)
    tmp_json.replace(meta_path)
    return npz, meta_path


def load(directory: Path, name: str) -> LinearModel:
    npz_path, meta_path = directory / f"{name}.npz", directory / f"{name}.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        with np.load(npz_path, allow_pickle=False) as data:
            arrays = {key: data[key] for key in ("vocab", "idf", "coef", "intercept")}
    except (OSError, ValueError, KeyError) as exc:
        raise ModelFileError(f"cannot read model {name!r} in {directory}: {exc}") from exc
    if meta.get("format") != FORMAT or meta.get("format_version") != FORMAT_VERSION:
        raise ModelFileError(f"{meta_path} is not a {FORMAT} v{FORMAT_VERSION} model file")
    names = arrays["vocab"].tobytes().decode("utf-8").split("\n") if arrays["vocab"].size else []
    vectorizer = Vectorizer({n: i for i, n in enumerate(names)}, arrays["idf"])
    if arrays["coef"].shape != (len(names), len(meta["classes"])):
        raise ModelFileError(f"{npz_path}: coefficients do not match the vocabulary and classes")
    extra = {k: v for k, v in meta.items() if k not in ("format", "format_version", "name", "classes", "scale")}
    return LinearModel(name=name, classes=list(meta["classes"]), vectorizer=vectorizer, coef=arrays["coef"],
                       intercept=arrays["intercept"], scale=float(meta.get("scale", 1.0)), meta=extra)
