"""Staff see who was told of a published verdict: the case page lists the people who asked by channel, how many were
told on LINE, by e-mail and on the tracking page (with when the messages went out), who was not told and why,
and failed deliveries with their reason; the audit log keeps the record; the report page says how it was told."""

from __future__ import annotations

import pytest
from case_helpers import make_claim
from fastapi.testclient import TestClient
from sqlalchemy import select

from khaojing.audit.models import AuditEvent
from khaojing.cases import service, verdicts
from khaojing.intake.models import Report, Requester
from khaojing.intake.service import Submission, accept_report, get_or_create_source
from khaojing.settings import Settings
from khaojing.tipline.service import LINE_USER
from line_fake import FakeLine, line_api, line_settings_update, run_jobs, user_id  # noqa: F401


@pytest.fixture
def settings(settings: Settings, line_api: FakeLine) -> Settings:  # noqa: F811
    return settings.model_copy(update=line_settings_update(line_api))


def _asked(session, settings, claim_id: int, *, line_users: list[str], quiet: str, email: str) -> int:  # noqa: ANN001
    """Reports of the claim: LINE users waiting (one with notifications off), a web-form user who left an e-mail
    address, and an anonymous web-form report. Returns the id of the first LINE report."""
    line = get_or_create_source(session, kind="line", name="line")
    web = get_or_create_source(session, kind="webform", name="webform")
    ids = []
    for uid in [*line_users, quiet]:
        report = accept_report(session, settings=settings, source=line, actor="system", sub=Submission(
            text=f"มะนาวโซดารักษามะเร็งจริงไหม {uid[-4:]}", requester_kind=LINE_USER, requester_value=uid,
            contact_kind=LINE_USER, contact_value=uid)).report
        report.claim_id = claim_id
        ids.append(report.id)
        if uid == quiet:
            session.get(Requester, report.requester_id).notify = False
    for sub in (Submission(text="มะนาวโซดารักษามะเร็ง ส่งต่อกันมา", contact_kind="email", contact_value=email),
                Submission(text="มะนาวโซดา รักษามะเร็ง 100%")):
        accept_report(session, settings=settings, source=web, actor="system", sub=sub).report.claim_id = claim_id
    return ids[0]


def _publish(env, staff, *, line_users: list[str], quiet: str) -> tuple[int, int]:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        claim = make_claim(session, env.settings)
        report_id = _asked(session, env.settings, claim.id, line_users=line_users, quiet=quiet,
                           email="somchai@example.com")
        case = service.open_case(session, claim_id=claim.id, actor=staff.analyst, settings=env.settings)
        for state in ("screening", "investigating", "drafting"):
            service.transition(session, case_id=case.id, to_state=state, actor=staff.analyst)
        verdicts.save_draft(session, case_id=case.id, actor=staff.analyst, settings=env.settings, data=verdicts.DraftIn(
            label="fake", headline="ไม่จริง: มะนาวโซดาไม่รักษามะเร็ง", claim_text="มะนาวโซดารักษามะเร็ง",
            explanation="ไม่มีงานวิจัยรองรับ", source_urls=["https://www.anamai.moph.go.th/"]))
        verdicts.submit(session, case_id=case.id, actor=staff.analyst)
        verdicts.approve_and_publish(session, case_id=case.id, actor=staff.editor, settings=env.settings)
        case_id = case.id
    run_jobs(env.db)
    return case_id, report_id


def _told_section(page: str) -> str:
    start = page.index('id="told"')
    return page[start:page.index("</section>", start)]


