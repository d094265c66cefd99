"""Atom and JSON feeds (all topics and per topic) and the public read API (paging, filters, OpenAPI)."""

from __future__ import annotations

import datetime as dt

import feedparser
from pub_helpers import T0, publish


def _three(env) -> tuple[int, int, int]:  # noqa: ANN001
    a = publish(env.db, env.settings, title="น้ำมะนาวฆ่าเชื้อไวรัส", at=T0)
    b = publish(env.db, env.settings, title="แจกเงินเยียวยา 5,000 บาท", topic="finance", label="distorted",
                at=T0 + dt.timedelta(days=1))
    c = publish(env.db, env.settings, title="ฝนตกหนักภาคใต้", topic="disaster", label="true",
                at=T0 + dt.timedelta(days=2))
    publish(env.db, env.settings, title="ยังยืนยันไม่ได้", label="unverifiable", at=T0 + dt.timedelta(days=3))
    return a, b, c


def test_atom_feed_parses_with_the_right_entries(env) -> None:  # noqa: ANN001
    a, b, c = _three(env)
    r = env.client.get("/feeds/verdicts.atom")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(r.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10" and "ศูนย์ต่อต้านข่าวปลอม" in feed.feed.title
    links = [e.link for e in feed.entries]
    assert links == [f"http://127.0.0.1:8000/verdicts/{x}" for x in (c, b, a)]  # newest first, no unverifiable
    assert feed.entries[0].title.startswith("[ข่าวจริง]") and feed.entries[0].updated_parsed[:3] == (2026, 3, 4)
    topic = feedparser.parse(env.client.get("/feeds/verdicts.atom?topic=finance").content)
    assert [e.link for e in topic.entries] == [f"http://127.0.0.1:8000/verdicts/{b}"]
    assert "การเงิน-หุ้น" in topic.feed.title


def test_json_feed_has_the_1_1_keys(env) -> None:  # noqa: ANN001
    a, b, c = _three(env)
    r = env.client.get("/feeds/verdicts.json")
    assert r.headers["content-type"].startswith("application/feed+json")
    feed = r.json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert {"title", "home_page_url", "feed_url", "items", "language", "authors"} <= set(feed)
    item = feed["items"][0]
    assert {"id", "url", "title", "content_text", "date_published", "date_modified", "image", "tags"} <= set(item)
    assert item["url"].endswith(f"/verdicts/{c}") and item["date_published"] == "2026-03-04T02:00:00Z"
    assert [i["_khaojing"]["claim_id"] for i in feed["items"]] == [c, b, a]
    topic = env.client.get("/feeds/verdicts.json?topic=disaster").json()
    assert [i["_khaojing"]["claim_id"] for i in topic["items"]] == [c]


def test_api_pages_and_filters(env) -> None:  # noqa: ANN001
    a, b, c = _three(env)
    page = env.client.get("/api/v1/verdicts?per_page=2").json()
    assert page["total"] == 3 and page["next_page"] == 2 and [i["claim_id"] for i in page["items"]] == [c, b]
    last = env.client.get("/api/v1/verdicts?per_page=2&page=2").json()
    assert [i["claim_id"] for i in last["items"]] == [a] and last["next_page"] is None
    assert [i["claim_id"] for i in env.client.get("/api/v1/verdicts?topic=finance").json()["items"]] == [b]
    assert [i["claim_id"] for i in env.client.get("/api/v1/verdicts?label=true").json()["items"]] == [c]
    assert env.client.get("/api/v1/verdicts?label=unverifiable").json()["total"] == 0
    assert [i["claim_id"] for i in env.client.get("/api/v1/verdicts?q=เยียวยา").json()["items"]] == [b]
    dated = env.client.get("/api/v1/verdicts?since=2026-03-03&until=2026-03-03").json()
    assert [i["claim_id"] for i in dated["items"]] == [b]
    assert env.client.get("/api/v1/verdicts?per_page=1000").status_code == 422
    assert env.client.get("/api/v1/verdicts?q=%00&topic=%00").status_code == 200  # NUL: fine on PostgreSQL too
    one = env.client.get(f"/api/v1/verdicts/{a}").json()
    assert one["label"] == "fake" and one["label_th"] == "ข่าวปลอม" and one["agency_th"] == "กรมอนามัย"
    assert one["claim_review"]["@type"] == "ClaimReview" and one["appearances"] == ["https://facebook.com/post/1"]
    assert one["card_1080"].endswith(f"/verdicts/{a}/card-1080.png")
    assert env.client.get("/api/v1/verdicts/424242").status_code == 404


def test_api_is_in_the_openapi_document_and_html_is_not(env) -> None:  # noqa: ANN001
    paths = env.client.get("/api/openapi.json").json()["paths"]
    assert "/api/v1/verdicts" in paths and "/api/v1/verdicts/{claim_id}" in paths
    assert not any(p.startswith(("/verdicts", "/feeds", "/sitemap")) for p in paths)


def test_api_is_rate_limited_per_address(env) -> None:  # noqa: ANN001
    env.settings.rate_limit_enabled, env.settings.rate_limit_api_per_minute = True, 3
    answers = [env.client.get("/api/v1/verdicts") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["x-ratelimit-remaining"] for a in answers] == ["2", "1", "0", "0"]
    r = env.client.get("/api/v1/verdicts")
    assert r.json()["error"]["code"] == "too_many_requests" and int(r.headers["Retry-After"]) >= 1
