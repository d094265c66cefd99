"""The message builders produce JSON that LINE's own messaging-api.yml accepts, with the agreed content."""

from __future__ import annotations

import datetime as dt
from urllib.parse import unquote

import pytest

import line_spec
from khaojing.channels.line import flex

NOW = dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC)
BASE = "https://khaojing.example"


def card(label: str = "fake", claim_id: int = 42, **kw) -> flex.VerdictCard:  # noqa: ANN003
    values = {"claim": "ดื่มน้ำมะนาวผสมโซดาทุกวัน ช่วยฆ่าเซลล์มะเร็งได้",
              "explanation": "ไม่มีงานวิจัยยืนยัน\nน้ำมะนาวไม่มีฤทธิ์รักษามะเร็ง\nบรรทัดที่สาม",
              "agency": "กรมการแพทย์", "published_at": NOW, **kw}
    return flex.VerdictCard(claim_id=claim_id, label=label, **values)


def valid(message: dict) -> dict:
    line_spec.messaging().validate(message, "Message")
    assert not line_spec.line_limits([message])
    return message


def texts(node: object) -> list[str]:
    if isinstance(node, dict):
        return ([node["text"]] if node.get("type") == "text" and "text" in node else []) + \
            [t for v in node.values() for t in texts(v)]
    if isinstance(node, list):
        return [t for v in node for t in texts(v)]
    return []


@pytest.mark.parametrize(("label", "thai", "colour"), [
    ("fake", "ข่าวปลอม", "#C62828"), ("distorted", "ข่าวบิดเบือน", "#E65100"),
    ("true", "ข่าวจริง", "#2E7D32"), ("unverifiable", "ไม่สามารถยืนยันได้", "#616161")])
def test_the_verdict_bubble_has_label_colour_claim_explanation_agency_date_link_share(label, thai, colour) -> None:  # noqa: ANN001
    message = valid(flex.verdict_message(card(label), base_url=BASE))
    bubble = message["contents"]
    assert bubble["header"]["backgroundColor"] == colour
    assert bubble["header"]["contents"][0]["text"] == thai
    shown = texts(bubble["body"])
    assert shown[0].startswith("ดื่มน้ำมะนาว")
    explanation = next(c for c in bubble["body"]["contents"] if c.get("maxLines") == 2)
    assert explanation["text"].startswith("ไม่มีงานวิจัยยืนยัน") and explanation["wrap"] is True
    assert "กรมการแพทย์" in shown and "26 พฤศจิกายน 2569" in shown  # Buddhist era
    read, share = bubble["footer"]["contents"]
    assert read["action"]["uri"] == f"{BASE}/verdicts/42" and read["color"] == colour
    assert share["action"]["uri"].startswith("https://line.me/R/share?text=")
    assert f"{BASE}/verdicts/42" in unquote(share["action"]["uri"])
    assert message["altText"].startswith(thai)
    assert len(message["quickReply"]["items"]) == 4


def test_the_verdict_bubble_in_english() -> None:
    message = valid(flex.verdict_message(card("distorted"), base_url=BASE, lang="en"))
    assert message["contents"]["header"]["contents"][0]["text"] == "Distorted"
    assert "26 Nov 2026" in texts(message["contents"]["body"])


def test_the_label_name_and_colour_of_the_settings_win() -> None:
    from khaojing.settings import Settings
    from khaojing.tipline.answers import colour_hex

    label = next(lab for lab in Settings(_env_file=None).verdict_labels if lab.key == "fake")
    message = valid(flex.verdict_message(card(label_name="ข่าวปลอม!", colour=colour_hex("#123456")), base_url=BASE))
    assert message["contents"]["header"]["backgroundColor"] == "#123456"
    assert message["contents"]["header"]["contents"][0]["text"] == "ข่าวปลอม!"
    assert message["altText"].startswith("ข่าวปลอม!")
    assert colour_hex(label.colour) == "#C62828" and colour_hex("purple") == "#616161"


def test_a_bubble_without_agency_explanation_or_date_is_still_valid() -> None:
    valid(flex.verdict_message(card(agency=None, explanation="", published_at=None), base_url=BASE, quick=False))


def test_the_candidates_carousel_shows_at_most_five_with_similarity_and_none_of_these() -> None:
    candidates = [flex.Candidate(card(claim_id=i), s) for i, s in enumerate([0.61, 0.93, 0.72, 0.58, 0.66, 0.55])]
    message = valid(flex.candidates_message(candidates, base_url=BASE))
    bubbles = message["contents"]["contents"]
    assert message["contents"]["type"] == "carousel" and len(bubbles) == 5
    assert [b["header"]["contents"][1]["text"] for b in bubbles] == \
        ["คล้าย 93%", "คล้าย 72%", "คล้าย 66%", "คล้าย 61%", "คล้าย 58%"]
    pick = bubbles[0]["footer"]["contents"][0]["action"]
    assert pick["type"] == "postback" and flex.parse_postback(pick["data"]) == {"a": "pick", "c": "1"}
    first = message["quickReply"]["items"][0]["action"]
    assert first["label"] == "ไม่ใช่ทั้งหมด" and flex.parse_postback(first["data"]) == {"a": "none"}
    english = valid(flex.candidates_message(candidates[:2], base_url=BASE, lang="en"))
    assert english["quickReply"]["items"][0]["action"]["label"] == "None of these"
    assert english["contents"]["contents"][0]["header"]["contents"][1]["text"] == "93% similar"


def test_quick_replies_questions_and_texts_are_valid() -> None:
    for lang in ("th", "en"):
        items = flex.quick_reply_items(lang)
        assert [flex.parse_postback(i["action"]["data"])["a"] for i in items] == ["check", "latest", "howto",
                                                                                   "notify"]
        for message in (flex.text("สวัสดี", lang=lang), flex.whole_message_question(lang),
                        flex.consent_question(lang), flex.notify_settings("x", lang=lang)):
            valid(message)
    consent = flex.consent_question()
    assert [flex.parse_postback(i["action"]["data"]) for i in consent["quickReply"]["items"]] == \
        [{"a": "consent", "v": "yes"}, {"a": "consent", "v": "no"}]


def test_long_content_is_cut_to_lines_limits() -> None:
    long = card(claim="ข่าว " * 2000)
    message = valid(flex.verdict_message(long, base_url=BASE))
    assert len(message["altText"]) <= flex.ALT_TEXT_MAX
    share = message["contents"]["footer"]["contents"][1]["action"]["uri"]
    assert len(share) <= 1000 and unquote(share).endswith(f"…\n{BASE}/verdicts/42")
    valid(flex.text("ก" * 6000))
    with pytest.raises(ValueError):
        flex.postback_data("x", v="y" * 400)


def test_the_validator_catches_mistakes() -> None:
    message = flex.verdict_message(card(), base_url=BASE)
    message["contents"]["body"]["contents"][0]["colour"] = "#000000"
    message["contents"]["header"]["layout"] = "diagonal"
    problems = line_spec.messaging().errors(message, "Message")
    assert any("unknown property 'colour'" in p for p in problems)
    assert any("diagonal" in p for p in problems)
