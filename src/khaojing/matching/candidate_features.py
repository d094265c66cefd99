"""The fusion features of a query's candidate claims (fusion.FEATURES), computed for all candidates at once as numpy
columns: cosines with the query and its later pieces, word coverage both ways, BM25, numbers and the most specific
missing word, character trigram similarities. ClaimIndex scores with them; training reads them as rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

from khaojing.matching import keywords
from khaojing.matching.chargrams import char_similarities
from khaojing.matching.lexical import CandidateTerms, Vocabulary, contains, stopwords

if TYPE_CHECKING:
    from khaojing.matching.index import ClaimIndex, PreparedQuery

CHAR_SIZES = (3,)  # character trigrams: as good as 2-4-grams on the training pairs, a third of the work


class CandidateFeatures:
    """The features of one index's candidates; reads the index's parts (and its current model) at each call."""

    def __init__(self, index: ClaimIndex):
        self.index = index
        self._terms: tuple[Vocabulary, np.ndarray, np.ndarray] | None = None  # see _term_properties

    def columns(self, query: PreparedQuery, ids: list[int], chars: bool = True
                ) -> tuple[dict[str, Any], set[int]]:
        """ClaimIndex.feature_rows() as one numpy array per feature (float64, in the order of `ids`; "key_word" is a
        list), and the candidates that have a vector. Scoring reads these: building a dict per candidate cost more
        than computing the features."""
        n = len(ids)
        cos, cos_chunk, has_vector = self._cosines(query, ids)
        bound = self.index.lexical.max_score(query.tokens)
        q_cov, d_cov, bm25, terms = self.index.lexical.features_and_terms(query.tokens, ids)
        neutral = dict(zip(self.index.model.features, self.index.model.mean, strict=True))
        columns: dict[str, Any] = {
            "cos": cos, "doc_cov": d_cov.astype(np.float64), "query_cov": q_cov.astype(np.float64),
            "char_cont": np.full(n, neutral.get("char_cont", 0.0)),
            "char_jac": np.full(n, neutral.get("char_jac", 0.0)),
            "bm25": np.minimum(1.0, bm25.astype(np.float64) / bound),
            "cos_chunk": cos_chunk}
        columns.update(self._key_columns(query, ids, terms))
        if chars:
            columns["char_cont"], columns["char_jac"] = self.char_similarities(query, ids)
        return columns, has_vector

    def _cosines(self, query: PreparedQuery, ids: list[int]) -> tuple[np.ndarray, np.ndarray, set[int]]:
        """Each claim's cosine with the query vector, its best cosine with the query or a later piece of a long query
        (cos_chunk), and the claims that have a vector; zeros without a query vector."""
        n = len(ids)
        if query.vector is None:
            return np.zeros(n), np.zeros(n), set()
        vectors = [np.asarray(query.vector, dtype=np.float32).reshape(1, -1)]
        if query.chunk_vectors is not None and len(query.chunk_vectors):
            vectors.append(np.asarray(query.chunk_vectors, dtype=np.float32).reshape(len(query.chunk_vectors), -1))
        present, sims = self.index.vectors.cosine_matrix(np.concatenate(vectors), ids)
        cos = sims[:, 0].astype(np.float64)
        best_piece = np.maximum(sims[:, 1:].max(axis=1), 0.0) if sims.shape[1] > 1 else np.zeros(n)
        return cos, np.maximum(cos, best_piece.astype(np.float64)), set(np.asarray(ids)[present].tolist())

    def _term_properties(self) -> tuple[np.ndarray, np.ndarray]:
        """For every term of the vocabulary: whether it can be a key word (keywords.can_be_key, not a stopword),
        and its length in characters; extended as the vocabulary grows."""
        vocab = self.index.lexical.vocab
        held = self._terms
        if held is None or held[0] is not vocab:
            held = self._terms = (vocab, np.zeros(0, dtype=bool), np.zeros(0, dtype=np.int64))
        _, keyable, chars = held
        if len(keyable) < len(vocab.strings):
            stop, new = stopwords(), vocab.strings[len(keyable):]
            keyable = np.concatenate([keyable, np.fromiter((w not in stop and keywords.can_be_key(w) for w in new),
                                                           dtype=bool, count=len(new))])
            chars = np.concatenate([chars, np.fromiter(map(len, new), dtype=np.int64, count=len(new))])
            self._terms = (vocab, keyable, chars)
        return keyable, chars

    def _key_columns(self, query: PreparedQuery, ids: list[int], terms: CandidateTerms) -> dict[str, Any]:
        """Numbers and the most specific word that a claim states and the query does not (keywords.missing_key,
        all candidates at once); the word is kept in "key_word" to explain a decision."""
        lexical, n = self.index.lexical, len(ids)
        n_docs = len(lexical.docs)
        d_key, key_share, key_word = np.zeros(n), np.zeros(n), [""] * n
        if len(terms.pair_term):
            keyable, chars = self._term_properties()
            pair_term, idf = terms.pair_term, terms.idf
            query_ids = np.asarray(lexical.vocab.encode(set(query.tokens)), dtype=np.int64)
            hit = np.flatnonzero(keyable[pair_term] & ~contains(query_ids, pair_term))
            # per claim, its words by IDF, then length (descending), then first occurrence: missing_key's choice is
            # the first of them that the query does not contain inside its characters either
            hit = hit[np.lexsort((terms.first[hit], -chars[pair_term[hit]], -idf[hit], terms.pair_doc[hit]))]
            docs = terms.pair_doc[hit]
            starts = np.flatnonzero(np.concatenate(([True], docs[1:] != docs[:-1]))).tolist() if len(hit) else []
            query_compact, top = keywords.compact(query.core), keywords.max_idf(n_docs)
            strings, terms_, chosen = lexical.vocab.strings, pair_term[hit].tolist(), []
            for lo, hi in zip(starts, [*starts[1:], len(hit)], strict=False):  # (no claim: one extra end)
                for j in range(lo, hi):  # nearly always the first: the query rarely holds a claim's rarest word
                    if strings[terms_[j]] not in query_compact:
                        chosen.append(j)
                        break
            if chosen:
                picked = hit[chosen]
                owners = terms.pair_doc[picked]
                d_key[owners] = idf[picked] / top
                key_share[owners] = lexical.vocab.df[pair_term[picked]] / max(n_docs, 1)
                for doc, term in zip(owners.tolist(), pair_term[picked].tolist(), strict=True):
                    key_word[doc] = strings[term]
        num_hit, num_miss = np.zeros(n), np.zeros(n)
        if self.index.numbers:
            query_numbers, stated = keywords.numbers(query.core), self.index.numbers
            for i, cid in enumerate(ids):
                if cid in stated:
                    num_hit[i], num_miss[i] = keywords.number_features(query_numbers, stated[cid])
        return {"d_key": d_key, "key_word": key_word, "key_share": key_share, "num_hit": num_hit,
                "num_miss": num_miss}

    def char_similarities(self, query: PreparedQuery, ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """(char_cont, char_jac) of each candidate: character trigram containment and Jaccard."""
        (size,) = CHAR_SIZES
        return char_similarities(query.core, [self.index.lexical.compact_text(cid) for cid in ids], size)


_GAPS = {"cos_gap": "cos", "lex_gap": "doc_cov", "chunk_gap": "cos_chunk"}  # gap -> feature (fusion.feature_rows)


def matrix(columns: dict[str, Any], features: tuple[str, ...]) -> np.ndarray:
    """fusion.feature_rows() from feature columns: the model's features in its order, the *_gap ones filled in."""
    n = len(columns["cos"])
    out = np.empty((n, len(features)), dtype=np.float64)
    for j, name in enumerate(features):
        if name in _GAPS:
            base = columns[_GAPS[name]]
            out[:, j] = base - base.max()
        else:
            out[:, j] = columns[name] if name in columns else 0.0
    return out


MATCH_FIELDS = ("cos", "doc_cov", "d_key", "num_miss")  # what _match reads besides the key word


def row(columns: dict[str, Any], i: int, names: Iterable[str] | None = None) -> dict:
    """One candidate's features as a dict (what ClaimIndex.feature_rows() gives training; `names`: only these and the
    key word)."""
    out = {name: float(columns[name][i]) for name in (names or columns) if name not in ("key_word", "key_share")}
    out["key_word"] = columns["key_word"][i]
    if out["key_word"]:
        out["key_share"] = float(columns["key_share"][i])
    return out
