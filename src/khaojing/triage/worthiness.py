"""Claim-worthiness: rules for the obvious non-claims, then a classifier of checkable claims versus chatter."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from khaojing.thai.normalize import phones_in, urls_in
from khaojing.triage import fitting, lexicon
from khaojing.triage.features import TextFeatures
from khaojing.triage.linear import LinearModel

MODEL_NAME = "worthiness"
CLAIM, CHATTER = "claim", "chatter"
THRESHOLD = 0.5
LONG_TEXT = 600     # texts longer than this are also read in chunks: a claim buried in a long forward counts
CHUNK = 400
LINK_ONLY_SCORE = 0.5
_THAI_OR_LATIN = re.compile(r"[\u0e01-\u0e2e\u0e40-\u0e46a-zA-Z0-9]")
_PUNCT_OR_SYMBOL = re.compile(r"[^\w\s]|_", re.UNICODE)


@dataclass
class Worthiness:
    is_claim: bool
    score: float
    reasons: list[str] = field(default_factory=list)
    rule: str | None = None   # the rule that decided without the classifier, if any


@dataclass(frozen=True)
class Rules:
    small_talk: dict[str, frozenset[str]]
    placeholders: re.Pattern
    advert: list[str]
    opinion: list[str]
    min_letters: int
    min_words: int

    @property
    def talk_words(self) -> frozenset[str]:
        return self.small_talk["all"]


@lru_cache(maxsize=1)
def default_rules() -> Rules:
    data = lexicon.load("worthiness")
    talk = {name: frozenset(lexicon.cue_list(data[name])) for name in ("greeting", "thanks", "filler")}
    talk["all"] = talk["greeting"] | talk["thanks"] | talk["filler"]
    return Rules(talk, re.compile(data["placeholders"], re.IGNORECASE), lexicon.cue_list(data["advert"]),
                 lexicon.cue_list(data["opinion"]), int(data["too_short_letters"]), int(data["too_short_words"]))


def _has_letters(text: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def _small_talk(feats: TextFeatures, rules: Rules) -> str | None:
    """"greeting", "thanks" or "small_talk" when every word is a greeting, thanks or filler word."""
    tokens = [t for t in feats.words if not _PUNCT_OR_SYMBOL.fullmatch(t) and _has_letters(t)]
    joined = "".join(tokens)
    talk, everything = rules.small_talk, rules.talk_words
    if not tokens or not (all(t in everything for t in tokens) or joined in everything):
        return None
    if any(t in talk["greeting"] for t in tokens) or joined in talk["greeting"]:
        return "greeting"
    if any(t in talk["thanks"] for t in tokens) or joined in talk["thanks"]:
        return "thanks"
    return "small_talk"


def rule_reason(raw: str, feats: TextFeatures, rules: Rules | None = None) -> str | None:
    """Why a text is plainly not a claim (empty, emoji only, sticker, greeting, too short …), or None."""
    rules = rules or default_rules()
    if not raw.strip():
        return "empty"
    without_placeholders = rules.placeholders.sub(" ", raw)
    if not _has_letters(without_placeholders):
        return "sticker" if rules.placeholders.search(raw) else "emoji_only"
    letters = len(_THAI_OR_LATIN.findall(feats.text))
    if letters == 0:
        return "link_only" if urls_in(raw) else "unsupported_script"
    talk = _small_talk(feats, rules)
    if talk:
        return talk
    if letters < rules.min_letters or len(feats.words) < rules.min_words:
        return "too_short"
    return None


def chunks(feats: TextFeatures, size: int = CHUNK) -> list[TextFeatures]:
    """A long text cut into pieces of about `size` characters at word boundaries."""
    pieces, current, length = [], [], 0
    for word in feats.words:
        current.append(word)
        length += len(word)
        if length >= size:
            pieces.append(TextFeatures(" ".join(current)))
            current, length = [], 0
    if current:
        pieces.append(TextFeatures(" ".join(current)))
    return pieces


def claim_probability(model: LinearModel, feats: TextFeatures) -> tuple[float, bool]:
    """(probability of a claim, whether a chunk of a long text decided it)."""
    index = model.classes.index(CLAIM)
    whole = float(fitting.probabilities(model, feats)[index])
    if len(feats.text) <= LONG_TEXT or whole >= float(model.meta.get("threshold", THRESHOLD)):
        return whole, False
    best = max(float(fitting.probabilities(model, piece)[index]) for piece in chunks(feats))
    return max(whole, best), best > whole


def signals(raw: str, feats: TextFeatures) -> list[str]:
    found = []
    if any(ch.isdigit() for ch in feats.text):
        found.append("has_number")
    if urls_in(raw):
        found.append("has_link")
    if phones_in(raw):
        found.append("has_phone")
    return found


def assess(model: LinearModel, raw: str, feats: TextFeatures, rules: Rules | None = None) -> Worthiness:
    rules = rules or default_rules()
    reason = rule_reason(raw, feats, rules)
    if reason == "link_only":  # a bare link is a request to check it: the link matcher and analysts look at it
        return Worthiness(True, LINK_ONLY_SCORE, [reason, "has_link"], rule=reason)
    if reason:
        return Worthiness(False, 0.0, [reason], rule=reason)
    score, from_chunk = claim_probability(model, feats)
    threshold = float(model.meta.get("threshold", THRESHOLD))
    if score >= threshold:
        reasons = ["looks_like_claim"] + (["claim_in_long_text"] if from_chunk else [])
        return Worthiness(True, round(score, 4), reasons + signals(raw, feats))
    reasons = [key for key, cues in (("advert", rules.advert), ("opinion", rules.opinion))
               if lexicon.matches(feats, cues)]
    return Worthiness(False, round(score, 4), reasons or ["no_assertion"])
