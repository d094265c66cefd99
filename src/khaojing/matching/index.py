"""ClaimIndex: one in-process index of the matchable claims (exact keys, near duplicates, BM25, vectors, images)."""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from khaojing.matching import fusion, keywords
from khaojing.matching.candidate_features import MATCH_FIELDS, CandidateFeatures, matrix, row
from khaojing.matching.claimtext import claim_core
from khaojing.matching.images import DEFAULT_MAX_DISTANCE, ImageHashIndex
from khaojing.matching.lexical import (
    LexicalIndex,
    content_tokens,
    tokens,
)
from khaojing.matching.neardup import NearDupIndex, jaccard, shingles
from khaojing.matching.semantic import Embedder, embed_query
from khaojing.matching.vectors import LARGE_FROM, VectorIndex

log = logging.getLogger(__name__)
RETRIEVE = 30  # candidates from each of the BM25 and vector lists (20, 30 and 50 rank alike on training pairs)
EXACT_SCORE, URL_SCORE, IMAGE_SCORE = 0.99, 0.97, 0.95
DECISIVE_NEAR = 0.9  # a near duplicate this close is a repeat: the cheap stages answer, no retrieval follows
CHAR_TOP = 15  # candidates that get the character features


@dataclass
class IndexedClaim:
    """What the index keeps of a claim (built from the database, or from a corpus for evaluations)."""

    claim_id: int
    match_text: str
    status: str = "open"
    verdict: str | None = None
    sha256s: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    image_hashes: list[str] = field(default_factory=list)
    vector: np.ndarray | None = None
    tokens: list[str] | None = None  # the claim core's tokens when already known (else the index tokenises)


@dataclass
class PreparedQuery:
    """A query as the index compares it: match text, claim core, tokens, exact keys, and its embedding."""

    match_text: str
    core: str
    tokens: list[str]
    content_tokens: list[str]
    sha256: str | None = None
    urls: list[str] = field(default_factory=list)
    image_hashes: list[str] = field(default_factory=list)
    vector: np.ndarray | None = None
    chunk_vectors: np.ndarray | None = None  # a long message's pieces (semantic.query_chunks), embedded


@dataclass
class Match:
    claim_id: int
    score: float
    kind: str
    lexical: float | None
    semantic: float | None
    verdict: str | None
    status: str
    evidence: dict = field(default_factory=dict)


def text_key(sha256_hex: str) -> int:
    """The first 64 bits of a text hash: a small dict key (collisions at 1e6 claims: about 3e-8)."""
    return int(sha256_hex[:16], 16)


def prepare(match_text: str, *, sha256: str | None = None, urls: Sequence[str] = (), image_hashes: Sequence[str] = (),
            embedder: Embedder | None = None) -> PreparedQuery:
    """Tokenise and embed a query (outside the index lock: embedding takes milliseconds)."""
    core = claim_core(match_text) if match_text else ""
    toks = tokens(core)
    vector, chunks = embed_query(embedder, core) if embedder is not None and core.strip() else (None, None)
    return PreparedQuery(match_text=match_text, core=core, tokens=toks, content_tokens=content_tokens(toks),
                         sha256=sha256, urls=list(urls), image_hashes=list(image_hashes), vector=vector,
                         chunk_vectors=chunks)


