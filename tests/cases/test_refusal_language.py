"""A refusal reads in the page's language: a Thai analyst who sets a past deadline, moves a case where it cannot go,
hands over a case they may not, or merges a claim with nothing reads Thai only (no English detail), an English page
the English text; the HTML error page says the specific reason too; an error without a key still shows its general
text and English detail; the JSON error keeps its shape with the specific Thai text in `message_th`."""

from __future__ import annotations

from case_helpers import make_claim

from helpers import csrf_from
from khaojing.cases import service
from khaojing.errors import Conflict, Invalid, NotFound, error_body, reason


def _post(client, case_id: int, path: str, data: dict, lang: str):  # noqa: ANN001, ANN202
    token = csrf_from(client.get(f"/console/cases/{case_id}", params={"lang": lang}).text)
    return client.post(f"/console/cases/{case_id}{path}", data={"csrf_token": token, **data}, follow_redirects=False)


def _error_of(html: str) -> str:
    """The text of the page's refusal box (role=alert), tags removed."""
    import re

    start = html.index('role="alert"')
    return " ".join(re.sub(r"<[^>]+>", " ", html[html.index(">", start) + 1:html.index("</section>", start)]).split())


def test_a_past_deadline_reads_thai_on_the_thai_page_and_english_on_the_english_one(env, staff, case_id) -> None:  # noqa: ANN001
    client = env.login(staff.analyst)
    data = {"question": "ขอทราบข้อเท็จจริง", "due_at": "01/01/2568 10:00", "agency_ids": str(staff.agency.id)}
    thai = _post(client, case_id, "/requests", data, "th")
    assert thai.status_code == 422
    assert "กำหนดตอบต้องอยู่หลังเวลาปัจจุบันและไม่เกิน 30 วัน" in thai.text
    assert "due after now" not in thai.text and "ข้อมูลไม่ถูกต้อง:" not in thai.text  # no English detail
    english = _post(client, case_id, "/requests", data, "en")
    assert english.status_code == 422
    assert "The answer must be due after now and within 30 days." in english.text
    assert "กำหนดตอบ" not in english.text


def test_a_move_the_workflow_refuses_names_both_states_in_the_page_language(env, staff, case_id) -> None:  # noqa: ANN001
    client = env.login(staff.analyst)
    thai = _post(client, case_id, "/move", {"to_state": "published", "reason": ""}, "th")
    assert thai.status_code == 409
    assert f"เรื่อง #{case_id} อยู่ในสถานะ “กำลังตรวจสอบ” จึงย้ายไปเป็น “เผยแพร่แล้ว” ไม่ได้" in thai.text
    assert "cannot move" not in thai.text and "is investigating" not in thai.text
    # where it may go instead, in Thai too (the English detail's "you may move it to: …" was English only)
    assert "จากสถานะนี้ย้ายได้เป็น: “รอหน่วยงานตอบ”, “กำลังเขียนผล”" in _error_of(thai.text)
    assert "may move" not in thai.text and "awaiting_agency" not in thai.text
    english = _post(client, case_id, "/move", {"to_state": "published", "reason": ""}, "en")
    assert (f"Case #{case_id} is “Investigating”: it cannot move to “Published”; from here it may move to: "
            "“Awaiting agency”, “Drafting”.") in english.text


def test_an_empty_question_names_its_field_in_the_page_language(env, staff, case_id) -> None:  # noqa: ANN001
    client = env.login(staff.analyst)
    thai = _post(client, case_id, "/requests", {"question": " ", "agency_ids": str(staff.agency.id)}, "th")
    assert thai.status_code == 422 and "กรุณากรอกช่อง “คำถามถึงหน่วยงาน”" in thai.text
    english = _post(client, case_id, "/requests", {"question": " ", "agency_ids": str(staff.agency.id)}, "en")
    assert "Please fill in “Question to the agency”." in english.text


