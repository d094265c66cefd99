"""Every case page renders for the roles that may see it, in Thai and in English, with the right actions."""

from __future__ import annotations

from case_helpers import make_claim

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
