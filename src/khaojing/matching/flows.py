"""Screen, group and match one report — the whole triage step (intake → triage → claims → matching)."""

from __future__ import annotations

import logging
import re
from dataclasses import asdict

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from khaojing.audit import service as audit
from khaojing.claims import service as claims
from khaojing.claims.models import Claim
from khaojing.db.base import utcnow
from khaojing.intake.media import media_path
from khaojing.intake.models import Report, ReportStatus
from khaojing.matching import service as matching
from khaojing.matching import store
from khaojing.matching.claimtext import claim_core
from khaojing.matching.images import ImageHashError, phash
from khaojing.matching.reasons import reason
from khaojing.matching.semantic import DbEmbeddingCache, embed_cached, load_embedder
from khaojing.matching.urls import normalize_url
from khaojing.settings import Settings
from khaojing.thai.normalize import URL_RE, normalize
from khaojing.triage import service as triage
from khaojing.triage import topic_embedding
from khaojing.triage.ocr import OcrError, OcrUnavailable, ocr_image

log = logging.getLogger(__name__)
MAX_SCREENED_CHARS = 20_000


def _image_text_and_hashes(report: Report, settings: Settings) -> tuple[list[str], list[str], list[dict]]:
    """OCR text and perceptual hashes of the report's images (computed once, kept on the Media rows)."""
    texts, hashes, notes = [], [], []
    for media in report.media:
        note: dict = {"media_id": media.id, "chars": 0, "confidence": None, "error": None}
        try:
            data = media_path(settings.media_dir, media.storage_path).read_bytes()
        except OSError as exc:
            notes.append({**note, "error": f"file missing: {type(exc).__name__}"})
            continue
        if media.phash is None:
            try:
                media.phash = phash(data)
            except ImageHashError as exc:
                notes.append({**note, "error": f"image not readable: {exc}"})
                continue
        if media.phash:
            hashes.append(media.phash)
        if settings.ocr_enabled and media.ocr_text is None:
            try:
                result = ocr_image(data, languages=settings.ocr_languages)
                media.ocr_text = result.text
                note["confidence"] = result.confidence
            except OcrUnavailable as exc:
                note["error"] = f"OCR unavailable: {exc}"
            except OcrError as exc:
                media.ocr_text = ""
                note["error"] = str(exc)
        if media.ocr_text:
            texts.append(media.ocr_text)
            note["chars"] = len(media.ocr_text)
        notes.append(note)
    return texts, hashes, notes


def _candidates_json(candidates: list[matching.Candidate]) -> list[dict]:
    return [asdict(c) for c in candidates[:5]]


REPEAT_KINDS = ("exact", "url", "image", "near")


def process_report(session: Session, *, report_id: int, settings: Settings) -> Report | None:
    """Run screening, grouping and matching on one report, cheapest stages first: a repeat of a known claim (same
    text, link or picture, or a near copy) joins it without screening or embedding; anything else is screened,
    and only a claim candidate (or a text close to a known claim) is embedded for the semantic stage.
    Idempotent: a screened report is left alone."""
    report = session.scalar(select(Report).where(Report.id == report_id).options(selectinload(Report.media)))
    if report is None or report.screened_at is not None:
        return report
    ocr_texts, image_hashes, ocr_notes = _image_text_and_hashes(report, settings)
    norm = normalize("\n".join([report.text, *ocr_texts])[:MAX_SCREENED_CHARS])
    report.norm_sha256, report.screened_at = norm.sha256, utcnow()
    urls = list(dict.fromkeys(normalize_url(u) for u in [*report.urls, *norm.urls]))
    query = matching.Query(text=norm.text, urls=urls, image_hashes=image_hashes)
    searchable = bool(norm.match_text or urls or image_hashes)
    candidates = matching.search(session, query, settings=settings, k=10, semantic=False) if searchable else []
    decision = matching.decide(query, candidates, settings=settings)
    repeat = report.claim_id is None and decision.action in ("answer", "group") and \
        decision.candidate is not None and decision.candidate.kind in REPEAT_KINDS
    result = None if repeat else triage.screen(norm.text, settings=settings)
    screening = {"version": 1, "screening": _screening_json(session, report, result, decision), "ocr": ocr_notes}
    if result is not None and report.claim_id is None and searchable and (
            result.is_claim or (candidates and candidates[0].score >= settings.match_suggest_threshold)):
        candidates = matching.search(session, query, settings=settings, k=10)  # now with the semantic stage
        decision = matching.decide(query, candidates, settings=settings)
        if decision.action not in ("answer", "group") and (result.is_claim or decision.action == "suggest"):
            # about to start a claim: look again under the lock, another worker may have just started this one
            claims.lock_claim_creation(session)
            candidates = matching.search(session, query, settings=settings, k=10)
            decision = matching.decide(query, candidates, settings=settings)
    if report.claim_id is not None:  # the channel already attached it (e.g. a LINE user picked the claim): keep it
        screening["decision"] = {"action": "attached", "claim_id": report.claim_id, "score": None,
                                 "kind": report.match_kind, "reasons": [reason("attached")]}
        matching.index_claim(session, report.claim_id, settings=settings)
    elif result is not None and not result.is_claim and decision.action not in ("answer", "group"):
        report.status = ReportStatus.rejected.value
        screening["decision"] = {"action": "not_a_claim", "claim_id": None, "score": None, "kind": None,
                                 "reasons": result.worthiness_reasons}
    else:
        claim = _group(session, report, decision, result, norm)
        screening["decision"] = {"action": decision.action, "claim_id": claim.id,
                                 "score": decision.candidate.score if decision.candidate else None,
                                 "kind": decision.candidate.kind if decision.candidate else None,
                                 "reasons": decision.reasons}
        if decision.action == "answer":
            report.status = ReportStatus.answered.value
        matching.index_claim(session, claim.id, settings=settings)
        if decision.action not in ("answer", "group") and result is not None and result.is_claim:
            screening["topic_embedding"] = _redecide_topic(session, claim, report, norm.text, settings)
    screening["candidates"] = _candidates_json(candidates)
    report.screening = screening
    audit.record(session, actor=audit.SYSTEM, action="report.screened", object_type="report",
                 object_id=report.id, data={"is_claim": report.is_claim, "topic": report.topic,
                                            "decision": screening["decision"]["action"],
                                            "claim_id": screening["decision"]["claim_id"]})
    return report


