"""A verdict page's title, og:title, description and share text say the label once (AFNC headlines often start with
it); the e-mail alerts link is offered only where e-mail works."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import parse_qs, urlsplit

from pub_helpers import publish

from khaojing.publication import claimreview
from khaojing.publication.service import starts_with_label

TITLE = re.compile(r"<title>(.*?) · ")
META = re.compile(r'<meta (?:name|property)="(description|og:title)" content="([^"]*)"')
TWEET = re.compile(r'href="(https://twitter\.com/intent/tweet\?[^"]+)"')
LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
PUBLIC_PAGES = ("/", "/verdicts", "/about", "/open-data", "/check", "/report", "/track", "/trends",
                "/transparency/takedowns")


def _titles(page: str) -> list[str]:
    """The page title, description, og:title and the text shared to X, as a person's browser or feed shows them."""
    tweet = parse_qs(urlsplit(html.unescape(TWEET.search(page).group(1))).query)["text"][0]
    return [html.unescape(TITLE.search(page).group(1)), *(html.unescape(v) for _, v in META.findall(page)), tweet]


def test_a_headline_that_starts_with_the_label_is_the_title_as_it_stands(env) -> None:  # noqa: ANN001
    headline = "ข่าวบิดเบือน อย่าแชร์! สมุนไพรมะขามแขกลดน้ำหนักได้ 10 กิโลในสัปดาห์เดียว"
    claim_id = publish(env.db, env.settings, label="distorted", headline=headline,
                       title="สมุนไพรมะขามแขกลดน้ำหนักได้ 10 กิโลในสัปดาห์เดียว")
    page = env.client.get(f"/verdicts/{claim_id}").text
    titles = _titles(page)
    assert len(titles) == 4 and titles == [headline] * 4, titles  # not "ข่าวบิดเบือน: ข่าวบิดเบือน อย่าแชร์! …"
    assert all(t.count("ข่าวบิดเบือน") == 1 for t in titles)
    assert 'class="verdict-label">ข่าวบิดเบือน</strong>' in page  # the band still names the verdict
    data = json.loads(LD.search(page).group(1))
    assert claimreview.problems(data) == [] and data["headline"] == headline
    assert data["reviewRating"]["alternateName"] == "ข่าวบิดเบือน"
    english = _titles(env.client.get(f"/verdicts/{claim_id}?lang=en").text)
    assert english == [f"Distorted: {headline}"] * 4  # an English reader still reads the label in English


def test_a_headline_without_the_label_gets_it_in_front(env) -> None:  # noqa: ANN001
    headline = "กรมสรรพากรยืนยัน รัฐบาลไม่มีนโยบายเก็บภาษีเงินสินสอด"
    claim_id = publish(env.db, env.settings, label="fake", headline=headline)
    assert _titles(env.client.get(f"/verdicts/{claim_id}").text) == [f"ข่าวปลอม: {headline}"] * 4
    inside = "อย่าหลงเชื่อ ข่าวปลอม ยาพาราเซตามอลปนเปื้อนเชื้อไวรัส"  # the label later on: it is not the opening
    claim_id = publish(env.db, env.settings, label="fake", headline=inside, title="ยาพาราเซตามอลปนเปื้อนเชื้อไวรัส")
    assert _titles(env.client.get(f"/verdicts/{claim_id}").text)[0] == f"ข่าวปลอม: {inside}"


def test_label_at_the_opening_after_brackets_quotes_or_spaces() -> None:
    assert starts_with_label("[ข่าวปลอม] อย่าแชร์", "ข่าวปลอม")
    assert starts_with_label(" “ข่าวปลอม” อย่าแชร์", "ข่าวปลอม")
    assert starts_with_label("FAKE: the bank closes", "Fake")
    assert not starts_with_label("ไม่ใช่ข่าวปลอม", "ข่าวปลอม")
    assert not starts_with_label("ข่าวจริง ครม. อนุมัติ", "ข่าวปลอม")
    assert not starts_with_label("anything", "")


def test_no_page_offers_email_alerts_while_email_is_off(env) -> None:  # noqa: ANN001
    claim_id = publish(env.db, env.settings)
    assert not env.settings.smtp_host
    for path in (*PUBLIC_PAGES, f"/verdicts/{claim_id}", "/verdicts?lang=en", "/about?lang=en"):
        page = env.client.get(path)
        assert page.status_code == 200, path
        assert 'href="/subscribe"' not in page.text and "รับข่าวทางอีเมล" not in page.text, path
    page = env.client.get("/subscribe?lang=th")  # reached anyway (an old link): it says so
    assert page.status_code == 200 and "ขณะนี้ยังไม่เปิดบริการอีเมล" in page.text and 'name="email"' not in page.text


def test_the_alerts_link_is_back_when_email_is_configured(env) -> None:  # noqa: ANN001
    env.settings.smtp_host = "127.0.0.1"
    for path in ("/verdicts", "/about"):
        page = env.client.get(path).text
        assert '<a href="/subscribe">รับข่าวทางอีเมล</a>' in page, path
    assert 'name="email"' in env.client.get("/subscribe").text


def test_feeds_and_card_text_say_the_label_once(env) -> None:  # noqa: ANN001
    import feedparser

    headline = "ข่าวปลอม อย่าแชร์! ธนาคารจะปิดบัญชีที่ไม่มีการเคลื่อนไหว 6 เดือน"
    claim_id = publish(env.db, env.settings, label="fake", headline=headline, title="ธนาคารจะปิดบัญชี 6 เดือน")
    plain = publish(env.db, env.settings, label="fake", headline="ธนาคารไม่ได้ปิดบัญชีที่ไม่เคลื่อนไหว",
                    title="ธนาคารจะปิดบัญชีที่ไม่เคลื่อนไหว")
    atom = {e.link.rsplit("/", 1)[-1]: e.title
            for e in feedparser.parse(env.client.get("/feeds/verdicts.atom").content).entries}
    assert atom[str(claim_id)] == headline and atom[str(plain)] == "[ข่าวปลอม] ธนาคารไม่ได้ปิดบัญชีที่ไม่เคลื่อนไหว"
    items = {i["url"].rsplit("/", 1)[-1]: i["title"] for i in env.client.get("/feeds/verdicts.json").json()["items"]}
    assert items[str(claim_id)] == headline
    page = env.client.get(f"/verdicts/{claim_id}").text
    assert f'content="ภาพสรุปผลการตรวจสอบ: {headline}"' in html.unescape(page)  # og:image:alt, the label once
