"""The whole path: a citizen's report becomes a claim, a case, a request to the agency that owns the subject (by
real e-mail over SMTP on loopback), the agency's answer in its portal, a draft, an editor's approval, and a
published verdict — with the citizen's identity never leaving the center."""

from __future__ import annotations

import datetime as dt
import re

from case_helpers import make_claim, pdf_bytes
from fastapi.testclient import TestClient
from sqlalchemy import select

from helpers import csrf_from, image_bytes
from khaojing.audit.service import verify_chain
from khaojing.cases.jobs import CHECK_JOB
from khaojing.cases.models import AgencyAnswer, AgencyRequest, Case, CaseStateChange, VerdictVersion
from khaojing.claims.models import Claim, IndexChange
from khaojing.intake.models import Report
from khaojing.jobs import queue
from khaojing.jobs.models import Job

CITIZEN = "citizen.somchai@example.com"
CLAIM = "ดื่มน้ำมะนาวผสมโซดาทุกเช้า ช่วยฆ่าเซลล์มะเร็งได้ 100% แชร์ต่อด่วน"


def _client(env, user) -> TestClient:  # noqa: ANN001
    return env.login(user, client=TestClient(env.app))


def _post(client: TestClient, url: str, data: dict | None = None, files=None, page: str = "/console/cases"):  # noqa: ANN001, ANN202
    token = csrf_from(client.get(page).text)
    return client.post(url, data={"csrf_token": token, **(data or {})}, files=files, follow_redirects=False)


