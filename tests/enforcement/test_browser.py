"""With headless Chromium installed, a captured page also keeps a screenshot; the analyst sees the evidence page,
its custody log and the transparency report in a real browser."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from khaojing.enforcement import capture
from khaojing.enforcement import service as vault

pytestmark = pytest.mark.browser


def test_a_capture_keeps_a_screenshot_and_the_pages_show_it(env, enf_settings, site, staff, live_url,  # noqa: ANN001
                                                          browser) -> None:
    enf_settings.enforcement_screenshots = True
    fetched = capture.fetch(site.url + "/scam", settings=enf_settings)
    assert fetched.screenshot is not None and "chromium" in fetched.tool_version
    image = Image.open(io.BytesIO(fetched.screenshot))
    assert image.format == "PNG" and image.width == 1280
    with env.db.unit_of_work() as session:
        eid = vault.record_fetch(session, settings=enf_settings, fetched=fetched, actor=f"user:{staff.analyst.id}").id

    page = browser.new_page()
    page.goto(f"{live_url}/console/login")
    page.fill("input[name=username]", staff.analyst.username)
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("button[type=submit]")
    page.goto(f"{live_url}/console/evidence/{eid}")
    assert page.locator("h1").inner_text().startswith(f"พยานหลักฐาน #{eid}")
    assert page.locator("a", has_text="screenshot.png").count() == 1
    assert page.locator("#custody li").count() == 1
    page.goto(f"{live_url}/transparency/takedowns")
    assert page.locator("#evidence-key pre").inner_text().startswith("-----BEGIN PUBLIC KEY-----")