class ClaimIndex:
    """Thread-safe: a lock guards every change and every search (searches are a few milliseconds)."""

    def __init__(self, *, dim: int = 384, near_threshold: float = 0.5, model: fusion.FusionModel | None = None,
                 lexical_model: fusion.FusionModel | None = None, large_from: int = LARGE_FROM):
        self.lock = threading.RLock()
        self.dim, self.near_threshold, self.large_from = dim, near_threshold, large_from
        self.model = model or fusion.default_model()
        self.lexical_model = lexical_model or fusion.default_model(lexical_only=True)
        self.features = CandidateFeatures(self)
        self.clear()

    def clear(self) -> None:
        """Forget every claim."""
        with self.lock:
            self.lexical = LexicalIndex()
            self.vectors = VectorIndex(self.dim, large_from=self.large_from)
            self.neardup = NearDupIndex(self.near_threshold)
            self.images = ImageHashIndex()
            self.numbers: dict[int, frozenset[str]] = {}  # the numbers a claim states (only claims that state one)
            # claim id -> (status, verdict, hash of the claim core, exact keys); about 300 bytes a claim
            self._meta: dict[int, tuple[str, str | None, int, tuple]] = {}
            self._keys: dict[str, dict[object, int | set[int]]] = {"text": {}, "url": {}}  # key -> claim id(s)

    def __len__(self) -> int:
        return len(self._meta)

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Load many claims: the BM25 and near-duplicate segments are built once, at the end."""
        with self.lock:
            self.neardup.bulk = True
            try:
                yield
            finally:
                self.neardup.bulk = False
                self.lexical.rebuild()
                self.neardup.rebuild()

    def __contains__(self, claim_id: int) -> bool:
        return claim_id in self._meta

    # ------------------------------------------------------------------ changes

    def upsert(self, claims: Iterable[IndexedClaim]) -> None:
        """Add or replace claims; a claim whose text is unchanged keeps its text indexes (keys and verdict move)."""
        with self.lock:
            changed: list[tuple[IndexedClaim, str]] = []
            for claim in claims:
                core = claim_core(claim.match_text)
                old = self._meta.get(claim.claim_id)
                if old is not None:
                    self._drop_keys(claim.claim_id, old[3])
                if old is None or old[2] != hash(core):
                    self._drop_text(claim.claim_id)
                    changed.append((claim, core))
                self._meta[claim.claim_id] = (claim.status, claim.verdict, hash(core), self._add_keys(claim))
            self._add_text(changed)

    def remove(self, claim_ids: Iterable[int]) -> None:
        with self.lock:
            for cid in claim_ids:
                old = self._meta.pop(cid, None)
                if old is not None:
                    self._drop_keys(cid, old[3])
                    self._drop_text(cid)

    def _add_text(self, changed: list[tuple[IndexedClaim, str]]) -> None:
        if not changed:
            return
        toks = [(c.claim_id, c.tokens if c.tokens is not None else tokens(core)) for c, core in changed]
        for claim, core in changed:
            stated = keywords.numbers(core)
            if stated:
                self.numbers[claim.claim_id] = stated
        if len(changed) > 100 or self.neardup.bulk:
            self.lexical.add_many(toks, rebuild=not self.neardup.bulk)
        else:
            for cid, t in toks:
                self.lexical.add(cid, t)
        self.neardup.add_many((cid, "".join(t)) for cid, t in toks)
        with_vectors = [c for c, _ in changed if c.vector is not None]
        if with_vectors:
            self.vectors.add_many([c.claim_id for c in with_vectors], np.stack([c.vector for c in with_vectors]))

    def _drop_text(self, claim_id: int) -> None:
        self.numbers.pop(claim_id, None)
        if claim_id in self.lexical.docs:
            self.lexical.remove(claim_id)
            self.neardup.remove(claim_id)
        self.vectors.remove(claim_id)

    def _add_keys(self, claim: IndexedClaim) -> tuple:
        keys: list[tuple[str, object]] = [("text", text_key(s)) for s in claim.sha256s if s]
        keys += [("url", u) for u in claim.urls if u]
        for kind, value in keys:
            bucket = self._keys[kind]
            held = bucket.get(value)
            if held is None:
                bucket[value] = claim.claim_id
            elif isinstance(held, set):
                held.add(claim.claim_id)
            elif held != claim.claim_id:
                bucket[value] = {held, claim.claim_id}
        for value in dict.fromkeys(claim.image_hashes):
            if value:
                self.images.add(claim.claim_id, value)
                keys.append(("image", value))
        return tuple(keys)

    def _drop_keys(self, claim_id: int, keys: tuple) -> None:
        if any(kind == "image" for kind, _ in keys):
            self.images.remove(claim_id)
        for kind, value in keys:
            if kind == "image":
                continue
            bucket = self._keys[kind]
            held = bucket.get(value)
            if isinstance(held, set):
                held.discard(claim_id)
                if len(held) == 1:
                    bucket[value] = next(iter(held))
            elif held == claim_id:
                del bucket[value]

    def _key_ids(self, kind: str, value: object) -> tuple[int, ...] | set[int]:
        held = self._keys[kind].get(value)
        return () if held is None else held if isinstance(held, set) else (held,)

    # ------------------------------------------------------------------ search

    def search(self, query: PreparedQuery, *, k: int = 10, verified_only: bool = False) -> list[Match]:
        with self.lock:
            ids, evidence = self.candidates(query, verified_only=verified_only)
            return self.score(query, ids, evidence, k)

    def _exact_hits(self, query: PreparedQuery, evidence: dict[int, dict]) -> None:
        if query.sha256:
            for cid in self._key_ids("text", text_key(query.sha256)):
                evidence[cid]["exact"] = True
        for url in query.urls:
            for cid in self._key_ids("url", url):
                evidence[cid]["url"] = url
        for value in query.image_hashes:
            for cid, distance in self.images.query(value, DEFAULT_MAX_DISTANCE):
                best = evidence[cid].get("image_distance")
                evidence[cid]["image_distance"] = distance if best is None else min(best, distance)

    def _near_hits(self, query: PreparedQuery, evidence: dict[int, dict]) -> None:
        text = "".join(query.tokens)
        if not text:
            return
        found = self.neardup.candidates(text)
        mine = shingles(text) if found else set()
        for cid in found:
            similarity = jaccard(mine, shingles(self.lexical.compact_text(cid)))
            if similarity >= self.near_threshold:
                evidence[cid]["near"] = round(similarity, 4)

    def score(self, query: PreparedQuery, ids: list[int], evidence: dict[int, dict],
              k: int | None = None) -> list[Match]:
        """Fused, calibrated scores of these candidates, best first (the best `k` when given). The character
        features (the dearest) are computed for the CHAR_TOP best by the other features only."""
        if not ids:
            return []
        model = self.model if query.vector is not None else self.lexical_model
        columns, has_vector = self.features.columns(query, ids, chars=False)
        probs = model.scores(matrix(columns, model.features))
        best = np.argsort(-probs, kind="stable")[:CHAR_TOP]
        columns["char_cont"][best], columns["char_jac"][best] = self.features.char_similarities(
            query, [ids[i] for i in best])
        probs = model.scores(matrix(columns, model.features)).tolist()
        scored = [(_kind_and_score(p, evidence[cid]), cid, p, i) for i, (cid, p) in enumerate(zip(ids, probs,
                                                                                                   strict=True))]
        scored.sort(key=lambda item: (-item[0][1], item[1]))
        fields = _MatchFields(*(columns[name].tolist() for name in MATCH_FIELDS), columns["key_word"],
                              columns["key_share"])  # (plain lists: a numpy scalar per read cost more)
        return [self._match(cid, kind_score, fused, fields, i, evidence[cid], cid in has_vector)
                for kind_score, cid, fused, i in scored[:k]]

    def feature_rows(self, query: PreparedQuery, ids: list[int], chars: bool = True) -> tuple[list[dict], set[int]]:
        """The fusion features of each candidate (see fusion.FEATURES), and which candidates have a vector.
        Without `chars`, the character features hold the model's mean (a neutral value)."""
        columns, has_vector = self.features.columns(query, ids, chars=chars)
        return [row(columns, i) for i in range(len(ids))], has_vector

    def candidates(self, query: PreparedQuery, *, verified_only: bool = False) -> tuple[list[int], dict[int, dict]]:
        """Every claim any matcher proposes for this query, with what each matcher said (training uses this)."""
        with self.lock:
            evidence: dict[int, dict] = defaultdict(dict)
            self._exact_hits(query, evidence)
            self._near_hits(query, evidence)
            if not any(_decisive(ev) for ev in evidence.values()):  # a repeat needs no BM25 or vector search
                self._retrieve(query, evidence)
            ids = [cid for cid in evidence if cid in self._meta
                   and (not verified_only or self._meta[cid][1] is not None)]
            return ids, evidence

    def has_repeat(self, query: PreparedQuery) -> bool:
        """Whether the cheap stages (exact keys, a very near duplicate) already find this query's claim: then the
        query need not be embedded (the cascade: the semantic model runs only for texts not seen before)."""
        with self.lock:
            evidence: dict[int, dict] = defaultdict(dict)
            self._exact_hits(query, evidence)
            self._near_hits(query, evidence)
            return any(_decisive(ev) for cid, ev in evidence.items() if cid in self._meta)

    def _retrieve(self, query: PreparedQuery, evidence: dict[int, dict]) -> None:
        for rank, (cid, _) in enumerate(self.lexical.search(query.tokens, RETRIEVE)):
            evidence[cid]["bm25_rank"] = rank
        if query.vector is not None:
            for rank, (cid, _) in enumerate(self.vectors.search(query.vector, RETRIEVE)):
                evidence[cid]["dense_rank"] = rank

    def _match(self, cid: int, kind_score: tuple[str, float], fused: float, fields: _MatchFields, i: int, ev: dict,
               has_vector: bool) -> Match:
        status, verdict = self._meta[cid][:2]
        kind, score = kind_score
        word = fields.key_word[i]
        key = ({"key_word": word, "key_idf": round(fields.d_key[i], 3), "key_share": float(fields.key_share[i]),
                "key_claims": len(self.lexical.docs)} if word else {})
        numbers = {"number_differs": True} if fields.num_miss[i] else {}
        return Match(claim_id=cid, score=round(score, 4), kind=kind, lexical=round(fields.doc_cov[i], 4),
                     semantic=round(fields.cos[i], 4) if has_vector else None, verdict=verdict, status=status,
                     evidence={**ev, "fused": round(fused, 4), **key, **numbers})


