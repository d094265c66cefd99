"""Key content of a claim: its numbers and its most specific words, and whether a query states the same ones.

Two rumours written on one template ("กินกระเทียม … ฆ่าเชื้อโควิด" / "ดื่มน้ำมะนาวโซดา … ฆ่าเชื้อโควิด") share most
words and their embeddings are close; what tells them apart is the key entity or number that one has and the other
lacks. These features let the fusion model see that, so the calibrated score drops for such a pair.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAMED = re.compile(r"(?:covid|โควิด|โคโรนา)\s*-?\s*19", re.IGNORECASE)  # a name, not a stated figure
_MIN_KEY_CHARS = 2


def numbers(text: str) -> frozenset[str]:
    """The numbers a text states ("5,000" and "5000" are one number; a trailing ".0" is dropped)."""
    out = set()
    for raw in _NUMBER.findall(_NAMED.sub(" ", text)):
        value = raw.replace(",", "")
        if "." in value:
            value = value.rstrip("0").rstrip(".") or "0"
        out.add(value.lstrip("0") or "0")
    return frozenset(out)


def compact(text: str) -> str:
    return "".join(text.split()).lower()


def can_be_key(word: str) -> bool:
    """Whether a word may be a key word at all: long enough, not a number (numbers: number_features)."""
    return len(word) >= _MIN_KEY_CHARS and not _NUMBER.fullmatch(word)


def max_idf(n_docs: int) -> float:
    """The largest possible IDF among n_docs claims: key IDFs are put on a 0..1 scale with it."""
    return max(math.log(1.0 + (max(n_docs, 1) + 0.5) / 0.5), 1e-9)


def missing_key(words: Sequence[str], idfs: Sequence[float], other_words: set[str], other_compact: str,
                n_docs: int) -> tuple[float, str]:
    """The most specific of `words` (the longer among equally rare ones) that the other text does not state,
    neither as a token nor inside its characters (tokenisers cut the same word differently), and its IDF on a
    0..1 scale (over the largest possible IDF); (0.0, "") when the other text states them all.
    (ClaimIndex computes the same for all candidates at once with numpy.)"""
    worst, key = 0.0, ""
    for word, idf in zip(words, idfs, strict=True):
        if idf < worst or (idf == worst and len(word) <= len(key)) or not can_be_key(word):
            continue
        if word in other_words or word in other_compact:
            continue
        worst, key = idf, word
    return worst / max_idf(n_docs), key


def number_features(query_numbers: frozenset[str], claim_numbers: frozenset[str]) -> tuple[float, float]:
    """(the claim states a number the query also states, the claim states a number the query does not)."""
    if not claim_numbers:
        return 0.0, 0.0
    return float(bool(claim_numbers & query_numbers)), float(bool(claim_numbers - query_numbers))
