"""Who was told of a published verdict: what the publication job recorded (audit event "verdict.notified", one per
verdict version) and how the deliveries went since (the LINE outbox rows and the e-mail jobs it queued).

The job runs after the case is closed, so the case page reads its record back here: people who asked by channel,
told on LINE / by e-mail / on the tracking page, not told (notifications off or blocked), and failures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from khaojing.audit.models import AuditEvent
from khaojing.cases import mail
from khaojing.intake.models import Report
from khaojing.jobs.models import DEAD, DONE, Job
from khaojing.tipline.models import OutboundMessage, OutboxStatus

ACTION = "verdict.notified"
MAX_ERRORS = 3  # distinct failure reasons shown per channel
CHUNK = 500  # ids per IN (…) query


@dataclass
class Delivery:
    """One channel's outcome for one verdict version: people told, and how many messages reached them so far."""

    channel: str  # line | email
    told: int = 0  # people the job queued a message for
    sent: int = 0
    pending: int = 0  # queued, or waiting to be retried
    failed: int = 0
    last_at: dt.datetime | None = None  # when the last message went out
    errors: list[str] = field(default_factory=list)


@dataclass
class Notice:
    """What the people who asked were told when one verdict version was published."""

    version: int
    at: dt.datetime  # when the job told them
    asked: int  # people who asked (a requester once, an anonymous report each)
    by_channel: dict[str, int]  # people who asked, by the channel they asked on
    tracking: int  # people who asked elsewhere than LINE: their tracking page shows the verdict
    not_told: int  # LINE requesters with notifications off or blocked
    before: int  # told of this version before (the job ran again)
    subscribers: int  # topic subscribers e-mailed as well
    email_off: int  # people who left an e-mail address, not mailed because e-mail is off (no SMTP server)
    deliveries: list[Delivery]

    @property
    def failed(self) -> int:
        return sum(d.failed for d in self.deliveries)


def notices_of(session: Session, *, claim_id: int, verdict_id: int | None) -> list[Notice]:
    """Every recorded notification round of the claim's verdict, newest version first."""
    if verdict_id is None:
        return []
    events = session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "claim", AuditEvent.object_id == str(claim_id), AuditEvent.action == ACTION)
        .order_by(AuditEvent.id.desc())).all()
    out, seen = [], set()
    for ev in events:
        data = ev.data or {}
        version = data.get("version")
        if data.get("verdict_id") != verdict_id or not isinstance(version, int) or version in seen:
            continue
        seen.add(version)
        out.append(Notice(version=version, at=ev.at, asked=int(data.get("asked") or 0),
                          by_channel=dict(data.get("by_channel") or {}), tracking=int(data.get("tracking") or 0),
                          not_told=int(data.get("off") or 0), before=int(data.get("line_before") or 0),
                          subscribers=int(data.get("subscribers") or 0), email_off=int(data.get("email_off") or 0),
                          deliveries=[_line(session, data), _email(session, claim_id, verdict_id, version, data)]))
    return out


def _line(session: Session, data: dict) -> Delivery:
    out = Delivery(channel="line", told=int(data.get("line") or 0))
    ids = [i for i in data.get("outbox") or [] if isinstance(i, int)]
    for row in _chunked(session, OutboundMessage, OutboundMessage.id, ids):
        people = len(row.recipients or []) or 1
        if row.status == OutboxStatus.sent.value:
            out.sent += people
            out.last_at = max(filter(None, (out.last_at, row.sent_at)), default=None)
        elif row.status == OutboxStatus.failed.value:
            out.failed += people
            _error(out, row.last_error)
        else:
            out.pending += people
            _error(out, row.last_error)  # a retry is waiting: say why the last attempt failed
    return out


def _email(session: Session, claim_id: int, verdict_id: int, version: int, data: dict) -> Delivery:
    """The mail jobs of the claim's requesters for this version (found by their dedupe keys). Finished jobs are
    purged after a week: a told person without a job row was mailed."""
    out = Delivery(channel="email", told=int(data.get("email") or 0))
    if not out.told:
        return out
    requesters = session.scalars(select(Report.requester_id).where(Report.claim_id == claim_id,
                                                                   Report.requester_id.is_not(None)).distinct())
    keys = [mail.job_key(mail.verdict_mail_dedupe(rid, verdict_id, version)) for rid in requesters]
    for job in _chunked(session, Job, Job.dedupe_key, keys):
        if job.status == DONE:
            out.last_at = max(filter(None, (out.last_at, job.finished_at)), default=None)
        elif job.status == DEAD:
            out.failed += 1
            _error(out, job.last_error)
        else:
            out.pending += 1
            _error(out, job.last_error)
    out.sent = max(0, out.told - out.failed - out.pending)
    return out


def _chunked(session: Session, model: type, column: object, values: list) -> list:
    rows = []
    for start in range(0, len(values), CHUNK):
        rows += session.scalars(select(model).where(column.in_(values[start:start + CHUNK]))).all()  # type: ignore[attr-defined]
    return rows


def _error(out: Delivery, text: str | None) -> None:
    line = (text or "").strip().splitlines()[-1:] if text else []
    if line and line[0][:200] not in out.errors and len(out.errors) < MAX_ERRORS:
        out.errors.append(line[0][:200])
