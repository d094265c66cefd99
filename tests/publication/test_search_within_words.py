"""Public search for a short Thai word finds it inside longer words (Thai has no spaces): "ยา" finds ยาสีฟัน and
ยาฆ่าเชื้อ, not only the verdicts where ยา stands alone; whole-word hits first, then words starting with it, then the
rest. On SQLite and PostgreSQL (the suite runs on both)."""

from __future__ import annotations

import datetime as dt

import pytest
from pub_helpers import T0, publish

from khaojing.matching import service as matching
from khaojing.publication import service

ALONE = "กินยา พาราเซตามอล ทุกวันทำให้ตับพังภายในหนึ่งเดือน"  # ยา as a word of its own
TOOTHPASTE = "ยาสีฟันสูตรใหม่ช่วยให้ฟันงอกขึ้นมาใหม่ได้"  # a word that starts with ยา
DISINFECTANT = "ยาฆ่าเชื้อ Amoxy รักษาโควิด-19 ได้"
HOSPITAL = "โรงพยาบาลรัฐปิดรับผู้ป่วยนอกตั้งแต่สัปดาห์หน้า"  # ยา inside another word
FLOOD = "น้ำท่วมกรุงเทพฯ ปีนี้จะหนักกว่าปี 2554 เพราะเขื่อนใหญ่จะแตก"  # no ยา at all


pytestmark = pytest.mark.usefixtures("fresh_indexes")


@pytest.fixture
def claims(env) -> dict[str, int]:  # noqa: ANN001
    out = {}
    for days, (name, title, topic) in enumerate((("alone", ALONE, "health"), ("hospital", HOSPITAL, "health"),
                                                 ("toothpaste", TOOTHPASTE, "health"),
                                                 ("disinfectant", DISINFECTANT, "health"),
                                                 ("flood", FLOOD, "disaster"))):
        out[name] = claim_id = publish(env.db, env.settings, title=title, topic=topic, headline=f"ตรวจสอบแล้ว: {title}",
                                       at=T0 + dt.timedelta(days=days))  # later in the tuple: newer
        with env.db.unit_of_work() as session:
            matching.index_claim(session, claim_id, settings=env.settings)
    return out


def _found(env, q: str, **filters) -> list[int]:  # noqa: ANN001, ANN003
    with env.db.unit_of_work(readonly=True) as session:
        page = service.search(session, settings=env.settings, filters=service.Filters(q=q, **filters))
    assert page.total == len(page.items)
    return [v.claim_id for v in page.items]


def test_a_short_word_finds_longer_words_whole_words_first(env, claims) -> None:  # noqa: ANN001
    found = _found(env, "ยา")
    assert found == [claims["alone"], claims["disinfectant"], claims["toothpaste"], claims["hospital"]]
    page = env.client.get("/verdicts", params={"q": "ยา"}).text  # what a reader sees, in the same order
    positions = [page.find(f'href="/verdicts/{claims[n]}"') for n in ("alone", "disinfectant", "toothpaste",
                                                                      "hospital")]
    assert -1 not in positions and positions == sorted(positions)
    assert f'href="/verdicts/{claims["flood"]}"' not in page
    api = env.client.get("/api/v1/verdicts", params={"q": "ยาสีฟัน"}).json()
    assert [i["claim_id"] for i in api["items"]] == [claims["toothpaste"]]


def test_the_filters_still_apply_and_a_miss_stays_empty(env, claims) -> None:  # noqa: ANN001
    assert _found(env, "ยา", topic="disaster") == []
    assert _found(env, "ยา", since=(T0 + dt.timedelta(days=2)).date()) == [claims["disinfectant"],
                                                                           claims["toothpaste"]]
    assert _found(env, "เขื่อนใหญ่")[:1] == [claims["flood"]]
    assert _found(env, "ยาหม่อง") == []  # a longer word nobody wrote
    assert _found(env, "%") == [] and _found(env, "_") == []  # LIKE wildcards are plain characters
    assert env.client.get("/verdicts", params={"q": "%_\\"}).status_code == 200


def test_latin_text_inside_words_any_case(env, claims) -> None:  # noqa: ANN001
    assert claims["disinfectant"] in _found(env, "amox")
