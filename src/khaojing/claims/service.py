"""Claims: create one from a report, attach variants, merge and split, override the topic (audited)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from khaojing.audit import service as audit
from khaojing.claims import priority
from khaojing.claims.models import Claim, IndexChange
from khaojing.errors import Conflict, Invalid, NotFound
from khaojing.intake.models import Report, ReportStatus
from khaojing.jobs import queue
from khaojing.thai.normalize import normalize

OPEN, VERIFIED, DISMISSED, MERGED = "open", "verified", "dismissed", "merged"
REINDEX_JOB = "matching.reindex_claims"  # handled by matching/jobs.py: fingerprints and embeddings follow the reports


def log_change(session: Session, claim_id: int, op: str = "upsert") -> None:
    """Tell every process's matching index that this claim changed (they replay the log)."""
    session.add(IndexChange(claim_id=claim_id, op=op))


def reindex_later(session: Session, claim_ids: Iterable[int]) -> None:
    """After reports moved between claims, have the matcher rewrite the claims' exact keys and embeddings."""
    queue.enqueue(session, REINDEX_JOB, {"claim_ids": sorted(set(claim_ids))}, priority=20)


NEW_CLAIM_LOCK = 0x6B6A636C61696D  # "kjclaim": PostgreSQL advisory lock key for creating claims


def lock_claim_creation(session: Session) -> None:
    """Let one transaction at a time decide to start a new claim (held until commit), so that two workers taking
    copies of one new rumour at the same moment make one claim, not two. SQLite writers are serial already."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": NEW_CLAIM_LOCK})


def get_claim(session: Session, claim_id: int) -> Claim:
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFound(f"claim {claim_id} not found", key="claim.err.not_found", params={"claim": claim_id})
    return claim


def create_claim(session: Session, *, report: Report, title: str, match_text: str, norm_sha256: str,
                 topic: str | None, topic_confidence: float | None, harm: dict, actor: str = audit.SYSTEM) -> Claim:
    """A new claim whose first variant is `report`."""
    claim = Claim(title=title[:2000], match_text=match_text, norm_sha256=norm_sha256, topic=topic,
                  topic_confidence=topic_confidence, harm=harm, first_seen_at=report.received_at,
                  last_seen_at=report.received_at)
    session.add(claim)
    session.flush()
    attach_report(session, claim=claim, report=report, how="new")
    audit.record(session, actor=actor, action="claim.created", object_type="claim", object_id=claim.id,
                 data={"report_id": report.id, "topic": topic})
    return claim


def attach_report(session: Session, *, claim: Claim, report: Report, how: str) -> Claim:
    """Make `report` a variant of `claim` (how: new, exact, near, semantic, url, image, analyst)."""
    if claim.status == MERGED and claim.merged_into_id:
        claim = get_claim(session, claim.merged_into_id)
    report.claim_id = claim.id
    report.match_kind = how
    if report.status in (ReportStatus.new.value, ReportStatus.received.value, ReportStatus.screened.value):
        report.status = ReportStatus.grouped.value
    session.flush()
    priority.recompute(session, claim)
    log_change(session, claim.id)
    return claim


def merge_claims(session: Session, *, target_id: int, source_ids: Iterable[int], actor: str) -> Claim:
    """Move every report of the source claims into the target; the sources are kept as `merged` pointers."""
    target = get_claim(session, target_id)
    if target.status in (MERGED, DISMISSED):
        raise Conflict("the target claim is merged or dismissed; choose an open or verified claim",
                       key="claim.err.merge_target_closed")
    sources = [get_claim(session, cid) for cid in dict.fromkeys(source_ids) if cid != target_id]
    if not sources:
        raise Invalid("choose at least one other claim to merge", key="claim.err.merge_none")
    for src in sources:
        if src.status == MERGED:
            raise Conflict(f"claim {src.id} is already merged into claim {src.merged_into_id}", key="claim.err.merged",
                           params={"claim": src.id, "into": src.merged_into_id})
        session.execute(update(Report).where(Report.claim_id == src.id).values(claim_id=target.id))
        session.execute(update(Claim).where(Claim.merged_into_id == src.id).values(merged_into_id=target.id))
        src.status, src.merged_into_id = MERGED, target.id
        priority.recompute(session, src)
        log_change(session, src.id, "delete")
    priority.recompute(session, target)
    log_change(session, target.id)
    reindex_later(session, [target.id, *(s.id for s in sources)])
    audit.record(session, actor=actor, action="claim.merged", object_type="claim", object_id=target.id,
                 data={"merged": [s.id for s in sources]})
    return target


def split_claim(session: Session, *, claim_id: int, report_ids: Iterable[int], actor: str,
                title: str | None = None) -> Claim:
    """Move the chosen reports out of a claim into a new claim of their own."""
    claim = get_claim(session, claim_id)
    ids = list(dict.fromkeys(report_ids))
    reports = session.scalars(select(Report).where(Report.id.in_(ids), Report.claim_id == claim.id)
                              .order_by(Report.received_at)).all()
    if len(reports) != len(ids) or not reports:
        raise Invalid("choose reports that belong to this claim", key="claim.bad_reports")
    remaining = claim.report_count - len(reports)
    if remaining < 1:
        raise Invalid("a split must leave at least one report in the original claim", key="claim.err.split_all")
    first = reports[0]
    norm = normalize(first.text or title or "")  # the new claim is matched on its own first variant's words
    new = Claim(title=(title or first.text or claim.title)[:2000], match_text=norm.match_text,
                norm_sha256=first.norm_sha256 or norm.sha256, topic=claim.topic, topic_source=claim.topic_source,
                topic_confidence=claim.topic_confidence, harm=dict(claim.harm or {}),
                first_seen_at=first.received_at, last_seen_at=reports[-1].received_at)
    session.add(new)
    session.flush()
    for report in reports:
        report.claim_id, report.match_kind = new.id, "analyst"
    session.flush()
    for c in (claim, new):
        priority.recompute(session, c)
        log_change(session, c.id)
    reindex_later(session, [claim.id, new.id])
    audit.record(session, actor=actor, action="claim.split", object_type="claim", object_id=claim.id,
                 data={"new_claim": new.id, "reports": ids})
    return new


def override_topic(session: Session, *, claim_id: int, topic: str, valid_topics: Iterable[str],
                   actor: str) -> Claim:
    """An analyst's topic wins over the model's; the change is kept (topic_source) and audited."""
    if topic not in set(valid_topics):
        raise Invalid(f"unknown topic {topic!r}", key="claim.bad_topic")
    claim = get_claim(session, claim_id)
    old = claim.topic
    claim.topic, claim.topic_source, claim.topic_confidence = topic, "analyst", 1.0
    session.execute(update(Report).where(Report.claim_id == claim.id).values(topic=topic))
    log_change(session, claim.id)
    audit.record(session, actor=actor, action="claim.topic_overridden", object_type="claim", object_id=claim.id,
                 data={"from": old, "to": topic})
    return claim


def analyst_topics(session: Session) -> list[tuple[str, str]]:
    """(title, topic) pairs corrected by analysts: training data for the topic model."""
    rows = session.execute(select(Claim.title, Claim.topic).where(Claim.topic_source == "analyst",
                                                                  Claim.topic.is_not(None))).all()
    return [(title, topic) for title, topic in rows]
