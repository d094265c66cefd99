"""Listening end to end against a real local HTTP server: Thai feed items are collected once, screened and grouped by
the triage job, matched against watchlists, and counted in the funnel."""

from __future__ import annotations

import datetime as dt

from feed_server import afnc_titles, chatter, rss
from sqlalchemy import func, select

from khaojing.claims.models import Claim
from khaojing.intake.models import Report
from khaojing.trends import aggregates, funnel, listening, watch
from khaojing.trends.models import FeedSource, WatchHit

NOW = dt.datetime(2026, 11, 20, 4, 0, tzinfo=dt.UTC)  # Friday 11:00 in Bangkok, week 2026-W47
VACCINE = "ด่วน!ฉีดวัคซีนโควิดเข็มกระตุ้นแล้วทำให้เป็นหมันถาวรทั้งชายและหญิง แชร์ต่อให้คนที่คุณรัก"


def _add(env, name: str, url: str, kind: str = "rss", **kw) -> int:  # noqa: ANN001, ANN003
    with env.db.unit_of_work() as session:
        return listening.add_source(session, name=name, kind=kind, url=url, actor="test", **kw).id


def _fetch(env, source_id: int, now: dt.datetime = NOW) -> listening.FetchOutcome:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        return listening.run_fetch(session, settings=env.settings, source_id=source_id, now=now)


def test_thai_feed_items_are_collected_once_screened_matched_and_counted(env, feed_server) -> None:  # noqa: ANN001
    claims, talk = afnc_titles(6), chatter(6)
    entries = [(f"afnc-{i}", t) for i, t in enumerate(claims)] + [(f"talk-{i}", t) for i, t in enumerate(talk)]
    entries.append(("vax-1", VACCINE))
    url = feed_server.add("/thai.xml", body=rss(entries))
    with env.db.unit_of_work() as session:
        watch.save_watchlist(session, name="วัคซีน", phrases=["วัคซีน", "เป็นหมัน"], topic="health",
                             priority_boost=12, actor="test", valid_topics=[t.key for t in env.settings.topics])
    source_id = _add(env, "เฝ้าระวังเฟซบุ๊ก", url)

    first = _fetch(env, source_id)
    assert (first.ok, first.items, first.new, first.repeated) == (True, 13, 13, 0)
    again = _fetch(env, source_id, NOW + dt.timedelta(minutes=15))  # the same items: nothing new
    assert (again.new, again.repeated) == (0, 13)

    env.run_jobs()  # the triage job screens and groups every collected item
    with env.db.unit_of_work() as session:
        reports = session.scalars(select(Report).where(Report.channel == "feed")).all()
        assert len(reports) == 13 and all(r.screened_at is not None for r in reports)
        assert {r.text.split("\n")[0][:40] for r in reports} >= {t[:40] for t in claims[:3]}
        screened_claims = sum(1 for r in reports if r.is_claim)
        assert 1 <= screened_claims < 13  # most chatter is not a claim, and that is expected
        vax = next(r for r in reports if r.external_id == "vax-1")
        assert vax.meta["watch"] == ["วัคซีน"] and vax.claim_id is not None
        hit = session.scalar(select(WatchHit))
        assert hit.report_id == vax.id and hit.phrase == "วัคซีน"  # found inside the unspaced "ฉีดวัคซีน"
        aggregates.refresh(session, settings=env.settings, now=NOW + dt.timedelta(minutes=20))
        claim = session.get(Claim, vax.claim_id)
        assert any(r["key"] == "watchlist" and r["points"] == 12 for r in claim.priority_reasons)
        grouped = session.scalar(select(func.count(func.distinct(Report.claim_id))).where(
            Report.channel == "feed", Report.claim_id.is_not(None)))
        result = funnel.compute(session, settings=env.settings, period=funnel.week("2026-W47"))
    assert result.totals["collected"] == 13
    assert result.totals["claims"] == screened_claims
    assert result.totals["grouped"] == grouped
    assert result.by_channel["feed"] == {"collected": 13, "claims": screened_claims}
    assert sum(t["collected"] for t in result.by_topic.values()) == 13


