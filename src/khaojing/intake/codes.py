"""Tracking codes a citizen can read out and type: KJ-XXXX-XXXX in Crockford base32 (no I, L, O, U)."""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CLEAN = re.compile(r"[^0-9A-Z]")
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_tracking_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"KJ-{body[:4]}-{body[4:]}"


def normalise_tracking_code(raw: str) -> str | None:
    """Accept what people type: any case, spaces or dashes, O for 0, I/L for 1. None if it cannot be a code."""
    s = _CLEAN.sub("", raw.upper().translate(_CONFUSABLE))
    if s.startswith("KJ"):
        s = s[2:]
    s = s.translate(_CONFUSABLE)
    if len(s) != 8 or any(ch not in ALPHABET for ch in s):
        return None
    return f"KJ-{s[:4]}-{s[4:]}"
