"""The verdict page in headless Chromium: no console or CSP errors, the ClaimReview and card load; screenshots."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pub_helpers import correct, publish

from khaojing.publication import claimreview

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("device", "viewport"), [("desktop", {"width": 1280, "height": 900}),
                                                  ("phone", {"width": 390, "height": 844})])
def test_verdict_page_has_no_console_or_csp_errors(env, browser, live_url, device, viewport) -> None:  # noqa: ANN001
    claim_id = publish(env.db, env.settings, title="ผู้ใหญ่ลี้บอกว่าดื่มน้ำมะนาวผสมโซดาทุกเช้าช่วยฆ่าเชื้อไวรัสในลำคอได้",
                       urls=("https://facebook.com/post/1",))
    correct(env.db, claim_id, label="fake", reason="เพิ่มคำชี้แจงของกรมอนามัย")
    page = browser.new_page(viewport=viewport)
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type in ("error", "warning") else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    response = page.goto(f"{live_url}/verdicts/{claim_id}")
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    assert problems == [], problems  # a CSP violation is reported on the console
    assert page.locator("h1").inner_text().startswith("แก้ไข: ข่าวปลอม อย่าแชร์")
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert claimreview.problems(data) == []
    og = page.locator('meta[property="og:image"]').get_attribute("content")
    assert og.endswith(f"/verdicts/{claim_id}/card-1200x630.png")
    card = page.locator("img.share-card")
    assert card.evaluate("img => img.complete && img.naturalWidth") == 1200
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the page is {width}px wide"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"verdict-{device}.png"), full_page=True)
    page.goto(f"{live_url}/verdicts")
    page.screenshot(path=str(SCREENSHOTS / f"verdict-list-{device}.png"), full_page=True)
    page.goto(f"{live_url}/")
    assert page.locator(f'#latest-title ~ ul a[href="/verdicts/{claim_id}"]').count() == 1
    page.screenshot(path=str(SCREENSHOTS / f"verdict-home-{device}.png"), full_page=True)
    assert problems == [], problems
