"""Harm to life and to property: scores from curated cues, patterns and topic, each with its reasons."""

from __future__ import annotations

import random
from collections import defaultdict
from statistics import mean

import pytest
from triage_helpers import AFNC_2025, SHARED_DATA, needs_shared_data

from khaojing.settings import Settings
from khaojing.thai.normalize import clean
from khaojing.triage import datasets, harm
from khaojing.triage.service import screen

HIGH, LOW = 0.7, 0.3


def _screen(text: str, settings: Settings):  # noqa: ANN202
    return screen(clean(text), settings=settings)


def test_the_examples_of_the_issue(settings: Settings) -> None:
    cure = _screen("ยาสมุนไพรรักษามะเร็งหายขาด", settings)
    assert cure.harm_life >= HIGH and cure.harm_property < LOW
    scam = _screen("ลงทุน 1,000 ได้กำไร 30% ต่อวัน ทักไลน์", settings)
    assert scam.harm_property >= HIGH and scam.harm_life < LOW
    rain = _screen("ฝนตกที่กรุงเทพ", settings)
    assert rain.harm_life < LOW and rain.harm_property < LOW


@pytest.mark.parametrize(("text", "life", "money", "reason"), [
    ("Drinking hot lemon water every morning kills the coronavirus and cures cancer", True, False, "cure_claim"),
    ("A huge earthquake will hit Bangkok tomorrow night, evacuate now", True, False, "disaster"),
    ("The new COVID vaccine contains a microchip and causes infertility in women", True, False, "vaccine_danger"),
    ("Invest in this gold scheme and get 30% per month guaranteed, add line @goldrich", False, True,
     "return_per_period"),
    ("Your bank account will be suspended, click here to verify your account and enter the OTP", False, True,
     "phishing"),
    ("Register at https://gov-th-relief.com before Friday and every citizen gets 5,000 baht", False, True,
     "link_with_request"),
])
def test_english_messages_rank_by_harm_too(settings: Settings, text: str, life: bool, money: bool,
                                           reason: str) -> None:
    """English reports reach analysts (screening cannot read them as claims, harm can): a scam or a fake cure in
    English must not sink to the bottom of the queue."""
    result = _screen(text, settings)
    assert (result.harm_life >= 0.5, result.harm_property >= 0.5) == (life, money)
    assert reason in {r.key for r in result.harm_reasons}


def test_english_small_print_is_not_harmful(settings: Settings) -> None:
    result = _screen("The Bangkok Metropolitan Administration will close Sukhumvit road for a parade next Sunday",
                     settings)
    assert result.harm_life < LOW and result.harm_property < LOW
    assert not any(r.key == "violence" for r in _screen("He had a heart attack at work", settings).harm_reasons)


def test_reasons_say_why_in_thai_and_english(settings: Settings) -> None:
    result = _screen("ยาสมุนไพรรักษามะเร็งหายขาด", settings)
    keys = {r.key: r for r in result.harm_reasons}
    assert {"cure_claim", "fake_cure", "serious_disease", "topic_health"} <= set(keys)
    assert keys["fake_cure"].evidence == "หายขาด" and keys["cure_claim"].evidence == "รักษา + มะเร็ง"
    assert "topic=health" in keys["topic_health"].evidence
    for reason in result.harm_reasons:
        assert reason.kind in ("life", "property") and reason.th and reason.en and 0 < reason.weight <= 1
    assert [r.weight for r in result.harm_reasons] == sorted((r.weight for r in result.harm_reasons), reverse=True)
    scam = {r.key: r for r in _screen("ลงทุน 1,000 ได้กำไร 30% ต่อวัน ทักไลน์", settings).harm_reasons}
    assert scam["return_per_period"].evidence == "30% ต่อวัน" and "investment" in scam


