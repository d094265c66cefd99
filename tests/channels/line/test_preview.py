"""The Flex preview: the generic Flex -> HTML renderer, and the console page that shows what the bot would send."""

from __future__ import annotations

import datetime as dt
import json
import re

from sqlalchemy import select

from khaojing.accounts.models import Agency, Role
from khaojing.channels.line import flex, preview
from khaojing.claims.models import Claim, Verdict
from khaojing.db.base import utcnow

NOW = dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC)
CLAIM = "ดื่มน้ำมะนาวผสมโซดาทุกเช้าช่วยฆ่าเชื้อไวรัสโควิด-19 ในลำคอได้"


def card(label: str = "fake", claim_id: int = 7, claim: str = CLAIM) -> flex.VerdictCard:
    return flex.VerdictCard(claim_id=claim_id, label=label, claim=claim, explanation="ไม่มีหลักฐานทางการแพทย์",
                            agency="กรมควบคุมโรค", published_at=NOW)


def test_the_bubble_html_carries_what_the_json_says() -> None:
    message = flex.verdict_message(card(), base_url="https://kj.example", lang="th")
    html = str(preview.chat([message]))
    assert "background-color: #C62828" in html  # the header's colour, from the JSON
    assert "ข่าวปลอม" in html and CLAIM in html and "กรมควบคุมโรค" in html and "2569" in html
    assert 'href="https://kj.example/verdicts/7"' in html  # the read button is the same link
    assert "-webkit-line-clamp: 2" in html  # two lines of explanation, as maxLines says
    assert html.count('class="lf-separator"') == 1 and html.count('class="lf-bubble"') == 1
    assert "width: 300px" in html  # a mega bubble
    labels = re.findall(r'<div class="lf-quick">(.*?)</div>', html)[0]
    assert "ตรวจสอบข่าว" in labels and "ตั้งค่าการแจ้งเตือน" in labels


def test_a_carousel_shows_one_bubble_per_candidate_in_its_colour() -> None:
    candidates = [flex.Candidate(card(label, claim_id=i), s)
                  for i, (label, s) in enumerate([("fake", 0.9), ("distorted", 0.8), ("true", 0.7)], 1)]
    html = str(preview.message(flex.candidates_message(candidates, base_url="https://kj.example")))
    assert html.count('class="lf-bubble"') == 3 and 'class="lf-carousel"' in html
    assert [c.upper() for c in re.findall(r"background-color: (#[0-9A-Fa-f]{6})", html)[:6:2]] == \
        ["#C62828", "#E65100", "#2E7D32"]
    assert "คล้าย 90%" in html and "ไม่ใช่ทั้งหมด" in html
    assert 'title="postback: a=pick&amp;c=1"' in html  # a postback button is not a link


def test_text_is_escaped_and_odd_style_values_are_dropped() -> None:
    message = {"type": "flex", "altText": "x", "contents": {"type": "bubble", "body": {
        "type": "box", "layout": "vertical", "backgroundColor": "red;background:url(//evil)", "contents": [
            {"type": "text", "text": "<script>alert(1)</script>", "color": "#111111"},
            {"type": "image", "url": "https://kj.example/a.png\" onerror=\"x", "aspectRatio": "20:13"},
            {"type": "icon", "url": "https://kj.example/i.png"}]}}}
    html = str(preview.message(message))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "evil" not in html and 'onerror="x' not in html
    assert "aspect-ratio: 20 / 13" in html and "[icon]" in html
    assert str(preview.message({"type": "text", "text": "สวัสดี\nครับ"})).count("สวัสดี\nครับ") == 1


def publish(env, label: str, text: str) -> int:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        agency = session.scalar(select(Agency)) or Agency(name_th="กรมควบคุมโรค", name_en="Disease Control")
        session.add(agency)
        claim = Claim(title=text, match_text=text, status="verified")
        session.add(claim)
        session.flush()
        verdict = Verdict(claim_id=claim.id, label=label, headline=text, explanation="ไม่มีหลักฐาน",
                          agency_id=agency.id, published_at=utcnow())
        session.add(verdict)
        session.flush()
        return verdict.id


def test_the_console_preview_shows_the_exact_json_and_its_drawing(env) -> None:  # noqa: ANN001
    fake = publish(env, "fake", CLAIM)
    distorted = publish(env, "distorted", "ธนาคารแห่งประเทศไทยยกเลิกธนบัตรรุ่นเก่าทั้งหมด")
    assert env.client.get(f"/console/line/preview?verdict={fake}", follow_redirects=False).status_code in (303, 401)
    env.login(env.user(Role.analyst))
    page = env.client.get(f"/console/line/preview?verdict={fake}")
    assert page.status_code == 200 and "'unsafe-inline'" in page.headers["content-security-policy"]
    payload = json.loads(re.search(r'<pre class="mono" id="line-payload">(.*?)</pre>', page.text, re.S)
                         .group(1).replace("&#34;", '"').replace("&quot;", '"').replace("&amp;", "&")
                         .replace("&lt;", "<").replace("&gt;", ">").replace("&#39;", "'"))
    with env.db.unit_of_work(readonly=True) as session:
        from khaojing.tipline import answers

        claim_id = session.get(Verdict, fake).claim_id
        expected = flex.verdict_message(answers.verdict_card(session, claim_id, settings=env.settings),
                                        base_url=env.settings.base_url, lang="th", tz=env.settings.timezone)
    assert payload == expected  # what the page shows is what the bot sends
    assert "background-color: #C62828" in page.text and CLAIM in page.text

    english = env.client.get(f"/console/line/preview?verdict={fake}&msg=en")
    assert "Fake news" in english.text or "Fake" in english.text
    carousel = env.client.get(f"/console/line/preview?carousel={fake},{distorted}")
    assert carousel.text.count('class="lf-bubble"') == 2 and "#E65100" in carousel.text
    assert env.client.get("/console/line/preview").text.count('class="lf-bubble"') == 1  # the latest verdict
    assert env.client.get("/console/line/preview?verdict=999999").status_code == 404
