"""What a tour of the verification console found: an agency's answer nobody noticed in the queue, the directory
counting only answers behind verdicts, notices out of date order, a forward form that gave a 404 page, an empty
verdict called "unknown", and claims dated by when they were grouped instead of when the center first saw them."""

from __future__ import annotations

import datetime as dt
import re

from case_helpers import make_claim
from fastapi.testclient import TestClient
from sqlalchemy import select

from helpers import csrf_from
from khaojing.cases import notices, requests, service, verdicts
from khaojing.cases.models import AgencyAnswer, Case
from khaojing.db.base import utcnow
from khaojing.thai.dates import format_datetime

NOV = dt.datetime(2026, 11, 1, 3, 0, tzinfo=dt.UTC)  # 10:00 in Bangkok


def _client(env, user) -> TestClient:  # noqa: ANN001
    return env.login(user, client=TestClient(env.app))


def _row(page: str, case_id: int) -> str:
    """The queue's table row of one case."""
    match = re.search(rf'<tr>\s*<td class="priority">(?:(?!</tr>).)*?/console/cases/{case_id}".*?</tr>', page, re.S)
    assert match, f"case #{case_id} is not in the queue"
    return match.group(0)


def _ask(session, settings, staff, case_id: int, *, at: dt.datetime) -> int:  # noqa: ANN001
    data = requests.RequestIn(agency_ids=[staff.agency.id], question="ขอทราบข้อเท็จจริง",
                              due_at=at + dt.timedelta(hours=24))
    return requests.send_requests(session, case_id=case_id, data=data, actor=staff.analyst, settings=settings,
                                  now=at)[0].id


def _answer(session, settings, staff, request_id: int, *, at: dt.datetime) -> None:  # noqa: ANN001
    requests.answer(session, request_id=request_id, officer=staff.officer, text="ไม่เป็นความจริง",
                    proposed_label="fake", files=[], settings=settings, now=at)


def test_the_queue_shows_an_agency_answer_until_the_analyst_moves_the_case_on(env, settings, staff,  # noqa: ANN001
                                                                                case_id) -> None:
    sent = utcnow() - dt.timedelta(hours=5)
    with env.db.unit_of_work() as session:
        service.assign(session, case_id=case_id, assignee_id=staff.analyst.id, actor=staff.analyst)
        req_id = _ask(session, settings, staff, case_id, at=sent)
        other = service.open_case(session, claim_id=make_claim(session, settings, "ข่าวอื่นที่ยังไม่มีคำตอบ").id,
                                  actor=staff.analyst, settings=settings).id
    analyst = _client(env, staff.analyst)
    before = analyst.get("/console/cases").text
    assert "หน่วยงานตอบแล้ว" not in _row(before, case_id) and "รอ 1" in _row(before, case_id)
    assert "replied=1" not in before  # no banner

    answered = sent + dt.timedelta(hours=3)
    with env.db.unit_of_work() as session:
        _answer(session, settings, staff, req_id, at=answered)
    page = analyst.get("/console/cases").text
    row = _row(page, case_id)
    assert "หน่วยงานตอบแล้ว" in row and "กรมอนามัย" in row and format_datetime(answered, "th") in row
    assert "รอ 1" not in row  # nothing is waiting any more
    assert "หน่วยงานตอบแล้ว" not in _row(page, other)
    assert "หน่วยงานตอบแล้ว 1 เรื่อง" in page and 'href="/console/cases?replied=1"' in page
    only = analyst.get("/console/cases", params={"replied": "1"}).text
    assert f"/console/cases/{case_id}\"" in only and f"/console/cases/{other}\"" not in only
    assert re.search(r'id="f-replied" name="replied" value="1" checked', only)
    mine = analyst.get("/console/cases/mine").text  # the analyst's own list says so too
    assert re.search(rf'/console/cases/{case_id}".*?หน่วยงานตอบแล้ว</span> <small>กรมอนามัย', mine, re.S)
    english = analyst.get("/console/cases", params={"lang": "en"}).text
    assert "Agency answered" in _row(english, case_id) and "Cases with an agency reply waiting: 1." in english

    # the analyst reads the answer and moves the case on: nothing is waiting for them any more
    assert analyst.post(f"/console/cases/{case_id}/move", data={
        "to_state": "drafting", "csrf_token": csrf_from(page)}, follow_redirects=False).status_code == 303
    after = analyst.get("/console/cases").text
    assert "หน่วยงานตอบแล้ว" not in _row(after, case_id) and "replied=1" not in after
    assert "หน่วยงานตอบแล้ว</span>" not in analyst.get("/console/cases/mine").text
    assert f"/console/cases/{case_id}\"" not in analyst.get("/console/cases", params={"replied": "1"}).text


