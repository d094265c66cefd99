"""The verdict's label is said once: demo and AFNC headlines often start with it ("ข่าวปลอม อย่าแชร์! …"), and the
chat list (altText) and the text a citizen shares read "ข่าวปลอม: ข่าวปลอม อย่าแชร์! …" before."""

from __future__ import annotations

from urllib.parse import unquote

import line_spec
from khaojing.channels.line import flex

BASE = "https://khaojing.example"
HEADLINE = "ข่าวปลอม อย่าแชร์! ปิดข่าวเงียบ! จ.ระยองพบเด็กเสียชีวิตจากไวรัสโคโรนา (COVID-19) สั่งเผาเลย"


def message(claim: str, label: str = "fake", lang: str = "th") -> dict:
    m = flex.verdict_message(flex.VerdictCard(claim_id=10, label=label, claim=claim), base_url=BASE, lang=lang)
    line_spec.messaging().validate(m, "Message")
    return m


def shared_text(m: dict) -> str:
    share = m["contents"]["footer"]["contents"][1]["action"]["uri"]
    return unquote(share.split("?text=", 1)[1])


def test_a_headline_that_starts_with_the_label_is_not_labelled_twice() -> None:
    m = message(HEADLINE)
    assert m["altText"] == HEADLINE
    assert shared_text(m) == f"{HEADLINE}\n{BASE}/verdicts/10"


def test_a_claim_without_the_label_gets_it_in_front() -> None:
    m = message("ปิดข่าวเงียบ! จ.ระยองพบเด็กเสียชีวิต")
    assert m["altText"] == "ข่าวปลอม: ปิดข่าวเงียบ! จ.ระยองพบเด็กเสียชีวิต"
    assert shared_text(m).startswith("ข่าวปลอม: ปิดข่าวเงียบ!")


def test_in_english_a_thai_headline_still_gets_the_english_label() -> None:
    assert message(HEADLINE, lang="en")["altText"] == f"Fake news: {HEADLINE}"
    assert message("Fake news: 5G spreads the virus", lang="en")["altText"] == "Fake news: 5G spreads the virus"
