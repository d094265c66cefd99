"""Deadlines: the first-action SLA of a case, the agency's answer time, reminders, chasing and escalation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from khaojing.accounts.models import Agency, Role
from khaojing.audit import service as audit
from khaojing.cases import mail, states
from khaojing.cases.models import AgencyRequest, Case
from khaojing.cases.notices import editors, notify, users_with_role
from khaojing.claims.models import Claim
from khaojing.settings import Settings

BATCH = 500


def is_danger(claim: Claim, settings: Settings) -> bool:
    """Danger to life or property: the claim's harm score on either is at or above the threshold."""
    harm = claim.harm or {}
    try:
        worst = max(float(harm.get("life") or 0.0), float(harm.get("property") or 0.0))
    except (TypeError, ValueError):
        return False
    return worst >= settings.sla_danger_threshold


def first_action_hours(claim: Claim, settings: Settings) -> float:
    return settings.sla_first_action_hours_danger if is_danger(claim, settings) else settings.sla_first_action_hours


def first_action_due(claim: Claim, settings: Settings) -> dt.datetime:
    """The clock starts when the center first had the claim (its first report, or the claim itself when that is
    earlier), not when someone opened a case for it nor when the claim was grouped."""
    received = min(t for t in (claim.first_seen_at, claim.created_at) if t is not None)
    return received + dt.timedelta(hours=first_action_hours(claim, settings))


