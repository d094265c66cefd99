"""Lexical matching: BM25 (bm25s) over Thai word tokens, IDF-weighted overlap, and character n-gram similarity."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import bm25s
import numpy as np

from khaojing.thai.tokenize import words

_WORDY = re.compile(r"[0-9A-Za-z\u0e01-\u0e2e\u0e30-\u0e4f\u00c0-\u024f\u0e80-\u0eff\u1780-\u17ff]")
# Words that carry a claim's polarity or subject although PyThaiNLP lists them as stopwords: they stay content.
_KEEP = {"ไม่", "มิ", "มิได้", "มิใช่", "ไม่ได้", "ไม่ใช่", "ห้าม", "จริง", "ผิด", "ถูก", "ปิด", "เปิด", "เพิ่ม",
         "ยกเลิก", "ยืนยัน", "เก็บ", "ขาด", "เกิน", "สูง", "ต่ำ", "ตาย", "ขึ้น", "ลง", "รับ", "ส่ง", "ชาว", "ภาค",
         "ค่า", "ผู้", "ฟรี", "ด่วน", "เชื่อ", "ขอ", "จ่าย", "ใหม่", "ปลอม"}
# One spelling for words that rumours write several ways (the embedding model knows they are one; BM25 does not).
_CANONICAL = {"covid": "โควิด", "โคโรนา": "โควิด", "โคโรน่า": "โควิด", "โควิด19": "โควิด", "รับประทาน": "กิน",
              "ทาน": "กิน"}
_DISEASE_NUMBER = {"โควิด": "19"}  # "โควิด-19" and "โควิด": the number is part of the name, not a stated figure
K1, B = 1.2, 0.75
_EMPTY = np.zeros(0, dtype=np.int32)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    from pythainlp.corpus import thai_stopwords

    return frozenset(thai_stopwords()) - _KEEP


def tokens(text: str) -> list[str]:
    """Word tokens of a match text (newmm), punctuation and symbols dropped, Latin lower-cased, a few common
    spelling variants written one way ("covid-19", "โควิด 19", "โคโรนา" -> "โควิด")."""
    out: list[str] = []
    forms = _FORMS
    for word in words(text):
        form = forms.get(word, _UNSEEN)
        if form is _UNSEEN:
            form = _form(word)
            if len(forms) >= _FORMS_MAX:
                forms.clear()
            forms[word] = form
        if form is None or (out and _DISEASE_NUMBER.get(out[-1]) == form):
            continue
        out.append(form)
    return out


_FORMS: dict[str, str | None] = {}  # word -> its token (None: dropped); words repeat, the regex per word cost most
_FORMS_MAX = 200_000
_UNSEEN = object()


def _form(word: str) -> str | None:
    if not _WORDY.search(word):
        return None
    word = word.lower()
    return _CANONICAL.get(word, word)


def content_tokens(toks: Iterable[str]) -> list[str]:
    """Tokens that are not function words (negations and verdict-bearing words are kept)."""
    stop = stopwords()
    return [t for t in toks if t not in stop]


_POSITION_BITS = 20


def _unique_first_counts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """np.unique(values, return_index=True, return_counts=True) for non-negative int64 values, by one plain sort
    of (value, position) keys (np.unique's stable argsort costs more than the rest of the features)."""
    if not len(values) or len(values) >= 1 << _POSITION_BITS or int(values.max()) >= 1 << (63 - _POSITION_BITS):
        return np.unique(values, return_index=True, return_counts=True)
    keys = (values << _POSITION_BITS) | np.arange(len(values), dtype=np.int64)
    keys.sort()
    sorted_values = keys >> _POSITION_BITS
    starts = np.flatnonzero(np.concatenate(([True], sorted_values[1:] != sorted_values[:-1])))
    return (sorted_values[starts], keys[starts] & ((1 << _POSITION_BITS) - 1),
            np.diff(np.append(starts, len(values))))


def contains(values: np.ndarray, items: np.ndarray) -> np.ndarray:
    """np.isin(items, values) for a few values (a query's terms): a binary search, without isin's set-up cost."""
    if not len(values):
        return np.zeros(len(items), dtype=bool)
    values = np.sort(values)
    found = np.searchsorted(values, items)
    return values[np.minimum(found, len(values) - 1)] == items


@dataclass(frozen=True)
class CandidateTerms:
    """The distinct terms of a list of claims, one entry per (claim, term) pair, sorted by claim then term id."""

    lengths: np.ndarray    # tokens of each claim
    pair_doc: np.ndarray   # position of the claim in the list
    pair_term: np.ndarray  # term id
    tf: np.ndarray         # occurrences of the term in the claim
    first: np.ndarray      # where the term first occurs (offset in the claims' tokens laid end to end)
    idf: np.ndarray        # the term's IDF (Vocabulary.idf)


class Vocabulary:
    """Token strings <-> integer ids, with document frequencies for IDF."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.strings: list[str] = []
        self.df = np.zeros(1024, dtype=np.int64)
        self.spaced = False  # whether a token holds whitespace (tokens() never makes one; given tokens might)

    def encode(self, toks: Iterable[str], add: bool = False) -> list[int]:
        if not add:  # (queries: the lookups run in C)
            return [tid for tid in map(self.ids.get, toks) if tid is not None]
        out = []
        for tok in toks:
            tid = self.ids.get(tok)
            if tid is None and add:
                tid = self.ids[tok] = len(self.strings)
                self.strings.append(tok)
                self.spaced = self.spaced or tok.split() != [tok]
                if tid >= len(self.df):
                    self.df = np.concatenate([self.df, np.zeros(len(self.df), dtype=np.int64)])
            if tid is not None:
                out.append(tid)
        return out

    def count(self, term_ids: Iterable[int], delta: int) -> None:
        for tid in set(term_ids):
            self.df[tid] += delta

    def idf(self, term_ids: Sequence[int], n_docs: int) -> np.ndarray:
        df = self.df[np.asarray(term_ids, dtype=np.int64)].astype(np.float64)
        return np.log(1.0 + (max(n_docs, 1) - df + 0.5) / (df + 0.5))


class LexicalIndex:
    """BM25 over word tokens: a bm25s segment rebuilt now and then, plus a small segment of recent additions scored
    with the same formula; removed documents are masked until the next rebuild."""

    def __init__(self, *, rebuild_min: int = 2000, rebuild_ratio: float = 0.1, max_query_terms: int = 24,
                 common_df: float = 0.05):
        self.vocab = Vocabulary()
        self.docs: dict[int, bytes] = {}  # claim id -> token ids in text order (int32 bytes: compact)
        self.rebuild_min, self.rebuild_ratio, self.max_query_terms = rebuild_min, rebuild_ratio, max_query_terms
        self.common_df = common_df
        self._base: bm25s.BM25 | None = None
        self._base_ids = np.zeros(0, dtype=np.int64)
        self._base_alive = np.zeros(0, dtype=bool)
        self._delta: dict[int, np.ndarray] = {}
        self._total_len = 0
        self._changes = 0  # additions and removals so far (query_terms' last answer is valid while it holds)
        self._recent_terms: tuple[int, list[str], np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self.docs)

    def doc(self, claim_id: int) -> np.ndarray:
        """The claim's token ids in text order (empty if the claim is not indexed)."""
        raw = self.docs.get(claim_id)
        return np.frombuffer(raw, dtype=np.int32) if raw else _EMPTY

    # ------------------------------------------------------------------ changes

    def add(self, claim_id: int, toks: Sequence[str]) -> None:
        self.remove(claim_id)
        self._changes += 1
        term_ids = np.asarray(self.vocab.encode(toks, add=True), dtype=np.int32)
        self.docs[claim_id] = term_ids.tobytes()
        self.vocab.count(term_ids.tolist(), +1)
        self._total_len += len(term_ids)
        self._delta[claim_id] = term_ids
        if len(self._delta) > max(self.rebuild_min, self.rebuild_ratio * len(self._base_ids)):
            self.rebuild()

    def add_many(self, items: Iterable[tuple[int, Sequence[str]]], *, rebuild: bool = True) -> None:
        """Add many documents, then index them in one bm25s segment (rebuild=False: later, by the caller)."""
        saved, self.rebuild_min = self.rebuild_min, 1 << 62
        try:
            for claim_id, toks in items:
                self.add(claim_id, toks)
        finally:
            self.rebuild_min = saved
        if rebuild:
            self.rebuild()

    def remove(self, claim_id: int) -> None:
        raw = self.docs.pop(claim_id, None)
        if raw is None:
            return
        self._changes += 1
        old = np.frombuffer(raw, dtype=np.int32)
        self.vocab.count(old.tolist(), -1)
        self._total_len -= len(old)
        self._delta.pop(claim_id, None)
        row = int(np.searchsorted(self._base_ids, claim_id))
        if row < len(self._base_ids) and self._base_ids[row] == claim_id:
            self._base_alive[row] = False

    def rebuild(self) -> None:
        """Index every live document in one bm25s segment."""
        ids = np.sort(np.fromiter((cid for cid, doc in self.docs.items() if doc), dtype=np.int64))
        self._delta = {}
        self._base_ids, self._base_alive = ids, np.ones(len(ids), dtype=bool)
        if not len(ids):
            self._base = None
            return
        corpus = [self.doc(int(cid)).tolist() for cid in ids]
        vocab = {str(i): i for i in range(max(len(self.vocab.strings), 1))}
        retriever = bm25s.BM25(k1=K1, b=B, method="lucene")
        retriever.index((corpus, vocab), create_empty_token=False, show_progress=False)
        self._base = retriever

    # ------------------------------------------------------------------ queries

    def query_terms(self, toks: Sequence[str]) -> np.ndarray:
        """Known query terms, each once, for retrieval: terms in more than `common_df` of the claims add little to
        BM25 and cost the most, so they are left out (unless fewer than three terms would remain); long queries keep
        their most specific terms."""
        held, toks = self._recent_terms, list(toks)  # a search asks twice (retrieval, then max_score)
        if held is not None and held[0] == self._changes and held[1] == toks:
            return held[2]
        term_ids = np.asarray(list(dict.fromkeys(self.vocab.encode(toks))), dtype=np.int64)
        if len(term_ids):
            df = self.vocab.df[term_ids]
            term_ids, df = term_ids[df > 0], df[df > 0]
            order = np.argsort(df, kind="stable")
            common = df[order] > max(self.common_df * len(self.docs), 50)
            keep = max(3, int((~common).sum()))
            term_ids = term_ids[order[:min(keep, self.max_query_terms)]]
        self._recent_terms = (self._changes, toks, term_ids)
        return term_ids

    def scores(self, term_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(claim ids, BM25 scores) for every document sharing a query term."""
        if not len(term_ids) or not self.docs:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        parts_ids, parts_scores = [], []
        if self._base is not None:
            rows, sc = self._base_scores(term_ids)
            alive = self._base_alive[rows]
            parts_ids.append(self._base_ids[rows[alive]])
            parts_scores.append(sc[alive])
        if self._delta:
            ids, sc = self._delta_scores(term_ids)
            parts_ids.append(ids)
            parts_scores.append(sc)
        if not parts_ids:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        return np.concatenate(parts_ids), np.concatenate(parts_scores)

    def _base_scores(self, term_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Sum the precomputed per-term scores of bm25s's eager index, touching only the postings of the query."""
        matrix = self._base.scores
        indptr = matrix["indptr"]
        term_ids = term_ids[term_ids < len(indptr) - 1]
        spans = [(int(indptr[t]), int(indptr[t + 1])) for t in term_ids.tolist()]
        spans = [(a, b) for a, b in spans if b > a]
        if not spans:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        rows = np.concatenate([matrix["indices"][a:b] for a, b in spans])
        data = np.concatenate([matrix["data"][a:b] for a, b in spans])
        if len(spans) == 1:
            return rows.astype(np.int64), data.astype(np.float32)
        if len(rows) * 4 > len(self._base_ids):  # postings of a good share of the claims: one dense pass
            dense = np.bincount(rows, weights=data, minlength=len(self._base_ids))
            hit = np.flatnonzero(dense)
            return hit, dense[hit].astype(np.float32)
        # group the postings by claim with one sort of (row, position) keys: a plain sort of integers is 2-3x faster
        # than np.unique's argsort; the per-term scores are summed in float64 as bincount does
        keys = (rows.astype(np.uint64) << np.uint64(32)) | np.arange(len(rows), dtype=np.uint64)
        keys.sort()
        rows = (keys >> np.uint64(32)).astype(np.int64)
        data = data[(keys & np.uint64(0xFFFFFFFF)).astype(np.int64)].astype(np.float64)
        starts = np.flatnonzero(np.concatenate(([True], rows[1:] != rows[:-1])))
        return rows[starts], np.add.reduceat(data, starts).astype(np.float32)

    def _delta_scores(self, term_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        ids = np.fromiter(self._delta, dtype=np.int64, count=len(self._delta))
        scores = self.features([self.vocab.strings[t] for t in term_ids.tolist()], ids.tolist())[2]
        keep = scores > 0
        return ids[keep], scores[keep].astype(np.float32)

    def search(self, toks: Sequence[str], k: int = 50) -> list[tuple[int, float]]:
        ids, sc = self.scores(self.query_terms(toks))
        if not len(ids):
            return []
        top = np.argpartition(-sc, min(k, len(sc)) - 1)[:k] if len(sc) > k else np.arange(len(sc))
        top = top[np.argsort(-sc[top], kind="stable")]
        return [(int(ids[i]), float(sc[i])) for i in top]

    # ------------------------------------------------------------------ features

    def features(self, toks: Sequence[str], claim_ids: Sequence[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each claim: (IDF-weighted share of the query's terms it contains, IDF-weighted share of its terms
        the query contains, its BM25 score), all claims at once."""
        return self.features_and_terms(toks, claim_ids)[:3]

    def candidate_terms(self, claim_ids: Sequence[int]) -> CandidateTerms:
        """The distinct (claim, term) pairs of these claims, with counts, IDFs and first positions (numpy)."""
        n_ids = len(claim_ids)
        raw = [self.docs.get(cid) or b"" for cid in claim_ids]
        lengths = np.fromiter(map(len, raw), dtype=np.int64, count=n_ids) // 4  # int32 token ids
        if not n_ids or not lengths.sum():
            empty = np.zeros(0, dtype=np.int64)
            return CandidateTerms(lengths, empty, empty, empty, empty, np.zeros(0))
        vsize = np.int64(max(len(self.vocab.strings), 1))
        owner = np.repeat(np.arange(n_ids, dtype=np.int64), lengths)
        flat = np.frombuffer(b"".join(raw), dtype=np.int32).astype(np.int64)
        pairs, first, tf = _unique_first_counts(owner * vsize + flat)
        pair_term = pairs % vsize
        return CandidateTerms(lengths, pairs // vsize, pair_term, tf, first, self.vocab.idf(pair_term, len(self.docs)))

    def features_and_terms(self, toks: Sequence[str], claim_ids: Sequence[int]
                           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, CandidateTerms]:
        """features() and the candidate_terms() it was computed from (the index reads both)."""
        n_ids = len(claim_ids)
        zeros = np.zeros(n_ids)
        terms = self.candidate_terms(claim_ids)
        q = np.asarray(list(dict.fromkeys(self.vocab.encode(toks))), dtype=np.int64)
        lengths = terms.lengths
        if not len(q) or not lengths.sum():
            return zeros, zeros.copy(), zeros.copy(), terms
        n = len(self.docs)
        pair_doc, tf, idf = terms.pair_doc, terms.tf, terms.idf
        shared = contains(q, terms.pair_term)
        doc_idf = np.bincount(pair_doc, weights=idf, minlength=n_ids)
        shared_idf = np.bincount(pair_doc[shared], weights=idf[shared], minlength=n_ids)
        norm = K1 * (1 - B + B * lengths / max(self._total_len / max(n, 1), 1e-9))
        tf_s, doc_s = tf[shared], pair_doc[shared]
        bm25 = np.bincount(doc_s, weights=idf[shared] * tf_s / (tf_s + norm[doc_s]), minlength=n_ids)
        known = q[self.vocab.df[q] > 0]
        query_idf = float(self.vocab.idf(known, n).sum()) if len(known) else 0.0
        return shared_idf / max(query_idf, 1e-9), shared_idf / np.maximum(doc_idf, 1e-9), bm25, terms

    def compact_text(self, claim_id: int) -> str:
        """text_of() without whitespace (what character n-grams and shingles are taken from)."""
        if self.vocab.spaced:
            return "".join(self.text_of(claim_id).split())
        return "".join(map(self.vocab.strings.__getitem__, self.doc(claim_id).tolist()))

    def text_of(self, claim_id: int) -> str:
        """The claim's words joined (what the character n-gram features compare)."""
        return " ".join(map(self.vocab.strings.__getitem__, self.doc(claim_id).tolist()))

    def max_score(self, toks: Sequence[str]) -> float:
        """An upper bound of a BM25 score for this query, to put scores on a 0..1 scale."""
        term_ids = self.query_terms(toks)
        if not len(term_ids):
            return 1.0
        return max(float(self.vocab.idf(term_ids, len(self.docs)).sum()), 1e-9)
