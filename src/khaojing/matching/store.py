"""The database side of the claim index: load matchable claims, replay the IndexChange log, write fingerprints."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

import numpy as np
from sqlalchemy import delete, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from khaojing.claims.models import Claim, ClaimFingerprint, IndexChange, Verdict
from khaojing.intake.models import Media, Report
from khaojing.matching.claimtext import claim_core
from khaojing.matching.index import ClaimIndex, IndexedClaim
from khaojing.matching.semantic import DbEmbeddingCache, Embedder, embed_cached
from khaojing.matching.urls import normalize_url
from khaojing.thai.normalize import normalize

log = logging.getLogger(__name__)
MATCHABLE = ("open", "verified")  # merged and dismissed claims are never matched
LOAD_BATCH = 2000
REPLAY_BATCH = 5000
GAP_SECONDS = 120.0  # an id missing for this long belonged to a transaction that rolled back


def claim_text(claim: Claim) -> str:
    return claim.match_text or normalize(claim.title or "").match_text


def load_claims(session: Session, claim_ids: Sequence[int] | None, embedder: Embedder | None,
                *, store_vectors: bool = True) -> tuple[list[IndexedClaim], list[int]]:
    """The matchable claims among `claim_ids` (all claims when None) and the ids that are not matchable."""
    query = select(Claim)
    if claim_ids is not None:
        query = query.where(Claim.id.in_(list(claim_ids)))
    claims = session.scalars(query.order_by(Claim.id)).all()
    live = [c for c in claims if c.status in MATCHABLE]
    gone = [c.id for c in claims if c.status not in MATCHABLE]
    if claim_ids is not None:
        gone += sorted(set(claim_ids) - {c.id for c in claims})
    ids = [c.id for c in live]
    verdicts = _published_verdicts(session, ids)
    keys = _fingerprints(session, ids)
    texts = [claim_text(c) for c in live]
    vectors = _vectors(session, embedder, texts, store_vectors) if embedder is not None else None
    items = []
    for i, claim in enumerate(live):
        mine = keys.get(claim.id, {})
        items.append(IndexedClaim(
            claim_id=claim.id, match_text=texts[i], status=claim.status, verdict=verdicts.get(claim.id),
            sha256s=sorted({*mine.get("text", ()), *([claim.norm_sha256] if claim.norm_sha256 else [])}),
            urls=sorted(mine.get("url", ())), image_hashes=sorted(mine.get("image", ())),
            vector=vectors[i] if vectors is not None and claim_core(texts[i]).strip() else None))
    return items, gone


def _published_verdicts(session: Session, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(Verdict.claim_id, Verdict.label).where(
        Verdict.claim_id.in_(ids), Verdict.published_at.is_not(None)))
    return {cid: label for cid, label in rows}


def _fingerprints(session: Session, ids: list[int]) -> dict[int, dict[str, set[str]]]:
    out: dict[int, dict[str, set[str]]] = {}
    if not ids:
        return out
    rows = session.execute(select(ClaimFingerprint.claim_id, ClaimFingerprint.kind, ClaimFingerprint.value)
                           .where(ClaimFingerprint.claim_id.in_(ids)))
    for cid, kind, value in rows:
        out.setdefault(cid, {}).setdefault(kind, set()).add(value)
    return out


def _vectors(session: Session, embedder: Embedder, texts: list[str], store: bool) -> np.ndarray:
    """Claim vectors from the TextEmbedding table; missing ones are computed and, when possible, stored."""
    cores = [claim_core(t) for t in texts]
    cache = DbEmbeddingCache(session) if store and _writable(session) else _ReadOnlyCache(session)
    try:
        with session.begin_nested():
            return embed_cached(embedder, cores, cache)
    except SQLAlchemyError as exc:  # e.g. another process stored the same vector at the same moment
        log.info("embeddings not stored (%s): computed again", type(exc).__name__)
        return embed_cached(embedder, cores, _ReadOnlyCache(session))


def _writable(session: Session) -> bool:
    """False for a read-only SQLite unit of work (DEFERRED): a write there could wait for the writer lock."""
    return session.get_bind().get_execution_options().get("sqlite_begin") != "DEFERRED"


class _ReadOnlyCache(DbEmbeddingCache):
    def put_many(self, model: str, items: dict) -> None:
        return None


class ChangeFeed:
    """Reads IndexChange rows in id order. An id can become visible after a higher one (transactions commit in
    any order): ids skipped over are re-checked for GAP_SECONDS before they are given up as rolled back."""

    def __init__(self) -> None:
        self.last_id = 0
        self.last_row: tuple | None = None  # (claim_id, op, at) of change last_id: a restored log differs here
        self.gaps: dict[int, float] = {}

    def start(self, session: Session) -> None:
        self.last_id = session.scalar(select(func.max(IndexChange.id))) or 0
        self.last_row = self._row(session, self.last_id)
        self.gaps = {}

    @staticmethod
    def _row(session: Session, change_id: int) -> tuple | None:
        row = session.execute(select(IndexChange.claim_id, IndexChange.op, IndexChange.at)
                              .where(IndexChange.id == change_id)).first()
        return tuple(row) if row is not None else None

    def poll(self, session: Session) -> list[tuple[int, int, str]] | None:
        """New changes in id order; None when the log went backwards (a restored or truncated database)."""
        newest = session.scalar(select(func.max(IndexChange.id))) or 0
        if newest < self.last_id or (self.last_id and self._row(session, self.last_id) != self.last_row):
            return None
        now = time.monotonic()
        self.gaps = {gid: seen for gid, seen in self.gaps.items() if now - seen < GAP_SECONDS}
        if newest == self.last_id and not self.gaps:
            return []
        low = min(self.gaps) - 1 if self.gaps else self.last_id
        rows = session.execute(select(IndexChange.id, IndexChange.claim_id, IndexChange.op)
                               .where(IndexChange.id > low).order_by(IndexChange.id).limit(REPLAY_BATCH)).all()
        fresh = [(r.id, r.claim_id, r.op) for r in rows if r.id > self.last_id or r.id in self.gaps]
        for change_id, _, _ in fresh:
            self.gaps.pop(change_id, None)
        if fresh:
            top = max(change_id for change_id, _, _ in fresh)
            seen = {change_id for change_id, _, _ in fresh}
            for missing in range(self.last_id + 1, top):
                if missing not in seen and top - missing < REPLAY_BATCH:
                    self.gaps.setdefault(missing, now)
            if top > self.last_id:
                self.last_id = top
                self.last_row = self._row(session, top)
        return fresh


def replay(session: Session, index: ClaimIndex, changes: list[tuple[int, int, str]],
           embedder: Embedder | None) -> int:
    """Apply changes to the index: each touched claim is reloaded (the last state wins, whatever the op says)."""
    touched = list(dict.fromkeys(cid for _, cid, _ in changes))
    for start in range(0, len(touched), LOAD_BATCH):
        items, gone = load_claims(session, touched[start:start + LOAD_BATCH], embedder)
        index.remove(gone)
        index.upsert(items)
    return len(touched)


def build(session: Session, index: ClaimIndex, embedder: Embedder | None) -> int:
    """Load every matchable claim, in batches."""
    last = 0
    count = 0
    with index.bulk():
        while True:
            ids = session.scalars(select(Claim.id).where(Claim.id > last, Claim.status.in_(MATCHABLE))
                                  .order_by(Claim.id).limit(LOAD_BATCH)).all()
            if not ids:
                return count
            items, _ = load_claims(session, ids, embedder)
            index.upsert(items)
            count += len(items)
            last = ids[-1]


def write_fingerprints(session: Session, claim: Claim) -> None:
    """The claim's exact keys (its variants' text hashes, their normalised links and image hashes), kept in
    ClaimFingerprint so that every process loads the same keys."""
    wanted: set[tuple[str, str]] = set()
    if claim.norm_sha256:
        wanted.add(("text", claim.norm_sha256))
    for sha in session.scalars(select(Report.norm_sha256).where(Report.claim_id == claim.id,
                                                                Report.norm_sha256.is_not(None)).distinct()):
        wanted.add(("text", sha))
    for urls in session.scalars(select(Report.urls).where(Report.claim_id == claim.id)):
        wanted.update(("url", normalize_url(u)[:2048]) for u in urls or [] if u)
    for phash in session.scalars(select(Media.phash).join(Report, Media.report_id == Report.id).where(
            Report.claim_id == claim.id, Media.phash.is_not(None)).distinct()):
        wanted.add(("image", phash))
    have = {(f.kind, f.value): f for f in session.scalars(select(ClaimFingerprint)
                                                          .where(ClaimFingerprint.claim_id == claim.id))}
    for key in wanted - set(have):
        session.add(ClaimFingerprint(claim_id=claim.id, kind=key[0], value=key[1]))
    stale = [have[key].id for key in set(have) - wanted]
    if stale:
        session.execute(delete(ClaimFingerprint).where(ClaimFingerprint.id.in_(stale)))
    session.flush()