class _MatchFields(NamedTuple):
    """What _match reads of the candidates' features (candidate_features.MATCH_FIELDS, then the key word's)."""

    cos: list[float]
    doc_cov: list[float]
    d_key: list[float]
    num_miss: list[float]
    key_word: list[str]
    key_share: np.ndarray


_RANKS = frozenset(("bm25_rank", "dense_rank"))


def _decisive(ev: dict) -> bool:
    return bool(ev.get("exact") or ev.get("url") or ev.get("image_distance", 99) <= 2
                or ev.get("near", 0.0) >= DECISIVE_NEAR)


def _kind_and_score(fused: float, ev: dict) -> tuple[str, float]:
    """Exact keys win at once; a near duplicate scores at least its shingle overlap; otherwise the fused score."""
    if ev.keys() <= _RANKS:  # found by retrieval only (most candidates)
        lexical, dense = "bm25_rank" in ev, "dense_rank" in ev
        return ("fused" if lexical and dense else "lexical" if lexical else "semantic"), fused
    if ev.get("exact"):
        return "exact", max(fused, EXACT_SCORE)
    if ev.get("url"):
        return "url", max(fused, URL_SCORE)
    if ev.get("image_distance") is not None:
        return "image", max(fused, IMAGE_SCORE - 0.02 * ev["image_distance"])
    if ev.get("near") is not None:
        return "near", max(fused, float(ev["near"]))
    lexical, dense = "bm25_rank" in ev, "dense_rank" in ev
    return ("fused" if lexical and dense else "lexical" if lexical else "semantic"), fused
