"""Harm scores (danger to life or health, to property or money) from curated Thai cues, patterns and the topic."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from khaojing.thai.normalize import phones_in, urls_in
from khaojing.triage import lexicon
from khaojing.triage.features import TextFeatures

KINDS = ("life", "property")
REPEAT_BONUS = 0.25   # each further cue of the same group adds a quarter of the group's weight
MAX_WEIGHT = 0.95


@dataclass
class Cue:
    """One reason found in a text: the lexicon entry and what matched it."""

    kind: str
    key: str
    th: str
    en: str
    evidence: str
    weight: float


@dataclass(frozen=True)
class HarmLexicon:
    version: str
    groups: list[dict]
    combinations: list[dict]
    patterns: list[tuple[dict, re.Pattern]]
    signals: dict[str, re.Pattern]
    topic_priors: dict[str, dict[str, float]]


@lru_cache(maxsize=1)
def default_lexicon() -> HarmLexicon:
    return compile_lexicon(lexicon.load("harm"))


def compile_lexicon(data: dict) -> HarmLexicon:
    groups = [{**g, "cues": lexicon.cue_list(g["cues"])} for g in data["groups"]]
    patterns = [(p, re.compile(p["regex"])) for p in data.get("patterns", [])]
    signals = {name: re.compile(rx, re.IGNORECASE) for name, rx in data.get("signals", {}).items()}
    return HarmLexicon(data.get("version", "unversioned"), groups, data.get("combinations", []), patterns, signals,
                       data.get("topic_priors", {}))


def _signals(lex: HarmLexicon, raw: str) -> set[str]:
    """Which of money / contact / link occur in the original text (links and phones are gone from the prepared
    text, so this reads the raw one)."""
    found = {name for name, rx in lex.signals.items() if rx.search(raw)}
    if urls_in(raw):
        found.add("link")
    if phones_in(raw):
        found.add("contact")
    return found


def _group_cues(lex: HarmLexicon, feats: TextFeatures) -> tuple[list[Cue], dict[str, list[str]]]:
    cues, matched = [], {}
    for group in lex.groups:
        found = lexicon.matches(feats, group["cues"])
        if found:
            matched[group["key"]] = found
            weight = min(MAX_WEIGHT, group["weight"] * (1 + REPEAT_BONUS * (len(found) - 1)))
            cues.append(Cue(group["kind"], group["key"], group["th"], group["en"], ", ".join(found), weight))
    return cues, matched


def _alternative(alt: str, feats: TextFeatures, matched: dict[str, list[str]], signals: set[str]) -> str | None:
    """What satisfies one alternative of a combination ("@group", "#signal" or a cue word), or None."""
    if alt.startswith("@"):
        return matched[alt[1:]][0] if alt[1:] in matched else None
    if alt.startswith("#"):
        return alt[1:] if alt[1:] in signals else None
    found = lexicon.matches(feats, _cue(alt))
    return found[0] if found else None


@lru_cache(maxsize=4096)
def _cue(alt: str) -> list[str]:
    """A cue word of a combination as a cue list (read once; the caller never changes the list)."""
    return lexicon.cue_list([alt])


def _combinations(lex: HarmLexicon, feats: TextFeatures, matched: dict[str, list[str]],
                  signals: set[str]) -> list[Cue]:
    cues = []
    for combo in lex.combinations:
        evidence = []
        for part in combo["all_of"]:
            hit = next((h for alt in part.split() if (h := _alternative(alt, feats, matched, signals))), None)
            if hit is None:
                break
            evidence.append(hit)
        else:
            cues.append(Cue(combo["kind"], combo["key"], combo["th"], combo["en"], " + ".join(evidence),
                            combo["weight"]))
    return cues


def _patterns(lex: HarmLexicon, raw: str) -> list[Cue]:
    cues = []
    for pattern, rx in lex.patterns:
        match = rx.search(raw)
        if match:
            cues.append(Cue(pattern["kind"], pattern["key"], pattern["th"], pattern["en"], match.group(0).strip(),
                            pattern["weight"]))
    return cues


def _topic_cues(lex: HarmLexicon, topic_scores: dict[str, float], topic_names: dict[str, tuple[str, str]]) -> list[Cue]:
    cues = []
    for kind in KINDS:
        for key, prior in lex.topic_priors.get(kind, {}).items():
            p = topic_scores.get(key, 0.0)
            if p * prior >= 0.05:
                th, en = topic_names.get(key, (key, key))
                cues.append(Cue(kind, f"topic_{key}", f"หมวดหมู่: {th}", f"Topic: {en}",
                                f"topic={key} p={p:.2f}", round(prior * p, 4)))
    return cues


def combine(weights: list[float]) -> float:
    """Noisy-OR: the chance that at least one of independent signals is right."""
    remaining = 1.0
    for w in weights:
        remaining *= 1.0 - max(0.0, min(w, MAX_WEIGHT))
    return round(1.0 - remaining, 4)


def assess(feats: TextFeatures, raw: str, topic_scores: dict[str, float],
           topic_names: dict[str, tuple[str, str]], lex: HarmLexicon | None = None) -> tuple[float, float, list[Cue]]:
    """(life, property, reasons strongest first) for a prepared text, its raw (capped) form and topic scores."""
    lex = lex or default_lexicon()
    signals = _signals(lex, raw)
    groups, matched = _group_cues(lex, feats)
    lowered = raw.lower()
    cues = groups + _combinations(lex, feats, matched, signals) + _patterns(lex, lowered)
    cues += _topic_cues(lex, topic_scores, topic_names)
    cues.sort(key=lambda c: -c.weight)
    life = combine([c.weight for c in cues if c.kind == "life"])
    prop = combine([c.weight for c in cues if c.kind == "property"])
    return life, prop, cues