def test_conditional_get_sends_the_etag_and_a_304_collects_nothing(env, feed_server) -> None:  # noqa: ANN001
    url = feed_server.add("/etag.xml", body=rss([("a", "ข่าวลือเรื่องน้ำท่วมกรุงเทพ")]), etag='"v1"')
    source_id = _add(env, "etag", url)
    assert _fetch(env, source_id).new == 1
    second = _fetch(env, source_id, NOW + dt.timedelta(minutes=15))
    assert second.status == "not_modified" and second.new == 0
    assert feed_server.routes["/etag.xml"].hits[-1].get("If-None-Match") == '"v1"'
    with env.db.unit_of_work(readonly=True) as session:
        feed = session.get(FeedSource, source_id)
        assert listening.health(feed) == "ok" and feed.items_total == 1
        assert feed.next_fetch_at == NOW + dt.timedelta(minutes=30)


def test_json_feed_and_json_endpoint_with_an_item_path(env, feed_server) -> None:  # noqa: ANN001
    jsonfeed = ('{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": ['
                '{"id": "j1", "content_text": "แจกเงินดิจิทัล 10,000 บาท กดลิงก์ลงทะเบียน", "url": "https://x.example/1",'
                ' "date_published": "2026-11-19T08:00:00+07:00"}]}').encode()
    api = ('{"data": {"posts": [{"post_id": 7, "message": "กินกระเทียมรักษามะเร็งได้", "permalink": "https://y/7"},'
           '{"post_id": 8, "message": ""}]}}').encode()
    a = _add(env, "jf", feed_server.add("/feed.json", body=jsonfeed, content_type="application/feed+json"),
             kind="jsonfeed")
    b = _add(env, "api", feed_server.add("/api", body=api, content_type="application/json"), kind="json",
             item_path="data.posts")
    assert _fetch(env, a).new == 1 and _fetch(env, b).new == 1
    with env.db.unit_of_work(readonly=True) as session:
        texts = {r.external_id: r for r in session.scalars(select(Report))}
    assert texts["j1"].urls == ["https://x.example/1"] and texts["j1"].meta["published_at"].startswith("2026-11-19")
    assert texts["7"].text == "กินกระเทียมรักษามะเร็งได้"


def test_drop_folder_reads_new_rows_once(env, tmp_path) -> None:  # noqa: ANN001
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "export-1.csv").write_text("id,text,url\n1,ยาสมุนไพรรักษาโควิดหายใน 3 วัน,https://t/1\n"
                                         "2,ธนาคารแห่งประเทศไทยยกเลิกธนบัตรใบละ 1000,\n", encoding="utf-8")
    (folder / "export-2.jsonl").write_text('{"id": "x9", "message": "แผ่นดินไหวใหญ่พรุ่งนี้ที่เชียงใหม่"}\nnot json\n',
                                           encoding="utf-8")
    source_id = _add(env, "drop", str(folder), kind="folder")
    first = _fetch(env, source_id)
    assert first.new == 3
    assert _fetch(env, source_id, NOW + dt.timedelta(minutes=20)).new == 0
    with (folder / "export-2.jsonl").open("a", encoding="utf-8") as fh:  # a tool appends a row
        fh.write('{"id": "x10", "message": "น้ำประปาปนเปื้อนสารพิษ ห้ามดื่ม"}\n')
    assert _fetch(env, source_id, NOW + dt.timedelta(minutes=40)).new == 1
    with env.db.unit_of_work(readonly=True) as session:
        feed = session.get(FeedSource, source_id)
        assert feed.state["bad_rows"] == 1 and listening.health(feed) == "ok"


def test_watchlist_phrases_match_on_word_boundaries() -> None:
    rules = [watch.Rule(1, "vaccine", ("วัคซีน",), "health", 5), watch.Rule(2, "eye", ("ตา",), None, 0),
             watch.Rule(3, "scam", ("แจกเงิน ดิจิทัล",), "finance", 5)]
    assert [r.name for r, _ in watch.match(rules, "ฉีดวัคซีนแล้วตายจริงไหม")] == ["vaccine"]  # not "ตา" in "ตาย"
    assert [r.name for r, _ in watch.match(rules, "รัฐบาลแจกเงินดิจิทัลให้ทุกคน")] == ["scam"]
    assert [r.name for r, _ in watch.match(rules, "ปวดตามาก")] == ["eye"]
    assert watch.match(rules, "Covid vaccine") == []
