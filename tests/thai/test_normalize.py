"""The normaliser on examples: Unicode, invisible characters, repeats, Thai digits, links, phones, ๆ, bad input."""

from __future__ import annotations

import pytest

from khaojing.thai.digits import has_thai_digits, to_arabic, to_thai
from khaojing.thai.normalize import Normalized, clean, for_matching, normalize, phones_in, urls_in


def test_clean_fixes_unicode_invisible_characters_and_spacing() -> None:
    assert clean("ข่าว\u200bปลอม\u200c \ufeff") == "ข่าวปลอม"
    assert clean("cafe\u0301") == "café"  # NFC
    assert clean("  หนึ่ง \t สอง  \r\n\r\n\n  สาม  ") == "หนึ่ง สอง\nสาม"
    assert clean("นํ้าท่วม") == "น้ำท่วม"  # ํ + tone + า -> tone + ำ
    assert clean("นำ้ท่วม") == "น้ำท่วม"  # ำ typed before its tone mark
    assert clean("เเปลก") == "แปลก"
    assert clean("ดีีีี") == "ดี"
    assert clean("\uf70a") == ""  # a legacy PUA tone mark with nothing to sit on
    assert clean("ก\uf70bา") == "ก้า"  # legacy Thai PUA glyph variant -> the real mark


def test_thai_digits_both_ways() -> None:
    assert to_arabic("๒๕๖๘ ปี ๑๒") == "2568 ปี 12"
    assert to_thai("2568 ปี 12") == "๒๕๖๘ ปี ๑๒"
    assert to_arabic(to_thai("0123456789")) == "0123456789"
    assert has_thai_digits("ปี ๖๘") and not has_thai_digits("ปี 68")
    assert clean("วันที่ ๒๓ ก.ค. ๖๘") == "วันที่ 23 ก.ค. 68"


def test_for_matching_collapses_repeats_but_keeps_digits_and_real_doubles() -> None:
    assert for_matching("มากกกกกก") == "มาก"
    assert for_matching("ดีมากกก!!!!") == "ดีมาก"
    assert for_matching("5555555 ขำ") == "5555555 ขำ"
    assert for_matching("ราคา 1,000,000 บาท") == "ราคา 1000000 บาท"
    assert for_matching("กรรมการ ธรรมะ บุคคล") == "กรรมการ ธรรมะ บุคคล"  # รร and คค are spelling, not shouting
    assert for_matching("soooo GOOD") == "so good"


def test_mai_yamok_is_written_one_way() -> None:
    variants = ["เด็ก ๆ เล่นกัน", "เด็กๆเล่นกัน", "เด็กๆ เล่นกัน", "เด็ก ๆๆ เล่นกัน", "เด็ก  ๆ  เล่นกัน"]
    assert {for_matching(v) for v in variants} == {"เด็กๆเล่นกัน"}
    assert clean("คน ๆ") == "คน ๆ"  # the readable text keeps the writer's spacing


def test_for_matching_drops_links_symbols_and_case_but_keeps_the_words() -> None:
    key = for_matching("🚨ด่วน!! “ธนาคาร” แจกเงิน https://bit.ly/3xYz ＡＢＣ 𝐁𝐎𝐋𝐃 ✅")
    assert key == "ด่วน ธนาคาร แจกเงิน abc bold"
    assert for_matching("โทร 081-234-5678") == for_matching("โทร 0812345678") == "โทร 0812345678"


def test_for_matching_absorbs_usual_ocr_misreadings() -> None:
    original = "เตรียมรับมือพายุ ทำให้ภาคเหนือเสี่ยงน้ำท่วม ตำรวจเตือนจำนวนมาก"
    ocr_output = "เตรียมรับมือพายุ ทาให้ภาคเหนือเสี่ยงนำท่วม ตารวจเตือนจานวนมาก"
    assert for_matching(ocr_output) == for_matching(original)
    assert for_matching("ให้นำหนังสือไปธนาคาร") == "ให้นำหนังสือไปธนาคาร"  # ให้นำ is two real words: kept
    assert for_matching("ผิวหน้ามัน") == "ผิวหน้ามัน"  # น้ามัน would end inside หน้า: kept


