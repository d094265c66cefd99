"""Every case page renders for the roles that may see it, in Thai and in English, with the right actions."""

from __future__ import annotations

import re

from case_helpers import make_claim
from fastapi.testclient import TestClient

from helpers import csrf_from
from khaojing.cases import service


def _case(env, staff, settings):  # noqa: ANN001, ANN202
    with env.db.unit_of_work() as session:
        claim = make_claim(session, settings, harm={"life": 0.8})
        make_claim(session, settings, "ข่าวลือ: แจกเงินดิจิทัล 10,000 บาท ลงทะเบียนผ่านลิงก์นี้", topic="policy")
        case = service.open_case(session, claim_id=claim.id, actor=staff.analyst, settings=settings)
        return case.id


def test_pages_render_in_both_languages(env, staff, settings) -> None:  # noqa: ANN001
    case_id = _case(env, staff, settings)
    client = env.login(staff.editor)
    for lang in ("th", "en"):
        for url in ("/console/cases", "/console/cases/mine", "/console/cases/workload", f"/console/cases/{case_id}",
                    "/console/agencies", f"/console/agencies/{staff.agency.id}", "/console/notices"):
            response = client.get(url, params={"lang": lang})
            assert response.status_code == 200, (url, response.text[:2000])
    page = client.get(f"/console/cases/{case_id}", params={"lang": "th"}).text
    assert "เริ่มคัดกรอง" in page and "ปิดเรื่องโดยไม่มีผลการตรวจสอบ" in page and "หน่วยงานที่แนะนำ" in page
    queue = client.get("/console/cases", params={"lang": "th"}).text
    assert "ประเด็นข่าวที่ยังไม่มีเรื่องตรวจสอบ" in queue and "แจกเงินดิจิทัล" in queue
    assert "csrf_token" in page and csrf_from(page)


def test_officer_lands_on_the_portal(env, staff) -> None:  # noqa: ANN001
    client = env.login(staff.officer)
    response = client.get("/console", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/console/agency"
    portal = client.get("/console/agency", params={"lang": "th"})
    assert portal.status_code == 200 and "กรมอนามัย" in portal.text
    admin = env.login(staff.admin, client=env.client.__class__(env.app))
    assert admin.get("/console/agencies/new").status_code == 200
    assert admin.get(f"/console/agencies/{staff.agency.id}/edit").status_code == 200


RAW_KEY = re.compile(r">[^<]*\b(?:cases?|req|verdict|vstatus|collab|timeline|dir|portal|state|notices?|event|done|err|"
                     r"move|dismiss|link|mine|workload)\.[a-z_.]+\b[^<]*<")


def test_no_text_is_left_untranslated(env, staff, settings) -> None:  # noqa: ANN001
    from khaojing.cases import collab, requests, verdicts

    with env.db.unit_of_work() as session:
        claim = make_claim(session, settings, harm={"property": 0.7})
        case = service.open_case(session, claim_id=claim.id, actor=staff.analyst, settings=settings)
        service.assign(session, case_id=case.id, assignee_id=staff.analyst.id, actor=staff.editor)
        for state in ("screening", "investigating"):
            service.transition(session, case_id=case.id, to_state=state, actor=staff.analyst, reason="ok")
        [req] = requests.send_requests(session, case_id=case.id, actor=staff.analyst, settings=settings,
                                       data=requests.RequestIn(agency_ids=[staff.agency.id], question="จริงไหม"))
        requests.answer(session, request_id=req.id, officer=staff.officer, text="ไม่จริง", proposed_label="fake",
                        files=[], settings=settings)
        collab.add_comment(session, case_id=case.id, actor=staff.analyst, body="@editor ดูด้วย")
        other = service.open_case(session, claim_id=make_claim(session, settings, "อีกเรื่อง").id,
                                  actor=staff.analyst, settings=settings)
        collab.link_cases(session, case_id=case.id, other_case_id=other.id, kind="same_actor", actor=staff.analyst)
        service.transition(session, case_id=case.id, to_state="drafting", actor=staff.analyst)
        verdicts.save_draft(session, case_id=case.id, actor=staff.analyst, settings=settings,
                            data=verdicts.DraftIn(label="fake", headline="ปลอม", claim_text="ข่าว", explanation="ไม่จริง"))
        verdicts.submit(session, case_id=case.id, actor=staff.analyst)
        verdicts.approve_and_publish(session, case_id=case.id, actor=staff.editor, settings=settings)
        case_id, req_id = case.id, req.id
    pages = {staff.editor: ["/console/cases?state=all", "/console/cases/mine", "/console/cases/workload",
                            f"/console/cases/{case_id}", "/console/agencies", f"/console/agencies/{staff.agency.id}",
                            "/console/notices"],
             staff.officer: ["/console/agency", f"/console/agency/requests/{req_id}", "/console/notices"]}
    for user, urls in pages.items():
        client = env.login(user, client=TestClient(env.app))
        for lang in ("th", "en"):
            for url in urls:
                page = client.get(url, params={"lang": lang})
                assert page.status_code == 200, url
                assert not RAW_KEY.search(page.text), (lang, url, RAW_KEY.search(page.text).group(0))
