"""Verdicts: four eyes (the approver never wrote or edited the draft: 409), labels from settings, and corrections
that keep the old version visible with the reason."""

from __future__ import annotations

import pytest
from case_helpers import make_claim
from fastapi.testclient import TestClient
from sqlalchemy import select

from helpers import csrf_from
from khaojing.cases import service, verdicts
from khaojing.cases.models import VerdictVersion
from khaojing.claims.models import Verdict
from khaojing.errors import Conflict, Invalid, InvalidTransition
from khaojing.jobs.models import Job


def _draft(**over) -> verdicts.DraftIn:  # noqa: ANN003
    data = {"label": "fake", "headline": "ไม่จริง: มะนาวโซดาไม่รักษามะเร็ง", "claim_text": "มะนาวโซดารักษามะเร็ง",
            "explanation": "ไม่มีงานวิจัยรองรับ", "source_urls": ["https://www.anamai.moph.go.th/"]}
    return verdicts.DraftIn(**(data | over))


def _to_drafting(session, settings, staff):  # noqa: ANN001, ANN202
    case = service.open_case(session, claim_id=make_claim(session, settings).id, actor=staff.analyst,
                             settings=settings)
    for state in ("screening", "investigating", "drafting"):
        service.transition(session, case_id=case.id, to_state=state, actor=staff.analyst)
    return case


def test_four_eyes_in_the_service(db, settings, staff) -> None:  # noqa: ANN001
    with db.unit_of_work() as session:
        case = _to_drafting(session, settings, staff)
        with pytest.raises(InvalidTransition, match="draft"):
            verdicts.submit(session, case_id=case.id, actor=staff.analyst)
        with pytest.raises(Invalid):
            verdicts.save_draft(session, case_id=case.id, data=_draft(label="satire"), actor=staff.analyst,
                                settings=settings)
        verdicts.save_draft(session, case_id=case.id, data=_draft(), actor=staff.analyst, settings=settings)
        verdicts.save_draft(session, case_id=case.id, data=_draft(explanation="แก้ถ้อยคำ"), actor=staff.editor,
                            settings=settings)  # the editor edited the draft: now a contributor
        verdicts.submit(session, case_id=case.id, actor=staff.analyst)
        for who in (staff.editor,):
            with pytest.raises(Conflict, match="four eyes"):
                verdicts.approve_and_publish(session, case_id=case.id, actor=who, settings=settings)
        with pytest.raises(InvalidTransition):
            verdicts.approve_and_publish(session, case_id=case.id, actor=staff.analyst, settings=settings)
        version = verdicts.approve_and_publish(session, case_id=case.id, actor=staff.editor2, settings=settings)
        assert version.approver_id == staff.editor2.id and version.contributor_ids == [staff.analyst.id,
                                                                                      staff.editor.id]


def test_four_eyes_is_a_409_page_that_says_why(env, settings, staff) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        case = _to_drafting(session, settings, staff)
        service.assign(session, case_id=case.id, assignee_id=staff.editor.id, actor=staff.editor)
        case_id = case.id
    editor = env.login(staff.editor, client=TestClient(env.app))
    token = csrf_from(editor.get(f"/console/cases/{case_id}").text)
    form = {"csrf_token": token, "label": "distorted", "headline": "บิดเบือน", "claim_text": "ข้อความ",
            "explanation": "คำอธิบาย"}
    assert editor.post(f"/console/cases/{case_id}/verdict", data=form, follow_redirects=False).status_code == 303
    editor.post(f"/console/cases/{case_id}/verdict/submit", data={"csrf_token": token})
    page = editor.get(f"/console/cases/{case_id}", params={"lang": "th"}).text
    assert "คุณเขียนหรือแก้ไขร่างนี้ จึงอนุมัติเองไม่ได้" in page and "/verdict/publish" not in page
    refused = editor.post(f"/console/cases/{case_id}/verdict/publish", data={"csrf_token": token})
    assert refused.status_code == 409 and "หลักสี่ตา" in refused.text
    other = env.login(staff.editor2, client=TestClient(env.app))
    token2 = csrf_from(other.get(f"/console/cases/{case_id}").text)
    done = other.post(f"/console/cases/{case_id}/verdict/publish", data={"csrf_token": token2},
                      follow_redirects=False)
    assert done.status_code == 303


