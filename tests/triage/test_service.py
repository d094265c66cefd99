"""screen(): any text gets a valid Screening (never a crash), models load once, and it is fast."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from triage_helpers import SHARED_DATA

from khaojing.settings import Settings
from khaojing.thai.normalize import clean, normalize
from khaojing.triage import datasets, linear, service, topics
from khaojing.triage.features import MAX_CHARS

MS_PER_ITEM = 5.0


def _valid(result: service.Screening, settings: Settings) -> None:
    data = result.to_json()
    json.dumps(data, ensure_ascii=False)
    assert isinstance(result.is_claim, bool)
    assert 0.0 <= result.worthiness <= 1.0 and result.worthiness_reasons
    assert result.topic in [t.key for t in settings.topics] and 0.0 <= result.topic_confidence <= 1.0
    assert list(result.topic_scores) == [t.key for t in settings.topics]
    assert 0.0 <= result.harm_life <= 1.0 and 0.0 <= result.harm_property <= 1.0
    assert result.model_version.count("+") == 2


BAD_INPUTS = {
    "empty": "", "spaces": "   ", "whitespace": "\n\t \r\n", "emoji": "😀🔥🙏" * 50, "zero-width": "\u200b\u200d\ufeff",
    "one Thai letter, 1 MB": "ก" * 1_000_000, "one Latin letter, 1 MB": "a" * 1_000_000,
    "mixed scripts": "ข่าวด่วน ສະບາຍດີ សួស្តី hello 你好 مرحبا 123 ยาบ้า ระบาด",
    "control characters": "\x00\x01\x02 ข่าว\x7f ปลอม \x1b[31m",
    "lone surrogate": "ข่าว\ud800ปลอม", "only digits": "0812345678", "only punctuation": "!!!???...,,,",
    "combining marks": "\u0e48\u0e49\u0e4a" * 100, "right-to-left": "\u202eข่าวปลอม\u202c",
}


WORDLESS = {"empty", "spaces", "whitespace", "emoji", "zero-width", "one Thai letter, 1 MB", "one Latin letter, 1 MB",
            "only punctuation", "combining marks"}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_gets_a_valid_screening(name: str, settings: Settings) -> None:
    raw = BAD_INPUTS[name]
    service.screen("อุ่นเครื่อง ก่อนจับเวลา", settings=settings)  # models and the normaliser's tables load once
    for text in (raw, clean(raw)):
        started = time.perf_counter()
        result = service.screen(text, settings=settings)
        assert time.perf_counter() - started < 1.0
        _valid(result, settings)
        if name in WORDLESS:
            assert not result.is_claim


def test_only_the_first_5000_characters_are_read(settings: Settings) -> None:
    claim = "ดื่มน้ำมะนาวโซดาทุกเช้าฆ่าเซลล์มะเร็งได้ 100% "
    result = service.screen(claim * 2000, settings=settings)
    assert result.truncated and result.is_claim and result.harm_life >= 0.5
    assert not service.screen(claim, settings=settings).truncated
    assert MAX_CHARS == 5_000


@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300) | st.text(alphabet=st.characters(min_codepoint=0x0E00, max_codepoint=0x0E7F),
                                       max_size=300))
def test_screen_never_raises(settings: Settings, text: str) -> None:
    _valid(service.screen(text, settings=settings), settings)


def test_models_load_once_per_process(settings: Settings) -> None:
    first = service.load_model("topics", settings)
    assert service.load_model("topics", settings) is first
    assert service.load_model("worthiness", settings) is service.load_model("worthiness", settings)


def test_a_retrained_model_in_model_dir_wins(settings: Settings, tmp_path: Path) -> None:
    pairs = [("สมุนไพรรักษามะเร็ง", "health"), ("ลงทุนหุ้นปันผลทุกวัน", "finance"), ("ยาลดความอ้วนอันตราย", "health"),
             ("กู้เงินด่วนไม่ต้องค้ำ", "finance")]
    model = topics.train_topics(pairs, min_examples=1)
    linear.save(model, tmp_path)
    local = settings.model_copy(update={"model_dir": tmp_path})
    result = service.screen("ลงทุนหุ้นได้ปันผลทุกวัน 10% ต่อวัน", settings=local)
    assert result.model_version.startswith(model.version + "+")
    assert set(k for k, v in result.topic_scores.items() if v > 0) <= {"health", "finance"}
    assert service.screen("ลงทุนหุ้น", settings=settings).model_version != result.model_version


def _texts(n: int) -> list[str]:
    """Real titles and chat when ../shared/data is there, else generated ones."""
    anti = SHARED_DATA / "afnc-cofact-sure-2022" / "anti_thread.csv"
    chat = SHARED_DATA / "wisesight-sentiment" / "neu.txt"
    if anti.is_file() and chat.is_file():
        texts = datasets.anti_thread_headlines(anti) + datasets.lines(chat)
    else:
        words = ["ข่าว", "ด่วน", "รัฐบาล", "แจก", "เงิน", "ลงทะเบียน", "ยา", "รักษา", "มะเร็ง", "ฝน", "ตก", "หนัก", "ทหาร",
                 "ชายแดน", "หุ้น", "ลงทุน", "กำไร", "วันนี้", "อร่อย", "มาก", "ครับ", "1,000", "บาท", "https://x.co/a"]
        rng = random.Random(1)
        texts = [" ".join(rng.choices(words, k=rng.randint(3, 25))) for _ in range(n)]
    return [normalize(t).text for t in random.Random(0).sample(texts, min(n, len(texts)))]


def test_screening_takes_a_few_milliseconds(settings: Settings) -> None:
    texts = _texts(2000)
    service.screen("อุ่นเครื่อง", settings=settings)
    started = time.perf_counter()
    for text in texts:
        service.screen(text, settings=settings)
    per_item = (time.perf_counter() - started) * 1000 / len(texts)
    print(f"screen(): {per_item:.2f} ms per text over {len(texts)} texts")
    assert per_item < MS_PER_ITEM
