"""Undo Tesseract's usual Thai misreadings (ำ read as า, stacked tone marks dropped) where the dictionary is sure.

A misread form is repaired only when it is unambiguous: it comes from one dictionary word, is itself no word (neither
in PyThaiNLP's dictionary nor in its Thai National Corpus and TTC frequency lists), occurs inside no dictionary word,
is not likely two real words written side by side, and covers whole newmm tokens of the text it is found in. So
correct text is (nearly always) left alone and an OCR'd screenshot gets the match key of the text it shows.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable, Iterable
from functools import lru_cache

TONES = "\u0e48\u0e49\u0e4a\u0e4b"  # ่ ้ ๊ ๋
UPPER_VOWELS = "\u0e31\u0e34\u0e35\u0e36\u0e37"  # ั ิ ี ึ ื
THAI_MARKS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"  # every Thai character that sits above or below its consonant
MIN_LENGTH = 3
MAX_PASSES = 3
SAFETY = 100  # see _likely_written; tuned on AFNC, Cofact and Wisesight texts (see tests/thai/test_ocrfix.py)

_STACKED_TONE = re.compile(f"(?<=[{UPPER_VOWELS}])[{TONES}]")
_TONE_BEFORE_AM = re.compile(f"[{TONES}](?=\u0e33)")
_HAS_THAI = re.compile("[\u0e01-\u0e2e]")
_LEADING_VOWEL = re.compile("[\u0e40-\u0e44]")


def _am_read_as_aa(word: str) -> str:
    return word.replace("\u0e33", "\u0e32")


def _stacked_tone_dropped(word: str) -> str:
    return _STACKED_TONE.sub("", word)


def _tone_before_am_dropped(word: str) -> str:
    return _TONE_BEFORE_AM.sub("", word)


MISREADINGS: tuple[Callable[[str], str], ...] = (_stacked_tone_dropped, _tone_before_am_dropped, _am_read_as_aa)


def misread_forms(word: str) -> set[str]:
    """Every form of `word` that one or more of the usual misreadings produce (the word itself excluded)."""
    forms = set()
    for n in range(1, len(MISREADINGS) + 1):
        for combo in itertools.combinations(MISREADINGS, n):
            form = word
            for misread in combo:
                form = misread(form)
            forms.add(form)
    forms.discard(word)
    return forms


def _corpus_path(name: str) -> str:
    from pythainlp.corpus import corpus_path

    return os.path.join(corpus_path(), name)


def _read_words(name: str) -> set[str]:
    with open(_corpus_path(name), encoding="utf-8") as fh:
        return {word for word in (line.strip() for line in fh) if word}


def _read_frequencies(*names: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name in names:
        with open(_corpus_path(name), encoding="utf-8") as fh:
            for line in fh:
                word, _, count = line.rstrip("\n").partition("\t")
                if word and count.isdigit():
                    counts[word] = counts.get(word, 0) + int(count)
    return counts


def _likely_written(form: str, word: str, freq: dict[str, int], total: int) -> bool:
    """True when `form` is as likely two real words side by side (ให้นำ = ให้ + นำ) as a misreading of `word`:
    the count the two words would have next to each other by chance, times SAFETY, reaches the count of `word`."""
    target = freq.get(word, 0)
    for i in range(1, len(form)):
        left, right = freq.get(form[:i]), freq.get(form[i:])
        if left and right and left * right / total * SAFETY >= target:
            return True
    return False


def build_repairs(words: Iterable[str], freq: dict[str, int]) -> dict[str, str]:
    """misread form -> word, for unambiguous forms that are no known word, sit inside no dictionary word and are
    not likely two real words side by side."""
    words = set(words)
    total = sum(freq.values()) or 1
    candidates: dict[str, set[str]] = {}
    for word in words:
        if "\u0e33" in word or _STACKED_TONE.search(word) or _TONE_BEFORE_AM.search(word):
            for form in misread_forms(word):
                if len(form) >= MIN_LENGTH and form not in words and form not in freq:
                    candidates.setdefault(form, set()).add(word)
    unambiguous = {form: next(iter(src)) for form, src in candidates.items() if len(src) == 1}
    inside = _occurring_in(unambiguous, "\n".join(words))
    return {form: word for form, word in unambiguous.items()
            if form not in inside and not _likely_written(form, word, freq, total)}


def _occurring_in(forms: dict[str, str], text: str) -> set[str]:
    """The forms found anywhere in text, overlaps included (all forms found at one place lie on one trie path)."""
    if not forms:
        return set()
    found = set()
    for match in re.finditer(f"(?=({_trie_pattern(forms)}))", text):
        longest = match.group(1)
        found.update(longest[:n] for n in range(MIN_LENGTH, len(longest) + 1) if longest[:n] in forms)
    return found


@lru_cache(maxsize=1)
def repairs() -> dict[str, str]:
    """The repair table from PyThaiNLP's bundled dictionary and TNC/TTC word frequencies (built once, ~1 s)."""
    return build_repairs(_read_words("words_th.txt"), _read_frequencies("tnc_freq.txt", "ttc_freq.txt"))


def _trie_pattern(forms: Iterable[str]) -> str:
    """A regex alternation shaped as a trie (fast on thousands of literals), longest match first."""
    trie: dict = {}
    for form in forms:
        node = trie
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    # not before a Thai mark (the form would end inside a cluster); "not after a leading vowel" is checked in
    # _repair_once: a lookbehind here would slow the search down twice
    return re.compile(f"(?:{_trie_pattern(repairs())})(?![{THAI_MARKS}])")


def _boundaries(text: str) -> set[int]:
    from khaojing.thai.tokenize import segment

    tokens = segment(text)
    if "".join(tokens) != text:
        return set()
    ends, position = {0}, 0
    for token in tokens:
        position += len(token)
        ends.add(position)
    return ends


def _repair_once(text: str, table: dict[str, str], pattern: re.Pattern[str]) -> str:
    matches = list(pattern.finditer(text))
    if not matches:
        return text
    bounds = _boundaries(text)
    out, last = [], 0
    for m in matches:
        after_lead = m.start() > 0 and _LEADING_VOWEL.match(text, m.start() - 1)
        if m.start() in bounds and m.end() in bounds and not after_lead:
            # the form is whole words, not the tail of one (หน้ามัน -> น้ามัน) nor a syllable's end
            out += [text[last:m.start()], table[m.group()]]
            last = m.end()
    return "".join(out) + text[last:]


def repair(text: str) -> str:
    """Replace the unambiguous misread forms in `text` by their dictionary words (repeated until stable)."""
    if not _HAS_THAI.search(text):
        return text
    table, pattern = repairs(), _pattern()
    for _ in range(MAX_PASSES):
        fixed = _repair_once(text, table, pattern)
        if fixed == text:
            break
        text = fixed
    return text