def test_urls_are_extracted_and_kept_in_the_readable_text() -> None:
    text = "ดูที่ https://www.Example.com/a?b=1, หรือ www.afnc.go.th และ bit.ly/3abcDEF นะ (t.co/xyz)"
    assert urls_in(text) == ["https://www.Example.com/a?b=1", "https://www.afnc.go.th", "https://bit.ly/3abcDEF",
                             "https://t.co/xyz"]
    assert "https://www.Example.com/a?b=1" in normalize(text).text
    assert urls_in("ลิงก์ https://bit.ly/abcอ่านต่อ") == ["https://bit.ly/abc"]  # Thai right after a link ends it
    assert urls_in("ก.ค. e.g. Node.js 1.5 ลบ.ม.") == []


@pytest.mark.parametrize(("written", "digits"), [
    ("081-234-5678", "0812345678"), ("081 234 5678", "0812345678"), ("08-1234-5678", "0812345678"),
    ("0812345678", "0812345678"), ("+66 81 234 5678", "0812345678"), ("+66812345678", "0812345678"),
    ("(+66) 81-234-5678", "0812345678"), ("+66 (0) 81 234 5678", "0812345678"), ("+66 2 123 4567", "021234567"),
    ("02-123-4567", "021234567"), ("0-2123-4567", "021234567"), ("053-123456", "053123456"),
    ("๐๘๑-๒๓๔-๕๖๗๘", "0812345678"), ("โทร.0812345678", "0812345678"),
])
def test_thai_phone_numbers(written: str, digits: str) -> None:
    assert phones_in(f"ติดต่อ {written} ได้เลย") == [digits]


@pytest.mark.parametrize("not_a_phone", ["089-2-12345-6", "2568", "1234567890", "01234567890", "0112345678",
                                         "ID0812345678", "https://x.com/0812345678"])
def test_numbers_that_are_not_phones(not_a_phone: str) -> None:
    assert phones_in(not_a_phone) == []


def test_hotlines_only_after_a_word_that_says_so() -> None:
    assert phones_in("สายด่วน 1441 หรือ โทร 1212 ตั้งแต่ปี 2568") == ["1441", "1212"]


def test_normalize_returns_everything_at_once() -> None:
    result = normalize("ด่วน!! โทร ๐๘๑-๒๓๔-๕๖๗๘ ดู https://bit.ly/x")
    assert isinstance(result, Normalized)
    assert result.text == "ด่วน!! โทร 081-234-5678 ดู https://bit.ly/x"
    assert result.match_text == "ด่วน โทร 0812345678 ดู"
    assert (result.urls, result.phones) == (["https://bit.ly/x"], ["0812345678"])
    assert result.sha256 == normalize("ด่วน โทร 0812345678 ดู").sha256


@pytest.mark.parametrize(("text", "expected_key"), [
    ("", ""), ("   \n\t \u3000 ", ""), ("😀🙏🏻👍🏽🇹🇭❤️", ""), ("\u200b\u200d\ufeff", ""),
    ("ข่าวปลอม ສະບາຍດີ សួស្តី Hello", "ข่าวปลอม ສະບາຍດີ សួស្តី hello"),
])
def test_bad_input_gets_a_clear_result(text: str, expected_key: str) -> None:
    result = normalize(text)
    assert result.match_text == expected_key
    assert result.urls == [] and result.phones == []


def test_broken_utf8_is_cleaned_not_raised() -> None:
    raw = "ข่าวปลอม".encode() + b"\xff\xfe\xe0\xb8" + b" ok"
    text = raw.decode("utf-8", errors="surrogateescape")
    result = normalize(text)
    assert result.text.startswith("ข่าวปลอม") and result.text.endswith("ok")
    result.sha256.encode()
    assert "\ufffd" in result.text and "\ufffd" not in result.match_text
    assert clean("\ud83d\ude00") == "😀"  # a surrogate pair (JSON-escaped emoji) is joined, not dropped
