"""Takedown requests: create, change status by the declared table, log contacts, remind when a platform is late,
and count outcomes per platform and per reason (the console statistics and the public transparency report)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from khaojing.accounts.models import Role, User
from khaojing.audit import service as audit
from khaojing.cases.models import Case
from khaojing.cases.notices import notify
from khaojing.db.base import utcnow
from khaojing.enforcement import states
from khaojing.enforcement.models import Evidence, Takedown, TakedownEvent
from khaojing.errors import Invalid, InvalidTransition, NotFound
from khaojing.settings import Settings

CONTACT_CHANNELS = ("email", "web_form", "letter", "phone", "meeting", "platform_portal")
DUE_NOTICE = "enf.notice_due"


def _clean_url(raw: str) -> str:
    url = raw.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 2000:
        raise Invalid("give the full address of the content (http:// or https://)", key="enf.err.td_url",
                      fields=[{"field": "url", "message": "not an http(s) URL"}])
    return url


def guess_platform(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    known = {"facebook.com": "facebook", "fb.watch": "facebook", "tiktok.com": "tiktok", "youtube.com": "youtube",
             "youtu.be": "youtube", "x.com": "x", "twitter.com": "x", "line.me": "line", "instagram.com": "instagram"}
    return next((p for d, p in known.items() if host == d or host.endswith("." + d)), "website")


def _actor_of(user: User | None) -> str:
    return audit.user_actor(user.id) if user is not None else states.SYSTEM


def get(session: Session, takedown_id: int) -> Takedown:
    td = session.get(Takedown, takedown_id)
    if td is None:
        raise NotFound(f"takedown {takedown_id} does not exist")
    return td


def create(session: Session, *, url: str, reason: str, actor: User, platform: str | None = None,
           case_id: int | None = None, evidence_id: int | None = None, contact: str = "", note: str = "",
           now: dt.datetime | None = None) -> Takedown:
    url = _clean_url(url)
    if reason not in states.REASONS:
        raise Invalid(f"unknown reason {reason!r}", key="enf.err.td_reason",
                      fields=[{"field": "reason", "message": "choose a reason"}])
    platform = platform or guess_platform(url)
    if platform not in states.PLATFORMS:
        raise Invalid(f"unknown platform {platform!r}", key="enf.err.td_platform",
                      fields=[{"field": "platform", "message": "choose one"}])
    if case_id is not None and session.get(Case, case_id) is None:
        raise NotFound(f"case {case_id} does not exist", key="enf.err.no_case", params={"case": case_id})
    if evidence_id is not None and session.get(Evidence, evidence_id) is None:
        raise NotFound(f"evidence {evidence_id} does not exist", key="enf.err.no_evidence",
                       params={"evidence": evidence_id})
    who, now = _actor_of(actor), now or utcnow()
    td = Takedown(url=url, platform=platform, reason=reason, political=states.is_political(reason),
                  status=states.DRAFT, case_id=case_id, evidence_id=evidence_id, contact=contact.strip()[:2000],
                  note=note.strip()[:4000], created_by=who, created_at=now, status_since=now)
    session.add(td)
    session.flush()
    session.add(TakedownEvent(takedown_id=td.id, actor=who, kind="created", to_status=states.DRAFT,
                              note=td.note, data={"reason": reason, "platform": platform}, at=now))
    audit.record(session, actor=who, action="takedown.created", object_type="takedown", object_id=td.id,
                 data={"url": url, "reason": reason, "platform": platform, "political": td.political})
    return td


def transition(session: Session, *, settings: Settings, takedown_id: int, to_status: str, actor: User | None,
               note: str = "", now: dt.datetime | None = None, check: dict | None = None) -> Takedown:
    """Move a takedown along the table; the re-check job (actor None) only where the table says by_check."""
    td = get(session, takedown_id)
    rule = states.find(td.status, to_status)
    if rule is None:
        raise InvalidTransition(f"a takedown cannot go from {td.status} to {to_status}", key="enf.err.td_move",
                                params={"old_key": f"td.status_{td.status}", "new_key": f"td.status_{to_status}"})
    if actor is None and not rule.by_check:
        raise InvalidTransition(f"the re-check cannot move a takedown from {td.status} to {to_status}")
    if actor is not None and Role(actor.role) not in rule.roles:
        raise InvalidTransition(f"only {', '.join(sorted(r.value for r in rule.roles))} may do this",
                                key="enf.err.td_role",
                                params={"old_key": f"td.status_{td.status}", "new_key": f"td.status_{to_status}"})
    now = now or utcnow()
    who, before = _actor_of(actor), td.status
    td.status, td.status_since = to_status, now
    if to_status == states.SENT:
        td.due_at = now + dt.timedelta(days=settings.enforcement_takedown_due_days)
        td.reminded_at = None
        td.next_check_at = td.next_check_at or now
    td.closed_at = now if to_status in (states.REMOVED, states.REFUSED) else None
    session.add(TakedownEvent(takedown_id=td.id, actor=who, kind="status", from_status=before, to_status=to_status,
                              note=note.strip()[:4000], data=check or {}, at=now))
    audit.record(session, actor=who, action="takedown.status", object_type="takedown", object_id=td.id,
                 data={"from": before, "to": to_status, "by_check": actor is None})
    return td


def add_contact(session: Session, *, takedown_id: int, actor: User, channel: str, note: str,
                at: dt.datetime | None = None) -> TakedownEvent:
    """A contact with the platform or the source: what was sent or said, how and when."""
    td = get(session, takedown_id)
    if channel not in CONTACT_CHANNELS:
        raise Invalid(f"unknown contact channel {channel!r}", key="enf.err.td_channel",
                      fields=[{"field": "channel", "message": "choose one"}])
    if not note.strip():
        raise Invalid("say what was sent or said", key="enf.err.td_note",
                      fields=[{"field": "note", "message": "empty"}])
    event = TakedownEvent(takedown_id=td.id, actor=_actor_of(actor), kind="contact", channel=channel,
                          note=note.strip()[:4000], at=at or utcnow())
    session.add(event)
    audit.record(session, actor=_actor_of(actor), action="takedown.contact", object_type="takedown",
                 object_id=td.id, data={"channel": channel})
    return event


def events(session: Session, takedown_id: int) -> list[TakedownEvent]:
    return list(session.scalars(select(TakedownEvent).where(TakedownEvent.takedown_id == takedown_id)
                                .order_by(TakedownEvent.id)))


def list_takedowns(session: Session, *, status: str | None = None, limit: int = 300) -> list[Takedown]:
    stmt = select(Takedown).order_by(Takedown.id.desc()).limit(limit)
    if status in states.STATUSES:
        stmt = stmt.where(Takedown.status == status)
    return list(session.scalars(stmt))


def remind_overdue(session: Session, *, now: dt.datetime | None = None) -> int:
    """One console notice to the requester when a platform has not answered by the due date."""
    now = now or utcnow()
    late = session.scalars(select(Takedown).where(Takedown.status.in_((states.SENT, states.ACKNOWLEDGED)),
                                                  Takedown.due_at <= now, Takedown.reminded_at.is_(None))).all()
    for td in late:
        td.reminded_at = now
        uid = int(td.created_by.split(":")[1]) if td.created_by.startswith("user:") else None
        notify(session, [uid], DUE_NOTICE, {"id": td.id, "platform": td.platform},
               url=f"/console/takedowns/{td.id}", now=now)
        session.add(TakedownEvent(takedown_id=td.id, actor=states.SYSTEM, kind="note", at=now,
                                  note="reminder: the platform has not answered by the due date",
                                  data={"reminder": True}))
    return len(late)


@dataclass
class Stats:
    total: int = 0
    political: int = 0
    by_status: Counter = field(default_factory=Counter)
    by_reason: dict[str, Counter] = field(default_factory=dict)
    by_platform: dict[str, Counter] = field(default_factory=dict)

    def rate(self, counts: Counter) -> int | None:
        """Share of decided requests (removed or refused) that were removed, in per cent."""
        decided = counts[states.REMOVED] + counts[states.REFUSED] + counts[states.RESTORED]
        return round(100 * (counts[states.REMOVED] + counts[states.RESTORED]) / decided) if decided else None


def stats(session: Session, *, include_drafts: bool = False, since: dt.datetime | None = None) -> Stats:
    """Counts by status, per reason and per platform; the public report leaves drafts out (never sent)."""
    stmt = select(Takedown.reason, Takedown.platform, Takedown.status, Takedown.political, func.count(Takedown.id))
    if not include_drafts:
        stmt = stmt.where(Takedown.status != states.DRAFT)
    if since is not None:
        stmt = stmt.where(Takedown.created_at >= since)
    result = Stats()
    for reason, platform, status, political, n in session.execute(
            stmt.group_by(Takedown.reason, Takedown.platform, Takedown.status, Takedown.political)):
        result.total += n
        result.political += n if political else 0
        result.by_status[status] += n
        result.by_reason.setdefault(reason, Counter())[status] += n
        result.by_platform.setdefault(platform, Counter())[status] += n
    return result
