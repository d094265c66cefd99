"""The dashboards in headless Chromium: every chart draws (vendored ECharts, no CDN), no console or CSP errors, the
table views open, the page fits a phone. With KHAOJING_DOCS_IMAGES=1 the screenshots go to docs/images/."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from trend_data import showcase  # noqa: E402

from helpers import PASSWORD  # noqa: E402
from khaojing.accounts.models import Role  # noqa: E402
from khaojing.db.base import utcnow  # noqa: E402
from khaojing.trends import aggregates, bursts, listening  # noqa: E402

pytestmark = pytest.mark.browser
DOCS = Path(__file__).resolve().parents[2] / "docs" / "images"


def _shots(tmp_path: Path) -> Path:
    return DOCS if os.environ.get("KHAOJING_DOCS_IMAGES") == "1" else tmp_path


def _data(env) -> None:  # noqa: ANN001
    now = utcnow()
    with env.db.unit_of_work() as session:
        showcase(session, now=now)
        aggregates.refresh(session, settings=env.settings, now=now, hours=24 * 30)
        bursts.detect(session, settings=env.settings, now=now)
        listening.add_source(session, name="เฝ้าระวังเพจข่าว", kind="rss", url="https://news.example/rss",
                             actor="test")
        bad = listening.add_source(session, name="ข่าวท้องถิ่น (TIS-620)", kind="rss",
                                   url="https://local.example/feed.xml", actor="test")
        ok = listening.add_source(session, name="ชุมชนออนไลน์", kind="jsonfeed", url="https://forum.example/feed.json",
                                  actor="test")
        bad.failures, bad.last_fetch_at, bad.last_error_at = 2, now, now - dt.timedelta(minutes=3)
        bad.last_error = 'wrong encoding: the feed is not valid UTF-8 as declared (the bytes look like TIS-620 Thai)'
        ok.last_fetch_at = ok.last_ok_at = now - dt.timedelta(minutes=4)
        ok.items_total, ok.last_items = 12_480, 37


def _check(page, problems: list[str], charts: int) -> None:  # noqa: ANN001
    page.wait_for_load_state("networkidle")
    page.wait_for_function(f"document.querySelectorAll('[data-chart][data-ready]').length >= {charts}")
    assert page.locator("[data-chart] canvas").count() >= charts
    assert problems == [], problems  # a CSP violation is reported on the console


def test_staff_and_public_dashboards_draw_their_charts(env, browser, live_url, tmp_path) -> None:  # noqa: ANN001
    _data(env)
    user = env.user(Role.editor)
    shots = _shots(tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type in ("error", "warning") else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto(f"{live_url}/console/login")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_url}/console/trends?days=28")
    _check(page, problems, 8)
    assert page.locator("table.bursts").inner_text().count("ยาสมุนไพรฟ้าทะลายโจร") == 1  # the planted burst
    page.locator("section:has([data-chart=funnel]) summary").click()  # the table view of the funnel
    assert page.locator("[data-stage=collected]").is_visible()
    page.locator("section:has([data-chart=funnel]) summary").click()
    page.screenshot(path=str(shots / "trends-console.png"), full_page=True)
    page.goto(f"{live_url}/console/trends/sources")
    assert "the bytes look like TIS-620" in page.locator("tr[data-health=failing]").inner_text()
    page.screenshot(path=str(shots / "trends-sources.png"), full_page=True)
    public = browser.new_page(viewport={"width": 1280, "height": 900})
    public.on("console", lambda msg: problems.append(msg.text) if msg.type in ("error", "warning") else None)
    public.goto(f"{live_url}/trends?days=28")
    _check(public, problems, 4)
    public.screenshot(path=str(shots / "trends-public.png"), full_page=True)
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.goto(f"{live_url}/trends")
    phone.wait_for_load_state("networkidle")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the public dashboard is {width}px wide on a phone"
    phone.screenshot(path=str(shots / "trends-public-phone.png"), full_page=False)
