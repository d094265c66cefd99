"""The public verdict page, its ClaimReview, the list and search, home sections, sitemap, robots, tracking."""

from __future__ import annotations

import datetime as dt
import json
import re

from pub_helpers import CLAIM, T0, correct, publish

from khaojing.intake.models import Report
from khaojing.publication import claimreview

LD_RE = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _json_ld(html: str) -> dict:
    blocks = LD_RE.findall(html)
    assert len(blocks) == 1, "one ClaimReview block per verdict page"
    return json.loads(blocks[0])


def test_verdict_page_shows_label_buddhist_date_sources_and_share_links(env) -> None:  # noqa: ANN001
    claim_id = publish(env.db, env.settings)
    r = env.client.get(f"/verdicts/{claim_id}")
    assert r.status_code == 200
    html = r.text
    assert 'class="verdict-band verdict-fake"' in html and "ข่าวปลอม" in html
    assert "2 มีนาคม 2569" in html  # Buddhist era
    assert CLAIM in html and "กรมอนามัย" in html and "กรมอนามัยยืนยันว่า" in html
    assert 'href="https://anamai.moph.go.th/news/1" rel="nofollow noopener noreferrer"' in html
    assert "social-plugins.line.me/lineit/share?url=" in html and "facebook.com/sharer" in html
    assert f'content="http://127.0.0.1:8000/verdicts/{claim_id}/card-1200x630.png"' in html  # og:image
    assert '<meta property="og:title"' in html
    english = env.client.get(f"/verdicts/{claim_id}?lang=en").text
    assert "2 Mar 2026" in english and "Fake" in english


def test_claim_review_json_ld_is_complete(env) -> None:  # noqa: ANN001
    claim_id = publish(env.db, env.settings, urls=("https://facebook.com/post/1", "https://x.com/a/status/2"))
    data = _json_ld(env.client.get(f"/verdicts/{claim_id}").text)
    assert claimreview.problems(data) == []
    assert data["@type"] == "ClaimReview" and data["inLanguage"] == "th"
    assert data["claimReviewed"] == CLAIM and data["datePublished"] == "2026-03-02"
    assert data["url"] == f"http://127.0.0.1:8000/verdicts/{claim_id}"
    assert data["author"] == {"@type": "Organization", "name": "ศูนย์ต่อต้านข่าวปลอม",
                              "alternateName": "Anti-Fake News Center", "url": "http://127.0.0.1:8000/"}
    rating = data["reviewRating"]
    assert rating == {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1,
                      "alternateName": "ข่าวปลอม"}
    item = data["itemReviewed"]
    assert item["@type"] == "Claim"
    assert [a["url"] for a in item["appearance"]] == ["https://facebook.com/post/1", "https://x.com/a/status/2"]
    assert item["firstAppearance"]["url"] == "https://facebook.com/post/1"
    assert item["firstAppearance"]["datePublished"] == "2026-02-28"


def test_claim_review_check_finds_problems() -> None:
    assert "missing claimReviewed" in claimreview.problems({"@type": "ClaimReview"})
    bad = {"reviewRating": {"ratingValue": 9, "bestRating": 5, "worstRating": 1}}
    assert any("worstRating <= ratingValue" in p for p in claimreview.problems(bad))


def test_unverifiable_and_unknown_verdicts_are_not_public(env) -> None:  # noqa: ANN001
    hidden = publish(env.db, env.settings, label="unverifiable")
    assert env.client.get(f"/verdicts/{hidden}").status_code == 404
    assert env.client.get(f"/verdicts/{hidden}/card-1080.png").status_code == 404
    assert env.client.get("/verdicts/999999").status_code == 404
    assert env.client.get(f"/api/v1/verdicts/{hidden}").status_code == 404
    assert f"/verdicts/{hidden}<" not in env.client.get("/sitemap.xml").text


def test_markup_in_a_headline_is_escaped_everywhere(env) -> None:  # noqa: ANN001
    evil = '<script>alert(1)</script></script><img src=x onerror=alert(2)>'
    claim_id = publish(env.db, env.settings, headline=evil, title="ข่าว " + evil)
    html = env.client.get(f"/verdicts/{claim_id}").text
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)" in html
    assert _json_ld(html)["headline"] == evil  # the JSON-LD keeps the text, escaped as \u003c
    assert "<script>alert" not in env.client.get("/verdicts").text


