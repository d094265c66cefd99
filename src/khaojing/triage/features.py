"""Text features for screening: capped, normalised text; newmm words; syllables; word-boundary-aware n-grams."""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache

from khaojing.thai.normalize import for_matching
from khaojing.thai.tokenize import words

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


def char_ngrams(tokens: list[str], lo: int = CHAR_NGRAMS[0], hi: int = CHAR_NGRAMS[1]) -> list[str]:
    """Character n-grams of each word padded with spaces (they never cross a word boundary)."""
    grams: list[str] = []
    for token in tokens:
        padded = f" {token} "
        size = len(padded)
        for n in range(lo, min(hi, size) + 1):
            if n == 1:
                grams.extend(token)  # single characters, without the padding spaces
            else:
                grams.extend(padded[i:i + n] for i in range(size - n + 1))
    return grams


def ngrams(tokens: list[str], lo: int, hi: int) -> list[str]:
    return [_SEP.join(tokens[i:i + n]) for n in range(lo, hi + 1) for i in range(len(tokens) - n + 1)]


def whole_word_pieces(text: str, boundaries: frozenset[int], max_chars: int = PIECE_CHARS,
                      max_bounds: int = PIECE_BOUNDS) -> frozenset[str]:
    """Every piece of the text that starts and ends on a word boundary: a cue occurs as whole words exactly when it
    is one of these."""
    bounds, found = sorted(boundaries), set()
    for i, start in enumerate(bounds):
        for end in bounds[i + 1:i + 1 + max_bounds]:
            if end - start > max_chars:
                break
            found.add(text[start:end])
    return frozenset(found)


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

    @cached_property
    def boundaries(self) -> frozenset[int]:
        """Character offsets where a word starts or ends (cue words only match whole words)."""
        found, pos = {0, len(self.text)}, 0
        for token in self.words:
            start = self.text.find(token, pos)
            if start < 0:
                continue
            found.update((start, start + len(token)))
            pos = start + len(token)
        return frozenset(found)

    @cached_property
    def pieces(self) -> frozenset[str]:
        return whole_word_pieces(self.text, self.boundaries)


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
