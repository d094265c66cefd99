"""ClaimIndex's vectorised scoring gives exactly what the per-candidate code gave, on real headlines and queries:
the same features (floats equal to the bit), the same matches, scores and evidence."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import numpy as np
import pytest

from khaojing.matching import fusion, keywords
from khaojing.matching.chargrams import char_ngrams, char_similarity
from khaojing.matching.index import CHAR_TOP, ClaimIndex, IndexedClaim, _kind_and_score, prepare, text_key
from khaojing.matching.lexical import K1, B, _unique_first_counts, contains, stopwords
from khaojing.thai.normalize import normalize

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "afnc-cofact-sure-2022"


def _column(name: str, column: str) -> list[str]:
    with open(DATA / name, encoding="utf-8-sig", newline="") as fh:
        return [r[column].strip() for r in csv.DictReader(fh) if (r.get(column) or "").strip()]


@pytest.fixture(scope="module")
def corpus() -> tuple[ClaimIndex, list]:
    if not (DATA / "anti_thread.csv").is_file():
        pytest.skip(f"{DATA} is absent")
    headlines = list(dict.fromkeys(_column("anti_thread.csv", "header") + _column("sure_thread.csv", "header")))
    index = ClaimIndex()
    claims = []
    for cid, text in enumerate(headlines, 1):
        norm = normalize(text)
        claims.append(IndexedClaim(claim_id=cid, match_text=norm.match_text, status="verified", verdict="fake",
                                   sha256s=[norm.sha256]))
    with index.bulk():
        index.upsert(claims)
    rng = random.Random(5)
    texts = rng.sample(_column("cofact_info.csv", "content"), 200) + rng.sample(headlines, 60)
    texts += [" ".join(t.split()[:-1]) + " จริงไหมคะ" for t in rng.sample(headlines, 60)]  # edited copies
    queries = []
    for text in texts:
        norm = normalize(text[:5000])
        queries.append(prepare(norm.match_text, sha256=norm.sha256))
    return index, queries


def _reference_lexical(index: ClaimIndex, toks: list[str], ids: list[int]) -> tuple[np.ndarray, ...]:
    """LexicalIndex.features as it was (np.unique, np.isin, one array per claim)."""
    lex = index.lexical
    n_ids, zeros = len(ids), np.zeros(len(ids))
    q = np.asarray(list(dict.fromkeys(lex.vocab.encode(toks))), dtype=np.int64)
    docs = [lex.doc(cid) for cid in ids]
    lengths = np.fromiter((len(d) for d in docs), dtype=np.int64, count=n_ids)
    if not len(q) or not lengths.sum():
        return zeros, zeros.copy(), zeros.copy()
    n, vsize = len(lex.docs), np.int64(max(len(lex.vocab.strings), 1))
    owner = np.repeat(np.arange(n_ids, dtype=np.int64), lengths)
    pairs, tf = np.unique(owner * vsize + np.concatenate(docs).astype(np.int64), return_counts=True)
    pair_doc, pair_term = pairs // vsize, pairs % vsize
    idf = lex.vocab.idf(pair_term, n)
    shared = np.isin(pair_term, q)
    doc_idf = np.bincount(pair_doc, weights=idf, minlength=n_ids)
    shared_idf = np.bincount(pair_doc[shared], weights=idf[shared], minlength=n_ids)
    norm = K1 * (1 - B + B * lengths / max(lex._total_len / max(n, 1), 1e-9))
    tf_s, doc_s = tf[shared], pair_doc[shared]
    bm25 = np.bincount(doc_s, weights=idf[shared] * tf_s / (tf_s + norm[doc_s]), minlength=n_ids)
    known = q[lex.vocab.df[q] > 0]
    query_idf = float(lex.vocab.idf(known, n).sum()) if len(known) else 0.0
    return shared_idf / max(query_idf, 1e-9), shared_idf / np.maximum(doc_idf, 1e-9), bm25


def _reference_rows(index: ClaimIndex, query, ids: list[int], chars: bool = True) -> list[dict]:  # noqa: ANN001
    """ClaimIndex.feature_rows as it was: a dict per candidate, keywords.missing_key word by word."""
    lex, stop = index.lexical, stopwords()
    bound = lex.max_score(query.tokens)
    q_cov, d_cov, bm25 = _reference_lexical(index, query.tokens, ids)
    neutral = dict(zip(index.model.features, index.model.mean, strict=True))
    rows = [{"cos": 0.0, "doc_cov": float(d_cov[i]), "query_cov": float(q_cov[i]),
             "char_cont": neutral.get("char_cont", 0.0), "char_jac": neutral.get("char_jac", 0.0),
             "bm25": min(1.0, float(bm25[i]) / bound), "cos_chunk": 0.0} for i in range(len(ids))]
    n_docs = len(lex.docs)
    words_q, compact_q, numbers_q = set(query.tokens), keywords.compact(query.core), keywords.numbers(query.core)
    for cid, row in zip(ids, rows, strict=True):
        words = [w for w in dict.fromkeys(lex.vocab.strings[t] for t in lex.doc(cid).tolist()) if w not in stop]
        idfs = lex.vocab.idf(lex.vocab.encode(words), n_docs).tolist() if words else []
        row["d_key"], row["key_word"] = keywords.missing_key(words, idfs, words_q, compact_q, n_docs)
        if row["key_word"]:
            row["key_share"] = int(lex.vocab.df[lex.vocab.ids[row["key_word"]]]) / max(n_docs, 1)
        row["num_hit"], row["num_miss"] = keywords.number_features(numbers_q, index.numbers.get(cid, frozenset()))
    if chars:
        _reference_chars(index, query, ids, rows)
    return rows


def _reference_chars(index: ClaimIndex, query, ids: list[int], rows: list[dict]) -> None:  # noqa: ANN001
    grams = char_ngrams(query.core, (3,))
    for cid, row in zip(ids, rows, strict=True):
        doc = char_ngrams(index.lexical.text_of(cid), (3,))
        row["char_cont"], row["char_jac"] = ((0.0, 0.0) if not grams or not doc else
                                             (len(grams & doc) / len(doc), len(grams & doc) / len(grams | doc)))


def _reference_search(index: ClaimIndex, query, k: int = 10) -> list[tuple]:  # noqa: ANN001
    ids, evidence = index.candidates(query)
    if not ids:
        return []
    model = index.lexical_model
    rows = _reference_rows(index, query, ids, chars=False)
    probs = model.scores(fusion.feature_rows(rows, model.features))
    best = np.argsort(-probs, kind="stable")[:CHAR_TOP]
    _reference_chars(index, query, [ids[i] for i in best], [rows[i] for i in best])
    probs = model.scores(fusion.feature_rows(rows, model.features)).tolist()
    scored = sorted(((_kind_and_score(p, evidence[cid]), cid, p, row) for cid, p, row in zip(ids, probs, rows,
                                                                                            strict=True)),
                    key=lambda item: (-item[0][1], item[1]))
    out = []
    for (kind, score), cid, fused, row in scored[:k]:
        key = ({"key_word": row["key_word"], "key_idf": round(row["d_key"], 3), "key_share": row["key_share"],
                "key_claims": len(index.lexical.docs)} if row["key_word"] else {})
        number = {"number_differs": True} if row["num_miss"] else {}
        out.append((cid, round(score, 4), kind, round(row["doc_cov"], 4),
                    {**evidence[cid], "fused": round(fused, 4), **key, **number}))
    return out


def test_feature_rows_equal_the_per_candidate_features(corpus: tuple[ClaimIndex, list]) -> None:
    index, queries = corpus
    compared = keyed = 0
    for query in queries:
        ids, _ = index.candidates(query)
        rows, _ = index.feature_rows(query, ids)
        expected = _reference_rows(index, query, ids)
        for row, ref in zip(rows, expected, strict=True):
            assert {k: v for k, v in row.items() if not k.endswith("_gap")} == ref
            keyed += bool(ref["key_word"])
        compared += len(ids)
    assert compared > 3000 and keyed > 1000


def test_search_gives_the_same_matches_scores_and_evidence(corpus: tuple[ClaimIndex, list]) -> None:
    index, queries = corpus
    kinds = set()
    for query in queries:
        found = [(m.claim_id, m.score, m.kind, m.lexical, m.evidence) for m in index.search(query, k=10)]
        assert found == _reference_search(index, query)
        kinds.update(m[2] for m in found)
    assert {"exact", "lexical"} <= kinds


def test_bm25_postings_are_summed_as_before(corpus: tuple[ClaimIndex, list]) -> None:
    index, queries = corpus
    lex = index.lexical
    for query in queries:
        terms = lex.query_terms(query.tokens)
        ids, scores = lex._base_scores(terms)
        matrix = lex._base.scores
        spans = [(int(matrix["indptr"][t]), int(matrix["indptr"][t + 1])) for t in terms.tolist()]
        rows = np.concatenate([matrix["indices"][a:b] for a, b in spans] or [np.zeros(0, dtype=np.int32)])
        data = np.concatenate([matrix["data"][a:b] for a, b in spans] or [np.zeros(0, dtype=np.float32)])
        unique, inverse = np.unique(rows, return_inverse=True)
        assert np.array_equal(ids, unique) and np.array_equal(scores, np.bincount(inverse, weights=data)
                                                              .astype(np.float32))


def test_small_helpers_match_numpy() -> None:
    rng = np.random.default_rng(0)
    for _ in range(500):
        values = rng.integers(0, rng.integers(1, 10**7), size=rng.integers(1, 900)).astype(np.int64)
        for got, want in zip(_unique_first_counts(values), np.unique(values, return_index=True, return_counts=True),
                             strict=True):
            assert np.array_equal(got, want)
        few = rng.integers(0, 50, size=rng.integers(0, 8)).astype(np.int64)
        assert np.array_equal(contains(few, values % 60), np.isin(values % 60, few))
    assert char_similarity({"abc", "bcd"}, {"bcd", "cde", "def"}) == (1 / 3, 1 / 4)
    assert text_key("f" * 64) == 2**64 - 1
