"""Thai digits (๐–๙) to Arabic digits (0–9) and back."""

from __future__ import annotations

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
ARABIC_DIGITS = "0123456789"
_TO_ARABIC = str.maketrans(THAI_DIGITS, ARABIC_DIGITS)
_TO_THAI = str.maketrans(ARABIC_DIGITS, THAI_DIGITS)


def to_arabic(text: str) -> str:
    """'๒๕๖๘' -> '2568'; every other character is kept."""
    return text.translate(_TO_ARABIC)


def to_thai(text: str) -> str:
    """'2568' -> '๒๕๖๘'; every other character is kept."""
    return text.translate(_TO_THAI)


def has_thai_digits(text: str) -> bool:
    return any(ch in THAI_DIGITS for ch in text)
