"""Curated Thai cue-word lists (package data) and whole-word matching of cues in a prepared text."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from khaojing.triage.features import CUES, PIECE_CHARS, TextFeatures

LEXICON_DIR = Path(__file__).parent / "lexicons"


@lru_cache(maxsize=8)
def load(name: str) -> dict:
    """A lexicon file of the package (`lexicons/<name>.json`), read once."""
    return json.loads((LEXICON_DIR / f"{name}.json").read_text(encoding="utf-8"))


def cue_list(cues: list[str] | str) -> list[str]:
    """Cues are written one per list item or space-separated (a cue with spaces uses "_"); at most PIECE_CHARS
    characters each."""
    items = cues.split() if isinstance(cues, str) else cues
    found = [c.replace("_", " ").lower() for c in items if c.strip()]
    too_long = [c for c in found if len(c) > PIECE_CHARS]
    if too_long:
        raise ValueError(f"cue words longer than {PIECE_CHARS} characters never match: {too_long}")
    return found


def matches(feats: TextFeatures, cues: list[str]) -> list[str]:
    """The cues that occur in the text as whole words (start and end on word boundaries), in list order."""
    if not CUES.knows(cues):
        CUES.add(cues)
    hits = feats.cue_pieces().intersection(cues)  # most lists have no hit: one C-level pass answers them
    return [cue for cue in cues if cue in hits] if hits else []


def topic_cues(lexicon: dict[str, list[str] | str]) -> dict[str, list[str]]:
    return {key: cue_list(cues) for key, cues in lexicon.items()}
