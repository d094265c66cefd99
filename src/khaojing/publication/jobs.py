"""Job handler run when a verdict is published or corrected: share cards, reports answered, requesters notified."""

from __future__ import annotations

import logging

from sqlalchemy import update
from sqlalchemy.orm import Session

from khaojing.cases.verdicts import PUBLISHED_JOB
from khaojing.db.base import utcnow
from khaojing.errors import NotFound
from khaojing.intake.models import Report, ReportStatus
from khaojing.jobs.registry import handler
from khaojing.publication import cards, service
from khaojing.settings import Settings
from khaojing.tipline import notify

log = logging.getLogger(__name__)


def mark_answered(session: Session, *, claim_id: int) -> int:
    """Every report of the claim that is still waiting becomes 'answered' (the tracking page shows the verdict)."""
    result = session.execute(update(Report).where(Report.claim_id == claim_id,
                                                  Report.status.not_in((ReportStatus.answered.value,
                                                                        ReportStatus.rejected.value)))
                             .values(status=ReportStatus.answered.value, updated_at=utcnow())
                             .execution_options(synchronize_session=False))
    return result.rowcount or 0


@handler(PUBLISHED_JOB)
def verdict_published(*, session: Session, settings: Settings, claim_id: int, verdict_id: int,
                      version: int) -> None:
    try:
        view = service.get_public_verdict(session, claim_id=claim_id, settings=settings, full=False)
    except NotFound:
        view = None  # an internal label (unverifiable): no public page, no cards; requesters are still answered
    if view is not None:
        cards.prerender(view, settings=settings)
    told = notify.notify_verdict(session, claim_id=claim_id, verdict_id=verdict_id, version=version,
                                 settings=settings)  # LINE requesters waiting on the claim, once per version
    answered = mark_answered(session, claim_id=claim_id)  # every other channel: the tracking page shows it
    log.info("verdict %s v%s of claim %s published: %d reports answered, %d LINE requesters told", verdict_id,
             version, claim_id, answered, told.requesters)