def test_correction_history_is_public(env) -> None:  # noqa: ANN001
    claim_id = publish(env.db, env.settings)
    correct(env.db, claim_id)
    html = env.client.get(f"/verdicts/{claim_id}").text
    assert "ประวัติการแก้ไข" in html and "หน่วยงานส่งข้อมูลเพิ่มเติม" in html and "ฉบับที่ 2" in html
    assert 'class="verdict-band verdict-distorted"' in html
    data = _json_ld(html)
    assert data["datePublished"] == "2026-03-02" and data["reviewRating"]["ratingValue"] == 2


def test_list_filters_search_and_pages(env) -> None:  # noqa: ANN001
    for i in range(23):
        publish(env.db, env.settings, title=f"ข่าวลือสุขภาพเรื่องที่ {i}", at=T0 + dt.timedelta(hours=i))
    finance = publish(env.db, env.settings, title="แจกเงินเยียวยา 5,000 บาท", topic="finance", label="true",
                      at=T0 - dt.timedelta(days=30))
    page1 = env.client.get("/verdicts").text
    assert "พบ 24 เรื่อง" in page1 and "หน้า 1 จาก 2" in page1 and "ข่าวลือสุขภาพเรื่องที่ 22" in page1
    page2 = env.client.get("/verdicts?page=2").text
    assert "แจกเงินเยียวยา" in page2
    topic = env.client.get("/verdicts?topic=finance").text
    assert "พบ 1 เรื่อง" in topic and f"/verdicts/{finance}" in topic and "การเงิน-หุ้น" in topic
    assert "พบ 1 เรื่อง" in env.client.get("/verdicts?q=เยียวยา").text
    assert "พบ 1 เรื่อง" in env.client.get("/verdicts?label=true").text
    assert "พบ 23 เรื่อง" in env.client.get("/verdicts?since=2026-03-01&until=2026-03-03").text
    assert "พบ 24 เรื่อง" in env.client.get("/verdicts?topic=nope&label=unverifiable&since=bad").text
    assert "พบ 0 เรื่อง" in env.client.get("/verdicts?q=%25").text  # LIKE wildcards are literal


def test_home_lists_latest_and_most_asked(env) -> None:  # noqa: ANN001
    now = dt.datetime.now(dt.UTC)
    quiet = publish(env.db, env.settings, title="เรื่องเงียบ", reports=1, at=now - dt.timedelta(days=1))
    busy = publish(env.db, env.settings, title="เรื่องที่ถามกันมาก", reports=3, at=now - dt.timedelta(days=2))
    html = env.client.get("/").text
    assert "ผลการตรวจสอบล่าสุด" in html and "เรื่องที่มีผู้สอบถามมากที่สุดในสัปดาห์นี้" in html
    asked = html.split("asked-title")[-1]
    assert asked.index(f"/verdicts/{busy}") < asked.index(f"/verdicts/{quiet}") and "สอบถาม 3 ครั้ง" in asked


def test_sitemap_and_robots(env) -> None:  # noqa: ANN001
    claim_id = publish(env.db, env.settings)
    sitemap = env.client.get("/sitemap.xml")
    assert sitemap.headers["content-type"].startswith("application/xml")
    assert f"<loc>http://127.0.0.1:8000/verdicts/{claim_id}</loc><lastmod>2026-03-02</lastmod>" in sitemap.text
    robots = env.client.get("/robots.txt").text
    assert "Disallow: /console" in robots and "Sitemap: http://127.0.0.1:8000/sitemap.xml" in robots


def test_tracking_page_links_to_the_verdict(env) -> None:  # noqa: ANN001
    claim_id = publish(env.db, env.settings)
    with env.db.unit_of_work(readonly=True) as session:
        code = session.query(Report).filter_by(claim_id=claim_id).first().tracking_code
    html = env.client.get(f"/track/{code}").text
    assert f'href="/verdicts/{claim_id}"' in html and "ผลการตรวจสอบเรื่องนี้" in html
    assert 'class="badge verdict-fake"' in html