def test_report_to_published_verdict_through_an_agency(env, settings, staff, smtp) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        claim = make_claim(session, settings, CLAIM, harm={"life": 0.85, "reasons": []}, who=CITIZEN)
        claim_id = claim.id
        requester_hash = session.scalar(select(Report).where(Report.claim_id == claim_id)).requester.key_hash
    analyst, editor, officer = _client(env, staff.analyst), _client(env, staff.editor), _client(env, staff.officer)

    opened = _post(analyst, "/console/cases/open", {"claim_id": str(claim_id)})
    assert opened.status_code == 303
    case_url = opened.headers["location"]
    case_id = int(case_url.rsplit("/", 1)[1])
    for url, data in ((f"{case_url}/claim", {}), (f"{case_url}/move", {"to_state": "screening"}),
                      (f"{case_url}/move", {"to_state": "investigating", "reason": "ข้อกล่าวอ้างด้านสุขภาพ"})):
        assert _post(analyst, url, data).status_code == 303, url
    page = analyst.get(case_url).text
    assert "หน่วยงานที่แนะนำ" in page and "กรมอนามัย" in page

    sent = _post(analyst, f"{case_url}/requests", {
        "agency_ids": str(staff.agency.id), "claim_text": CLAIM,
        "question": "ขอทราบข้อเท็จจริง: น้ำมะนาวผสมโซดารักษามะเร็งได้จริงหรือไม่",
        "links": "https://www.facebook.com/share/p/lemon-soda"},
        files=[("files", ("lemon-post.png", image_bytes(), "image/png"))])
    assert sent.status_code == 303, sent.text[:500]
    with env.db.unit_of_work(readonly=True) as session:
        req = session.scalar(select(AgencyRequest).where(AgencyRequest.case_id == case_id))
        assert session.get(Case, case_id).state == "awaiting_agency"
        req_id, due = req.id, req.due_at

    assert env.run_jobs() >= 1  # the e-mail job talks to the SMTP server
    [(rcpt, mail)] = smtp.parsed()
    assert set(rcpt) == {"liaison1@anamai.go.th", "officer@center.example"}
    assert f"#{req_id}" in mail["subject"] and "คำขอตรวจสอบข้อเท็จจริง" in mail["subject"]
    body = mail.get_content()
    assert "น้ำมะนาวผสมโซดา" in body and "English" in body and "2569" in body
    assert f"/console/agency/requests/{req_id}" in body
    assert CITIZEN not in body and requester_hash not in body and requester_hash[:10] not in body

    # the agency is late: the deadline job (a controllable clock, no sleeping) chases it once by e-mail
    with env.db.unit_of_work() as session:
        queue.enqueue(session, CHECK_JOB, {"now": (due + dt.timedelta(minutes=5)).isoformat()})
    env.run_jobs()
    [_request_mail, (rcpt, chase)] = smtp.parsed()
    assert "ทวงถาม" in chase["subject"] and "liaison1@anamai.go.th" in rcpt

    landing = officer.get("/console", follow_redirects=False)
    assert landing.headers["location"] == "/console/agency"
    portal = officer.get(f"/console/agency/requests/{req_id}").text
    assert "น้ำมะนาวผสมโซดา" in portal and "lemon-soda" in portal
    for secret in (CITIZEN, requester_hash[:10], "/console/reports", f"/console/claims/{claim_id}"):
        assert secret not in portal
    evidence = re.search(r'/console/agency/attachments/(\d+)', portal).group(0)
    assert officer.get(evidence).headers["content-type"] == "image/png"
    answered = _post(officer, f"/console/agency/requests/{req_id}/answer", {
        "answer": "กรมอนามัยยืนยันว่าไม่มีหลักฐานทางวิทยาศาสตร์ว่าน้ำมะนาวผสมโซดารักษามะเร็งได้",
        "proposed_label": "fake"}, files=[("files", ("statement.pdf", pdf_bytes(), "application/pdf"))],
        page="/console/agency")
    assert answered.status_code == 303, answered.text[:500]

    with env.db.unit_of_work() as session:  # answered: 13 hours after the chase nobody is escalated
        queue.enqueue(session, CHECK_JOB, {"now": (due + dt.timedelta(hours=13)).isoformat()})
    env.run_jobs()
    assert len(smtp.messages) == 2

    mine = analyst.get("/console/cases/mine").text
    assert "กรมอนามัย ตอบคำขอ" in mine
    assert _post(analyst, f"{case_url}/move", {"to_state": "drafting"}).status_code == 303
    with env.db.unit_of_work(readonly=True) as session:
        from khaojing.cases.models import Attachment

        pdf = session.scalar(select(Attachment).where(Attachment.content_type == "application/pdf"))
    drafted = _post(analyst, f"{case_url}/verdict", {
        "label": "fake", "headline": "น้ำมะนาวผสมโซดาไม่สามารถรักษามะเร็งได้", "claim_text": CLAIM,
        "explanation": "กรมอนามัยชี้แจงว่าไม่มีงานวิจัยรองรับ ผู้ป่วยควรรักษาตามแนวทางของแพทย์",
        "source_urls": "https://www.anamai.moph.go.th/th/news", "statements": "กรมอนามัย: ไม่มีหลักฐานรองรับ",
        "documents": str(pdf.id), "agency_id": str(staff.agency.id)})
    assert drafted.status_code == 303, drafted.text[:800]
    assert _post(analyst, f"{case_url}/verdict/submit").status_code == 303
    assert _post(analyst, f"{case_url}/verdict/publish").status_code == 403  # editors publish
    review = editor.get(case_url).text
    assert "หลักสี่ตา" in review and "อนุมัติและเผยแพร่" in review
    assert _post(editor, f"{case_url}/verdict/publish").status_code == 303

    with env.db.unit_of_work(readonly=True) as session:
        case, claim = session.get(Case, case_id), session.get(Claim, claim_id)
        assert case.state == "published" and case.closed_at is not None and claim.status == "verified"
        version = session.scalar(select(VerdictVersion).where(VerdictVersion.case_id == case_id))
        assert (version.version, version.status, version.author_id, version.approver_id) == (
            1, "published", staff.analyst.id, staff.editor.id)
        assert {s["kind"] for s in version.sources} == {"url", "agency_statement", "document"}
        assert session.scalar(select(IndexChange.id).where(IndexChange.claim_id == claim_id)) is not None
        job = session.scalar(select(Job).where(Job.name == "publication.verdict_published"))
        assert job.payload == {"claim_id": claim_id, "verdict_id": version.verdict_id, "version": 1,
                               "case_id": case_id}
        assert session.scalar(select(AgencyAnswer).where(AgencyAnswer.origin == "verdict")).agency_id == \
            staff.agency.id
        stays = session.scalars(select(CaseStateChange).where(CaseStateChange.case_id == case_id)
                                .order_by(CaseStateChange.id)).all()
        assert [s.state for s in stays] == ["new", "screening", "investigating", "awaiting_agency", "drafting",
                                            "in_review", "published"]
        assert all(s.left_at for s in stays[:-1]) and stays[-1].left_at is None
        assert verify_chain(session).ok
    timeline = analyst.get(case_url).text
    for text in ("ส่งคำขอถึง กรมอนามัย", "กรมอนามัย ตอบคำขอ", "เผยแพร่ผลการตรวจสอบ ฉบับที่ 1"):
        assert text in timeline
