"""Thai word and sentence tokenisation: newmm over PyThaiNLP's dictionary (nlpo3's Rust newmm when installed)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import compress
from pathlib import Path
from types import ModuleType

NLPO3_DICT_NAME = "khaojing-words-th"
RECENT, RECENT_MAX_CHARS = 64, 20_000  # segment() keeps the tokens of the last RECENT texts (not too long ones)
SHORT_SENTENCE = 12  # a Thai clause shorter than this (characters) stays with the next one ("คาดว่า เป็น…")

_THAI = "\u0e01-\u0e4f\u0e5a\u0e5b"
_THAI_LETTERS = "\u0e01-\u0e3a\u0e40-\u0e4e\u0e50-\u0e5b"
# an abbreviation (ก.ค., สธ., ก.ล.ต., มิ.ย., จ.) is one token; any other run of Thai goes through newmm
_ABBREVIATION = "(?:[\u0e01-\u0e2e][\u0e01-\u0e2e\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]{0,2}\\.)+"
_THAI_RUN = re.compile(f"(?<![{_THAI_LETTERS}.]){_ABBREVIATION}|[{_THAI_LETTERS}]+")
_OTHER_TOKEN = re.compile(r"\s+|\d+(?:[.,:/]\d+)*|[^\W_]+(?:['’][^\W_]+)*|\S", re.UNICODE)
_HARD_BREAK = re.compile(r"\s*\n\s*")
_PUNCT_BREAK = re.compile(r"(?<=[!?…。！？])\s+|(?<=[^\s.]{3}\.)\s+")  # not after ก.ค. / จ. / น.
_THAI_SPACE = re.compile(f"(?<=[{_THAI}])(?<!ๆ)(?<!ฯ) +(?![ๆฯ])(?=[{_THAI}])")


def dictionary_path() -> Path:
    """PyThaiNLP's word list (words_th.txt), the one dictionary both engines use."""
    from pythainlp.corpus import corpus_path

    return Path(corpus_path()) / "words_th.txt"


@lru_cache(maxsize=1)
def _nlpo3() -> ModuleType | None:
    """nlpo3 with PyThaiNLP's dictionary loaded, or None when nlpo3 or the word list is missing."""
    try:
        import nlpo3
    except ImportError:
        return None
    path = dictionary_path()
    if not path.is_file():  # nlpo3 panics (BaseException) on a missing file: look first
        return None
    message, loaded = nlpo3.load_dict(str(path), NLPO3_DICT_NAME)
    if not loaded and "already exists" not in message:
        return None
    return nlpo3


def engine() -> str:
    """Which newmm runs here: 'nlpo3' (Rust, ~4x faster) or 'pythainlp' (pure Python); same output."""
    return "nlpo3" if _nlpo3() is not None else "pythainlp"


# Thai run -> nlpo3's words: runs repeat (phrases, forwarded copies) and newmm cuts a run alone the same wherever it
# occurs; at _RUNS_MAX runs, start afresh
_RUNS: dict[str, tuple[str, ...]] = {}
_RUNS_MAX = 30_000


def forget_runs() -> None:
    """Empty the store of segmented runs (a benchmark measures each pass from cold)."""
    _RUNS.clear()


def _newmm(thai: str) -> Sequence[str]:
    nlpo3 = _nlpo3()
    if nlpo3 is not None:
        found = _RUNS.get(thai)
        if found is None:
            if len(_RUNS) >= _RUNS_MAX:
                _RUNS.clear()
            found = _RUNS[thai] = tuple(nlpo3.segment(thai, NLPO3_DICT_NAME))
        return found
    from pythainlp.tokenize import word_tokenize

    return word_tokenize(thai, engine="newmm", keep_whitespace=True)


def _segment(text: str, newmm: Callable[[str], Sequence[str]]) -> list[str]:
    """Thai runs through newmm; everything else (Latin, digits, punctuation, emoji, spaces) by one shared rule, so
    that both newmm engines give the same tokens (they group non-Thai characters differently)."""
    tokens: list[str] = []
    position = 0
    for run in _THAI_RUN.finditer(text):
        tokens += _OTHER_TOKEN.findall(text, position, run.start())
        tokens += [run.group()] if run.group().endswith(".") else newmm(run.group())
        position = run.end()
    tokens += _OTHER_TOKEN.findall(text, position)
    return tokens


def segment(text: str) -> list[str]:
    """Tokens including whitespace tokens: "".join(segment(text)) == text."""
    if not text:
        return []
    if len(text) > RECENT_MAX_CHARS:
        return _segment(text, _newmm)
    return list(_segment_recent(text, _nlpo3() is not None))


@lru_cache(maxsize=RECENT)
def _segment_recent(text: str, nlpo3: bool) -> tuple[str, ...]:  # noqa: ARG001 - `nlpo3`: the engine is in the key
    """segment() of the last RECENT texts: matching tokenises a report's claim core and screening its match text,
    which are most often the same text."""
    return tuple(_segment(text, _newmm))


def segment_pythainlp(text: str) -> list[str]:
    """segment() with PyThaiNLP's pure-Python newmm, whatever is installed (to compare the engines)."""
    from pythainlp.tokenize import word_tokenize

    return _segment(text, lambda thai: word_tokenize(thai, engine="newmm", keep_whitespace=True)) if text else []


def words(text: str) -> list[str]:
    """Word tokens without whitespace tokens (newmm, PyThaiNLP's dictionary)."""
    tokens = segment(text)
    return list(compress(tokens, map(str.strip, tokens)))  # (C loop) strip() is "" exactly for blank tokens


def _pieces(text: str, pattern: re.Pattern[str]) -> list[str]:
    return [p.strip() for p in pattern.split(text) if p and p.strip()]


def _merge_short(clauses: list[str]) -> list[str]:
    merged: list[str] = []
    for clause in clauses:
        if merged and len(merged[-1]) < SHORT_SENTENCE:
            merged[-1] = f"{merged[-1]} {clause}"
        else:
            merged.append(clause)
    if len(merged) > 1 and len(merged[-1]) < SHORT_SENTENCE:
        merged[-2:] = [f"{merged[-2]} {merged[-1]}"]
    return merged


def sentences(text: str) -> list[str]:
    """Sentences by rule: Thai marks their ends with line breaks and spaces rather than full stops.

    Breaks at line breaks; after ! ? … and after a full stop that ends a word (not an abbreviation such as ก.ค. or
    จ.); and at a space between two Thai words, except around ๆ and ฯ and where a piece would be shorter than
    SHORT_SENTENCE characters (that piece joins its neighbour). Latin text is split only at punctuation.
    """
    out: list[str] = []
    for line in _pieces(text or "", _HARD_BREAK):
        for part in _pieces(line, _PUNCT_BREAK):
            out.extend(_merge_short(_pieces(part, _THAI_SPACE)))
    return out