def test_a_phone_or_a_link_with_money_words_raises_property_harm(settings: Settings) -> None:
    base = _screen("ให้ยืมเงินด่วน 20,000 บาท อนุมัติไว", settings)
    phone = _screen("ให้ยืมเงินด่วน 20,000 บาท อนุมัติไว โทร 081-234-5678", settings)
    link = _screen("ให้ยืมเงินด่วน 20,000 บาท อนุมัติไว สมัครที่ https://fast-loan.example.com", settings)
    assert phone.harm_property > base.harm_property and link.harm_property > base.harm_property
    assert "contact_with_money" in {r.key for r in phone.harm_reasons}
    assert "link_with_money" in {r.key for r in link.harm_reasons}


@pytest.mark.parametrize(("text", "kind", "key"), [
    ("แผ่นดินไหวขนาด 8 ที่เชียงใหม่คืนนี้ ให้อพยพด่วน", "life", "disaster"),
    ("ทหารกัมพูชายิงจรวดใส่หมู่บ้านชายแดน", "life", "violence"),
    ("ยาบ้าสามารถรักษาโรคโควิดได้", "life", "drugs"),
    ("ครีมหน้าขาวผสมสารปรอท ขายในตลาดนัด", "life", "dangerous_substance"),
    ("ธนาคารแจ้งบัญชีถูกระงับ กรุณายืนยันตัวตนที่ https://bank-verify.example.com", "property", "phishing"),
    ("กรมบัญชีกลางให้ลงทะเบียนรับเงินช่วยเหลือ 5,000 บาท แอดไลน์ @gov-money", "property", "handout"),
])
def test_typical_harms(text: str, kind: str, key: str, settings: Settings) -> None:
    result = _screen(text, settings)
    score = result.harm_life if kind == "life" else result.harm_property
    assert score >= 0.5, result.to_json()
    assert any(r.kind == kind and r.key == key for r in result.harm_reasons)


@pytest.mark.parametrize("text", ["ฝนตกที่กรุงเทพ", "วันนี้อากาศดี ไปเที่ยวทะเลกัน", "ร้านกาแฟเปิดใหม่ใกล้บ้าน",
                                  "ครม. อนุมัติงบซ่อมถนนในชนบท", "ทีมชาติไทยชนะฟุตบอลนัดแรก"])
def test_harmless_texts_score_low(text: str, settings: Settings) -> None:
    result = _screen(text, settings)
    assert result.harm_life < LOW and result.harm_property < LOW, result.to_json()


def test_noisy_or_combination() -> None:
    assert harm.combine([]) == 0.0
    assert harm.combine([0.5]) == 0.5
    assert harm.combine([0.5, 0.5]) == 0.75
    assert harm.combine([2.0, -1.0]) == harm.MAX_WEIGHT


@pytest.mark.shared_data
@needs_shared_data
def test_harm_on_real_titles_follows_their_topics(settings: Settings) -> None:
    """AFNC 2025 titles: property harm is highest for finance; life harm for health, disaster and security. Chat
    (Wisesight) is almost never harmful."""
    posts = datasets.read_afnc_posts(AFNC_2025)
    scores: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for title, key in datasets.topic_examples(posts, datasets.afnc_topic_map(settings.topics)):
        result = _screen(title, settings)
        scores[key].append((result.harm_life, result.harm_property))
    life = {k: mean(s[0] for s in v) for k, v in scores.items()}
    prop = {k: mean(s[1] for s in v) for k, v in scores.items()}
    print("mean harm by AFNC topic (life, property):", {k: (round(life[k], 2), round(prop[k], 2)) for k in scores})
    assert prop["finance"] >= 0.4 and prop["finance"] == max(prop.values())
    assert min(life["health"], life["disaster"], life["security"]) > max(life["policy"], life["finance"])
    chat = random.Random(0).sample(datasets.lines(SHARED_DATA / "wisesight-sentiment" / "neu.txt"), 1000)
    harmful = [t for t in chat if max(_screen(t, settings).harm_life, _screen(t, settings).harm_property) >= HIGH]
    assert len(harmful) <= 20
