"""Character n-grams of a query and its candidates: containment and Jaccard, robust to typos and OCR errors."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def char_ngrams(text: str, sizes: Sequence[int] = (2, 3, 4)) -> set[str]:
    compact = "".join(text.split())
    grams = {compact[i:i + n] for n in sizes for i in range(len(compact) - n + 1)}
    return grams or ({compact} if compact else set())


def char_similarity(query_grams: set[str], doc_grams: set[str]) -> tuple[float, float]:
    """(containment of the document's n-grams in the query, Jaccard): robust to typos and OCR errors."""
    if not query_grams or not doc_grams:
        return 0.0, 0.0
    common = len(query_grams & doc_grams)
    return common / len(doc_grams), common / (len(query_grams) + len(doc_grams) - common)  # (no union set built)


_FEW = 3  # char_similarities: fewer docs than this are compared as Python sets (numpy's set-up costs more)
_GRAM_BITS = 16  # a gram of up to three BMP characters is one integer below 2**48; the text's number goes above


def char_similarities(query_text: str, doc_texts: Sequence[str], size: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """char_similarity(char_ngrams(query_text, (size,)), char_ngrams(doc, (size,))) for every doc, as two float64
    arrays (containment, Jaccard): the grams of all the docs as integers, one sort (no Python set per doc)."""
    query = "".join(query_text.split())
    docs = ["".join(d.split()) for d in doc_texts]
    n = len(docs)
    lengths = np.fromiter(map(len, docs), dtype=np.int64, count=n)
    codes = (np.frombuffer((query + "".join(docs)).encode("utf-32-le"), dtype=np.uint32)
             if _FEW <= n < 1 << (63 - _GRAM_BITS * size) and size <= 3 and len(query) >= size
             and lengths.min() >= size else None)  # else few docs (sets cost less), or a whole-text gram
    if codes is None or int(codes.max()) >> _GRAM_BITS:  # (astral characters do not fit in 16 bits)
        grams = char_ngrams(query, (size,))
        pairs = [char_similarity(grams, char_ngrams(d, (size,))) for d in docs]
        return (np.fromiter((c for c, _ in pairs), dtype=np.float64, count=n),
                np.fromiter((j for _, j in pairs), dtype=np.float64, count=n))
    wide = codes.astype(np.int64)
    count = len(wide) - size + 1
    keys = wide[:count].copy()
    for k in range(1, size):
        keys <<= _GRAM_BITS
        keys |= wide[k:k + count]
    owner = np.repeat(np.arange(n + 1, dtype=np.int64), np.concatenate(([len(query)], lengths)))
    whole = owner[:count] == owner[size - 1:]  # the gram lies inside one text
    mine = np.sort(keys[:len(query) - size + 1])
    mine_size = 1 + int(np.count_nonzero(mine[1:] != mine[:-1]))
    theirs = (owner[:count] << (_GRAM_BITS * size)) | keys
    theirs = theirs[whole & (owner[:count] > 0)]
    theirs.sort()
    distinct = theirs[np.concatenate(([True], theirs[1:] != theirs[:-1]))]
    doc = (distinct >> (_GRAM_BITS * size)) - 1
    doc_size = np.bincount(doc, minlength=n)
    grams = distinct & ((1 << (_GRAM_BITS * size)) - 1)
    shared = mine[np.minimum(np.searchsorted(mine, grams), len(mine) - 1)] == grams
    common = np.bincount(doc[shared], minlength=n)
    return common / doc_size, common / (mine_size + doc_size - common)
