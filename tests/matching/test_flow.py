"""The triage job end to end: each report is screened, grouped with its variants, matched and answered."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from khaojing.audit.models import AuditEvent
from khaojing.claims import service as claims_service
from khaojing.claims.models import Claim, Verdict
from khaojing.db.base import utcnow
from khaojing.intake.models import Report
from khaojing.matching import service as matching
from khaojing.matching.flows import process_report
from khaojing.thai.normalize import normalize

VERIFIED = "ดื่มน้ำมะนาวผสมโซดาทุกเช้าช่วยฆ่าเชื้อไวรัสโควิด-19 ในลำคอได้"
SCAM = "ด่วน! กระทรวงการคลังแจกเงินเยียวยา 5,000 บาท กดลิงก์ลงทะเบียนรับเงินพร้อมกรอกเลขบัญชีธนาคารภายในวันนี้"


@pytest.fixture
def key(env) -> str:  # noqa: ANN001
    return env.partner_key("flow")


def _send(env, key: str, text: str, **extra) -> int:  # noqa: ANN001, ANN003
    r = env.client.post("/api/v1/reports", json={"text": text, **extra}, headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _report(env, report_id: int) -> Report:  # noqa: ANN001
    with env.db.unit_of_work(readonly=True) as session:
        return session.get(Report, report_id)


def _publish_verified_claim(env, key: str) -> int:  # noqa: ANN001
    """A claim the center has already answered: a report, its claim, a published 'fake' verdict, indexed."""
    report_id = _send(env, key, VERIFIED)
    env.run_jobs()
    with env.db.unit_of_work() as session:
        claim_id = session.get(Report, report_id).claim_id
        claim = session.get(Claim, claim_id)
        claim.status = "verified"
        session.add(Verdict(claim_id=claim_id, label="fake", headline=VERIFIED, explanation="ไม่มีหลักฐาน",
                            published_at=utcnow()))
        session.flush()
        claims_service.log_change(session, claim_id)
        matching.index_claim(session, claim_id, settings=env.settings)
    return claim_id


def test_a_forwarded_copy_of_a_verified_claim_is_answered_at_once(env, key) -> None:  # noqa: ANN001
    claim_id = _publish_verified_claim(env, key)
    copy_id = _send(env, key, f"ส่งต่อด่วน!! {VERIFIED} 🙏🙏")
    env.run_jobs()
    report = _report(env, copy_id)
    assert report.status == "answered" and report.claim_id == claim_id
    decision = report.screening["decision"]
    assert decision["action"] == "answer" and decision["claim_id"] == claim_id
    assert report.screening["candidates"][0]["verdict"] == "fake"


def test_chatter_is_answered_politely_and_never_reaches_the_queue(env, key) -> None:  # noqa: ANN001
    report_id = _send(env, key, "สวัสดีค่ะ ขอบคุณมากนะคะ 😊")
    env.run_jobs()
    report = _report(env, report_id)
    assert report.status == "rejected" and report.claim_id is None and report.is_claim is False
    assert report.screening["decision"]["action"] == "not_a_claim"
    with env.db.unit_of_work(readonly=True) as session:
        assert session.scalar(select(func.count(Claim.id))) == 0


def test_variants_of_a_new_rumour_are_grouped_and_ranked_by_harm(env, key) -> None:  # noqa: ANN001
    first = _send(env, key, SCAM)
    env.run_jobs()
    variant = _send(env, key, SCAM.replace("ด่วน! ", "ด่วนมากกก ") + " แชร์ต่อด้วย")
    env.run_jobs()
    a, b = _report(env, first), _report(env, variant)
    assert a.claim_id is not None and b.claim_id == a.claim_id, b.screening.get("decision")
    assert b.match_kind in ("exact", "near", "lexical", "semantic", "fused")
    with env.db.unit_of_work(readonly=True) as session:
        claim = session.get(Claim, a.claim_id)
        assert claim.report_count == 2 and claim.topic in ("policy", "finance")  # AFNC files handouts as policy
        assert claim.harm["property"] >= 0.5 and claim.harm["reasons"]
        assert claim.priority_reasons[0]["key"] == "harm_property"
        events = session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "report.screened"))
        assert events == 2


def test_the_job_is_idempotent(env, key, db) -> None:  # noqa: ANN001
    report_id = _send(env, key, SCAM)
    env.run_jobs()
    before = _report(env, report_id)
    with db.unit_of_work() as session:
        process_report(session, report_id=report_id, settings=env.settings)
    after = _report(env, report_id)
    assert (after.claim_id, after.screened_at, after.status) == (before.claim_id, before.screened_at, before.status)


def test_a_report_the_channel_already_attached_keeps_its_claim(env, key) -> None:  # noqa: ANN001
    first = _send(env, key, SCAM)
    env.run_jobs()
    claim_id = _report(env, first).claim_id
    other = _send(env, key, "วัคซีนโควิดทำให้เป็นหมันในผู้หญิงทุกคนที่ฉีดครบสองเข็ม")
    with env.db.unit_of_work() as session:  # as a LINE user's pick does, before the triage job runs
        claims_service.attach_report(session, claim=session.get(Claim, claim_id), report=session.get(Report, other),
                                     how="line")
    env.run_jobs()
    report = _report(env, other)
    assert report.claim_id == claim_id and report.screening["decision"]["action"] == "attached"
    assert report.screened_at is not None and report.topic


def test_a_repeat_joins_its_claim_without_screening_and_keeps_the_claims_topic(env, key) -> None:  # noqa: ANN001
    first = _send(env, key, SCAM)
    env.run_jobs()
    claim_id = _report(env, first).claim_id
    with env.db.unit_of_work() as session:  # an analyst corrected the claim's topic
        session.get(Claim, claim_id).topic = "finance"
    copy = _send(env, key, SCAM)
    env.run_jobs()
    report = _report(env, copy)
    assert report.claim_id == claim_id and report.topic == "finance" and report.is_claim is True
    assert "skipped" in report.screening["screening"] and report.screening["decision"]["kind"] == "exact"
    assert report.worthiness is None  # the claim-worthiness model did not run


def test_chatter_is_never_embedded(env, key, monkeypatch) -> None:  # noqa: ANN001
    from khaojing.matching import semantic

    calls: list[str] = []
    real = semantic.embed_query
    monkeypatch.setattr("khaojing.matching.service.embed_query",
                        lambda embedder, core, *a, **kw: calls.append(core) or real(embedder, core, *a, **kw))
    _send(env, key, "555 ขำมาก เดี๋ยวเย็นนี้ไปกินหมูกระทะกันนะ")
    env.run_jobs()
    assert calls == []
    _send(env, key, SCAM)
    env.run_jobs()
    assert len(calls) >= 1  # a claim candidate does reach the semantic stage


def test_a_new_claims_title_is_the_first_line_without_its_links(env, key) -> None:  # noqa: ANN001
    report_id = _send(env, key, "ด่วน! ธนาคารแจกเงิน 3,000 บาทhttps://bank-gift.example.com/reg?x=1 กดรับวันนี้\nบรรทัดสอง")
    link_only = _send(env, key, "https://only-a-link.example.org/page")
    lost_link = _send(env, key, "จีนเจอเชื้อโควิดในไอศกรีม สั่งปิดโรงงานhttps:// แชร์ต่อ")
    env.run_jobs()
    with env.db.unit_of_work(readonly=True) as session:
        titles = [session.get(Claim, session.get(Report, rid).claim_id).title
                  for rid in (report_id, link_only, lost_link)]
        text = session.get(Report, report_id).text
    assert titles[0] == "ด่วน! ธนาคารแจกเงิน 3,000 บาท กดรับวันนี้"
    # the report keeps the link, and matching reads it although it is glued to Thai text
    assert normalize(text).urls == ["https://bank-gift.example.com/reg?x=1"]
    assert titles[1] == "https://only-a-link.example.org/page"
    assert titles[2] == "จีนเจอเชื้อโควิดในไอศกรีม สั่งปิดโรงงาน แชร์ต่อ"  # a scheme whose link was lost goes too
