"""Claim-worthiness: rules for the obvious non-claims, then a classifier of checkable claims versus chatter."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

from khaojing.thai.language import text_language, without_links
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
SMALL_TALK_WORDS = 24  # a longer message is never only greetings and thanks
# The classifier learnt Thai (AFNC, Cofact, Wisesight): it scores English claims as chatter ("drinking hot water kills
# the coronavirus": 0.001). An English message this long that no rule calls small talk goes to an analyst instead.
ENGLISH_MIN_WORDS, ENGLISH_MIN_CHARS = 6, 40  # "Hi, is this the fact-check center?" stays out
# every key `worthiness_reasons` can hold, with the words a console shows for it
REASON_LABELS = {
    "empty": {"th": "ไม่มีข้อความ", "en": "empty"},
    "emoji_only": {"th": "มีแต่อีโมจิหรือสัญลักษณ์", "en": "emoji or symbols only"},
    "sticker": {"th": "สติกเกอร์หรือไฟล์แนบที่ไม่มีข้อความ", "en": "sticker or attachment placeholder"},
    "unsupported_script": {"th": "ไม่ใช่ภาษาไทยหรืออังกฤษ", "en": "neither Thai nor English"},
    "greeting": {"th": "คำทักทาย", "en": "greeting"},
    "thanks": {"th": "คำขอบคุณ", "en": "thanks"},
    "small_talk": {"th": "คำพูดทั่วไป ไม่มีเนื้อหา", "en": "small talk"},
    "too_short": {"th": "ข้อความสั้นเกินไป", "en": "too short"},
    "no_assertion": {"th": "ไม่มีข้อกล่าวอ้าง", "en": "no assertion"},
    "advert": {"th": "โฆษณา", "en": "advertisement"},
    "opinion": {"th": "ความคิดเห็น", "en": "opinion"},
    "looks_like_claim": {"th": "มีลักษณะเป็นข้อกล่าวอ้าง", "en": "looks like a claim"},
    "claim_in_long_text": {"th": "พบข้อกล่าวอ้างในข้อความยาว", "en": "a claim inside a long text"},
    "link_only": {"th": "มีแต่ลิงก์", "en": "a link only"},
    "harmful": {"th": "อาจเป็นอันตราย จึงส่งให้ตรวจสอบ", "en": "possibly harmful, so checked"},
    "english_unscreened": {"th": "ภาษาอังกฤษ: แบบจำลองคัดกรองอ่านได้เฉพาะภาษาไทย จึงส่งให้เจ้าหน้าที่พิจารณา",
                           "en": "English: the screening model reads Thai only, so an analyst decides"},
    "has_number": {"th": "มีตัวเลข", "en": "has a number"},
    "has_link": {"th": "มีลิงก์", "en": "has a link"},
    "has_phone": {"th": "มีเบอร์โทรศัพท์", "en": "has a phone number"},
}
# the rule reasons that say a message is plainly not a claim, whatever its length (the tipline answers them as
# small talk; a longer message without a claim is offered for checking instead)
PLAINLY_NOT_A_CLAIM = frozenset({"empty", "emoji_only", "sticker", "greeting", "thanks", "small_talk", "too_short",
                                 "unsupported_script"})
_THAI_OR_LATIN = re.compile(r"[\u0e01-\u0e2e\u0e40-\u0e46a-zA-Z0-9]")
_PUNCT_OR_SYMBOL = re.compile(r"[^\w\s]|_", re.UNICODE)
_LAUGHTER = re.compile(r"5{3,}|(?:ฮ่า|ฮา|คิคิ|อิอิ|หุหุ|ha)+", re.IGNORECASE)


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
    """"greeting", "thanks" or "small_talk" when the message is only greetings, thanks, filler words or laughter
    (a greeting split into several words, หวัด|ดี, counts as one)."""
    if len(feats.words) > SMALL_TALK_WORDS:
        return None
    tokens = [t for t in feats.words if not _PUNCT_OR_SYMBOL.fullmatch(t) and _has_letters(t)]
    if not tokens:
        return None
    talk = rules.small_talk
    core = [t for t in tokens if not _LAUGHTER.fullmatch(t) and t not in talk["filler"]]
    joined = "".join(core)
    for kind in ("greeting", "thanks"):
        if joined in talk[kind]:
            return kind
    if not all(t in rules.talk_words for t in core):
        return None
    if any(t in talk["greeting"] for t in core):
        return "greeting"
    return "thanks" if core else "small_talk"


def rule_reason(raw: str, feats: TextFeatures, rules: Rules | None = None) -> str | None:
    """Why a text is plainly not a claim (empty, emoji only, sticker, greeting, too short …), or None."""
    rules = rules or default_rules()
    if not raw.strip():
        return "empty"
    without_placeholders = rules.placeholders.sub(" ", raw)
    if not _has_letters(without_placeholders):
        return "sticker" if rules.placeholders.search(raw) else "emoji_only"
    # letters, counted up to min_letters (all that the rules below compare)
    letters = sum(1 for _ in islice(_THAI_OR_LATIN.finditer(feats.text), rules.min_letters))
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
    if any(map(str.isdigit, feats.text)):
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
    if _english(raw):
        return Worthiness(True, round(score, 4), ["english_unscreened", *signals(raw, feats)])
    reasons = [key for key, cues in (("advert", rules.advert), ("opinion", rules.opinion))
               if lexicon.matches(feats, cues)]
    return Worthiness(False, round(score, 4), reasons or ["no_assertion"])


def _english(raw: str) -> bool:
    """No Thai letter, and at least ENGLISH_MIN_WORDS English words and ENGLISH_MIN_CHARS characters outside its
    links."""
    return (text_language(raw, min_english_words=ENGLISH_MIN_WORDS) == "en"
            and len(without_links(raw).strip()) >= ENGLISH_MIN_CHARS)
