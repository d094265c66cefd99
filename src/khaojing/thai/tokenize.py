"""Thai word and sentence tokenisation with PyThaiNLP's dictionary (nlpo3's Rust newmm when installed: same output)."""

from __future__ import annotations

import re
from functools import lru_cache

from pythainlp.tokenize import word_tokenize

_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+|\n+|\s{2,}")


@lru_cache(maxsize=1)
def _nlpo3_ready() -> bool:
    try:
        import nlpo3
        from pythainlp.corpus import thai_words  # noqa: F401
        from pythainlp.corpus.common import _THAI_WORDS_FILENAME  # type: ignore[attr-defined]
        from pythainlp.tools import get_pythainlp_path  # noqa: F401
    except Exception:
        return False
    try:
        import os

        import pythainlp

        path = os.path.join(os.path.dirname(pythainlp.__file__), "corpus", _THAI_WORDS_FILENAME)
        nlpo3.load_dict(path, "khaojing")
        return True
    except Exception:
        return False


def words(text: str) -> list[str]:
    """Word tokens without whitespace tokens (newmm, PyThaiNLP's dictionary)."""
    if not text:
        return []
    if _nlpo3_ready():
        import nlpo3

        tokens = nlpo3.segment(text, "khaojing")
    else:
        tokens = word_tokenize(text, engine="newmm", keep_whitespace=False)
    return [t for t in tokens if t and not t.isspace()]


def sentences(text: str) -> list[str]:
    """Sentences: Thai marks sentence ends with spaces and line breaks rather than full stops."""
    return [s.strip() for s in _SENTENCE_END.split(text or "") if s and s.strip()]
