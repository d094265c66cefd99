"""One language rule for the tipline's reply language and for screening English messages."""

import pytest

from khaojing.thai.language import english_words, has_thai, text_language


@pytest.mark.parametrize(("text", "expected"), [
    ("ข่าวนี้จริงไหม", "th"),
    ("Is this news true? please check", "en"),
    ("ขอบคุณ thank you very much", "th"),          # a Thai letter decides
    ("ok", None),                                   # one word says nothing
    ("😀😀😀", None),
    ("1669 1669", None),
    ("https://www.example.com/some/long/path", None),  # a bare link is not English
    ("check www.example.com now please", "en"),
])
def test_the_language_a_person_writes_in(text: str, expected: str | None) -> None:
    assert text_language(text) == expected


def test_words_inside_links_are_not_counted() -> None:
    assert english_words("see https://news.example.com/vaccine-kills-everyone-today") == 1
    assert text_language("https://a.example.com/x https://b.example.com/y", min_english_words=1) is None


def test_thai_digits_and_signs_alone_are_not_thai() -> None:
    assert not has_thai("๑๒๓ ฿")
    assert has_thai("๑๒๓ บาท")