def _screening_json(session: Session, report: Report, result: triage.Screening | None,
                    decision: matching.Decision) -> dict:
    """Set the report's screening fields: from the screening, or (a repeat) from the claim it repeats."""
    if result is not None:
        report.is_claim, report.worthiness = result.is_claim, result.worthiness
        report.topic, report.topic_confidence = result.topic, result.topic_confidence
        return result.to_json()
    claim = claims.get_claim(session, decision.candidate.claim_id)
    report.is_claim, report.worthiness = True, None
    report.topic, report.topic_confidence = claim.topic, claim.topic_confidence
    return {"is_claim": True, "topic": claim.topic, "topic_confidence": claim.topic_confidence,
            "skipped": f"a {decision.candidate.kind} repeat of claim {claim.id}: its screening holds"}


def _redecide_topic(session: Session, claim: Claim, report: Report, text: str, settings: Settings) -> dict | None:
    """A new claim's topic from its text and its sentence embedding (the vector index_claim has just stored, so
    nothing is embedded twice); screening decided it from the text alone. An analyst's topic is never changed, and
    without the model or the vector the screening topic stays. Returns what was decided (for the report's record)."""
    if claim.topic_source == "analyst":
        return None
    model = topic_embedding.load_model(settings)
    core = claim_core(store.claim_text(claim))
    if model is None or not core.strip():
        return None
    try:
        embedder = load_embedder(settings.embedding_model)
    except (ValueError, ImportError, OSError):
        return None
    vector = embed_cached(embedder, [core], DbEmbeddingCache(session))[0]
    if not model.accepts(settings.embedding_model, vector):
        return None
    decided = topic_embedding.decide(model, text, vector, settings)
    before = claim.topic
    claim.topic, claim.topic_confidence = decided.topic, decided.confidence
    report.topic, report.topic_confidence = decided.topic, decided.confidence
    return {"model_version": decided.model_version, "topic": decided.topic, "confidence": decided.confidence,
            "screening_topic": before, "scores": decided.scores}


def reindex_claims(session: Session, *, claim_ids: list[int], settings: Settings) -> None:
    """Claims whose reports moved (merge, split): a live claim gets its keys and embedding rewritten from the
    reports it has now; a merged or dismissed one leaves every index (its keys now belong to the target)."""
    for claim_id in claim_ids:
        claim = session.get(Claim, claim_id)
        if claim is None:
            continue
        if claim.status in (claims.MERGED, claims.DISMISSED):
            matching.remove_claim(session, claim_id)
        else:
            matching.index_claim(session, claim_id, settings=settings)


_BARE_SCHEME = re.compile(r"(?i)https?://(?![^\s])")  # "…วุ่นhttps:// " a copy that lost its link keeps


def claim_title(text: str) -> str:
    """A new claim's title: the report's first line without its links (the report keeps them, and they are matched
    on their own); a report that is nothing but a link keeps it as its title."""
    first = text.split("\n", 1)[0] or text
    return (" ".join(_BARE_SCHEME.sub(" ", URL_RE.sub(" ", first)).split()) or first)[:300]


def _group(session: Session, report: Report, decision: matching.Decision, result: triage.Screening | None,
           norm) -> Claim:  # noqa: ANN001
    """Join the matched claim (answer, group) or start a new one (suggest keeps the suggestion for an analyst)."""
    if decision.action in ("answer", "group") and decision.candidate is not None:
        claim = claims.get_claim(session, decision.candidate.claim_id)
        return claims.attach_report(session, claim=claim, report=report, how=decision.candidate.kind)
    harm = {"life": result.harm_life, "property": result.harm_property,
            "reasons": [asdict(r) for r in result.harm_reasons]}
    return claims.create_claim(session, report=report, title=claim_title(norm.text), match_text=norm.match_text,
                               norm_sha256=norm.sha256, topic=result.topic, topic_confidence=result.topic_confidence,
                               harm=harm)