def answer_due(settings: Settings, now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(hours=settings.agency_answer_hours)


def is_overdue(case: Case, now: dt.datetime) -> bool:
    return case.state == states.NEW and case.first_action_at is None and case.due_at is not None \
        and case.due_at <= now


@dataclass
class CheckResult:
    reminded: int = 0
    escalated: int = 0
    chased: int = 0
    requests_escalated: int = 0


def _case_url(case_id: int) -> str:
    return f"/console/cases/{case_id}"


def _remind_cases(session: Session, settings: Settings, now: dt.datetime, result: CheckResult) -> None:
    cases = session.execute(select(Case, Claim).join(Claim, Claim.id == Case.claim_id).where(
        Case.state == states.NEW, Case.first_action_at.is_(None), Case.due_at.is_not(None),
        Case.reminded_at.is_(None), Case.escalated_at.is_(None)).order_by(Case.due_at).limit(BATCH)).all()
    for case, claim in cases:
        lead = dt.timedelta(hours=first_action_hours(claim, settings) * (1 - settings.sla_reminder_fraction))
        if now < case.due_at - lead or now >= case.due_at:
            continue
        targets = [case.assignee_id] if case.assignee_id else [u.id for u in users_with_role(session, Role.analyst)]
        notify(session, targets, "notice.sla_reminder", {"case": case.id, "minutes": _minutes(case.due_at - now)},
               url=_case_url(case.id), now=now)
        case.reminded_at = now
        audit.record(session, actor=audit.SYSTEM, action="case.reminded", object_type="case", object_id=case.id,
                     data={"due_at": case.due_at, "to": targets})
        result.reminded += 1


def _escalate_cases(session: Session, settings: Settings, now: dt.datetime, result: CheckResult) -> None:
    overdue = session.scalars(select(Case).where(
        Case.state == states.NEW, Case.first_action_at.is_(None), Case.due_at <= now,
        Case.escalated_at.is_(None)).order_by(Case.due_at).limit(BATCH)).all()
    if not overdue:
        return
    staff = editors(session)
    for case in overdue:
        claim = session.get(Claim, case.claim_id)
        title = (claim.title if claim else "")[:200]
        due_th, due_en = mail.when(case.due_at, settings)
        notify(session, [u.id for u in staff] + [case.assignee_id], "notice.sla_escalated", {"case": case.id},
               url=_case_url(case.id), now=now)
        mail.enqueue(session, settings, to=[u.email for u in staff], key="mail.case_overdue",
                     dedupe=f"case:{case.id}:overdue", case=case.id, title=title, due_th=due_th, due_en=due_en,
                     url=settings.base_url.rstrip("/") + _case_url(case.id))
        case.escalated_at = now
        audit.record(session, actor=audit.SYSTEM, action="case.escalated", object_type="case", object_id=case.id,
                     data={"due_at": case.due_at, "editors": [u.id for u in staff]})
        result.escalated += 1


def _chase_requests(session: Session, settings: Settings, now: dt.datetime, result: CheckResult) -> None:
    late = session.scalars(select(AgencyRequest).where(
        AgencyRequest.status == "sent", AgencyRequest.due_at <= now, AgencyRequest.chased_at.is_(None))
        .order_by(AgencyRequest.due_at).limit(BATCH)).all()
    for req in late:
        agency = session.get(Agency, req.agency_id)
        officers = users_with_role(session, Role.agency_officer, agency_id=req.agency_id)
        due_th, due_en = mail.when(req.due_at, settings)
        mail.enqueue(session, settings, to=mail.agency_recipients(agency, officers), key="mail.request_chase",
                     dedupe=f"request:{req.id}:chase", request=req.id, due_th=due_th, due_en=due_en,
                     agency=agency.name_th if agency else "", url=portal_url(settings, req.id))
        notify(session, [u.id for u in officers], "notice.request_overdue", {"request": req.id},
               url=f"/console/agency/requests/{req.id}", now=now)
        req.chased_at = now
        audit.record(session, actor=audit.SYSTEM, action="agency_request.chased", object_type="agency_request",
                     object_id=req.id, data={"case_id": req.case_id, "agency_id": req.agency_id})
        result.chased += 1


def _escalate_requests(session: Session, settings: Settings, now: dt.datetime, result: CheckResult) -> None:
    cutoff = now - dt.timedelta(hours=settings.agency_escalate_after_chase_hours)
    stale = session.scalars(select(AgencyRequest).where(
        AgencyRequest.status == "sent", AgencyRequest.chased_at <= cutoff, AgencyRequest.escalated_at.is_(None))
        .order_by(AgencyRequest.due_at).limit(BATCH)).all()
    if not stale:
        return
    staff = editors(session)
    for req in stale:
        agency = session.get(Agency, req.agency_id)
        case = session.get(Case, req.case_id)
        name = agency.name_th if agency else ""
        notify(session, [u.id for u in staff] + [case.assignee_id if case else None, req.sent_by_id],
               "notice.request_escalated", {"request": req.id, "case": req.case_id, "agency": name,
                                             "agency_en": agency.name_en if agency else None},
               url=_case_url(req.case_id), now=now)
        due_th, due_en = mail.when(req.due_at, settings)
        mail.enqueue(session, settings, to=[u.email for u in staff], key="mail.request_escalated",
                     dedupe=f"request:{req.id}:escalated", request=req.id, case=req.case_id, agency=name,
                     due_th=due_th, due_en=due_en, url=settings.base_url.rstrip("/") + _case_url(req.case_id))
        req.escalated_at = now
        audit.record(session, actor=audit.SYSTEM, action="agency_request.escalated", object_type="agency_request",
                     object_id=req.id, data={"case_id": req.case_id, "editors": [u.id for u in staff]})
        result.requests_escalated += 1


def portal_url(settings: Settings, request_id: int) -> str:
    return f"{settings.base_url.rstrip('/')}/console/agency/requests/{request_id}"


def _minutes(delta: dt.timedelta) -> int:
    return max(0, int(delta.total_seconds() // 60))


def check(session: Session, *, settings: Settings, now: dt.datetime) -> CheckResult:
    """One pass over every clock (the periodic job): remind, escalate, chase once, then escalate requests."""
    result = CheckResult()
    _remind_cases(session, settings, now, result)
    _escalate_cases(session, settings, now, result)
    _chase_requests(session, settings, now, result)
    _escalate_requests(session, settings, now, result)
    return result

