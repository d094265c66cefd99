"""Text features for screening: capped, normalised text; newmm words; syllables; word-boundary-aware n-grams."""

from __future__ import annotations

import hashlib
import os
import threading
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import accumulate, compress, repeat
from operator import sub

import numpy as np

from khaojing.thai.normalize import for_matching
from khaojing.thai.tokenize import segment, words

MAX_CHARS = 5_000          # only the first 5,000 characters of a text are screened
CHAR_NGRAMS = (1, 5)       # character n-grams inside each word (word-boundary aware), padded with a space
SYLLABLE_NGRAMS = (1, 2)   # syllable unigrams and bigrams
PIECE_CHARS = 40          # cue words and phrases are at most this long
PIECE_BOUNDS = 12         # ... and cross at most this many word boundaries (words and the spaces between them)
_SEP = "\x1f"


@lru_cache(maxsize=1)
def _syllable_dict() -> str | None:
    """Load PyThaiNLP's syllable list into nlpo3 once; None when nlpo3 or the list is missing."""
    try:
        import nlpo3
        import pythainlp
    except ImportError:
        return None
    path = os.path.join(os.path.dirname(pythainlp.__file__), "corpus", "syllables_th.txt")
    try:
        nlpo3.load_dict(path, "khaojing-syllables")
    except Exception:  # noqa: BLE001 - a broken optional accelerator falls back to PyThaiNLP
        return None
    return "khaojing-syllables"


def syllables(text: str) -> list[str]:
    """Thai syllables (dictionary-based maximal matching, PyThaiNLP's syllable list); Latin words stay whole."""
    if not text:
        return []
    name = _syllable_dict()
    if name is not None:
        import nlpo3

        tokens = nlpo3.segment(text, name)
    else:
        from pythainlp.tokenize import syllable_tokenize

        tokens = syllable_tokenize(text, engine="dict", keep_whitespace=False)
    return [t for t in tokens if t and not t.isspace()]


def prepare(text: str) -> tuple[str, bool]:
    """The text the models read: at most MAX_CHARS characters, normalised for matching (lower-case, no links)."""
    text = text or ""
    truncated = len(text) > MAX_CHARS
    return for_matching(text[:MAX_CHARS]), truncated


def _word_grams(token: str, lo: int, hi: int) -> list[str]:
    padded = f" {token} "
    size = len(padded)
    grams: list[str] = []
    for n in range(lo, min(hi, size) + 1):
        if n == 1:
            grams.extend(token)  # single characters, without the padding spaces
        else:
            grams.extend(padded[i:i + n] for i in range(size - n + 1))
    return grams


_WORD_GRAMS: dict[str, tuple[str, ...]] = {}  # word -> its CHAR_NGRAMS grams: words repeat, slicing them is the cost
_WORD_GRAMS_MAX = 200_000                      # distinct words kept (a few tens of MB at most), then start afresh


def char_ngrams(tokens: list[str], lo: int = CHAR_NGRAMS[0], hi: int = CHAR_NGRAMS[1]) -> list[str]:
    """Character n-grams of each word padded with spaces (they never cross a word boundary)."""
    grams: list[str] = []
    if (lo, hi) != CHAR_NGRAMS:
        for token in tokens:
            grams += _word_grams(token, lo, hi)
        return grams
    cache = _WORD_GRAMS
    for token in tokens:
        found = cache.get(token)
        if found is None:
            if len(cache) >= _WORD_GRAMS_MAX:
                cache.clear()
            found = cache[token] = tuple(_word_grams(token, lo, hi))
        grams += found
    return grams


