"""What to answer a citizen's message: screen it, match it, and turn the decision into a tipline answer.

No network here: `analyse` returns plain data (an Analysis); the conversation job and the web's check page build
their messages from it. Verdict cards come from the published Verdict, its agency and settings.verdict_labels.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from khaojing.accounts.models import Agency
from khaojing.channels.line.flex import Candidate as CardCandidate
from khaojing.channels.line.flex import VerdictCard
from khaojing.claims.models import Verdict
from khaojing.matching import service as matching
from khaojing.matching.images import ImageHashError, phash
from khaojing.settings import Settings
from khaojing.thai.normalize import normalize
from khaojing.triage import service as triage
from khaojing.triage import worthiness
from khaojing.triage.ocr import OcrError, ocr_image

log = logging.getLogger(__name__)

CHATTER, ANSWER, SUGGEST, WAITING, NEW = "chatter", "answer", "suggest", "waiting", "new"
MAX_SUGGESTIONS = 5
GROUP_MARGIN = 0.1  # in groups, only a fake or distorted match this far above the auto-answer threshold
GROUP_LABELS = ("fake", "distorted")
# a longer message screening finds no claim in is still checked: people forward what they doubt (screening misses
# claims outside its training, e.g. English ones), and a forwarded rumour must never be answered "hello"
CHATTER_MAX_CHARS = 60
COLOURS = {"red": "#C62828", "orange": "#E65100", "green": "#2E7D32", "grey": "#616161", "gray": "#616161"}


@dataclass
class Analysis:
    """What a message is: chatter, an answered claim, plausible matches, a claim being checked, or something new."""

    action: str  # chatter | answer | suggest | waiting | new
    card: VerdictCard | None = None  # answer
    score: float | None = None
    claim_id: int | None = None  # answer and waiting
    suggestions: list[CardCandidate] = field(default_factory=list)  # suggest
    reasons: list[str] = field(default_factory=list)
    talk: str | None = None  # screening's first reason (greeting, thanks, small_talk, link_only …), when screened


def colour_hex(colour: str) -> str:
    return colour if colour.startswith("#") else COLOURS.get(colour.lower(), COLOURS["grey"])


def verdict_card(session: Session, claim_id: int, *, settings: Settings, lang: str = "th") -> VerdictCard | None:
    """The public card of a claim's published verdict; None when there is none (or its label is not public)."""
    verdict = session.scalar(select(Verdict).where(Verdict.claim_id == claim_id, Verdict.published_at.is_not(None)))
    if verdict is None:
        return None
    label = next((lab for lab in settings.verdict_labels if lab.key == verdict.label), None)
    if label is None or not label.public:
        return None
    agency = session.get(Agency, verdict.agency_id) if verdict.agency_id else None
    agency_name = ((agency.name_en or agency.name_th) if lang == "en" else agency.name_th) if agency else None
    return VerdictCard(claim_id=claim_id, label=verdict.label, claim=verdict.headline or verdict.claim_text,
                       explanation=verdict.explanation or "", agency=agency_name, published_at=verdict.published_at,
                       label_name=label.en if lang == "en" else label.th, colour=colour_hex(label.colour))


def image_query(data: bytes, *, settings: Settings) -> tuple[str, list[str]]:
    """What a picture is matched by: its OCR text (when OCR is on) and its perceptual hash; either may be missing."""
    text, hashes = "", []
    try:
        hashes.append(phash(data))
    except ImageHashError as exc:
        log.info("image not hashed: %s", exc)
    if settings.ocr_enabled:
        try:
            text = ocr_image(data, languages=settings.ocr_languages).text
        except OcrError as exc:  # also OcrUnavailable: the picture is still matched by its hash
            log.info("image not read: %s", exc)
    return text, hashes


def analyse(session: Session, *, settings: Settings, text: str = "", urls: list[str] | None = None,
            image_hashes: list[str] | None = None, lang: str = "th", is_image: bool = False) -> Analysis:
    """Screen and match one message (text, OCR text of an image, links, image hashes) and say what to answer."""
    norm = normalize(text or "")
    query = matching.Query(text=norm.text, urls=list(urls or []), image_hashes=list(image_hashes or []))
    candidates = (matching.search(session, query, settings=settings, k=10)
                  if (norm.match_text or query.urls or query.image_hashes) else [])
    decision = matching.decide(query, candidates, settings=settings)
    if decision.action == "answer" and decision.candidate is not None:
        card = verdict_card(session, decision.candidate.claim_id, settings=settings, lang=lang)
        if card is not None:
            return Analysis(ANSWER, card=card, score=decision.candidate.score,
                            claim_id=decision.candidate.claim_id, reasons=decision.texts())
    if decision.action == "group" and decision.candidate is not None:
        return Analysis(WAITING, claim_id=decision.candidate.claim_id, score=decision.candidate.score,
                        reasons=decision.texts())
    if decision.action == "suggest":
        suggestions = suggestions_of(session, candidates, settings=settings, lang=lang)
        if suggestions:
            return Analysis(SUGGEST, suggestions=suggestions, reasons=decision.texts())
    if is_image:
        return Analysis(NEW, reasons=decision.texts())
    screening = triage.screen(norm.text, settings=settings)
    talk = screening.worthiness_reasons[0] if screening.worthiness_reasons else None
    plain = talk in worthiness.PLAINLY_NOT_A_CLAIM or len(norm.text.strip()) <= CHATTER_MAX_CHARS
    if not screening.is_claim and plain:
        return Analysis(CHATTER, reasons=["not a claim", *decision.texts()], talk=talk)
    return Analysis(NEW, reasons=decision.texts(), talk=talk)


def suggestions_of(session: Session, candidates: list[matching.Candidate], *, settings: Settings,
                   lang: str = "th") -> list[CardCandidate]:
    """Verified claims worth showing as 'N% similar' (at most five, best first)."""
    shown: list[CardCandidate] = []
    for c in candidates:
        if len(shown) >= MAX_SUGGESTIONS:
            break
        if not c.verdict or c.score < settings.match_suggest_threshold:
            continue
        card = verdict_card(session, c.claim_id, settings=settings, lang=lang)
        if card is not None:
            shown.append(CardCandidate(card=card, similarity=c.score))
    return shown


def answers_in_group(analysis: Analysis, *, settings: Settings) -> bool:
    """In a group chat, unmentioned, the bot speaks only for a very clear fake or distorted match."""
    return (analysis.action == ANSWER and analysis.card is not None and analysis.card.label in GROUP_LABELS
            and (analysis.score or 0.0) >= settings.match_auto_answer_threshold + GROUP_MARGIN)
