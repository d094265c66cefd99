"""Normalise Thai text: NFC, invisible characters, vowel order, repeated characters, digits, spacing; keep URLs/phones."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from pythainlp.util import normalize as thai_normalize
from pythainlp.util import thai_digit_to_arabic_digit

# zero-width and other invisible format characters seen in forwarded chat messages
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
                        "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_NEWLINES = re.compile(r"\s*\n\s*")
_REPEAT = re.compile(r"([^\d\s])\1{2,}")  # มากกกก -> มาก; digits are amounts and phone numbers: kept
URL_RE = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"'()\u0e00-\u0e7f]+[^\s<>\"'().,!?;:\u0e00-\u0e7f]")
PHONE_RE = re.compile(r"(?<!\d)(?:\+66[\s-]?|0)(?:\d[\s-]?){8,9}(?!\d)")


@dataclass(frozen=True)
class Normalized:
    """A text cleaned for people (`text`) and for matching (`match_text`), with the links and phones found in it."""

    text: str
    match_text: str
    urls: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.match_text.encode("utf-8")).hexdigest()


def clean(text: str) -> str:
    """Readable clean-up: NFC, no invisible/control characters, Thai vowel and tone order fixed, ํา -> ำ,
    Thai digits to Arabic, spaces collapsed (line breaks kept, at most one)."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub(" ", _INVISIBLE.sub("", text))
    text = text.replace("\u0e4d\u0e32", "\u0e33").replace("\r\n", "\n").replace("\r", "\n")
    text = thai_normalize(text)
    text = thai_digit_to_arabic_digit(text)
    text = _SPACES.sub(" ", text)
    text = _NEWLINES.sub("\n", text)
    return text.strip()


def for_matching(text: str) -> str:
    """The key used to compare texts: clean, without links, repeated letters collapsed, Latin lower-cased,
    one space between words."""
    text = URL_RE.sub(" ", clean(text))
    text = _REPEAT.sub(r"\1", text)
    return " ".join(text.lower().split())


def phones_in(text: str) -> list[str]:
    found = []
    for match in PHONE_RE.finditer(thai_digit_to_arabic_digit(text)):
        digits = re.sub(r"\D", "", match.group())
        digits = "0" + digits[2:] if digits.startswith("66") else digits
        if digits not in found:
            found.append(digits)
    return found


def urls_in(text: str) -> list[str]:
    found = []
    for match in URL_RE.finditer(text):
        url = match.group()
        url = url if url.lower().startswith("http") else "https://" + url
        if url not in found:
            found.append(url)
    return found


def normalize(text: str) -> Normalized:
    cleaned = clean(text)
    return Normalized(text=cleaned, match_text=for_matching(cleaned), urls=urls_in(cleaned),
                      phones=phones_in(cleaned))
