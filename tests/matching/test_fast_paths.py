"""The faster paths of the matcher give what the plain code gave: character trigram similarities of many candidates
at once, and near-duplicate candidates found with one binary search per band."""

from __future__ import annotations

import random

import numpy as np

from khaojing.matching.chargrams import char_ngrams, char_similarities, char_similarity
from khaojing.matching.neardup import NearDupIndex

ALPHABET = "กขคงจฉชซนมยรลวสหอะาิีึืุูเแโใไ่้๊๋็ ์abc1"


def _text(rng: random.Random, longest: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, longest)))


def _expected(query: str, docs: list[str]) -> tuple[list[float], list[float]]:
    grams = char_ngrams(query, (3,))
    pairs = [char_similarity(grams, char_ngrams(doc, (3,))) for doc in docs]
    return [c for c, _ in pairs], [j for _, j in pairs]


def test_trigram_similarities_of_many_docs_equal_the_per_doc_sets() -> None:
    rng = random.Random(3)
    vectorised = 0
    for round_ in range(3000):
        query = _text(rng, 40)
        docs = [_text(rng, 30) for _ in range(rng.randint(0, 15))]
        if round_ % 3 == 0:  # no short doc: the integer path, not the per-doc sets
            docs = [doc + "ข่าวปลอม" for doc in docs]
            vectorised += len(docs) >= 3 and len("".join(query.split())) >= 3
        if round_ % 11 == 0 and docs:  # a character outside the BMP (one 16-bit code per character no longer holds)
            docs[0] += "\U00020000"
        cont, jac = char_similarities(query, docs)
        assert (cont.tolist(), jac.tolist()) == _expected(query, docs)  # equal to the bit
    assert vectorised > 500


def test_trigram_similarities_of_a_copy_an_edit_and_an_unrelated_text() -> None:
    query = "ดื่มน้ำมะนาวโซดา ฆ่าเชื้อโควิดได้"
    docs = [query, "ดื่มน้ำมะนาว ฆ่าเชื้อโควิด", "รัฐแจกเงินดิจิทัลหมื่นบาท"]
    cont, jac = char_similarities(query, docs)
    assert cont[0] == jac[0] == 1.0
    assert 0.8 < cont[1] < 1.0 and 0.5 < jac[1] < cont[1]  # only the trigrams across the cut are not in the query
    assert cont[2] == jac[2] == 0.0
    assert (cont.tolist(), jac.tolist()) == _expected(query, docs)
    cont, jac = char_similarities(query, [*docs, "ab", "ได้"])  # a two-letter text is one gram: "ab" is not in it
    assert (cont[3], jac[3]) == (0.0, 0.0) and cont[4] == 1.0
    assert (cont.tolist(), jac.tolist()) == _expected(query, [*docs, "ab", "ได้"])


def _reference_candidates(index: NearDupIndex, text: str) -> set[int]:
    """NearDupIndex.candidates as it was: both ends of every band's bucket searched."""
    keys = index.band_keys(index.hasher.signature(text)[None, :])[0]
    lo, hi = np.searchsorted(index._keys, keys, "left"), np.searchsorted(index._keys, keys, "right")
    found = [index._ids[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True) if b > a]
    return set(np.concatenate(found).tolist()) if found else set()


def test_near_duplicate_candidates_are_the_buckets_the_bands_fall_in() -> None:
    rng = random.Random(8)
    base = [
        "กระทรวงสาธารณสุขเตือนอย่าดื่มน้ำมะนาวผสมโซดารักษามะเร็ง",
        "ธนาคารเปิดให้กู้เงินห้าหมื่นบาทผ่านไลน์",
        "กรมอุตุนิยมวิทยาประกาศพายุเข้าภาคเหนือสัปดาห์หน้า",
        "แอปเป๋าตังแจกเงินดิจิทัลหนึ่งหมื่นบาททุกคน",
    ]
    texts = [t[: rng.randint(0, 4)] + t + _text(rng, 3) for t in base for _ in range(30)]
    index = NearDupIndex(0.5, rebuild_min=10)
    index.add_many(enumerate(texts))
    index.rebuild()
    queries = texts[::7] + [t.replace("เงิน", "ทอง") for t in base] + ["ข้อความที่ไม่เคยมีใครเขียนมาก่อนเลยจริงๆ", "x"]
    found_some = 0
    for query in queries:
        got = index.candidates(query)
        assert got == _reference_candidates(index, query)
        found_some += bool(got)
    assert found_some >= len(texts[::7])  # every indexed text finds itself
    assert index.candidates("ข้อความที่ไม่เคยมีใครเขียนมาก่อนเลยจริงๆ") == set()