def ngrams(tokens: list[str], lo: int, hi: int) -> list[str]:
    grams: list[str] = []
    for n in range(lo, hi + 1):
        if n == 1:
            grams += tokens
        elif n == 2:  # (the common sizes without a slice per gram)
            grams += map(_SEP.join, zip(tokens, tokens[1:], strict=False))
        else:
            grams += [_SEP.join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
    return grams


def whole_word_pieces(text: str, boundaries: frozenset[int], max_chars: int = PIECE_CHARS,
                      max_bounds: int = PIECE_BOUNDS) -> frozenset[str]:
    """Every piece of the text that starts and ends on a word boundary: a cue occurs as whole words exactly when it
    is one of these."""
    bounds, found = sorted(boundaries), set()
    last = len(bounds)
    for i, start in enumerate(bounds):
        # the next max_bounds boundaries at most max_chars away; the slices are taken in C (map over slice objects)
        stop = bisect_right(bounds, start + max_chars, i + 1, min(i + 1 + max_bounds, last))
        found.update(map(text.__getitem__, map(slice, repeat(start), bounds[i + 1:stop])))
    return frozenset(found)


class GramIds:
    """Integer ids for the n-grams that the loaded models know (the union of their vocabularies), per block. A text's
    grams are looked up here once for every model (linear.Vectorizer maps the ids to its own columns); grams no model
    knows get no id. Ids only grow: `version` changes when a model brings new grams."""

    _WORDS_MAX = 100_000  # words whose "c" gram ids are kept

    def __init__(self) -> None:
        self.ids: dict[str, dict[str, int]] = {}
        self.version = 0
        self._words: dict[str, np.ndarray] = {}  # word -> ids of its "c" grams (repeats kept), for this version
        self._lock = threading.Lock()

    def add(self, block: str, grams: Iterable[str]) -> np.ndarray:
        """The ids of these grams (new ones get the next ids)."""
        with self._lock:
            table = self.ids.setdefault(block, {})
            before = len(table)
            found = np.fromiter((table.setdefault(g, len(table)) for g in grams), dtype=np.int64)
            if len(table) != before:
                self._words = {}
                self.version += 1
            return found

    def size(self, block: str) -> int:
        return len(self.ids.get(block, ()))

    def lookup(self, block: str, grams: list[str]) -> np.ndarray:
        """Ids of the known grams among these, repeats kept."""
        table = self.ids.get(block)
        if not table or not grams:
            return np.zeros(0, dtype=np.int64)
        found = np.fromiter(map(table.get, grams, repeat(-1)), dtype=np.int64, count=len(grams))
        return found[found >= 0]

    def of_words(self, tokens: list[str]) -> np.ndarray:
        """Ids of the known CHAR_NGRAMS grams of these words (char_ngrams), repeats kept."""
        cache, parts = self._words, []
        for token in tokens:
            found = cache.get(token)
            if found is None:
                found = self.lookup("c", _word_grams(token, *CHAR_NGRAMS))
                if len(cache) >= self._WORDS_MAX:
                    cache.clear()
                cache[token] = found
            parts.append(found)
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


GRAM_IDS = GramIds()


class CueIndex:
    """Every cue word looked for so far (lexicon.matches registers them), by first characters -> lengths: a text
    then needs only the pieces that could be one of them (TextFeatures.cue_pieces), not all of its pieces."""

    def __init__(self) -> None:
        self.cues: set[str] = set()
        self.lengths: dict[str, frozenset[int]] = {}  # a cue's first two characters (its only one) -> cue lengths
        self.version = 0
        self._lock = threading.Lock()

    def knows(self, cues: Iterable[str]) -> bool:
        return self.cues.issuperset(cues)

    def add(self, cues: Iterable[str]) -> None:
        with self._lock:
            new = [c for c in cues if c not in self.cues and 0 < len(c) <= PIECE_CHARS]
            self.cues.update(cues)
            for cue in new:
                self.lengths[cue[:2]] = self.lengths.get(cue[:2], frozenset()) | {len(cue)}
            if new:
                self.version += 1


CUES = CueIndex()


@dataclass(frozen=True)
class TextFeatures:
    """One text, tokenised once; every model reads its n-gram counts from here."""

    text: str            # prepared (normalised, capped) text
    truncated: bool = False

    @cached_property
    def words(self) -> list[str]:
        return words(self.text)

    @cached_property
    def syllables(self) -> list[str]:
        return syllables(self.text)

    @cached_property
    def counts(self) -> dict[str, Counter[str]]:
        """Feature counts by block: "c" word-boundary character n-grams, "s" syllable n-grams."""
        return {"c": Counter(char_ngrams(self.words)), "s": Counter(ngrams(self.syllables, *SYLLABLE_NGRAMS))}

    def gram_ids(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """`counts` as GRAM_IDS ids, for the grams some loaded model knows: by block, (distinct ids, their counts)."""
        version = GRAM_IDS.version
        held = self.__dict__.get("_gram_ids")
        if held is not None and held[0] == version:
            return held[1]
        found = {"c": GRAM_IDS.of_words(self.words),
                 "s": GRAM_IDS.lookup("s", ngrams(self.syllables, *SYLLABLE_NGRAMS))}
        out = {block: np.unique(ids, return_counts=True) for block, ids in found.items()}
        self.__dict__["_gram_ids"] = (version, out)  # kept like a cached_property (the dataclass is frozen)
        return out

    @cached_property
    def boundaries(self) -> frozenset[int]:
        """Character offsets where a word starts or ends (cue words only match whole words)."""
        tokens = segment(self.text)  # the words and the whitespace between them, end to end
        lengths = list(map(len, tokens))
        ends = list(accumulate(lengths))
        word = list(map(str.strip, tokens))  # "" exactly for whitespace
        found = {0, len(self.text)}
        found.update(compress(ends, word))
        found.update(compress(map(sub, ends, lengths), word))
        return frozenset(found)

    @cached_property
    def pieces(self) -> frozenset[str]:
        return whole_word_pieces(self.text, self.boundaries)

    def cue_pieces(self) -> frozenset[str]:
        """The pieces (see `pieces`) that have the first characters and the length of a cue in CUES: a registered
        cue is one of these exactly when it is one of `pieces` (whole_word_pieces made far more strings)."""
        version = CUES.version
        held = self.__dict__.get("_cue_pieces")
        if held is not None and held[0] == version:
            return held[1]
        text, sizes_of = self.text, CUES.lengths.get
        bounds = sorted(self.boundaries)
        rank = {b: k for k, b in enumerate(bounds)}.get
        found = set()
        for k, start in enumerate(bounds):
            for sizes in (sizes_of(text[start:start + 1]), sizes_of(text[start:start + 2])):  # (no cue: None)
                if sizes:
                    for size in sizes:
                        end = rank(start + size)
                        if end is not None and end - k <= PIECE_BOUNDS:
                            found.add(text[start:start + size])
        out = frozenset(found)
        self.__dict__["_cue_pieces"] = (version, out)  # kept like a cached_property (the dataclass is frozen)
        return out


def features(text: str) -> TextFeatures:
    prepared, truncated = prepare(text)
    return TextFeatures(prepared, truncated)


# Texts whose features a model records when it is trained: if thai/ normalisation or tokenisation changes them, the
# model no longer sees what it learnt from and must be retrained (tests/triage/test_models.py checks this).
CANARIES = (
    "ด่วน!! กรุงไทยเปิดให้กู้เงิน 50,000 บาท ดอกเบี้ย 0% ลงทะเบียนที่ https://example.com/ktb ทักไลน์ @abc123",
    "อย. เตือน ยาสมุนไพรรักษามะเร็งหายขาด ไม่ผ่าน อย. ห้ามซื้อ!!! มากกกก 😱😱",
    "ก.ล.ต. และ ตลท. เปิดเว็บใหม่ให้ลงทุนหุ้น IPO ปันผล 30% ต่อเดือน โทร 081-234-5678",
    "กรมอุตุฯ ประกาศ พายุโซนร้อน \"วิภา\" ฝนตกหนัก 20–25 ก.ค. 68 ๑๒๓",
    "ทหารกัมพูชา ยิงปืนใหญ่ BM-21 ใส่บ้านเรือนประชาชน จ.ศรีสะเกษ (คลิป)",
    "Ｆｕｌｌ-width ＡＢＣ, ภาษาลาว ສະບາຍດີ, ខ្មែរ and English words… 55555",
)


def fingerprint() -> str:
    """A digest of the features of CANARIES under the installed normalisation and tokenisers."""
    digest = hashlib.sha256()
    for text in CANARIES:
        doc = features(text)
        for block in sorted(doc.counts):
            digest.update("\x1e".join(f"{g}\x1d{n}" for g, n in sorted(doc.counts[block].items())).encode("utf-8"))
    return digest.hexdigest()
