"""The agency directory: two named liaison officers before routing, the AFNC seed (idempotent, via the CLI), and
routing suggestions ranked by the agencies' past answers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from case_helpers import make_claim
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from helpers import csrf_from
from khaojing.accounts.models import Agency
from khaojing.cases import agencies, requests, routing, service
from khaojing.cases.models import AgencyAnswer
from khaojing.errors import Invalid
from khaojing.settings import get_settings

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
shared_data = pytest.mark.skipif(not (SHARED / "afnc-2025").is_dir(), reason=f"{SHARED} is absent")


def test_parse_agency_names() -> None:
    assert agencies.parse_agency("กรมอนามัย กระทรวงสาธารณสุข") == ("กรมอนามัย", None, "กระทรวงสาธารณสุข")
    assert agencies.parse_agency("เพจกองทัพบก Royal Thai Army") == ("กองทัพบก", "Royal Thai Army", None)
    assert agencies.parse_agency("กรมประชาสัมพันธ์ สำนักนายกรัฐมนตรี (เพจข่าวจริงประเทศไทย)") == \
        ("กรมประชาสัมพันธ์", None, "สำนักนายกรัฐมนตรี")
    assert agencies.parse_agency("กระทรวงยุติธรรม Ministry Of Justice, Thailand") == \
        ("กระทรวงยุติธรรม", "Ministry Of Justice, Thailand", None)
    assert agencies.parse_agency("ศูนย์ต่อต้านข่าวปลอมประเทศไทย") is None and agencies.parse_agency(" - ") is None


def test_two_liaisons_before_an_agency_is_routable(db, settings, staff) -> None:  # noqa: ANN001
    one = [{"name": "สมชาย ใจดี", "email": "somchai@dss.go.th"}]
    data = agencies.AgencyIn(name_th="กรมวิทยาศาสตร์บริการ", topics=["health", "bogus"], liaisons=one, active=True)
    with db.unit_of_work() as session, pytest.raises(Invalid, match="2 named liaison officers"):
        agencies.save_agency(session, data=data, settings=settings, actor=staff.admin)
    two = [*one, {"name": "สมศรี มีสุข", "phone": "02-201-7000"}]
    with db.unit_of_work() as session:
        agency = agencies.save_agency(session, settings=settings, actor=staff.admin,
                                      data=agencies.AgencyIn(name_th="กรมวิทยาศาสตร์บริการ", topics=["health", "x"],
                                                             liaisons=two, active=True))
        assert agency.active and agency.topics == ["health"] and len(agency.liaisons) == 2
        inactive = agencies.save_agency(session, settings=settings, actor=staff.admin,
                                        data=agencies.AgencyIn(name_th="กรมที่ไม่พร้อม"))
        case = service.open_case(session, claim_id=make_claim(session, settings).id, actor=staff.analyst,
                                 settings=settings)
        for state in ("screening", "investigating"):
            service.transition(session, case_id=case.id, to_state=state, actor=staff.analyst)
        with pytest.raises(Invalid, match="not active for routing"):
            requests.send_requests(session, case_id=case.id, actor=staff.analyst, settings=settings,
                                   data=requests.RequestIn(agency_ids=[inactive.id], question="?"))


def test_the_admin_form_says_why_an_agency_cannot_be_active(env, staff) -> None:  # noqa: ANN001
    admin = env.login(staff.admin, client=TestClient(env.app))
    token = csrf_from(admin.get("/console/agencies/new").text)
    form = {"csrf_token": token, "name_th": "กรมการขนส่งทางบก", "topics": "policy", "active": "1",
            "liaison1_name": "คุณหนึ่ง", "liaison1_email": "one@dlt.go.th"}
    refused = admin.post("/console/agencies/new", data=form, params={"lang": "th"})
    assert refused.status_code == 422 and "ต้องบันทึกเจ้าหน้าที่ประสานงาน 2 คน" in refused.text
    assert 'value="คุณหนึ่ง"' in refused.text  # the form keeps what was typed
    done = admin.post("/console/agencies/new", data=form | {"liaison2_name": "คุณสอง", "liaison2_phone": "1584"},
                      follow_redirects=False)
    assert done.status_code == 303
    page = admin.get(done.headers["location"]).text
    assert "คุณสอง" in page and "พร้อมรับเรื่อง" in page


@shared_data
def test_seed_from_afnc_is_idempotent_and_routes_by_past_answers(env, settings, staff, monkeypatch,  # noqa: ANN001
                                                                 tmp_path) -> None:
    from typer.testing import CliRunner

    from khaojing.cli import app

    for name in list(os.environ):
        if name.startswith("KHAOJING_") and name != "KHAOJING_TEST_DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("KHAOJING_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("KHAOJING_DEV_MODE", "true")
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    try:
        first = CliRunner().invoke(app, ["agencies", "seed", "--data-dir", str(SHARED)])
        get_settings.cache_clear()
        second = CliRunner().invoke(app, ["agencies", "seed", "--data-dir", str(SHARED / "afnc-2025")])
    finally:
        get_settings.cache_clear()
    assert first.exit_code == 0, first.output
    assert "agencies created" in first.stdout and second.exit_code == 0
    assert "0 agencies created, 0 updated, 0 answered claims added" in second.stdout
    with env.db.unit_of_work() as session:
        n_agencies = session.scalar(select(func.count(Agency.id)))
        n_answers = session.scalar(select(func.count(AgencyAnswer.id)))
        assert n_agencies > 100 and n_answers > 500
        anamai = session.scalar(select(Agency).where(Agency.name_th == "กรมอนามัย"))
        assert anamai.id == staff.agency.id  # the existing agency was kept, not duplicated
        assert anamai.active and len(anamai.liaisons) == 2
        gsb = session.scalar(select(Agency).where(Agency.name_th == "ธนาคารออมสิน"))
        assert gsb.parent_ministry == "กระทรวงการคลัง" and "finance" in gsb.topics
        claim = make_claim(session, settings, "ธนาคารออมสินเปิดให้กู้เงินออนไลน์ 50,000 บาท ผ่านไลน์ ไม่ต้องค้ำประกัน",
                           topic="finance")
        top = routing.suggest(session, claim=claim, settings=settings, limit=3)
        assert top[0].agency.name_th == "ธนาคารออมสิน", [s.agency.name_th for s in top]
        assert top[0].closest_title and top[0].topic_answers > 0
        weather = make_claim(session, settings, "พายุเข้าไทยสัปดาห์หน้า ฝนตกหนักทั่วประเทศ", topic="disaster")
        assert "กรมอุตุนิยมวิทยา" in [s.agency.name_th for s in routing.suggest(session, claim=weather,
                                                                                settings=settings, limit=3)]
