"""Public search through the matching index: Thai word segmentation and paraphrases, with the filters; LIKE fallback."""

from __future__ import annotations

import datetime as dt

import pytest
from pub_helpers import T0, publish

from khaojing.matching import service as matching
from khaojing.publication import service

VACCINE = "วัคซีนโควิดทำให้เป็นหมันในผู้หญิงทุกคนที่ฉีดครบสองเข็ม"
SCAM = "ธนาคารแห่งประเทศไทยแจกเงินเยียวยาห้าพันบาทผ่านลิงก์ลงทะเบียนทางไลน์"
FLOOD = "น้ำท่วมกรุงเทพฯ ปีนี้จะหนักกว่าปี 2554 เพราะเขื่อนใหญ่จะแตก"


pytestmark = pytest.mark.usefixtures("fresh_indexes")


@pytest.fixture
def claims(env) -> dict[str, int]:  # noqa: ANN001
    out = {}
    for name, title, topic, label, days in (("vaccine", VACCINE, "health", "fake", 0), ("scam", SCAM, "finance",
                                            "fake", 5), ("flood", FLOOD, "disaster", "distorted", 10)):
        out[name] = claim_id = publish(env.db, env.settings, title=title, topic=topic, label=label,
                                       headline=f"ตรวจสอบแล้ว: {title}", at=T0 + dt.timedelta(days=days))
        with env.db.unit_of_work() as session:
            matching.index_claim(session, claim_id, settings=env.settings)
    return out


def _found(env, q: str, **filters) -> list[int]:  # noqa: ANN001, ANN003
    with env.db.unit_of_work(readonly=True) as session:
        page = service.search(session, settings=env.settings, filters=service.Filters(q=q, **filters))
    assert page.total == len(page.items)
    return [v.claim_id for v in page.items]


def _like_finds(env, q: str) -> bool:  # noqa: ANN001
    with env.db.unit_of_work(readonly=True) as session:
        rows = session.execute(service._published(env.settings).where(  # noqa: SLF001
            service.Claim.title.like(service._like(q)))).all()  # noqa: SLF001
    return bool(rows)


def test_other_segmentation_and_paraphrase_find_what_like_misses(env, claims) -> None:  # noqa: ANN001
    for q, name in (("ฉีดวัคซีนแล้วเป็นหมัน", "vaccine"),  # the same words, cut and ordered differently
                    ("แบงก์ชาติ แจกเงิน เยียวยา", "scam"),  # another name of the bank, spaces between words
                    ("ผู้หญิงที่ฉีดวัคซีนโควิดจะมีลูกไม่ได้", "vaccine"),  # a paraphrase
                    ("เขื่อนแตก น้ำท่วม", "flood")):
        assert not _like_finds(env, q), q
        found = _found(env, q)
        assert found and found[0] == claims[name], (q, found)
        assert claims["scam"] not in found or name == "scam", f"{q!r} also lists the unrelated scam claim"
    page = env.client.get("/verdicts", params={"q": "ฉีดวัคซีนแล้วเป็นหมัน"}).text
    assert f'href="/verdicts/{claims["vaccine"]}"' in page and f'href="/verdicts/{claims["scam"]}"' not in page
    api = env.client.get("/api/v1/verdicts", params={"q": "แบงก์ชาติ แจกเงิน เยียวยา"}).json()
    assert [i["claim_id"] for i in api["items"]][:1] == [claims["scam"]]


def test_index_search_keeps_the_filters(env, claims) -> None:  # noqa: ANN001
    q = "ฉีดวัคซีนแล้วเป็นหมัน"
    assert _found(env, q, topic="health")[:1] == [claims["vaccine"]]
    assert _found(env, q, topic="finance") == []
    assert _found(env, q, label="distorted") == []
    assert _found(env, q, since=(T0 + dt.timedelta(days=3)).date()) == []
    assert _found(env, q, until=T0.date())[:1] == [claims["vaccine"]]
    assert _found(env, "ข้อความที่ไม่เกี่ยวกับเรื่องใดเลย xyzzy") == []


def test_like_is_the_fallback_when_the_index_fails(env, claims, monkeypatch) -> None:  # noqa: ANN001
    def broken(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(matching, "search", broken)
    assert _found(env, "เงินเยียวยา") == [claims["scam"]]  # a plain substring still works
    assert _found(env, "แบงก์ชาติ แจกเงิน เยียวยา") == []  # what only the index could find
    assert env.client.get("/verdicts", params={"q": "เงินเยียวยา"}).status_code == 200
