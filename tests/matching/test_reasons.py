"""The matcher's decision reasons: `decide` returns keys with parameters, and the report page words them in the
page's language (Thai by default); reasons stored before they had keys (plain English strings) still show."""

from __future__ import annotations

import pytest

from khaojing.accounts.models import Role
from khaojing.claims import service as claims_service
from khaojing.claims.models import Claim, Verdict
from khaojing.db.base import utcnow
from khaojing.intake.models import Report
from khaojing.intake.service import Submission, accept_report, get_or_create_source
from khaojing.matching import service as matching
from khaojing.matching.reasons import TEXTS, reason_text
from khaojing.matching.service import Candidate, Query
from khaojing.web.i18n import LANGUAGES

LEMON = "ดื่มน้ำมะนาวผสมโซดาทุกเช้าช่วยฆ่าเชื้อไวรัสโควิด-19 ในลำคอได้"
LONG = "ธนาคารแห่งประเทศไทยแจกเงินฟรี 5,000 บาท ลงทะเบียนผ่านลิงก์นี้ก่อนเที่ยงคืนวันนี้เท่านั้น"


def _cand(claim_id: int = 7, *, score: float, kind: str = "lexical", verdict: str | None = None,
          semantic: float | None = None, differs: list[str] | None = None) -> Candidate:
    return Candidate(claim_id=claim_id, score=score, kind=kind, lexical=score, semantic=semantic, verdict=verdict,
                     title="t", differs=differs or [])


# --- decide: keys and parameters, no words -----------------------------------------------------------------------

def test_decide_returns_each_reason_as_a_key_with_its_parameters(settings) -> None:  # noqa: ANN001
    def reasons(text: str, *cands: Candidate) -> list[dict]:
        return matching.decide(Query(text=text), list(cands), settings=settings).reasons

    assert reasons(LONG) == [{"key": "match.no_candidate"}]
    assert reasons(LONG, _cand(score=0.01)) == [{"key": "match.below_suggest", "score": 0.01, "threshold": 0.45}]
    assert reasons(LONG, _cand(score=0.5)) == [{"key": "match.suggest", "score": 0.5, "threshold": 0.45}]
    assert reasons(LONG, _cand(12, score=0.9, kind="near")) == [
        {"key": "match.group", "kind": "near", "claim_id": 12, "score": 0.9}]
    assert reasons(LONG, _cand(score=0.99, kind="url", verdict="fake")) == [
        {"key": "match.auto_answer", "kind": "url", "score": 0.99, "threshold": 0.8},
        {"key": "match.verdict", "verdict": "fake"}]
    assert reasons(LONG, _cand(score=0.9, verdict="fake", differs=["number", "กระเทียม"])) == [
        {"key": "match.twin", "words": ["number", "กระเทียม"]}, {"key": "match.score", "score": 0.9}]
    assert reasons("วัคซีนโควิด", _cand(score=0.95, kind="exact", verdict="fake")) == [
        {"key": "match.short_input", "count": 2}, {"key": "match.score", "score": 0.95}]
    assert reasons("วัคซีนโควิดทำให้เป็นหมัน", _cand(score=0.9, verdict="fake", semantic=0.5)) == [
        {"key": "match.short_far", "count": 3, "cosine": 0.5, "cosine_threshold": 0.93},
        {"key": "match.score", "score": 0.9}]


def test_every_reason_reads_in_thai_and_english_with_its_numbers(settings) -> None:  # noqa: ANN001
    twin = matching.decide(Query(text=LONG), [_cand(score=0.9, verdict="fake", differs=["number", "กระเทียม"])],
                           settings=settings)
    assert twin.texts() == ["possible template twin: the claim states a number, กระเทียม, the message does not",
                            "score 0.90"]
    assert twin.texts("th") == ["อาจเป็นข่าวคนละเรื่องที่ใช้ประโยคแบบเดียวกัน: ประเด็นข่าวระบุ ตัวเลข, กระเทียม "
                                "แต่ข้อความที่แจ้งไม่ได้ระบุ", "คะแนน 0.90"]
    answer = matching.decide(Query(text=LONG), [_cand(score=0.987, kind="near", verdict="fake")], settings=settings)
    assert answer.texts("th") == ["จับคู่ได้ (ข้อความใกล้เคียง) คะแนน 0.99 ≥ เกณฑ์ตอบอัตโนมัติ 0.80",
                                  "ผลการตรวจสอบ: ข่าวปลอม"]
    assert answer.texts("en") == ["matched (near duplicate), score 0.99 ≥ auto-answer threshold 0.80", "verdict: Fake"]
    every = {"score": 0.5, "threshold": 0.45, "cosine": 0.5, "cosine_threshold": 0.93, "kind": "fused",
             "claim_id": 3, "verdict": "distorted", "words": ["x"], "count": 2}
    for key in TEXTS:
        th, en = (reason_text({"key": key, **every}, lang) for lang in LANGUAGES)
        assert th != en and "{" not in th + en, key
        assert any("\u0e00" <= ch <= "\u0e7f" for ch in th), f"{key}: the Thai text has no Thai"


