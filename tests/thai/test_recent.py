"""The last few texts' tokens, match keys, links and phones are kept (the triage job reads a report several times):
callers still get their own lists, and a change of tokeniser is not hidden by what was kept."""

from __future__ import annotations

import pytest

from khaojing.thai import tokenize
from khaojing.thai.normalize import clean, normalize, phones_in, urls_in
from khaojing.thai.tokenize import segment, words


def test_kept_results_come_back_as_fresh_lists() -> None:
    text = "ด่วน โทร 081-234-5678 ดูที่ https://example.com/x ข่าวปลอม"
    first = segment(text)
    first.append("x")
    assert segment(text) == first[:-1]
    found = words(text)
    found.clear()
    assert words(text)
    links, phones = urls_in(text), phones_in(text)
    assert links == ["https://example.com/x"] and phones == ["0812345678"]
    links.clear()
    phones.clear()
    assert urls_in(text) == ["https://example.com/x"] and phones_in(text) == ["0812345678"]
    assert normalize(text).urls == ["https://example.com/x"]


def test_the_fallback_tokeniser_is_not_answered_from_what_nlpo3_gave(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "ข่าวปลอมอย่าแชร์ต่อกันนะ"
    expected = words(text)  # kept, made by nlpo3
    calls: list[str] = []
    from pythainlp import tokenize as pythainlp_tokenize

    real = pythainlp_tokenize.word_tokenize
    monkeypatch.setattr(pythainlp_tokenize, "word_tokenize", lambda t, **kw: calls.append(t) or real(t, **kw))
    monkeypatch.setattr(tokenize, "_nlpo3", lambda: None)
    assert words(text) == expected  # the engines agree
    assert calls  # and PyThaiNLP's newmm really ran


def test_long_texts_are_not_kept() -> None:
    text = "ข่าว " * (tokenize.RECENT_MAX_CHARS // 5 + 10)
    assert len(text) > tokenize.RECENT_MAX_CHARS
    assert segment(text) == segment(text) and "".join(segment(text)) == text


def test_a_kept_run_is_cut_as_newmm_cuts_it_alone_and_the_store_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "ข่าวปลอมอย่าแชร์ต่อ ธนาคารแห่งประเทศไทยไม่ได้ให้กู้เงิน 50,000 บาท ข่าวปลอมอย่าแชร์ต่อ"
    tokenize._RUNS.clear()
    tokenize._segment_recent.cache_clear()
    first = segment(text)
    assert "ข่าวปลอมอย่าแชร์ต่อ" in tokenize._RUNS  # (both copies of the phrase: one entry)
    tokenize._segment_recent.cache_clear()
    assert segment(text) == first == segment_of_each_run(text)
    first.clear()  # a caller's list is its own: the kept words are not changed through it
    tokenize._segment_recent.cache_clear()
    assert "".join(segment(text)) == text
    monkeypatch.setattr(tokenize, "_RUNS_MAX", 2)
    tokenize._segment_recent.cache_clear()
    for phrase in ("หนึ่งสองสาม", "สี่ห้าหก", "เจ็ดแปดเก้า"):
        segment(phrase)
    assert len(tokenize._RUNS) <= 2


def segment_of_each_run(text: str) -> list[str]:
    """segment() with nlpo3 called on every Thai run, nothing kept."""
    import nlpo3

    return tokenize._segment(text, lambda run: nlpo3.segment(run, tokenize.NLPO3_DICT_NAME))


def test_clean_is_kept_by_its_input_not_assumed_idempotent() -> None:
    text = "ชอบมากคร่ๅๅๅ"  # (ๅ -> า takes one ๅ of a pair per pass: here clean() of the cleaned text changes it again)
    once = clean(text)
    assert clean(text) == once == clean.__wrapped__(text)
    assert clean(once) == clean.__wrapped__(once)  # screening cleans the cleaned report again: computed, not assumed
