"""The claims console: the priority queue and its filters, one claim's page, merge, split, topic override, and the
screening panel on a report's page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from helpers import csrf_from
from khaojing.accounts.models import Role
from khaojing.audit.models import AuditEvent
from khaojing.claims import service as claims
from khaojing.claims.models import Claim, Verdict
from khaojing.db.base import utcnow
from khaojing.intake.models import Report
from khaojing.intake.service import Submission, accept_report, get_or_create_source

ROW = re.compile(r'href="/console/claims/(\d+)"')
NOW = utcnow()


def add_report(session, env, text: str, *, hours_ago: float = 0, channel: str = "webform",  # noqa: ANN001
               who: str | None = None) -> Report:
    source = get_or_create_source(session, kind=channel, name=f"test:{channel}")
    sub = Submission(text=text, received_at=NOW - dt.timedelta(hours=hours_ago),
                     requester_kind="email" if who else None, requester_value=who)
    return accept_report(session, settings=env.settings, source=source, sub=sub, actor="system").report


def add_claim(env, title: str, *, harm: dict | None = None, topic: str | None = "health", variants: int = 0,
              hours_ago: float = 1, status: str | None = None) -> int:
    with env.db.unit_of_work() as session:
        claim = claims.create_claim(session, report=add_report(session, env, title, hours_ago=hours_ago),
                                    title=title, match_text=title, norm_sha256="x", topic=topic,
                                    topic_confidence=0.87, harm=harm or {})
        for i in range(variants):
            claims.attach_report(session, claim=claim, how="near",
                                 report=add_report(session, env, f"{title} ({i})", hours_ago=hours_ago / 2,
                                                   channel=("api", "line", "webform")[i % 3], who=f"p{i}@x.th"))
        if status:
            claim.status = status
        return claim.id


def queue_ids(html: str) -> list[int]:
    body = html.split("<tbody>", 1)[1] if "<tbody>" in html else ""
    return [int(i) for i in dict.fromkeys(ROW.findall(body))]


@pytest.fixture
def analyst(env):  # noqa: ANN001, ANN201
    return env.login(env.user(Role.analyst))


# --- the queue -------------------------------------------------------------------------------------------------

def test_queue_is_ordered_by_priority(env, analyst):
    chatter = add_claim(env, "ดาราคนนี้แต่งงานแล้ว")
    scam = add_claim(env, "ลงทุน 1000 ได้ 30% ต่อวัน", harm={"property": 0.9})
    cure = add_claim(env, "น้ำมะนาวรักษามะเร็ง", harm={"life": 0.95, "reasons": []}, variants=3)
    page = analyst.get("/console/claims")
    assert page.status_code == 200
    assert queue_ids(page.text) == [cure, scam, chatter]
    assert "อันตรายต่อชีวิตหรือสุขภาพ (95%)" in page.text  # top reasons in Thai
    assert "ผลิตภัณฑ์สุขภาพ" in page.text  # the topic's Thai name
    # the first report was sent without contact details: one person too (tests/claims/test_claim_people.py)
    assert "<span>แจ้ง 4 ครั้ง</span><span>4 คน</span><span>3 ช่องทาง</span>" in page.text
    english = analyst.get("/console/claims?lang=en").text
    assert "danger to life or health (95%)" in english and "Health products" in english


def test_queue_filters_topic_status_harm_and_text(env, analyst):
    health = add_claim(env, "วัคซีนทำให้เป็นหมัน", harm={"life": 0.8})
    money = add_claim(env, "แจกเงินดิจิทัล 10000 บาท", topic="finance", harm={"property": 0.4})
    done = add_claim(env, "ข่าวเก่าที่ตรวจแล้ว", status="verified")
    assert queue_ids(analyst.get("/console/claims?topic=finance").text) == [money]
    assert queue_ids(analyst.get("/console/claims?harm=50").text) == [health]
    assert set(queue_ids(analyst.get("/console/claims?harm=25").text)) == {health, money}
    assert queue_ids(analyst.get("/console/claims?q=ดิจิทัล").text) == [money]
    assert queue_ids(analyst.get(f"/console/claims?q=%23{health}").text) == [health]
    assert done not in queue_ids(analyst.get("/console/claims").text)  # open claims by default
    assert queue_ids(analyst.get("/console/claims?status=verified").text) == [done]
    assert set(queue_ids(analyst.get("/console/claims?status=all").text)) == {health, money, done}


def test_unknown_filter_values_are_ignored_with_a_notice(env, analyst):
    claim = add_claim(env, "ข่าวทดสอบ")
    for bad in ("topic=sport", "status=closed", "harm=abc", "harm=500", "page=-3", "q=%00%00",
                "topic=%3Cscript%3E", "harm=99999999999999999999"):
        page = analyst.get(f"/console/claims?{bad}")
        assert page.status_code == 200, bad
        assert claim in queue_ids(page.text), bad
    page = analyst.get("/console/claims?topic=sport&status=closed&harm=abc")
    assert "ไม่ใช้ค่าตัวกรองที่ไม่ถูกต้อง: หมวดหมู่, สถานะ, ระดับอันตราย" in page.text


def test_queue_pages(env, analyst):
    with env.db.unit_of_work() as session:
        for i in range(55):
            claims.create_claim(session, report=add_report(session, env, f"ข่าว {i}"), title=f"ข่าว {i}",
                                match_text="x", norm_sha256="x", topic=None, topic_confidence=None, harm={})
    first = analyst.get("/console/claims").text
    assert len(queue_ids(first)) == 50 and 'href="/console/claims?page=2"' in first
    second = analyst.get("/console/claims?page=2").text
    assert len(queue_ids(second)) == 5 and "หน้า 2 จาก 2" in second
    assert len(queue_ids(analyst.get("/console/claims?page=99").text)) == 5  # past the end: the last page


def test_verdict_badge_shows_in_the_queue(env, analyst):
    claim = add_claim(env, "ข่าวที่มีผลแล้ว")
    with env.db.unit_of_work() as session:
        session.add(Verdict(claim_id=claim, label="fake", headline="ข่าวปลอม อย่าแชร์", published_at=NOW))
    page = analyst.get("/console/claims").text
    assert '<span class="badge fake">ข่าวปลอม</span>' in page


@pytest.mark.parametrize("role", [Role.admin, Role.editor, Role.analyst])
def test_center_staff_see_the_queue(env, role):
    client = env.login(env.user(role))
    assert client.get("/console/claims").status_code == 200
    assert 'href="/console/claims"' in client.get("/console/reports").text  # the nav link


def test_agency_officer_gets_403_and_no_nav_link(env):
    claim = add_claim(env, "ข่าว")
    client = env.login(env.user(Role.agency_officer))
    assert client.get("/console/claims").status_code == 403
    assert client.get(f"/console/claims/{claim}").status_code == 403


def test_logged_out_goes_to_login(env):
    response = env.client.get("/console/claims", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/console/login")


# --- one claim -------------------------------------------------------------------------------------------------

def test_detail_explains_every_priority_reason_with_its_points(env, analyst):
    claim_id = add_claim(env, "น้ำมะนาวรักษามะเร็ง", harm={
        "life": 0.9, "property": 0.2,
        "reasons": [{"kind": "life", "key": "cure", "th": "อ้างว่ารักษาโรคได้", "en": "claims a cure",
                     "evidence": "รักษามะเร็ง"}]}, variants=4)
    with env.db.unit_of_work(readonly=True) as session:
        claim = session.get(Claim, claim_id)
        reasons, priority = claim.priority_reasons, claim.priority
    assert len(reasons) >= 4
    page = analyst.get(f"/console/claims/{claim_id}")
    assert page.status_code == 200
    for reason in reasons:
        assert reason["th"] in page.text
        assert f'data-key="{reason["key"]}"' in page.text
        assert f"+{reason['points']:.1f}" in page.text
    assert f"{priority:.1f}" in page.text
    assert "อ้างว่ารักษาโรคได้" in page.text and "รักษามะเร็ง" in page.text  # harm reasons and evidence
    assert "จัดโดยโมเดล (ความมั่นใจ 87%)" in page.text
    english = analyst.get(f"/console/claims/{claim_id}?lang=en").text
    assert all(r["en"] in english for r in reasons) and "claims a cure" in english


def test_detail_lists_reports_newest_first_with_how_they_joined(env, analyst):
    claim_id = add_claim(env, "ข่าวต้นเรื่อง", hours_ago=10, variants=2)
    with env.db.unit_of_work(readonly=True) as session:
        ids = list(session.scalars(select(Report.id).where(Report.claim_id == claim_id)
                                   .order_by(Report.received_at.desc(), Report.id.desc())))
    assert ids[-1] == min(ids)  # the first report, 10 hours ago, comes last
    page = analyst.get(f"/console/claims/{claim_id}").text
    links = [int(i) for i in re.findall(r'href="/console/reports/(\d+)"', page)]
    assert links == ids
    assert "เริ่มประเด็นใหม่" in page and "ข้อความใกล้เคียง" in page  # match kinds new and near


def test_claim_title_is_escaped(env, analyst):
    claim_id = add_claim(env, "<script>alert(1)</script> ข่าวลือ")
    for url in ("/console/claims", f"/console/claims/{claim_id}"):
        page = analyst.get(url).text
        assert "<script>alert(1)" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_unknown_claim_is_404(env, analyst):
    for cid in ("999999", "99999999999999999999999"):
        assert analyst.get(f"/console/claims/{cid}").status_code == 404
    page = analyst.get("/console/claims/1")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]


def _post(client, path: str, data: dict, **kw):  # noqa: ANN001, ANN003, ANN202
    claim_page = path.rsplit("/", 1)[0]
    token = csrf_from(client.get(claim_page).text)
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False, **kw)


def test_topic_override_changes_the_topic_audits_and_says_who_set_it(env, analyst):
    claim_id = add_claim(env, "แจกเงินดิจิทัล 10000 บาท", topic="health")
    response = _post(analyst, f"/console/claims/{claim_id}/topic", {"topic": "policy"})
    assert response.status_code == 303 and response.headers["location"] == f"/console/claims/{claim_id}"
    with env.db.unit_of_work(readonly=True) as session:
        claim = session.get(Claim, claim_id)
        assert (claim.topic, claim.topic_source) == ("policy", "analyst")
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "claim.topic_overridden")).one()
        assert event.data == {"from": "health", "to": "policy"} and event.actor.startswith("user:")
    page = analyst.get(f"/console/claims/{claim_id}").text
    assert "เปลี่ยนหมวดหมู่เป็น <strong>นโยบายรัฐบาล-ข่าวสาร</strong>" in page  # the notice, once
    assert "กำหนดโดยนักวิเคราะห์" in page and "claim.topic_overridden" in page
    again = analyst.get(f"/console/claims/{claim_id}?lang=en").text
    assert "Set by an analyst" in again and "Topic changed to" not in again


def test_topic_override_refuses_an_unknown_topic(env, analyst):
    claim_id = add_claim(env, "ข่าว", topic="health")
    response = _post(analyst, f"/console/claims/{claim_id}/topic", {"topic": "sport"})
    assert response.status_code == 422 and "กรุณาเลือกหมวดหมู่จากรายการ" in response.text
    with env.db.unit_of_work(readonly=True) as session:
        assert session.get(Claim, claim_id).topic == "health"


def test_merge_form_moves_the_reports(env, analyst):
    target = add_claim(env, "ข่าว ก")
    a = add_claim(env, "ข่าว ก อีกแบบ", variants=1)
    b = add_claim(env, "ข่าว ก แบบที่สาม")
    response = _post(analyst, f"/console/claims/{target}/merge", {"ids": f"{a}, #{b}"})
    assert response.status_code == 303
    with env.db.unit_of_work(readonly=True) as session:
        assert session.get(Claim, target).report_count == 4
        assert {session.get(Claim, a).status, session.get(Claim, b).status} == {"merged"}
    page = analyst.get(f"/console/claims/{target}").text
    assert f"รวมประเด็น #{a}, #{b} เข้ากับประเด็นนี้แล้ว" in page
    merged = analyst.get(f"/console/claims/{a}").text
    assert "ประเด็นนี้ถูกรวมเข้ากับ" in merged and f'href="/console/claims/{target}"' in merged
    assert f'action="/console/claims/{a}/merge"' not in merged  # no forms on a merged claim


@pytest.mark.parametrize(("ids", "status", "text"), [
    ("", 422, "กรุณาใส่หมายเลขประเด็นข่าว"),
    ("abc", 422, "กรุณาใส่หมายเลขประเด็นข่าว"),
    ("999999", 422, "ไม่พบประเด็นข่าวที่ต้องการรวม"),
    ("self", 422, "กรุณาเลือกประเด็นข่าวอื่นอย่างน้อยหนึ่งประเด็นเพื่อรวม"),
])
def test_merge_form_refuses_bad_ids(env, analyst, ids, status, text):
    target = add_claim(env, "ข่าว ก")
    other = add_claim(env, "ข่าว ข")
    response = _post(analyst, f"/console/claims/{target}/merge", {"ids": str(target) if ids == "self" else ids})
    assert response.status_code == status and text in response.text
    assert response.text.count('class="errors"') == 1
    with env.db.unit_of_work(readonly=True) as session:
        assert session.get(Claim, other).status == "open"


def test_merge_conflict_rolls_back_every_part(env, analyst):
    target = add_claim(env, "ข่าว ก")
    fresh = add_claim(env, "ข่าว ข")
    gone = add_claim(env, "ข่าว ค")
    with env.db.unit_of_work() as session:
        claims.merge_claims(session, target_id=target, source_ids=[gone], actor="user:1")
    other = add_claim(env, "ข่าว ง")
    response = _post(analyst, f"/console/claims/{other}/merge", {"ids": f"{fresh}, {gone}"})
    assert response.status_code == 409 and f"ประเด็นข่าว #{gone} ถูกรวมเข้ากับประเด็น #{target} แล้ว" in response.text
    with env.db.unit_of_work(readonly=True) as session:
        assert session.get(Claim, fresh).status == "open"  # the first source was not moved either
        assert session.scalar(select(func.count(Report.id)).where(Report.claim_id == fresh)) == 1


def test_split_form_makes_a_new_claim(env, analyst):
    claim_id = add_claim(env, "วัคซีนทำให้เป็นหมัน", variants=2)
    with env.db.unit_of_work(readonly=True) as session:
        newest = session.scalars(select(Report.id).where(Report.claim_id == claim_id)
                                 .order_by(Report.id.desc())).first()
    page = analyst.get(f"/console/claims/{claim_id}").text
    assert f'name="report" value="{newest}"' in page
    response = _post(analyst, f"/console/claims/{claim_id}/split",
                     {"report": [str(newest)], "title": "ประกันสังคมแจกเงิน"})
    assert response.status_code == 303
    with env.db.unit_of_work(readonly=True) as session:
        new = session.scalars(select(Claim).where(Claim.title == "ประกันสังคมแจกเงิน")).one()
        assert new.report_count == 1 and session.get(Claim, claim_id).report_count == 2
        assert session.get(Report, newest).claim_id == new.id
    page = analyst.get(f"/console/claims/{claim_id}").text
    assert "แยกข้อความแจ้ง 1 รายการเป็นประเด็นใหม่แล้ว" in page and f'href="/console/claims/{new.id}"' in page


def test_split_form_refuses_nothing_picked_or_everything(env, analyst):
    claim_id = add_claim(env, "ข่าว", variants=1)
    with env.db.unit_of_work(readonly=True) as session:
        ids = [str(i) for i in session.scalars(select(Report.id).where(Report.claim_id == claim_id))]
    for data in ({}, {"report": ["x"]}, {"report": ["999999"]}, {"report": ids}):
        response = _post(analyst, f"/console/claims/{claim_id}/split", data)
        assert response.status_code == 422, data
        assert 'class="errors"' in response.text
    with env.db.unit_of_work(readonly=True) as session:
        assert session.scalar(select(func.count(Claim.id))) == 1


def test_forms_without_csrf_are_refused_and_change_nothing(env, analyst):
    target = add_claim(env, "ข่าว ก", topic="health", variants=1)
    other = add_claim(env, "ข่าว ข")
    with env.db.unit_of_work(readonly=True) as session:
        report_id = session.scalars(select(Report.id).where(Report.claim_id == target)).first()
    for path, data in ((f"/console/claims/{target}/topic", {"topic": "policy"}),
                       (f"/console/claims/{target}/merge", {"ids": str(other)}),
                       (f"/console/claims/{target}/split", {"report": [str(report_id)]})):
        for extra in ({}, {"csrf_token": "forged"}):
            assert analyst.post(path, data={**data, **extra}, follow_redirects=False).status_code == 403, path
    with env.db.unit_of_work(readonly=True) as session:
        assert session.get(Claim, target).topic == "health" and session.get(Claim, other).status == "open"
        assert session.scalar(select(func.count(Claim.id))) == 2
        assert session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.object_type == "claim",
                                                                      AuditEvent.action != "claim.created")) == 0


def test_agency_officer_cannot_post_the_forms(env):
    claim_id = add_claim(env, "ข่าว", topic="health")
    officer = env.login(env.user(Role.agency_officer))
    home = officer.get("/console")
    response = officer.post(f"/console/claims/{claim_id}/topic",
                            data={"topic": "policy", "csrf_token": csrf_from(home.text)}, follow_redirects=False)
    assert response.status_code == 403
    with env.db.unit_of_work(readonly=True) as session:
        assert session.get(Claim, claim_id).topic == "health"


# --- the screening panel on a report ---------------------------------------------------------------------------

SCREENING = {
    "version": 1,
    "screening": {"is_claim": True, "worthiness": 0.91, "worthiness_reasons": ["looks_like_claim", "has_number",
                                                                               "brand_new_reason"],
                  "topic": "health", "topic_confidence": 0.83,
                  "topic_scores": {"health": 0.83, "finance": 0.11, "other": 0.06},
                  "harm_life": 0.9, "harm_property": 0.1,
                  "harm_reasons": [{"kind": "life", "key": "cure", "th": "อ้างว่ารักษาโรคได้", "en": "claims a cure",
                                    "evidence": "รักษามะเร็งหายขาด"}],
                  "model_version": "triage-2026.07"},
    "ocr": [{"media_id": 7, "chars": 120, "confidence": 0.88, "error": None},
            {"media_id": 8, "chars": 0, "confidence": None, "error": "OCR unavailable: tesseract missing"}],
    "decision": {"action": "group", "claim_id": None, "score": 0.87, "kind": "near", "reasons": ["near duplicate"]},
    "candidates": [{"claim_id": None, "score": 0.87, "kind": "near", "lexical": 0.9, "semantic": 0.95,
                    "verdict": "fake", "title": "<b>น้ำมะนาวรักษามะเร็ง</b>"},
                   {"claim_id": 424242, "score": 0.41, "kind": "semantic", "lexical": None, "semantic": 0.41,
                    "verdict": None, "title": "มะนาวโซดา"}],
}


def test_report_page_shows_the_screening_panel(env, analyst):
    claim_id = add_claim(env, "น้ำมะนาวรักษามะเร็ง")
    with env.db.unit_of_work() as session:
        report = add_report(session, env, "น้ำมะนาวรักษามะเร็งหายขาด 100%")
        claims.attach_report(session, claim=session.get(Claim, claim_id), report=report, how="near")
        data = {**SCREENING, "decision": {**SCREENING["decision"], "claim_id": claim_id},
                "candidates": [{**SCREENING["candidates"][0], "claim_id": claim_id}, SCREENING["candidates"][1]]}
        report.screening, report.screened_at = data, NOW
        report_id = report.id
    page = analyst.get(f"/console/reports/{report_id}")
    assert page.status_code == 200
    text = page.text
    assert "ผลการคัดกรองอัตโนมัติ" in text and f'class="claim-link" href="/console/claims/{claim_id}"' in text
    assert "ผลิตภัณฑ์สุขภาพ" in text and "ความมั่นใจ 83%" in text
    assert "เป็นข้อกล่าวอ้างที่ตรวจสอบได้ (91%)" in text
    assert "มีลักษณะเป็นข้อกล่าวอ้าง" in text and "มีตัวเลข" in text and "brand_new_reason" in text
    assert "อ้างว่ารักษาโรคได้" in text and "รักษามะเร็งหายขาด" in text
    assert "รวมเข้ากับประเด็นที่มีอยู่" in text and "คะแนน 0.87" in text
    assert f'href="/console/claims/{claim_id}"' in text and 'href="/console/claims/424242"' in text
    assert "&lt;b&gt;น้ำมะนาวรักษามะเร็ง&lt;/b&gt;" in text and '<span class="badge fake">ข่าวปลอม</span>' in text
    assert "0.41" in text and "0.95" in text
    assert "อ่านได้ 120 ตัวอักษร" in text and "ความมั่นใจ 88%" in text and "tesseract missing" in text
    assert "triage-2026.07" in text
    english = analyst.get(f"/console/reports/{report_id}?lang=en").text
    assert "A checkable claim (91%)" in english and "Grouped with an existing claim" in english
    assert "looks like a claim" in english and "claims a cure" in english


@pytest.mark.parametrize("screening", [
    {},
    {"version": 1},
    {"screening": None, "decision": "x", "candidates": "y", "ocr": 3},
    {"screening": {"topic_scores": {"a": "b", "c": None}, "worthiness": "high", "harm_reasons": [1, "x"],
                   "worthiness_reasons": "greeting", "topic_confidence": 1e300, "harm_life": -1e300},
     "decision": {"action": "teleport", "claim_id": "12", "reasons": None, "score": "0.5"},
     "candidates": [None, 3, {"title": None}, {"claim_id": True, "score": "x"}],
     "ocr": [None, {"media_id": None}]},
])
def test_report_page_tolerates_missing_or_odd_screening(env, analyst, screening):
    with env.db.unit_of_work() as session:
        report = add_report(session, env, "ข้อความ")
        report.screening = screening
        report_id = report.id
    page = analyst.get(f"/console/reports/{report_id}")
    assert page.status_code == 200
    assert "ผลการคัดกรองอัตโนมัติ" in page.text and "ยังไม่อยู่ในประเด็นใด" in page.text
    if not screening:
        assert "ยังไม่ได้คัดกรอง" in page.text
