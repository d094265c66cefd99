"""Matching jobs: the triage job (every accepted report is screened, grouped and matched, see flows.py) and the
re-indexing of claims whose reports moved (merge, split)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from khaojing.jobs.registry import handler
from khaojing.matching.flows import process_report, reindex_claims
from khaojing.settings import Settings


@handler("triage.report")
def triage_report(*, session: Session, settings: Settings, report_id: int) -> None:
    process_report(session, report_id=report_id, settings=settings)


@handler("matching.reindex_claims")
def reindex(*, session: Session, settings: Settings, claim_ids: list[int]) -> None:
    reindex_claims(session, claim_ids=claim_ids, settings=settings)
