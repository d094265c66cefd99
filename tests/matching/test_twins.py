"""Template twins: one sentence template, another key entity or number; never auto-answered against each other."""

from __future__ import annotations

from khaojing.matching import service as matching
from khaojing.matching.keywords import numbers
from khaojing.matching.lexical import tokens
from khaojing.matching.service import Query

LEMON = "ดื่มน้ำมะนาวผสมโซดาทุกเช้าช่วยฆ่าเชื้อไวรัสโควิด-19 ในลำคอได้"
GARLIC = "กินกระเทียมสดทุกเช้าช่วยฆ่าเชื้อไวรัสโควิด-19 ในลำคอได้"
OTHERS = ["ธนาคารแห่งประเทศไทยแจกเงินฟรี 5,000 บาท ลงทะเบียนผ่านลิงก์นี้ก่อนเที่ยงคืน",
          "การไฟฟ้าจะตัดไฟทั่วประเทศ 3 วัน เพื่อซ่อมบำรุงระบบสายส่ง",
          "ฉีดวัคซีนโควิดแล้วจะทำให้ผู้หญิงเป็นหมันถาวร ห้ามฉีดเด็ดขาด"]


def _decide(db, settings, text: str) -> matching.Decision:  # noqa: ANN001
    with db.unit_of_work(readonly=True) as session:
        found = matching.search(session, Query(text=text), settings=settings)
    return matching.decide(Query(text=text), found, settings=settings)


def test_a_template_twin_goes_to_an_analyst_not_to_the_citizen(db, settings, make_claim) -> None:  # noqa: ANN001
    with db.unit_of_work() as session:
        lemon = make_claim(session, LEMON, verdict="fake").id
        for text in OTHERS:
            make_claim(session, text, verdict="fake")
    decision = _decide(db, settings, f"ส่งต่อด่วน {GARLIC}")
    assert decision.action == "suggest" and decision.candidate.claim_id == lemon
    assert decision.reasons[0]["key"] == "match.twin" and "มะนาว" in decision.reasons[0]["words"]
    assert "template twin" in decision.texts()[0] and "มะนาว" in decision.texts("th")[0]
    assert decision.candidate.differs
    # the lemon claim itself, forwarded with a greeting, is still answered at once
    repeat = _decide(db, settings, f"สวัสดีค่ะ ส่งต่อด่วน {LEMON} จริงไหมคะ")
    assert repeat.action == "answer" and repeat.candidate.claim_id == lemon and not repeat.candidate.differs


def test_a_vaguer_question_is_suggested_at_the_default_threshold(db, settings, make_claim) -> None:  # noqa: ANN001
    with db.unit_of_work() as session:
        lemon = make_claim(session, LEMON, verdict="fake").id
        for text in OTHERS:
            make_claim(session, text, verdict="distorted")
    decision = _decide(db, settings, "ดื่มน้ำมะนาวช่วยฆ่าเชื้อไวรัสได้จริงหรือ")  # no soda, no covid, no throat
    assert decision.action == "suggest" and decision.candidate.claim_id == lemon


def test_a_different_number_on_the_same_template_is_not_answered(db, settings, make_claim) -> None:  # noqa: ANN001
    with db.unit_of_work() as session:
        make_claim(session, OTHERS[1], verdict="fake")
        make_claim(session, LEMON, verdict="fake")
    decision = _decide(db, settings, "ด่วน!! สัปดาห์หน้าการไฟฟ้าตัดไฟทั่วประเทศนานถึง 7 วัน ซ่อมบำรุงระบบสายส่ง จริงไหม")
    assert decision.action != "answer"
    assert decision.candidate is not None and "number" in decision.candidate.differs


def test_an_open_twin_is_not_grouped(db, settings, make_claim) -> None:  # noqa: ANN001
    with db.unit_of_work() as session:
        make_claim(session, LEMON)
        make_claim(session, OTHERS[0])
    assert _decide(db, settings, GARLIC).action != "group"


def test_spelling_variants_and_named_numbers() -> None:
    assert tokens("ป้องกัน covid-19") == tokens("ป้องกันโควิด 19") == ["ป้องกัน", "โควิด"]
    assert tokens("รับประทานกระเทียม") == tokens("กินกระเทียม")
    assert numbers("โควิด-19 ระบาด 5,000 คน ใน 7 วัน ฝุ่น pm2.5") == {"5000", "7", "2.5"}
    assert numbers("") == frozenset()
