"""Cases: open one for a claim, move it through the declared workflow (audited, timed), assign and hand over."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from khaojing.accounts.models import Role, User
from khaojing.audit import service as audit
from khaojing.cases import deadlines, states
from khaojing.cases.models import AgencyRequest, Case, CaseStateChange, VerdictVersion
from khaojing.cases.notices import notify
from khaojing.claims import service as claims
from khaojing.claims.models import Claim
from khaojing.db.base import utcnow
from khaojing.errors import Conflict, Forbidden, Invalid, InvalidTransition, NotFound
from khaojing.settings import Settings

MAX_REASON = 4000
MAX_ID = 2**63 - 1


def get_case(session: Session, case_id: int, *, for_update: bool = False) -> Case:
    case = session.get(Case, case_id, with_for_update=for_update) if 0 < case_id <= MAX_ID else None
    if case is None:
        raise NotFound(f"case {case_id} not found")
    return case


def open_case_for(session: Session, claim_id: int) -> Case | None:
    return session.scalar(select(Case).where(Case.claim_id == claim_id, Case.closed_at.is_(None)))


def open_case(session: Session, *, claim_id: int, actor: User, settings: Settings,
              now: dt.datetime | None = None) -> Case:
    """A new case (state `new`) for an open claim; its first-action deadline runs from when the claim came in."""
    now = now or utcnow()
    if Role(actor.role) not in states.WORKERS:
        raise InvalidTransition("only analysts and editors open cases", key="err.open_role")
    claim = claims.get_claim(session, claim_id)
    if claim.status in (claims.MERGED, claims.DISMISSED):
        raise Conflict(f"claim {claim.id} is {claim.status}; open a case on the claim it was merged into, "
                       "or take up the dismissed case again", key="err.claim_closed", params={"claim": claim.id})
    existing = open_case_for(session, claim.id)
    if existing is not None:
        raise Conflict(f"claim {claim.id} already has an open case: #{existing.id}", key="err.case_exists",
                       params={"claim": claim.id, "case": existing.id})
    case = Case(claim_id=claim.id, state=states.NEW, opened_at=now, state_since=now,
                due_at=deadlines.first_action_due(claim, settings))
    session.add(case)
    session.flush()
    session.add(CaseStateChange(case_id=case.id, from_state=None, state=states.NEW, entered_at=now,
                                actor=audit.user_actor(actor.id)))
    audit.record(session, actor=audit.user_actor(actor.id), action="case.opened", object_type="case",
                 object_id=case.id, data={"claim_id": claim.id, "due_at": case.due_at})
    return case


def _refuse(case: Case, to_state: str, role: str) -> InvalidTransition:
    if to_state not in states.STATES:
        return InvalidTransition(f"there is no case state {to_state!r}", key="err.state_unknown")
    options = [t.target for t in states.allowed_from(case.state, role)]
    rule = states.find(case.state, to_state)
    if rule is not None:
        who = " or ".join(sorted(r.value for r in rule.roles))
        return InvalidTransition(f"only an {who} may move a case from {case.state} to {to_state}", key="err.move_role",
                                 params={"old_key": f"state.{case.state}", "new_key": f"state.{to_state}"})
    hint = f"; from {case.state} you may move it to: {', '.join(options)}" if options else ""
    return InvalidTransition(f"case #{case.id} is {case.state}: it cannot move to {to_state}{hint}",
                             key="err.move_not_allowed_to" if options else "err.move_not_allowed",
                             params={"case": case.id, "old_key": f"state.{case.state}", "new_key": f"state.{to_state}",
                                     "options_keys": [f"state.{target}" for target in options]})


def _check_guards(session: Session, case: Case, to_state: str) -> None:
    """Conditions beyond the table: what must exist before a case may enter a state."""
    if to_state == states.IN_REVIEW:
        draft = session.scalar(select(VerdictVersion.id).where(VerdictVersion.case_id == case.id,
                                                               VerdictVersion.status == "draft"))
        if draft is None:
            raise InvalidTransition("write the verdict draft before sending it for review", key="err.draft_first")
    if to_state == states.PUBLISHED:
        version = session.scalar(select(VerdictVersion).where(VerdictVersion.case_id == case.id,
                                                              VerdictVersion.status == "in_review"))
        if version is None or version.approver_id is None:
            raise InvalidTransition("a verdict is published only when an editor approves it",
                                    key="err.publish_by_approval")
        if version.approver_id in (version.contributor_ids or []) or version.approver_id == version.author_id:
            raise InvalidTransition("four eyes: the approver of a verdict cannot be one of its authors",
                                    key="err.four_eyes")
    if case.state in states.CLOSED_STATES and to_state not in states.CLOSED_STATES:
        other = open_case_for(session, case.claim_id)
        if other is not None and other.id != case.id:
            raise Conflict(f"the claim already has another open case: #{other.id}", key="err.claim_other_open",
                           params={"case": other.id})
        if case.state == states.DISMISSED and case.close_reason == "duplicate":
            raise InvalidTransition("this case was dismissed as a duplicate and its claim merged; "
                                    f"work on case #{case.merged_into_id} instead", key="err.case_merged",
                                    params={"case": case.merged_into_id})


def transition(session: Session, *, case_id: int, to_state: str, actor: User, reason: str | None = None,
               now: dt.datetime | None = None, close_reason: str | None = None, data: dict | None = None) -> Case:
    """Move a case along the declared table: role checked, guards checked, audited with the reason, timed."""
    now = now or utcnow()
    case = get_case(session, case_id, for_update=True)
    rule = states.find(case.state, to_state)
    if rule is None or Role(actor.role) not in rule.roles:
        raise _refuse(case, to_state, actor.role)
    reason = (reason or "").replace("\x00", "").strip()[:MAX_REASON] or None
    if rule.needs_reason and not reason:
        raise Invalid(f"give a reason to move a case from {case.state} to {to_state}", key="err.reason_needed",
                      params={"old_key": f"state.{case.state}", "new_key": f"state.{to_state}"},
                      fields=[{"field": "reason", "message": "required"}])
    _check_guards(session, case, to_state)
    from_state = case.state
    session.execute(update(CaseStateChange).where(CaseStateChange.case_id == case.id,
                                                  CaseStateChange.left_at.is_(None)).values(left_at=now))
    session.add(CaseStateChange(case_id=case.id, from_state=from_state, state=to_state, entered_at=now,
                                actor=audit.user_actor(actor.id), reason=reason))
    case.state, case.state_since = to_state, now
    if from_state == states.NEW and case.first_action_at is None:
        case.first_action_at = now
    if to_state in states.CLOSED_STATES:
        case.closed_at, case.close_reason = now, close_reason or to_state
        _withdraw_waiting_requests(session, case, actor, now)
    elif from_state in states.CLOSED_STATES:
        case.closed_at, case.close_reason = None, None
    session.flush()
    audit.record(session, actor=audit.user_actor(actor.id), action="case.transition", object_type="case",
                 object_id=case.id, data={"from": from_state, "to": to_state, "reason": reason, **(data or {})})
    return case


def _withdraw_waiting_requests(session: Session, case: Case, actor: User, now: dt.datetime) -> None:
    """A closed case needs no more answers: its waiting requests are withdrawn (and no longer chased)."""
    waiting = session.scalars(select(AgencyRequest).where(AgencyRequest.case_id == case.id,
                                                          AgencyRequest.status == "sent")).all()
    for req in waiting:
        req.status, req.answered_at = "withdrawn", now
        audit.record(session, actor=audit.user_actor(actor.id), action="agency_request.withdrawn",
                     object_type="agency_request", object_id=req.id,
                     data={"case_id": case.id, "reason": f"case {case.state}"})


def dismiss(session: Session, *, case_id: int, reason_code: str, actor: User, note: str | None = None,
            duplicate_of: int | None = None, now: dt.datetime | None = None) -> Case:
    """Close a case without a verdict: not a claim, out of scope, or a duplicate of another case (claims merged)."""
    if reason_code not in states.DISMISS_REASONS:
        raise Invalid(f"choose a reason: {', '.join(states.DISMISS_REASONS)}", key="err.dismiss_reason",
                      fields=[{"field": "reason_code", "message": "unknown"}])
    case = get_case(session, case_id)
    target = None
    if reason_code == "duplicate":
        if duplicate_of is None:
            raise Invalid("name the case this one duplicates", key="err.dup_required", fields=[{"field": "duplicate_of",
                                                                        "message": "required"}])
        target = get_case(session, duplicate_of)
        if target.id == case.id or target.claim_id == case.claim_id:
            raise Invalid("a case cannot duplicate itself", key="err.dup_self")
        if target.state == states.DISMISSED:
            raise Conflict(f"case #{target.id} is dismissed; choose the case that carries on the work",
                           key="err.dup_dismissed", params={"case": target.id})
    text = " — ".join(x for x in (reason_code, (note or "").strip()) if x)
    transition(session, case_id=case.id, to_state=states.DISMISSED, actor=actor, reason=text, now=now,
               close_reason=reason_code, data={"duplicate_of": target.id if target else None})
    actor_id = audit.user_actor(actor.id)
    if target is not None:
        case.merged_into_id = target.id
        claims.merge_claims(session, target_id=target.claim_id, source_ids=[case.claim_id], actor=actor_id)
    else:
        claim = session.get(Claim, case.claim_id)
        if claim is not None and claim.status == claims.OPEN:
            claim.status = claims.DISMISSED
            claims.log_change(session, claim.id)
    return case


def restore(session: Session, *, case_id: int, actor: User, reason: str, now: dt.datetime | None = None) -> Case:
    """Take a dismissed case up again (its claim is open again)."""
    case = transition(session, case_id=case_id, to_state=states.SCREENING, actor=actor, reason=reason, now=now)
    claim = session.get(Claim, case.claim_id)
    if claim is not None and claim.status == claims.DISMISSED:
        claim.status = claims.OPEN
        claims.log_change(session, claim.id)
    return case


def _staff_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id) if 0 < user_id <= MAX_ID else None
    if user is None or not user.is_active or Role(user.role) not in states.WORKERS:
        raise Invalid("cases are assigned to active analysts and editors only", key="err.assignee",
                      fields=[{"field": "assignee_id", "message": "not an analyst or editor"}])
    return user


def assign(session: Session, *, case_id: int, assignee_id: int | None, actor: User, note: str | None = None,
           now: dt.datetime | None = None) -> Case:
    """Claim (assign to yourself), hand over your case, or (editors) assign and reassign any case."""
    case = get_case(session, case_id, for_update=True)
    if case.state in states.CLOSED_STATES:
        raise Conflict(f"case #{case.id} is closed ({case.state}); reopen it first", key="err.assign_closed",
                       params={"case": case.id, "state_key": f"state.{case.state}"})
    role = Role(actor.role)
    is_editor = role == Role.editor
    if role not in states.WORKERS:
        raise Forbidden("only analysts and editors take cases", key="err.take_role")
    taking = assignee_id == actor.id and case.assignee_id is None
    handing_over = case.assignee_id == actor.id
    if not (is_editor or taking or handing_over):
        raise Forbidden("only an editor may reassign a case that someone else holds", key="err.reassign_editor")
    if assignee_id is not None:
        _staff_user(session, assignee_id)
    elif not (is_editor or handing_over):
        raise Forbidden("only the holder or an editor may release a case", key="err.release")
    previous = case.assignee_id
    if previous == assignee_id:
        return case
    case.assignee_id = assignee_id
    kind = "claimed" if taking else "handed_over" if handing_over and not is_editor else "assigned"
    audit.record(session, actor=audit.user_actor(actor.id), action=f"case.{kind}", object_type="case",
                 object_id=case.id, data={"from": previous, "to": assignee_id, "note": (note or "")[:500] or None})
    if assignee_id is not None and assignee_id != actor.id:
        notify(session, [assignee_id], "notice.assigned", {"case": case.id, "by": actor.display_name},
               url=f"/console/cases/{case.id}", now=now)
    return case