def test_the_case_page_says_who_was_told_by_channel_and_when(env, staff, smtp, line_api) -> None:  # noqa: ANN001, F811
    waiting = [user_id(), user_id()]
    case_id, report_id = _publish(env, staff, line_users=waiting, quiet=user_id())
    [multicast] = line_api.sent("/v2/bot/message/multicast")
    assert sorted(multicast.body["to"]) == sorted(waiting) and len(smtp.messages) == 1

    analyst = env.login(staff.analyst, client=TestClient(env.app))
    told = _told_section(analyst.get(f"/console/cases/{case_id}", params={"lang": "en"}).text)
    assert "People who asked: 6" in told and "LINE 3" in told and "Web form 3" in told  # the claim's first report too
    line_row = told[told.index('class="told-line"'):told.index("</tr>", told.index('class="told-line"'))]
    assert [c for c in _cells(line_row)][:4] == ["2", "2", "0", "0"]  # told, delivered, waiting, failed
    assert "<time" in line_row  # when it went out
    email_row = told[told.index('class="told-email"'):told.index("</tr>", told.index('class="told-email"'))]
    assert _cells(email_row)[:4] == ["1", "1", "0", "0"]
    assert "Tracking page" in told and "Not told on LINE: 1 (notifications off or blocked)" in told
    assert "Not delivered" not in told

    thai = _told_section(analyst.get(f"/console/cases/{case_id}", params={"lang": "th"}).text)
    assert "ผู้ที่ถาม 6 คน" in thai and "ปิดการแจ้งเตือนหรือถูกบล็อก" in thai and "2569" in thai
    timeline = analyst.get(f"/console/cases/{case_id}", params={"lang": "en"}).text
    assert "Verdict version 1 told to the people who asked (6): LINE 2, e-mail 1, tracking page 3" in timeline
    with env.db.unit_of_work(readonly=True) as session:
        [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "verdict.notified")).all()
    assert event.object_type == "claim" and event.data["case_id"] == case_id
    assert (event.data["line"], event.data["off"], event.data["email"]) == (2, 1, 1)
    report_page = analyst.get(f"/console/reports/{report_id}", params={"lang": "en"}).text
    assert "Told of the verdict" in report_page and "on LINE (1 time(s))" in report_page


def test_a_failed_delivery_is_shown_with_its_reason(env, staff, smtp, line_api) -> None:  # noqa: ANN001, F811
    line_api.fail_next(20, status=400, path="/v2/bot/message/push", message="The property, 'to', is invalid")
    case_id, _ = _publish(env, staff, line_users=[user_id()], quiet=user_id())
    analyst = env.login(staff.analyst, client=TestClient(env.app))
    told = _told_section(analyst.get(f"/console/cases/{case_id}", params={"lang": "en"}).text)
    line_row = told[told.index('class="told-line"'):told.index("</tr>", told.index('class="told-line"'))]
    assert _cells(line_row)[:4] == ["1", "0", "0", "1"]
    assert "Not delivered: 1" in told and "invalid" in told
    assert "ส่งไม่สำเร็จ 1 คน" in analyst.get(f"/console/cases/{case_id}", params={"lang": "th"}).text


def test_before_the_job_runs_the_page_says_telling_is_under_way(env, staff) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        claim = make_claim(session, env.settings)
        case = service.open_case(session, claim_id=claim.id, actor=staff.analyst, settings=env.settings)
        for state in ("screening", "investigating", "drafting"):
            service.transition(session, case_id=case.id, to_state=state, actor=staff.analyst)
        verdicts.save_draft(session, case_id=case.id, actor=staff.analyst, settings=env.settings, data=verdicts.DraftIn(
            label="fake", headline="ไม่จริง", claim_text="ข้อความ", explanation="ไม่มีหลักฐาน"))
        verdicts.submit(session, case_id=case.id, actor=staff.analyst)
        verdicts.approve_and_publish(session, case_id=case.id, actor=staff.editor, settings=env.settings)
        case_id = case.id
    analyst = env.login(staff.analyst, client=TestClient(env.app))
    assert "the job has not run yet" in _told_section(analyst.get(f"/console/cases/{case_id}",
                                                                  params={"lang": "en"}).text)
    run_jobs(env.db)
    told = _told_section(analyst.get(f"/console/cases/{case_id}", params={"lang": "en"}).text)
    assert "the job has not run yet" not in told and "People who asked: 1" in told
    with env.db.unit_of_work(readonly=True) as session:
        assert session.scalar(select(Report.status)) == "answered"


def _cells(row: str) -> list[str]:
    import re

    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_with_email_off_the_people_who_left_an_address_are_counted_as_not_told(env, staff) -> None:  # noqa: ANN001
    assert not env.settings.smtp_host
    case_id, _ = _publish(env, staff, line_users=[user_id()], quiet=user_id())
    analyst = env.login(staff.analyst, client=TestClient(env.app))
    told = _told_section(analyst.get(f"/console/cases/{case_id}", params={"lang": "en"}).text)
    assert "Not e-mailed: 1 who left an address, because e-mail is off" in told
    assert 'class="told-email"' not in told  # nobody was e-mailed: no e-mail row
    assert "ไม่ได้ส่งอีเมลถึง 1 คน" in analyst.get(f"/console/cases/{case_id}", params={"lang": "th"}).text
