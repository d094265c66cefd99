"""Matching against a real database: exact, near-duplicate, paraphrase, link; decisions; index consistency."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from khaojing.claims.models import Claim
from khaojing.db.session import Database
from khaojing.matching import service as matching
from khaojing.matching.afnc import is_training_pair, load_pairs, strip_verdict_words
from khaojing.matching.live import LiveClaimIndex
from khaojing.matching.service import Query

PAIRS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "afnc-cofact-sure-2022" / \
    "cofact_afnc_pairs_dev.csv"
CLAIMS = [
    "ดื่มน้ำมะนาวผสมโซดาทุกเช้า รักษามะเร็งได้หายขาดภายใน 7 วัน",
    "ธนาคารแห่งประเทศไทยแจกเงินฟรี 5,000 บาท ลงทะเบียนผ่านลิงก์นี้ก่อนเที่ยงคืน",
    "กรมอุตุนิยมวิทยาเตือนพายุใหญ่ที่สุดในรอบ 50 ปี จะเข้าถล่มกรุงเทพฯ สัปดาห์หน้า",
    "กินกระเทียมสดวันละ 3 กลีบ ป้องกันโควิด-19 ได้ 100 เปอร์เซ็นต์",
    "รัฐบาลจะเก็บภาษีเงินฝากออมทรัพย์ทุกบัญชี ตั้งแต่เดือนหน้าเป็นต้นไป",
    "การไฟฟ้าจะตัดไฟทั่วประเทศ 3 วัน เพื่อซ่อมบำรุงระบบสายส่ง",
]


@pytest.fixture
def claims(db, make_claim) -> list[int]:  # noqa: ANN001
    with db.unit_of_work() as session:
        return [make_claim(session, text, verdict="fake" if i % 2 == 0 else None).id
                for i, text in enumerate(CLAIMS)]


def _search(db, settings, query: Query, **kw) -> list[matching.Candidate]:  # noqa: ANN001
    with db.unit_of_work(readonly=True) as session:
        return matching.search(session, query, settings=settings, **kw)


def test_exact_repeat_is_found_first_and_answered(db, settings, claims) -> None:  # noqa: ANN001
    found = _search(db, settings, Query(text="  " + CLAIMS[0].replace(" ", "  ") + " "))
    assert found[0].claim_id == claims[0] and found[0].kind == "exact" and found[0].score >= 0.99
    assert found[0].verdict == "fake" and found[0].title == CLAIMS[0]
    decision = matching.decide(Query(text=CLAIMS[0]), found, settings=settings)
    assert decision.action == "answer" and decision.candidate.claim_id == claims[0]


def test_near_duplicate_with_a_few_characters_changed(db, settings, claims) -> None:  # noqa: ANN001
    edited = CLAIMS[2].replace("กรมอุตุนิยมวิทยา", "กรมอุตุนิยมวิทยาา").replace("50", "51") + "!!"
    found = _search(db, settings, Query(text=edited))
    assert found[0].claim_id == claims[2] and found[0].kind == "near"
    decision = matching.decide(Query(text=edited), found, settings=settings)
    assert decision.action == "answer" and decision.candidate.claim_id == claims[2]


def test_near_duplicate_of_an_open_claim_groups(db, settings, claims) -> None:  # noqa: ANN001
    edited = CLAIMS[1].replace("5,000", "5000").replace("เที่ยงคืน", "เที่ยงคืนนี้")
    found = _search(db, settings, Query(text=edited))
    assert found[0].claim_id == claims[1] and found[0].verdict is None
    assert matching.decide(Query(text=edited), found, settings=settings).action == "group"


@pytest.mark.skipif(not PAIRS.is_file(), reason=f"{PAIRS} is absent (a fresh clone has no ../shared/data)")
def test_paraphrase_from_the_dev_pairs(db, settings, make_claim) -> None:  # noqa: ANN001
    pair = next(p for p in load_pairs(PAIRS) if is_training_pair(p) and p.claim.startswith("ผู้ที่สมัครพร้อมเพย์"))
    with db.unit_of_work() as session:
        for text in CLAIMS:
            make_claim(session, text)
        target = make_claim(session, strip_verdict_words(pair.header), verdict="fake").id
    found = _search(db, settings, Query(text=pair.claim))
    assert found[0].claim_id == target and found[0].kind in ("fused", "semantic", "lexical")
    assert found[0].semantic is not None and found[0].score >= settings.match_suggest_threshold
    assert all(c.score < found[0].score for c in found[1:])


def test_same_link_with_other_tracking_parameters(db, settings, make_claim) -> None:  # noqa: ANN001
    with db.unit_of_work() as session:
        target = make_claim(session, "คลิปนี้อ้างว่าน้ำท่วมใหญ่ที่เชียงใหม่เมื่อวานนี้", verdict="distorted",
                            urls=("https://www.facebook.com/somepage/posts/12345?fbclid=IwAR0abc&mibextid=xyz",)).id
    found = _search(db, settings, Query(urls=["https://m.facebook.com/somepage/posts/12345?utm_source=line"]))
    assert found[0].claim_id == target and found[0].kind == "url" and found[0].score >= 0.97
    assert matching.decide(Query(urls=["x"]), found, settings=settings).action == "answer"


def test_unrelated_text_is_not_matched(db, settings, claims) -> None:  # noqa: ANN001
    text = "ร้านกาแฟเปิดใหม่แถวบ้าน บรรยากาศดี ขนมอร่อย ราคาไม่แพง แนะนำให้ไปลองกันนะ"
    found = _search(db, settings, Query(text=text))
    assert all(c.score < settings.match_suggest_threshold for c in found)
    assert matching.decide(Query(text=text), found, settings=settings).action == "new"


def test_answers_only_verified_claims_above_the_threshold(db, settings, claims) -> None:  # noqa: ANN001
    open_claim = _search(db, settings, Query(text=CLAIMS[3]))[0]
    assert open_claim.claim_id == claims[3] and open_claim.verdict is None
    assert matching.decide(Query(text=CLAIMS[3]), [open_claim], settings=settings).action == "group"
    verified = _search(db, settings, Query(text=CLAIMS[4]))[0]
    below = matching.Candidate(**{**verified.__dict__, "score": settings.match_auto_answer_threshold - 0.01})
    assert matching.decide(Query(text=CLAIMS[4]), [below], settings=settings).action == "suggest"
    only = _search(db, settings, Query(text=CLAIMS[3]), verified_only=True)
    assert all(c.verdict for c in only)


def test_a_two_word_query_is_never_answered(db, settings, make_claim) -> None:  # noqa: ANN001
    with db.unit_of_work() as session:
        make_claim(session, "วัคซีนโควิด", verdict="fake")
    found = _search(db, settings, Query(text="วัคซีนโควิด"))
    assert found[0].kind == "exact" and found[0].score >= settings.match_auto_answer_threshold
    decision = matching.decide(Query(text="วัคซีนโควิด"), found, settings=settings)
    assert decision.action == "suggest" and decision.reasons[0] == {"key": "match.short_input", "count": 2}
    assert "short input (2 content words)" in decision.texts()[0] and "คำสำคัญ 2 คำ" in decision.texts("th")[0]


def test_bad_inputs_give_clear_results(db, settings, claims) -> None:  # noqa: ANN001
    for text in ("", "   \n ", "😀😀😀🙏", "ก" * 1_000_000, "ສະບາຍດີ ជំរាបសួរ hello สวัสดี \ud800"):
        started = time.perf_counter()
        found = _search(db, settings, Query(text=text))
        assert time.perf_counter() - started < 10
        assert matching.decide(Query(text=text), found, settings=settings).action in ("new", "suggest")


def test_two_processes_stay_consistent(settings, make_claim) -> None:  # noqa: ANN001
    first, second = Database(settings), Database(settings)
    try:
        one, two = LiveClaimIndex(settings), LiveClaimIndex(settings)
        with first.unit_of_work() as session:
            make_claim(session, CLAIMS[0], verdict="fake")
        for index, db in ((one, first), (two, second)):
            with db.unit_of_work(readonly=True) as session:
                index.refresh(session)
        assert len(one) == len(two) == 1
        with first.unit_of_work() as session:
            new_id = make_claim(session, CLAIMS[5], verdict="fake").id
        with second.unit_of_work(readonly=True) as session:
            assert two.refresh(session) == 1
        assert new_id in two and len(two) == 2
        with first.unit_of_work() as session:
            session.get(Claim, new_id).status = "dismissed"
            matching.remove_claim(session, new_id)
        with second.unit_of_work(readonly=True) as session:
            two.refresh(session)
            assert two.refresh(session) == 0  # nothing new: one cheap query
        assert new_id not in two and len(two) == 1
    finally:
        first.dispose()
        second.dispose()
