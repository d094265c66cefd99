"""The blocklist as the console manages it: who is blocked, block a sender (by report, pseudonym or LINE id), lift.

The rules of blocking live in tipline.service (is_blocked, block); this module finds whom a staff member means and
refuses what makes no sense (no reason, nobody found, already blocked). Every change writes an audit event.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from khaojing.audit import service as audit
from khaojing.db.base import utcnow
from khaojing.errors import Conflict, Invalid, NotFound
from khaojing.intake import requesters
from khaojing.intake.codes import normalise_tracking_code
from khaojing.intake.models import Report, Requester
from khaojing.intake.requesters import keyed_hash
from khaojing.tipline import service
from khaojing.tipline.models import Blocked, InboundEvent

PSEUDONYM_CHARS = 10  # the console shows a requester as the first 10 hex digits of its keyed hash
MAX_REASON = 500
MAX_DAYS = 3650
HEX_RE = re.compile(r"^[0-9a-f]{10,64}$")
LINE_ID_RE = re.compile(r"^[UCR][0-9a-f]{32}$")


@dataclass
class Target:
    """Whom a block is about: a requester (a LINE user) or a bare keyed hash (a group or room)."""

    requester_id: int | None
    key_hash: str | None
    kind: str  # user | group
    pseudonym: str


@dataclass
class BlockedView:
    row: Blocked
    kind: str  # user | group
    pseudonym: str
    active: bool


@dataclass
class Sender:
    """A recent LINE report and its sender, for the "block this sender" buttons."""

    report: Report
    pseudonym: str
    blocked: bool


def pseudonym(key_hash: str | None) -> str:
    return (key_hash or "")[:PSEUDONYM_CHARS] or "–"


def list_blocked(session: Session, *, limit: int = 500) -> list[BlockedView]:
    """Every block, newest first, with the pseudonym staff see elsewhere in the console."""
    rows = session.execute(select(Blocked, Requester.key_hash).outerjoin(Requester, Requester.id ==
                                                                         Blocked.requester_id)
                           .order_by(Blocked.created_at.desc(), Blocked.id.desc()).limit(limit)).all()
    now = utcnow()
    return [BlockedView(row=b, kind="user" if b.requester_id else "group", pseudonym=pseudonym(h or b.key_hash),
                        active=b.until is None or b.until > now) for b, h in rows]


def recent_senders(session: Session, *, limit: int = 15) -> list[Sender]:
    """The latest reports that came in on LINE with a sender, newest first."""
    rows = session.execute(select(Report, Requester.key_hash).join(Requester, Requester.id == Report.requester_id)
                           .where(Report.channel == "line").order_by(Report.id.desc()).limit(limit)).all()
    return [Sender(report=r, pseudonym=pseudonym(h), blocked=service.is_blocked(session, requester_id=r.requester_id))
            for r, h in rows]


def _requester_by_hash(session: Session, text: str) -> Requester | None:
    found = session.scalars(select(Requester).where(Requester.key_hash.like(f"{text}%")).limit(2)).all()
    if len(found) > 1:
        raise Invalid("several senders start with these characters: paste more of the pseudonym",
                      key="line.block.err.ambiguous", fields=[{"field": "target", "message": "ambiguous"}])
    return found[0] if found else None


def resolve(session: Session, *, secret_key: str, target: str) -> Target:
    """Whom `target` names: a tracking code (its report's sender), a pseudonym or whole keyed hash (a sender or
    a group), or a raw LINE id (U… user, C… group, R… room), which is hashed at once and never stored."""
    text = "".join(target.split())
    code = normalise_tracking_code(text) if text else None
    if code and not HEX_RE.match(text.lower()):
        report = session.scalar(select(Report).where(Report.tracking_code == code))
        if report is None:
            raise NotFound("no report has this tracking code", key="line.block.err.no_report")
        if report.requester_id is None:
            raise Invalid("this report has no sender to block (anonymous)", key="line.block.err.anonymous",
                          fields=[{"field": "target", "message": "anonymous"}])
        requester = session.get(Requester, report.requester_id)
        assert requester is not None
        return Target(requester.id, None, "user", pseudonym(requester.key_hash))
    if LINE_ID_RE.match(text):
        if text[0] == "U":  # a user who may not have written yet: the block waits on their pseudonym
            requester = requesters.get_or_create_requester(session, secret_key=secret_key, channel="line",
                                                           kind=service.LINE_USER, value=text)
            session.flush()
            return Target(requester.id, None, "user", pseudonym(requester.key_hash))
        text = keyed_hash(secret_key, service.LINE_GROUP, text)
    lowered = text.lower()
    if HEX_RE.match(lowered):
        requester = _requester_by_hash(session, lowered)
        if requester is not None:
            return Target(requester.id, None, "user", pseudonym(requester.key_hash))
        group = session.scalar(select(InboundEvent.group_hash).where(InboundEvent.group_hash.like(f"{lowered}%"))
                               .limit(1))
        if group is not None:
            return Target(None, group, "group", pseudonym(group))
        if len(lowered) == 64:  # a hash not seen yet (e.g. of a group id): blocked before it writes
            return Target(None, lowered, "group", pseudonym(lowered))
    raise NotFound("no LINE sender or group matches this tracking code, pseudonym or id", key="line.block.err.nobody")


def block_target(session: Session, *, actor: str, secret_key: str, target: str, reason: str,
                 days: int | None = None) -> Blocked:
    """Block whom `target` names, for `days` days or until lifted; a reason is required."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise Invalid("a reason is required", key="line.block.err.reason",
                      fields=[{"field": "reason", "message": "required"}])
    if len(reason) > MAX_REASON:
        raise Invalid("the reason is too long", key="line.block.err.reason_long",
                      fields=[{"field": "reason", "message": "long"}])
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise Invalid(f"block for 1 to {MAX_DAYS} days, or until lifted", key="line.block.err.days",
                      params={"max": MAX_DAYS}, fields=[{"field": "days", "message": "range"}])
    who = resolve(session, secret_key=secret_key, target=target)
    if service.is_blocked(session, requester_id=who.requester_id, key_hash=who.key_hash):
        raise Conflict(f"{who.pseudonym} is blocked already", key="line.block.err.already",
                       params={"who": who.pseudonym})
    until = utcnow() + dt.timedelta(days=days) if days else None
    row = service.block(session, actor=actor, reason=reason, requester_id=who.requester_id,
                        key_hash=who.key_hash, until=until)
    if who.requester_id is not None:
        service.clear_state(session, who.requester_id)  # an open question is not answered any more
    return row


def lift(session: Session, *, actor: str, blocked_id: int, reason: str) -> Blocked:
    """Remove one block (its requester or group is answered again from the next message)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise Invalid("a reason is required", key="line.block.err.reason",
                      fields=[{"field": "reason", "message": "required"}])
    row = session.get(Blocked, blocked_id) if 0 < blocked_id < 2**63 else None
    if row is None:
        raise NotFound(f"block {blocked_id} not found", key="line.block.err.no_block")
    session.delete(row)
    session.flush()
    audit.record(session, actor=actor, action="tipline.unblocked", object_type="requester",
                 object_id=row.requester_id, data={"blocked_id": blocked_id, "key_hash": row.key_hash,
                                                   "reason": reason[:MAX_REASON], "was_reason": row.reason})
    return row

