"""The case workflow follows the one declared table: roles checked, reasons kept, every stay in a state timed."""

from __future__ import annotations

import datetime as dt

import pytest
from case_helpers import T0, make_claim
from sqlalchemy import select

from khaojing.audit.models import AuditEvent
from khaojing.cases import service, states
from khaojing.cases.models import Case, CaseStateChange
from khaojing.errors import Conflict, Invalid, InvalidTransition


def test_every_state_is_reachable_and_every_rule_names_known_states() -> None:
    reachable, frontier = {states.NEW}, [states.NEW]
    while frontier:
        here = frontier.pop()
        for rule in states.allowed_from(here):
            assert rule.target in states.STATES and rule.roles
            if rule.target not in reachable:
                reachable.add(rule.target)
                frontier.append(rule.target)
    assert reachable == set(states.STATES)
    assert all(t.roles <= {states.Role.analyst, states.Role.editor} for t in states.TRANSITIONS)


def test_transitions_are_checked_audited_and_timed(db, settings, staff) -> None:  # noqa: ANN001
    with db.unit_of_work() as session:
        claim = make_claim(session, settings)
        case = service.open_case(session, claim_id=claim.id, actor=staff.analyst, settings=settings, now=T0)
        with pytest.raises(Conflict):
            service.open_case(session, claim_id=claim.id, actor=staff.analyst, settings=settings, now=T0)
        later = T0 + dt.timedelta(minutes=30)
        service.transition(session, case_id=case.id, to_state="screening", actor=staff.analyst, now=later,
                           reason="ดูแล้วเป็นข้อกล่าวอ้างด้านสุขภาพ")
        with pytest.raises(InvalidTransition, match="cannot move to published"):
            service.transition(session, case_id=case.id, to_state="published", actor=staff.editor, now=later)
        with pytest.raises(InvalidTransition, match="only an editor"):
            service.transition(session, case_id=case.id, to_state="dismissed", actor=staff.analyst, now=later,
                               reason="x")
        with pytest.raises(InvalidTransition):
            service.transition(session, case_id=case.id, to_state="investigating", actor=staff.admin, now=later)
        service.transition(session, case_id=case.id, to_state="investigating", actor=staff.analyst,
                           now=later + dt.timedelta(hours=2))
        assert case.first_action_at == later and case.state == "investigating"
        stays = session.scalars(select(CaseStateChange).where(CaseStateChange.case_id == case.id)
                                .order_by(CaseStateChange.id)).all()
        assert [(s.state, s.left_at) for s in stays] == [("new", later), ("screening", later + dt.timedelta(hours=2)),
                                                         ("investigating", None)]
        assert stays[1].reason == "ดูแล้วเป็นข้อกล่าวอ้างด้านสุขภาพ"
        moves = session.scalars(select(AuditEvent).where(AuditEvent.action == "case.transition")).all()
        assert [(m.data["from"], m.data["to"]) for m in moves] == [("new", "screening"),
                                                                  ("screening", "investigating")]


def test_dismissing_needs_a_reason_and_a_duplicate_merges_the_claims(db, settings, staff) -> None:  # noqa: ANN001
    with db.unit_of_work() as session:
        first = service.open_case(session, claim_id=make_claim(session, settings).id, actor=staff.analyst,
                                  settings=settings)
        second = service.open_case(session, claim_id=make_claim(session, settings, "มะนาวโซดารักษามะเร็ง").id,
                                   actor=staff.analyst, settings=settings)
        with pytest.raises(Invalid):
            service.dismiss(session, case_id=second.id, reason_code="duplicate", actor=staff.editor)
        with pytest.raises(Invalid):
            service.dismiss(session, case_id=second.id, reason_code="because", actor=staff.editor)
        service.dismiss(session, case_id=second.id, reason_code="duplicate", duplicate_of=first.id,
                        actor=staff.editor, note="ข้อความเดียวกัน")
        assert second.state == "dismissed" and second.closed_at and second.merged_into_id == first.id
        assert second.claim.status == "merged" and second.claim.merged_into_id == first.claim_id
        with pytest.raises(InvalidTransition, match="duplicate"):
            service.restore(session, case_id=second.id, actor=staff.editor, reason="ผิดพลาด")
        third = service.open_case(session, claim_id=make_claim(session, settings, "ข่าวดารา").id,
                                  actor=staff.editor, settings=settings)
        service.dismiss(session, case_id=third.id, reason_code="out_of_scope", actor=staff.editor)
        assert third.claim.status == "dismissed"
        service.restore(session, case_id=third.id, actor=staff.editor, reason="มีผู้แจ้งเพิ่มเรื่องความปลอดภัย")
        assert third.state == "screening" and third.closed_at is None and third.claim.status == "open"


def test_claim_hand_over_and_reassign(db, settings, staff) -> None:  # noqa: ANN001
    from khaojing.cases.models import Notice
    from khaojing.errors import Forbidden

    with db.unit_of_work() as session:
        case = service.open_case(session, claim_id=make_claim(session, settings).id, actor=staff.analyst,
                                 settings=settings)
        service.assign(session, case_id=case.id, assignee_id=staff.analyst.id, actor=staff.analyst)
        with pytest.raises(Forbidden):
            service.assign(session, case_id=case.id, assignee_id=staff.analyst2.id, actor=staff.analyst2)
        service.assign(session, case_id=case.id, assignee_id=staff.analyst2.id, actor=staff.analyst)
        with pytest.raises(Invalid):
            service.assign(session, case_id=case.id, assignee_id=staff.officer.id, actor=staff.editor)
        service.assign(session, case_id=case.id, assignee_id=staff.analyst.id, actor=staff.editor)
        assert case.assignee_id == staff.analyst.id
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "case")).all()
        assert actions[-3:] == ["case.claimed", "case.handed_over", "case.assigned"]
        notices = session.scalars(select(Notice.user_id).where(Notice.key == "notice.assigned")).all()
        assert notices == [staff.analyst2.id, staff.analyst.id]
        assert session.scalar(select(Case.assignee_id).where(Case.id == case.id)) == staff.analyst.id


def test_closing_a_case_withdraws_its_waiting_requests(db, settings, staff) -> None:  # noqa: ANN001
    from khaojing.cases import requests

    with db.unit_of_work() as session:
        case = service.open_case(session, claim_id=make_claim(session, settings).id, actor=staff.analyst,
                                 settings=settings)
        for state in ("screening", "investigating"):
            service.transition(session, case_id=case.id, to_state=state, actor=staff.analyst)
        [req] = requests.send_requests(session, case_id=case.id, actor=staff.analyst, settings=settings,
                                       data=requests.RequestIn(agency_ids=[staff.agency.id], question="?"))
        service.dismiss(session, case_id=case.id, reason_code="out_of_scope", actor=staff.editor)
        assert req.status == "withdrawn"  # the deadline job will not chase the agency about a closed case
