"""Follow-up: when a verdict is published or corrected, tell every LINE user waiting on its claim, once per version.

Waiting = having a LINE report in the claim (Report.requester_id, channel line). A requester is told at most once
per verdict version: the outbox dedupe key notify:{requester}:{verdict}:{version} (one push), and for a multicast
the version is also written on each report (meta.line.notified), which the next call reads before sending.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from khaojing.channels.line import flex
from khaojing.channels.line.config import line_config
from khaojing.claims.models import Verdict
from khaojing.intake.models import Report, ReportStatus, Requester
from khaojing.settings import Settings
from khaojing.tipline import answers, outbox, service
from khaojing.tipline.models import OutboundMessage
from khaojing.tipline.texts import say

CHANNEL = "line"


@dataclass
class Notified:
    requesters: int = 0  # told now
    already: int = 0  # told about this version before
    skipped: int = 0  # notifications off or blocked
    reports_answered: int = 0
    messages: int = 0  # outbox rows queued (one push, or one multicast per language)
    outbox_ids: list[int] = field(default_factory=list)  # those rows (the case page follows their delivery)


def _tag(verdict_id: int, version: int) -> str:
    return f"{verdict_id}:{version}"


def _already(session: Session, requester_id: int, reports: list[Report], tag: str) -> bool:
    if any(tag in ((r.meta or {}).get("line") or {}).get("notified", []) for r in reports):
        return True
    key = f"notify:{requester_id}:{tag}"
    return session.scalar(select(OutboundMessage.id).where(OutboundMessage.dedupe_key == key)) is not None


def _mark(reports: list[Report], tag: str) -> None:
    for r in reports:
        meta = dict(r.meta or {})
        line = dict(meta.get("line") or {})
        line["notified"] = [*line.get("notified", []), tag]
        meta["line"] = line
        r.meta = meta


def notify_verdict(session: Session, *, claim_id: int, verdict_id: int, version: int,
                   settings: Settings) -> Notified:
    """One push per waiting requester for this verdict version (multicast when several share a language)."""
    result = Notified()
    verdict = session.get(Verdict, verdict_id)
    if verdict is None or verdict.claim_id != claim_id or verdict.published_at is None:
        return result
    reports = session.scalars(select(Report).where(Report.claim_id == claim_id, Report.channel == CHANNEL,
                                                   Report.requester_id.is_not(None)).order_by(Report.id)).all()
    for r in reports:
        if r.status != ReportStatus.rejected.value and r.status != ReportStatus.answered.value:
            r.status = ReportStatus.answered.value
            result.reports_answered += 1
    by_requester: dict[int, list[Report]] = defaultdict(list)
    for r in reports:
        by_requester[r.requester_id].append(r)  # type: ignore[index]
    tag = _tag(verdict_id, version)
    waiting: dict[str, list[int]] = defaultdict(list)  # language -> requester ids
    for requester_id, theirs in by_requester.items():
        requester = session.get(Requester, requester_id)
        if requester is None or not requester.notify or service.is_blocked(session, requester_id=requester_id):
            result.skipped += 1
        elif _already(session, requester_id, theirs, tag):
            result.already += 1
        else:
            waiting["en" if requester.language == "en" else "th"].append(requester_id)
    for lang, ids in waiting.items():
        card = answers.verdict_card(session, claim_id, settings=settings, lang=lang)
        if card is None:  # the label is not public: nothing to tell
            continue
        cfg = line_config(settings)
        intro = say("notify_intro" if version <= 1 else "notify_update", lang)
        messages = [flex.text(intro, quick=False),
                    flex.verdict_message(card, base_url=cfg.base_url, lang=lang, tz=cfg.timezone)]
        if len(ids) == 1:
            row = outbox.send(session, dedupe_key=f"notify:{ids[0]}:{tag}", kind="push", to=ids[0],
                              messages=messages)
        else:
            digest = hashlib.sha256(",".join(map(str, sorted(ids))).encode()).hexdigest()[:24]
            row = outbox.send(session, dedupe_key=f"notify:many:{tag}:{lang}:{digest}", kind="multicast", to=ids,
                              messages=messages)
        for requester_id in ids:
            _mark(by_requester[requester_id], tag)
        result.messages += row is not None
        result.outbox_ids += [row.id] if row is not None else []
        result.requesters += len(ids)
    return result
