"""The last few texts' tokens, match keys, links and phones are kept (the triage job reads a report several times):
callers still get their own lists, and a change of tokeniser is not hidden by what was kept."""

from __future__ import annotations

import pytest

from khaojing.thai import tokenize
from khaojing.thai.normalize import normalize, phones_in, urls_in
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
