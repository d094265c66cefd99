"""Matching service: search the claims a text, link or image is about, decide what to do, keep the index current."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from khaojing.claims.models import Claim, ClaimFingerprint, IndexChange
from khaojing.matching import store
from khaojing.matching.claimtext import claim_core
from khaojing.matching.index import PreparedQuery, prepare
from khaojing.matching.lexical import content_tokens, tokens
from khaojing.matching.live import LiveClaimIndex, get_index
from khaojing.matching.reasons import reason, reason_texts
from khaojing.matching.semantic import DbEmbeddingCache, Embedder, embed_cached, embed_query, load_embedder
from khaojing.matching.urls import normalize_url
from khaojing.settings import Settings, get_settings
from khaojing.thai.normalize import normalize

MAX_QUERY_CHARS = 20_000
MIN_CONTENT_TOKENS = 4  # shorter inputs are answered automatically only when the meaning agrees too
NEVER_ANSWER_BELOW = 3  # one or two content words are never answered automatically from text
KEY_KINDS = ("exact", "url", "image")
KEY_WORD_SHARE = 0.002  # a claim word this rare (in 0.2 % of the claims or fewer, or in that claim alone) that the
# message lacks makes the pair a possible template twin: never answered automatically (docs/matching.md)

__all__ = ["Candidate", "Decision", "Query", "decide", "get_index", "index_claim", "remove_claim", "search"]


@dataclass
class Candidate:
    claim_id: int
    score: float  # calibrated 0..1: how likely the query and the claim are the same rumour
    kind: str  # exact | url | image | near | lexical | semantic | fused
    lexical: float | None  # IDF-weighted share of the claim's words found in the query
    semantic: float | None  # cosine of the two embeddings
    verdict: str | None  # label of the claim's published verdict (fake/distorted/true/unverifiable), if any
    title: str
    differs: list[str] = field(default_factory=list)  # key content the claim states and the query does not


@dataclass
class Query:
    text: str = ""
    urls: list[str] = field(default_factory=list)
    image_hashes: list[str] = field(default_factory=list)


@dataclass
class Decision:
    action: str  # answer | suggest | group | new
    candidate: Candidate | None
    reasons: list[dict]  # {"key": "match.…", parameters}: matching/reasons.py words them in Thai or English

    def texts(self, lang: str = "en") -> list[str]:
        return reason_texts(self.reasons, lang)


def prepared(query: Query, index: LiveClaimIndex, *, semantic: bool = True) -> PreparedQuery:
    """The query tokenised, with its exact keys; embedded only when asked and the cheap stages find no repeat."""
    norm = normalize((query.text or "")[:MAX_QUERY_CHARS])
    urls = list(dict.fromkeys(normalize_url(u) for u in [*query.urls, *norm.urls] if u))
    ready = prepare(norm.match_text, sha256=norm.sha256 if norm.match_text else None, urls=urls,
                    image_hashes=[h for h in query.image_hashes if h])
    if semantic and index.embedder is not None and ready.core.strip() and not index.has_repeat(ready):
        ready.vector, ready.chunk_vectors = embed_query(index.embedder, ready.core)
    return ready


def search(session: Session, query: Query, *, settings: Settings, k: int = 10,
           verified_only: bool = False, semantic: bool = True) -> list[Candidate]:
    """Ranked candidate claims (open ones to group with, verified ones to answer from), best first. semantic=False
    runs only the cheap stages (exact keys, near duplicates, lexical): no embedding."""
    index = get_index(settings)
    index.refresh(session)
    matches = index.search(prepared(query, index, semantic=semantic), k=k, verified_only=verified_only)
    ids = [m.claim_id for m in matches]
    rows = session.execute(select(Claim.id, Claim.title).where(Claim.id.in_(ids),
                                                               Claim.status.in_(store.MATCHABLE))).all() if ids else []
    titles = dict(rows)  # a claim changed since the last refresh (merged, or its creation rolled back) is left out
    return [Candidate(claim_id=m.claim_id, score=m.score, kind=m.kind, lexical=m.lexical, semantic=m.semantic,
                      verdict=m.verdict, title=titles[m.claim_id], differs=_differs(m.evidence))
            for m in matches if m.claim_id in titles]


def _differs(evidence: dict) -> list[str]:
    """The key content a claim states that the query does not: a number, or a word specific enough to name another
    rumour on the same template (garlic vs lemon soda)."""
    out = ["number"] if evidence.get("number_differs") else []
    share, claims = evidence.get("key_share"), evidence.get("key_claims", 0)
    if evidence.get("key_word") and share is not None and share * claims <= max(1.0, KEY_WORD_SHARE * claims):
        out.append(evidence["key_word"])
    return out


def content_words(text: str) -> int:
    return len(content_tokens(tokens(claim_core(normalize((text or "")[:MAX_QUERY_CHARS]).match_text))))


def decide(query: Query, candidates: list[Candidate], *, settings: Settings) -> Decision:
    """answer (a verified claim, sure enough) | group (join an open claim) | suggest (an analyst confirms) | new."""
    if not candidates:
        return Decision("new", None, [reason("no_candidate")])
    auto, suggest = settings.match_auto_answer_threshold, settings.match_suggest_threshold
    words = content_words(query.text)
    verified = next((c for c in candidates if c.verdict), None)
    if verified is not None and verified.score >= auto:
        blocked = _answer_block(verified, words, settings)
        if blocked is None:
            return Decision("answer", verified, [
                reason("auto_answer", kind=verified.kind, score=verified.score, threshold=auto),
                reason("verdict", verdict=verified.verdict)])
        return Decision("suggest", verified, [blocked, reason("score", score=verified.score)])
    top = candidates[0]
    if top.verdict is None and _groups(top, words, settings):
        return Decision("group", top, [reason("group", kind=top.kind, claim_id=top.claim_id, score=top.score)])
    if top.score >= suggest:
        return Decision("suggest", top, [reason("suggest", score=top.score, threshold=suggest)])
    return Decision("new", None, [reason("below_suggest", score=top.score, threshold=suggest)])


def _answer_block(candidate: Candidate, words: int, settings: Settings) -> dict | None:
    """Why a query may not be answered automatically from this candidate (None: it may): a short input, or a
    template twin (the claim states a number or a specific word that the query does not)."""
    if candidate.kind in ("url", "image"):
        return None
    differs = _twin_words(candidate)
    if differs:
        return reason("twin", words=differs)
    if words < NEVER_ANSWER_BELOW:
        return reason("short_input", count=words)
    if words < MIN_CONTENT_TOKENS and (candidate.semantic is None
                                       or candidate.semantic < settings.group_semantic_threshold):
        return reason("short_far", count=words, cosine=candidate.semantic,
                      cosine_threshold=settings.group_semantic_threshold)
    return None


def _twin_words(candidate: Candidate) -> list[str]:
    """The key content that makes this candidate a possible template twin of the query (an exact repeat is none;
    a near duplicate with one number edited is a variant, not a twin)."""
    if candidate.kind in KEY_KINDS:
        return []
    return [d for d in candidate.differs if not (candidate.kind == "near" and d == "number")]


def _groups(candidate: Candidate, words: int, settings: Settings) -> bool:
    """A variant of an open claim: an exact key, a near duplicate, or a close paraphrase (not on a short text)."""
    if candidate.kind in KEY_KINDS:
        return True
    if words < MIN_CONTENT_TOKENS:
        return False
    if candidate.kind == "near":
        return True
    return (candidate.score >= settings.match_auto_answer_threshold and candidate.semantic is not None
            and candidate.semantic >= settings.group_semantic_threshold and not _twin_words(candidate))


def index_claim(session: Session, claim_id: int, *, settings: Settings | None = None) -> None:
    """Write the claim's fingerprints and embedding, and log the change every process's index replays."""
    claim = session.get(Claim, claim_id)
    if claim is None:
        return
    store.write_fingerprints(session, claim)
    embedder = _embedder((settings or get_settings()).embedding_model)
    if embedder is not None and claim.status in store.MATCHABLE:
        core = claim_core(store.claim_text(claim))
        if core.strip():
            embed_cached(embedder, [core], DbEmbeddingCache(session))
    session.add(IndexChange(claim_id=claim_id, op="upsert"))
    session.flush()


def _embedder(name: str) -> Embedder | None:
    try:
        return load_embedder(name)
    except (ValueError, ImportError, OSError):
        return None


def remove_claim(session: Session, claim_id: int) -> None:
    """Take a claim that is now merged or dismissed out of matching: its fingerprints go and every index drops it
    (indexes follow the claim's state in the database, so set the status first)."""
    session.execute(delete(ClaimFingerprint).where(ClaimFingerprint.claim_id == claim_id))
    session.add(IndexChange(claim_id=claim_id, op="delete"))
    session.flush()
