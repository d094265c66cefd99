"""The triage job: every accepted report is screened, grouped and matched (see matching/flows.py)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from khaojing.jobs.registry import handler
from khaojing.matching.flows import process_report
from khaojing.settings import Settings


@handler("triage.report")
def triage_report(*, session: Session, settings: Settings, report_id: int) -> None:
    process_report(session, report_id=report_id, settings=settings)
