"""Triage jobs. First version: take the report in (status `received`); screening proper comes with the Thai core."""

from __future__ import annotations

from sqlalchemy.orm import Session

from khaojing.audit import service as audit
from khaojing.intake.models import Report, ReportStatus
from khaojing.jobs.registry import handler


@handler("triage.report")
def triage_report(*, session: Session, report_id: int) -> None:
    report = session.get(Report, report_id)
    if report is None:  # deleted meanwhile (e.g. a retention purge): nothing to do
        return
    if report.status != ReportStatus.new.value:  # already taken in: a re-run changes nothing
        return
    report.status = ReportStatus.received.value
    audit.record(session, actor=audit.SYSTEM, action="report.received", object_type="report",
                 object_id=report.id, data={"job": "triage.report"})