def test_a_refusal_is_shown_too_and_a_closed_case_drops_out(env, settings, staff, case_id) -> None:  # noqa: ANN001
    sent = utcnow() - dt.timedelta(hours=5)
    with env.db.unit_of_work() as session:
        req_id = _ask(session, settings, staff, case_id, at=sent)
        requests.decline(session, request_id=req_id, officer=staff.officer, reason="ไม่ใช่เรื่องของกรม",
                         now=sent + dt.timedelta(hours=1))
    analyst = _client(env, staff.analyst)
    assert "หน่วยงานปฏิเสธคำขอ" in _row(analyst.get("/console/cases").text, case_id)
    with env.db.unit_of_work() as session:
        service.dismiss(session, case_id=case_id, reason_code="out_of_scope", actor=staff.editor)
    every = analyst.get("/console/cases", params={"state": "all"}).text
    assert "หน่วยงานปฏิเสธคำขอ" not in _row(every, case_id) and "replied=1" not in every


def _publish(session, settings, staff, case_id: int) -> None:  # noqa: ANN001
    service.transition(session, case_id=case_id, to_state="drafting", actor=staff.analyst)
    verdicts.save_draft(session, case_id=case_id, actor=staff.analyst, settings=settings, data=verdicts.DraftIn(
        label="fake", headline="ไม่จริง", claim_text="ข่าวลือ", explanation="กรมอนามัยชี้แจงแล้ว", agency_id=staff.agency.id))
    verdicts.submit(session, case_id=case_id, actor=staff.analyst)
    verdicts.approve_and_publish(session, case_id=case_id, actor=staff.editor, settings=settings)


def test_the_directory_counts_every_claim_an_agency_answered(env, settings, staff) -> None:  # noqa: ANN001
    titles = ["น้ำมะนาวรักษามะเร็ง", "วัคซีนทำให้เป็นหมัน", "ใบกระท่อมรักษาเบาหวาน", "กินกระเทียมกันโควิด"]
    with env.db.unit_of_work() as session:
        cases = []
        for i, title in enumerate(titles):
            case = service.open_case(session, claim_id=make_claim(session, settings, title).id, actor=staff.analyst,
                                     settings=settings)
            for step in ("screening", "investigating"):
                service.transition(session, case_id=case.id, to_state=step, actor=staff.analyst)
            req_id = _ask(session, settings, staff, case.id, at=NOV + dt.timedelta(days=i))
            if i < 3:
                _answer(session, settings, staff, req_id, at=NOV + dt.timedelta(days=i, hours=2))
            else:  # declined: not an answer
                requests.decline(session, request_id=req_id, officer=staff.officer, reason="ไม่ใช่เรื่องของกรม")
            cases.append(case.id)
        _publish(session, settings, staff, cases[0])  # the verdict on an answered claim: the same claim, once
        session.add(AgencyAnswer(agency_id=staff.agency.id, topic="health", title="ข่าวปลอมเก่าจากโพสต์ AFNC",
                                 ref="https://www.antifakenewscenter.com/old", answered_at=NOV - dt.timedelta(days=90),
                                 origin="afnc-2025"))
        assert session.scalar(select(AgencyAnswer.id).where(AgencyAnswer.origin == "verdict")) is not None
    analyst = _client(env, staff.analyst)
    page = analyst.get("/console/agencies").text
    row = re.search(rf'href="/console/agencies/{staff.agency.id}".*?</tr>', page, re.S).group(0)
    assert ">4 เรื่อง<" in row  # three answered requests and one claim answered before the center
    other = re.search(rf'href="/console/agencies/{staff.other_agency.id}".*?</tr>', page, re.S).group(0)
    assert ">0 เรื่อง<" in other
    detail = analyst.get(f"/console/agencies/{staff.agency.id}").text
    assert "<dd>4 เรื่อง</dd>" in detail
    listed = detail.split("เรื่องที่เคยตอบล่าสุด", 1)[1]
    for title in (*titles[:3], "ข่าวปลอมเก่าจากโพสต์ AFNC"):
        assert listed.count(title) == 1, title
    assert titles[3] not in listed and f'href="/console/cases/{cases[2]}"' in listed
    assert listed.index(titles[2]) < listed.index(titles[1]) < listed.index(titles[0]) \
        < listed.index("ข่าวปลอมเก่าจากโพสต์ AFNC")  # latest first


def test_notices_are_newest_first_by_time(env, staff) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:  # the later event's notice was written first
        notices.notify(session, [staff.analyst.id], "notice.assigned", {"case": 6, "by": "บก."},
                       url="/console/cases/6", now=dt.datetime(2026, 11, 26, 9, 55, tzinfo=dt.UTC))
        notices.notify(session, [staff.analyst.id], "notice.assigned", {"case": 5, "by": "บก."},
                       url="/console/cases/5", now=dt.datetime(2026, 11, 25, 11, 55, tzinfo=dt.UTC))
    analyst = _client(env, staff.analyst)
    for unread in (2, 0):  # unread, then read
        with env.db.unit_of_work(readonly=True) as session:
            assert notices.unread_count(session, staff.analyst.id) == unread
        page = analyst.get("/console/notices").text
        assert page.index("26 พฤศจิกายน 2569 16:55") < page.index("25 พฤศจิกายน 2569 18:55")
        assert page.index('href="/console/cases/6"') < page.index('href="/console/cases/5"')
        analyst.post("/console/notices/read", data={"csrf_token": csrf_from(page)})