def test_a_forbidden_handover_shows_its_reason_on_the_error_page_in_both_languages(env, staff, case_id) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        service.assign(session, case_id=case_id, assignee_id=staff.analyst.id, actor=staff.analyst)
    other = env.login(staff.analyst2)
    thai = _post(other, case_id, "/handover", {"assignee_id": str(staff.analyst2.id)}, "th")
    assert thai.status_code == 403
    assert "เฉพาะบรรณาธิการมอบหมายเรื่องที่ผู้อื่นถืออยู่ใหม่ได้" in _error_of(thai.text)
    assert "someone else holds" not in thai.text
    english = _post(other, case_id, "/handover", {"assignee_id": str(staff.analyst2.id)}, "en")
    assert english.status_code == 403
    assert "Only an editor may reassign a case that someone else holds." in _error_of(english.text)


def test_a_claim_merge_with_no_other_claim_is_refused_in_the_page_language(env, settings, staff) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        claim_id = make_claim(session, settings).id
    client = env.login(staff.analyst)
    for lang, text in (("th", "กรุณาเลือกประเด็นข่าวอื่นอย่างน้อยหนึ่งประเด็นเพื่อรวม"),
                       ("en", "Choose at least one other claim to merge.")):
        token = csrf_from(client.get(f"/console/claims/{claim_id}", params={"lang": lang}).text)
        refused = client.post(f"/console/claims/{claim_id}/merge", data={"ids": str(claim_id), "csrf_token": token})
        assert refused.status_code == 422 and text in refused.text
        assert ("choose at least one other claim" in refused.text) is False
    missing = client.post(f"/console/claims/{claim_id}/merge", data={"ids": "987654", "csrf_token": token})
    assert "A claim to merge was not found: #987654" in missing.text  # the English page, the number only


def test_an_error_without_a_key_reads_as_before() -> None:
    plain = Invalid("something odd")
    assert reason(plain, "th") == "ข้อมูลไม่ถูกต้อง: something odd"
    assert reason(plain, "en") == "The data is not valid: something odd"
    assert error_body(plain) == {"error": {"code": "invalid", "message": "something odd",
                                           "message_th": "ข้อมูลไม่ถูกต้อง"}}
    unregistered = Conflict("taken", key="no.such.key")  # a key nobody registered: the general text, not the key
    assert reason(unregistered, "th") == "ขัดแย้งกับข้อมูลที่มีอยู่: taken"
    assert error_body(unregistered)["error"]["message_th"] == "ขัดแย้งกับข้อมูลที่มีอยู่"


def test_a_keyed_error_says_it_with_its_parameters_and_survives_a_bad_one() -> None:
    keyed = Invalid("the answer is due after now and within 30 days", key="err.due_range", params={"days": 30})
    assert reason(keyed, "th") == "กำหนดตอบต้องอยู่หลังเวลาปัจจุบันและไม่เกิน 30 วัน"
    assert reason(keyed, "en") == "The answer must be due after now and within 30 days."
    missing_param = Invalid("x", key="err.due_range")  # a missing parameter shows the bare text, never a crash
    assert "{days}" in reason(missing_param, "en")
    state = Conflict("x", key="err.assign_closed", params={"case": 7, "state_key": "state.published"})
    assert reason(state, "th") == "เรื่อง #7 ปิดแล้ว (เผยแพร่แล้ว) กรุณาเปิดใหม่ก่อน"
    assert reason(state, "en") == "Case #7 is closed (Published); reopen it first."


def test_the_json_error_keeps_its_shape_with_the_specific_thai_text(env, staff) -> None:  # noqa: ANN001
    client = env.login(staff.analyst)
    html = client.get("/console/claims/987654", params={"lang": "en"})
    assert html.status_code == 404 and "Claim #987654 was not found." in html.text
    api = client.get("/console/claims/987654", headers={"Accept": "application/json"})
    assert api.status_code == 404
    assert api.json() == {"error": {"code": "not_found", "message": "claim 987654 not found",
                                    "message_th": "ไม่พบประเด็นข่าว #987654"}}
    assert error_body(NotFound("gone")) == {"error": {"code": "not_found", "message": "gone",
                                                      "message_th": "ไม่พบสิ่งที่ต้องการ"}}
