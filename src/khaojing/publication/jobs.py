"""Publication jobs: on a published or corrected verdict (cards, requesters told, e-mail, webhooks queued); webhook
deliveries; the daily open-data files."""

from __future__ import annotations

import logging

from sqlalchemy import update
from sqlalchemy.orm import Session

from khaojing.cases.verdicts import PUBLISHED_JOB
from khaojing.db.base import utcnow
from khaojing.errors import NotFound
from khaojing.intake.models import Report, ReportStatus
from khaojing.jobs import queue
from khaojing.jobs.registry import every, handler
from khaojing.publication import api, cards, mailing, opendata, service, webhooks
from khaojing.settings import Settings
from khaojing.tipline import notify

log = logging.getLogger(__name__)
OPEN_DATA_JOB = "publication.open_data"
OPEN_DATA_EVERY_SECONDS = 86400
WEBHOOK_EVERY_SECONDS = 60  # retries fall due between publications


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
    mails = 0
    if view is not None:
        cards.prerender(view, settings=settings)
        body = api.verdict_detail(session, claim_id=claim_id, settings=settings)
        if webhooks.queue_deliveries(session, claim_id=claim_id, verdict_id=verdict_id, version=version, body=body):
            queue.enqueue(session, webhooks.WEBHOOK_JOB, {}, priority=60)  # deliver now, not at the next tick
        mails = mailing.notify_requesters(session, view=view, verdict_id=verdict_id, settings=settings)
        mails += mailing.broadcast(session, view=view, verdict_id=verdict_id, settings=settings)
    told = notify.notify_verdict(session, claim_id=claim_id, verdict_id=verdict_id, version=version,
                                 settings=settings)  # LINE requesters waiting on the claim, once per version
    answered = mark_answered(session, claim_id=claim_id)  # every other channel: the tracking page shows it
    log.info("verdict %s v%s of claim %s published: %d reports answered, %d LINE requesters told, %d e-mails "
             "queued", verdict_id, version, claim_id, answered, told.requesters, mails)


@handler(webhooks.WEBHOOK_JOB)
def deliver_webhooks(*, session: Session, settings: Settings) -> None:
    result = webhooks.deliver_due(session, settings=settings)
    if result.delivered or result.failed or result.dead:
        log.info("webhooks: %s", result)


@handler(OPEN_DATA_JOB)
def write_open_data(*, session: Session, settings: Settings) -> None:
    files = opendata.export(session, settings=settings, out=opendata.open_data_dir(settings))
    log.info("open data written: %s", ", ".join(f"{f.name} ({f.rows} rows)" for f in files if f.rows))


every(WEBHOOK_EVERY_SECONDS, webhooks.WEBHOOK_JOB)
every(OPEN_DATA_EVERY_SECONDS, OPEN_DATA_JOB)
