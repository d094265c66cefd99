"""Which language a message is written in, as far as khaojing needs to know: Thai, English or neither.

One rule for the tipline (which language to answer in) and for screening (an English message is not chatter just
because the Thai model cannot read it): Thai as soon as a Thai letter appears; English when there is no Thai letter
and enough English words outside the links."""

from __future__ import annotations

import re

from khaojing.thai.normalize import URL_RE

_THAI_LETTER = re.compile("[\u0e01-\u0e2e]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def has_thai(text: str) -> bool:
    return _THAI_LETTER.search(text) is not None


def without_links(text: str) -> str:
    return URL_RE.sub(" ", text)


def english_words(text: str) -> int:
    """Words of two or more Latin letters outside the links."""
    return len(_LATIN_WORD.findall(without_links(text)))


def text_language(text: str, *, min_english_words: int = 3) -> str | None:
    """'th' for a text with a Thai letter, 'en' for one with `min_english_words` English words and no Thai letter,
    else None (emoji, numbers, a bare link, one English word)."""
    if has_thai(text):
        return "th"
    return "en" if english_words(text) >= min_english_words else None