def test_forwarding_to_no_agency_says_so_under_the_field(env, settings, staff, case_id) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        req_id = _ask(session, settings, staff, case_id, at=utcnow() - dt.timedelta(hours=1))
    officer = _client(env, staff.officer)
    url = f"/console/agency/requests/{req_id}"
    token = csrf_from(officer.get(url).text)
    for chosen in ("", "987654", "abc"):  # nothing chosen, an agency removed since the page loaded, junk
        refused = officer.post(f"{url}/forward", data={"csrf_token": token, "to_agency_id": chosen, "note": "x"})
        assert refused.status_code == 422, chosen
        field = re.search(r'<select id="fwd-to"[^>]*>.*?</select>\s*<p class="field-error"[^>]*>([^<]*)</p>',
                          refused.text, re.S)
        assert field and field.group(1) == "กรุณาเลือกหน่วยงานที่จะส่งต่อจากรายการ", chosen
        assert 'aria-invalid="true"' in field.group(0) and 'value="x"' in refused.text  # the note is kept
    english = officer.post(f"{url}/forward", params={"lang": "en"},
                           data={"csrf_token": token, "to_agency_id": "", "note": ""})
    assert "Choose the agency to forward to from the list." in english.text
    with env.db.unit_of_work(readonly=True) as session:
        assert requests.get_request(session, req_id).status == "sent"


def test_an_empty_verdict_draft_asks_to_choose_a_verdict(env, settings, staff, case_id) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        service.transition(session, case_id=case_id, to_state="drafting", actor=staff.analyst)
    analyst = _client(env, staff.analyst)
    token = csrf_from(analyst.get(f"/console/cases/{case_id}").text)
    for lang, asks, wrong in (("th", "กรุณาเลือกผลการตรวจสอบ", "ไม่รู้จักผลการตรวจสอบ"),
                              ("en", "Choose a verdict.", "Unknown verdict label")):
        page = analyst.post(f"/console/cases/{case_id}/verdict", params={"lang": lang},
                            data={"csrf_token": token, "label": "", "headline": "", "explanation": ""})
        assert page.status_code == 422 and asks in page.text and wrong not in page.text, lang


def test_claims_without_a_case_show_and_count_from_when_first_seen(env, settings, staff) -> None:  # noqa: ANN001
    first_seen = dt.datetime(2026, 11, 6, 3, 0, tzinfo=dt.UTC)
    grouped = dt.datetime(2026, 11, 27, 3, 0, tzinfo=dt.UTC)
    with env.db.unit_of_work() as session:
        old = make_claim(session, settings, "ข่าวเก่าที่เพิ่งถูกจัดกลุ่ม", at=first_seen)
        old.created_at = grouped  # the claim was made long after its first report came in
        newer = make_claim(session, settings, "ข่าวที่เข้ามาสัปดาห์ก่อน", at=dt.datetime(2026, 11, 20, 3, tzinfo=dt.UTC))
        old.priority = newer.priority = 40.0
        old_id = old.id
    analyst = _client(env, staff.analyst)
    section = analyst.get("/console/cases").text.split('id="waiting-h"', 1)[1]
    item = re.search(r"ข่าวเก่าที่เพิ่งถูกจัดกลุ่ม.*?</li>", section, re.S).group(0)
    assert "พบครั้งแรก 6 พ.ย. 69" in item and "27 พ.ย. 69" not in item
    assert section.index("ข่าวเก่าที่เพิ่งถูกจัดกลุ่ม") < section.index("ข่าวที่เข้ามาสัปดาห์ก่อน")  # known longest
    assert "First seen 6 Nov 2026" in analyst.get("/console/cases", params={"lang": "en"}).text
    with env.db.unit_of_work() as session:
        case = service.open_case(session, claim_id=old_id, actor=staff.analyst, settings=settings)
        assert case.due_at == first_seen + dt.timedelta(hours=settings.sla_first_action_hours)
    with env.db.unit_of_work(readonly=True) as session:
        assert session.get(Case, case.id).due_at <= utcnow()  # three weeks late already: the queue says overdue
    assert "เลยกำหนด" in _row(analyst.get("/console/cases", params={"lang": "th"}).text, case.id)  # the queue says so


def test_a_request_to_an_agency_removed_since_the_page_loaded_is_refused_not_a_404(env, settings, staff,  # noqa: ANN001
                                                                                    case_id) -> None:
    analyst = _client(env, staff.analyst)  # the case_id fixture's case is being investigated
    token = csrf_from(analyst.get(f"/console/cases/{case_id}").text)
    refused = analyst.post(f"/console/cases/{case_id}/requests",
                           data={"csrf_token": token, "agency_ids": ["987654"], "question": "ขอทราบข้อเท็จจริง"})
    assert refused.status_code == 422 and "ไม่พบหน่วยงานที่เลือก กรุณาเลือกหน่วยงานจากรายการอีกครั้ง" in refused.text
    assert "ขอทราบข้อเท็จจริง" in refused.text  # what the analyst typed is kept
    with env.db.unit_of_work(readonly=True) as session:
        assert requests.for_case(session, case_id) == []
