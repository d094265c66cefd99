"""Send chat messages exactly once: record an OutboundMessage, then a job delivers it (reply, else push).

`send` is idempotent on its dedupe key. The job replies with the reply token while it is young enough, and
pushes otherwise (also when LINE says the token is invalid). Push and multicast carry the row's uuid as LINE's
X-Line-Retry-Key, so a retry after an attempt whose answer was lost is not delivered twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from khaojing.channels.line.client import LineClient, LineError, LinePermanent
from khaojing.channels.line.config import LineConfig, line_config
from khaojing.db.base import utcnow
from khaojing.jobs import queue
from khaojing.jobs.models import Job
from khaojing.tipline import service
from khaojing.tipline.models import OutboundMessage, OutboxStatus

log = logging.getLogger(__name__)

SEND_JOB = "tipline.send"
KINDS = ("reply", "push", "multicast")
PRIORITY = {"reply": 5, "push": 20, "multicast": 60}
MAX_ATTEMPTS = 8  # with the queue's exponential backoff: about 20 minutes of LINE outage


def send(session: Session, *, dedupe_key: str, kind: str, to: int | Sequence[int], messages: list[dict],
         reply_token: str | None = None, reply_token_at: dt.datetime | None = None) -> OutboundMessage | None:
    """Queue messages for requesters (ids). A second call with the same dedupe_key is a no-op (None).

    A reply with no recipients (`to=[]`) goes to a group chat through its reply token only.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    recipients = [to] if isinstance(to, int) else list(dict.fromkeys(to))
    if not 1 <= len(messages) <= 5:
        raise ValueError("LINE sends 1 to 5 message objects at a time")
    if kind == "reply" and not recipients:  # a group chat: only the reply token can reach it
        if not reply_token:
            raise ValueError("a reply to a group chat needs a reply token")
    elif not recipients or (kind != "multicast" and len(recipients) != 1):
        raise ValueError(f"a {kind} goes to {'one requester' if kind != 'multicast' else 'requesters'}")
    if kind == "reply" and not reply_token:
        kind = "push"  # nothing to reply with (e.g. a postback without a token): push at once
    if session.scalar(select(OutboundMessage.id).where(OutboundMessage.dedupe_key == dedupe_key)) is not None:
        return None
    row = OutboundMessage(dedupe_key=dedupe_key, kind=kind, recipients=recipients, payload={"messages": messages},
                          reply_token=reply_token if kind == "reply" else None,
                          reply_token_at=(reply_token_at or utcnow()) if kind == "reply" else None)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # the same message was queued at the same moment elsewhere
        return None
    queue.enqueue(session, SEND_JOB, {"message_id": row.id}, priority=PRIORITY[kind], max_attempts=MAX_ATTEMPTS,
                  dedupe_key=f"{SEND_JOB}:{row.id}")
    return row


def _targets(session: Session, row: OutboundMessage) -> tuple[list[str], list[str]]:
    """Raw LINE ids of the recipients still reachable, and why the others are left out."""
    ids, skipped = [], []
    for requester_id in row.recipients:
        if service.is_blocked(session, requester_id=requester_id):
            skipped.append(f"{requester_id}: blocked")
        elif (user_id := service.line_user_id(session, requester_id)) is None:
            skipped.append(f"{requester_id}: no LINE contact held (retention ended)")
        else:
            ids.append(user_id)
    return ids, skipped


def _reply_token_fresh(row: OutboundMessage, cfg: LineConfig) -> bool:
    if not row.reply_token or row.reply_token_at is None:
        return False
    return (utcnow() - row.reply_token_at).total_seconds() < cfg.reply_token_seconds


def _deliver(row: OutboundMessage, client: LineClient, cfg: LineConfig, targets: list[str]) -> str:
    messages = row.payload["messages"]
    if row.kind == "reply" and _reply_token_fresh(row, cfg):
        try:
            client.reply(row.reply_token or "", messages)
            return "reply"
        except LinePermanent as exc:
            if not exc.invalid_reply_token:
                raise
            if row.uncertain:  # an earlier attempt may have used the token: presume it got through
                log.warning("outbound %s: reply token refused after an unanswered attempt; presumed delivered",
                            row.id)
                return "reply"
            if not targets:  # a group chat: no push possible without its raw id (never kept)
                raise
            log.info("outbound %s: LINE refused the reply token; pushing instead", row.id)
    if row.kind in ("reply", "push"):
        client.push(targets[0], messages, retry_key=row.retry_key)
        return "push"
    client.multicast(targets, messages, retry_key=row.retry_key)
    return "multicast"


def _job(session: Session, row: OutboundMessage) -> Job | None:
    return session.scalar(select(Job).where(Job.dedupe_key == f"{SEND_JOB}:{row.id}"))


def deliver(session: Session, *, settings: object, message_id: int) -> None:
    """The job: send one OutboundMessage; mark it sent in the same transaction that finishes the job."""
    row = session.get(OutboundMessage, message_id)
    if row is None or row.status == OutboxStatus.sent.value:
        return
    cfg = line_config(settings)
    job = _job(session, row)
    attempt = job.attempts if job is not None else row.attempts + 1
    if attempt - 1 > row.attempts:  # an attempt ended without a record (the worker died): its outcome is unknown
        row.uncertain = True
    row.attempts = attempt
    targets, skipped = _targets(session, row)
    group_reply = not row.recipients and row.kind == "reply" and _reply_token_fresh(row, cfg)
    if not targets and not group_reply:
        why = "; ".join(skipped) or "group chat: the reply token expired"
        row.status, row.last_error, row.reply_token = OutboxStatus.failed.value, why[:4000], None
        return
    try:
        via = _deliver(row, LineClient(cfg), cfg, targets)
    except LineError as exc:
        last = isinstance(exc, LinePermanent) or (job is not None and job.attempts >= job.max_attempts)
        row.last_error = str(exc)[:4000]
        row.uncertain = row.uncertain or exc.uncertain
        if last:
            row.status, row.reply_token = OutboxStatus.failed.value, None
        # Keep this attempt's record: the worker rolls the job's transaction back, then records the failure on
        # the job (retry with backoff, or dead-letter for a permanent error) in a transaction of its own.
        session.commit()
        raise
    row.status, row.sent_via, row.sent_at = OutboxStatus.sent.value, via, utcnow()
    row.reply_token = None
    row.last_error = "; ".join(skipped)[:4000] or None
