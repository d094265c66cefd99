"""Word and sentence tokenisation: nlpo3 and PyThaiNLP's newmm agree; sentences split on real AFNC text."""

from __future__ import annotations

import pytest

from khaojing.thai import tokenize
from khaojing.thai.tokenize import segment, segment_pythainlp, sentences, words


def test_words_have_no_whitespace_tokens() -> None:
    tokens = words("ข่าวปลอม  อย่าแชร์\nต่อ ๆ ไป 1,000 บาท")
    assert tokens and all(t.strip() == t and t for t in tokens)
    assert tokens[:3] == ["ข่าว", "ปลอม", "อย่า"] and "1,000" in tokens
    assert words("") == [] and words(" \n ") == []


def test_segment_keeps_every_character() -> None:
    text = "ข่าวปลอม  อย่าแชร์\nต่อ ๆ ไป https://bit.ly/x 😀"
    assert "".join(segment(text)) == text


def test_fallback_without_nlpo3(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tokenize, "_nlpo3", lambda: None)
    assert tokenize.engine() == "pythainlp"
    assert words("ข่าวปลอม อย่าแชร์") == ["ข่าว", "ปลอม", "อย่า", "แชร์"]


def test_nlpo3_is_the_engine_here() -> None:
    assert tokenize.engine() == "nlpo3"  # nlpo3 is a dependency: a silent fallback would be 4x slower


@pytest.mark.shared_data
def test_nlpo3_and_pythainlp_newmm_give_identical_tokens_on_1000_real_titles(real_titles: list[str]) -> None:
    sample = real_titles[:1000]
    assert len(sample) == 1000
    differing = [t for t in sample if segment(t) != segment_pythainlp(t)]
    assert differing == []


def test_sentences_rules() -> None:
    text = "วันที่ 23 ก.ค. 68 เวลา 07:54 น. มีฝนตกหนัก ขอให้ประชาชนระวัง! เด็ก ๆ ต้องอยู่บ้าน\nHello world. Bye"
    assert sentences(text) == ["วันที่ 23 ก.ค. 68 เวลา 07:54 น. มีฝนตกหนัก", "ขอให้ประชาชนระวัง!",
                               "เด็ก ๆ ต้องอยู่บ้าน", "Hello world.", "Bye"]
    assert sentences("") == [] and sentences(" \n\n ") == []
    assert sentences("คาดว่า เป็นการกระทำของมิจฉาชีพ") == ["คาดว่า เป็นการกระทำของมิจฉาชีพ"]  # short clause joins


@pytest.mark.shared_data
def test_sentences_on_a_real_afnc_post(real_bodies: list[str]) -> None:
    body = next(b for b in real_bodies if "Red Rain" in b)
    found = sentences(body)
    assert "ข้อมูลข้างต้นเป็นข่าวปลอม!" in found
    assert any(s.startswith("ในวันที่ 22-23 ก.ค. 68") for s in found)  # ก.ค. does not end a sentence
    assert all(s == s.strip() and "\n" not in s for s in found)
    assert "".join(found).replace(" ", "") == "".join(body.split())  # nothing lost


def test_abbreviations_and_non_thai_tokens() -> None:
    assert words("สธ.เตือน ก.ล.ต. จ.น่าน 23 ก.ค. 68 ครับ.") == ["สธ.", "เตือน", "ก.ล.ต.", "จ.", "น่าน", "23", "ก.ค.", "68",
                                                            "ครับ", "."]
    assert words("covid-19 (DSL) 1,000 บาท ktb.thai") == ["covid", "-", "19", "(", "DSL", ")", "1,000", "บาท", "ktb",
                                                          ".", "thai"]