def test_a_correction_keeps_the_old_version_visible_with_its_reason(env, settings, staff) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        case = _to_drafting(session, settings, staff)
        verdicts.save_draft(session, case_id=case.id, data=_draft(label="distorted", headline="บิดเบือน v1"),
                            actor=staff.analyst, settings=settings)
        verdicts.submit(session, case_id=case.id, actor=staff.analyst)
        verdicts.approve_and_publish(session, case_id=case.id, actor=staff.editor, settings=settings)
        with pytest.raises(Invalid):
            verdicts.reopen(session, case_id=case.id, actor=staff.editor, reason="")
        verdicts.reopen(session, case_id=case.id, actor=staff.editor, reason="กรมอนามัยส่งผลวิจัยใหม่")
        service.transition(session, case_id=case.id, to_state="drafting", actor=staff.analyst2)
        with pytest.raises(Invalid):  # a correction says why
            verdicts.save_draft(session, case_id=case.id, data=_draft(), actor=staff.analyst2, settings=settings)
        verdict = session.scalar(select(Verdict).where(Verdict.case_id == case.id))
        assert verdict.label == "distorted" and verdict.headline == "บิดเบือน v1"  # public until approved
        verdicts.save_draft(session, case_id=case.id, actor=staff.analyst2, settings=settings,
                            data=_draft(headline="ปลอม v2", reason="ผลวิจัยใหม่ยืนยันว่าไม่รักษามะเร็งเลย"))
        assert verdict.headline == "บิดเบือน v1"
        verdicts.submit(session, case_id=case.id, actor=staff.analyst2)
        verdicts.approve_and_publish(session, case_id=case.id, actor=staff.editor, settings=settings)
        case_id = case.id
        versions = session.scalars(select(VerdictVersion).order_by(VerdictVersion.version)).all()
        assert [(v.version, v.status, v.label) for v in versions] == [(1, "superseded", "distorted"),
                                                                     (2, "published", "fake")]
        assert versions[1].reason == "ผลวิจัยใหม่ยืนยันว่าไม่รักษามะเร็งเลย"
        assert (verdict.version, verdict.label, verdict.headline) == (2, "fake", "ปลอม v2")
        payloads = [j.payload["version"] for j in session.scalars(
            select(Job).where(Job.name == "publication.verdict_published").order_by(Job.id))]
        assert payloads == [1, 2]
    page = env.login(staff.analyst, client=TestClient(env.app)).get(f"/console/cases/{case_id}",
                                                                      params={"lang": "th"}).text
    assert "ฉบับเดิม (ถูกแก้ไข)" in page and "บิดเบือน v1" in page and "ผลวิจัยใหม่ยืนยัน" in page


def test_a_demo_verdict_without_versions_gets_its_history_on_correction(db, settings, staff) -> None:  # noqa: ANN001
    import datetime as dt

    with db.unit_of_work() as session:
        case = service.open_case(session, claim_id=make_claim(session, settings).id, actor=staff.analyst,
                                 settings=settings)
        session.add(Verdict(claim_id=case.claim_id, label="true", headline="จริง (นำเข้า)", sources=[],
                            published_at=dt.datetime(2025, 7, 1, tzinfo=dt.UTC), author_id=staff.editor.id))
        for state in ("screening", "investigating", "drafting"):
            service.transition(session, case_id=case.id, to_state=state, actor=staff.analyst)
        verdicts.save_draft(session, case_id=case.id, data=_draft(reason="ข้อมูลเดิมคลาดเคลื่อน"),
                            actor=staff.analyst, settings=settings)
        versions = session.scalars(select(VerdictVersion).order_by(VerdictVersion.version)).all()
        assert [(v.version, v.status) for v in versions] == [(1, "published"), (2, "draft")]