@pytest.mark.parametrize(("item", "shown"), [
    ("best score 0.01 < suggest threshold 0.45", "best score 0.01 < suggest threshold 0.45"),  # stored before keys
    ({"key": "match.below_suggest"}, "คะแนนสูงสุด – < เกณฑ์เสนอให้นักวิเคราะห์ยืนยัน –"),
    ({"key": "match.below_suggest", "score": "high", "threshold": float("nan")},
     "คะแนนสูงสุด – < เกณฑ์เสนอให้นักวิเคราะห์ยืนยัน –"),
    ({"key": "match.group", "kind": "teleport", "claim_id": True, "score": 1},
     "จับคู่ได้ (teleport) กับประเด็นข่าวที่ยังเปิดอยู่ #– คะแนน 1.00"),
    ({"key": "match.brand_new"}, "match.brand_new"),
    ({"key": "nav.logout"}, "nav.logout"),  # only the matcher's keys are worded
    ({"no": "key"}, "{'no': 'key'}"),
])
def test_old_odd_or_unknown_reasons_show_as_they_are_or_with_dashes(item, shown) -> None:  # noqa: ANN001
    assert reason_text(item, "th") == shown


# --- the report page, screened for real ------------------------------------------------------------------------

def _send(env, text: str) -> int:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        source = get_or_create_source(session, kind="webform", name="webform")
        report_id = accept_report(session, settings=env.settings, source=source, sub=Submission(text=text),
                                  actor="system").report.id
    env.run_jobs()
    return report_id


def _verify(env, claim_id: int) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        session.get(Claim, claim_id).status = "verified"
        session.add(Verdict(claim_id=claim_id, label="fake", headline=LEMON, explanation="ไม่มีหลักฐาน",
                            published_at=utcnow()))
        session.flush()
        claims_service.log_change(session, claim_id)
        matching.index_claim(session, claim_id, settings=env.settings)


def test_report_page_words_the_decision_in_the_pages_language(env) -> None:  # noqa: ANN001
    analyst = env.login(env.user(Role.analyst))
    first = _send(env, LEMON)
    with env.db.unit_of_work(readonly=True) as session:
        report = session.get(Report, first)
        claim_id = report.claim_id
        assert report.screening["decision"]["reasons"] == [{"key": "match.no_candidate"}]
    thai = analyst.get(f"/console/reports/{first}").text
    assert "<li>ไม่พบประเด็นข่าวที่คล้ายกัน</li>" in thai and "no similar claim" not in thai
    _verify(env, claim_id)
    copy = _send(env, f"ส่งต่อด่วน!! {LEMON} 🙏🙏")
    with env.db.unit_of_work(readonly=True) as session:
        decision = session.get(Report, copy).screening["decision"]
    assert decision["action"] == "answer" and [r["key"] for r in decision["reasons"]] == [
        "match.auto_answer", "match.verdict"]
    thai = analyst.get(f"/console/reports/{copy}").text
    assert "เกณฑ์ตอบอัตโนมัติ 0.80</li>" in thai and "<li>ผลการตรวจสอบ: ข่าวปลอม</li>" in thai
    assert "auto-answer threshold" not in thai and "verdict:" not in thai
    english = analyst.get(f"/console/reports/{copy}?lang=en").text
    assert "auto-answer threshold 0.80</li>" in english and "<li>verdict: Fake</li>" in english
    assert "เกณฑ์ตอบอัตโนมัติ" not in english


def test_reasons_stored_as_plain_strings_still_show(env) -> None:  # noqa: ANN001
    analyst = env.login(env.user(Role.analyst))
    with env.db.unit_of_work() as session:
        source = get_or_create_source(session, kind="webform", name="webform")
        report = accept_report(session, settings=env.settings, source=source, sub=Submission(text=LONG),
                               actor="system").report
        report.screening = {"version": 1, "screening": {"harm_life": 0.2, "harm_property": 0.6, "harm_reasons": [
            {"kind": "property", "key": "contact_money", "th": "ให้ติดต่อพร้อมพูดถึงเงิน", "en": "contact and money",
             "evidence": "contact + money"},
            {"kind": "life", "key": "topic_health", "th": "หมวดหมู่: ผลิตภัณฑ์สุขภาพ", "en": "Topic: Health products",
             "evidence": "topic=health p=0.82"}]}, "decision": {
            "action": "new", "claim_id": None, "score": None, "kind": None,
            "reasons": ["best score 0.01 < suggest threshold 0.45", "no_assertion", None, 5, {"key": "match.x"},
                        {"key": "match.below_suggest", "score": "<b>x</b>", "threshold": 0.45},
                        {"key": "match.twin", "words": ["<script>"]}]}}
        report.screened_at, report_id = utcnow(), report.id
    page = analyst.get(f"/console/reports/{report_id}")
    assert page.status_code == 200
    assert "<li>best score 0.01 &lt; suggest threshold 0.45</li>" in page.text  # as it was stored
    assert "<li>ไม่มีข้อกล่าวอ้าง</li>" in page.text  # a worthiness key keeps its label
    assert "<li>คะแนนสูงสุด – &lt; เกณฑ์เสนอให้นักวิเคราะห์ยืนยัน 0.45</li>" in page.text
    assert "&lt;script&gt;" in page.text and "<script>" not in page.text.split("screening-h", 1)[1]
    # the other English-only bits of the page: signals in the harm evidence, a topic's raw score, the history, language
    assert "ช่องทางติดต่อ + เงิน" in page.text and "topic=health" not in page.text
    assert "รับข้อความแจ้ง" in page.text and "<dd>ไทย</dd>" in page.text
    english = analyst.get(f"/console/reports/{report_id}?lang=en").text
    assert "contact + money" in english and "Report received" in english and "<dd>Thai</dd>" in english
