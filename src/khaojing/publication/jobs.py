"""Publication jobs: on a published or corrected verdict (cards, requesters told, e-mail, webhooks queued); webhook
deliveries; the daily open-data files."""

from __future__ import annotations

import logging

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from khaojing.audit import service as audit
from khaojing.cases.verdicts import PUBLISHED_JOB
from khaojing.db.base import utcnow
from khaojing.errors import NotFound
from khaojing.intake.models import Report, ReportStatus
from khaojing.intake.requesters import people_count
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


def asked_by_channel(session: Session, *, claim_id: int) -> dict[str, int]:
    """People who asked about the claim, by the channel they asked on (intake.requesters.people_count)."""
    rows = session.execute(select(Report.channel, people_count())
                           .where(Report.claim_id == claim_id, Report.status != ReportStatus.rejected.value)
                           .group_by(Report.channel)).all()
    return {channel: people for channel, people in rows if people}


@handler(PUBLISHED_JOB)
def verdict_published(*, session: Session, settings: Settings, claim_id: int, verdict_id: int,
                      version: int, case_id: int | None = None) -> None:
    try:
        view = service.get_public_verdict(session, claim_id=claim_id, settings=settings, full=False)
    except NotFound:
        view = None  # an internal label (unverifiable): no public page, no cards; requesters are still answered
    mails = subscribers = 0
    if view is not None:
        cards.prerender(view, settings=settings)
        body = api.verdict_detail(session, claim_id=claim_id, settings=settings)
        if webhooks.queue_deliveries(session, claim_id=claim_id, verdict_id=verdict_id, version=version, body=body):
            queue.enqueue(session, webhooks.WEBHOOK_JOB, {}, priority=60)  # deliver now, not at the next tick
        mails = mailing.notify_requesters(session, view=view, verdict_id=verdict_id, settings=settings)
        subscribers = mailing.broadcast(session, view=view, verdict_id=verdict_id, settings=settings)
    told = notify.notify_verdict(session, claim_id=claim_id, verdict_id=verdict_id, version=version,
                                 settings=settings)  # LINE requesters waiting on the claim, once per version
    answered = mark_answered(session, claim_id=claim_id)  # every other channel: the tracking page shows it
    asked = asked_by_channel(session, claim_id=claim_id)
    tracking = sum(n for channel, n in asked.items() if channel != notify.CHANNEL)
    audit.record(session, actor="system", action="verdict.notified", object_type="claim", object_id=claim_id,
                 data={"verdict_id": verdict_id, "version": version, "case_id": case_id, "asked": sum(asked.values()),
                       "by_channel": asked, "line": told.requesters, "line_before": told.already,
                       "off": told.skipped, "email": mails, "subscribers": subscribers, "tracking": tracking,
                       "answered": answered + told.reports_answered, "outbox": told.outbox_ids,
                       "email_off": 0 if settings.smtp_host else len(mailing.addressed(session, claim_id=claim_id))})
    log.info("verdict %s v%s of claim %s published: %d reports answered, %d LINE requesters told, %d e-mails "
             "queued (%d to subscribers)", verdict_id, version, claim_id, answered + told.reports_answered,
             told.requesters, mails + subscribers, subscribers)


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
