"""User-facing texts in Thai and English for the web layer: the catalogue lives in `khaojing.messages` (neutral, so
the domain does not import the web package); this module re-exports what templates and views use."""

from __future__ import annotations

from khaojing.messages import LANGUAGES, MESSAGES, pick_language, register, say, t

__all__ = ["LANGUAGES", "MESSAGES", "pick_language", "register", "say", "t"]
