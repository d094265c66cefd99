"""An analyst reads a claim, clicks "Open a case" on its page and lands on the new case; the claim page then links to
it (headless Chromium, in English and in Thai). Screenshots go to KHAOJING_SHOTS_DIR (default /tmp/qa3)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from helpers import PASSWORD
from khaojing.accounts.models import Role
from khaojing.claims import service as claims
from khaojing.intake.service import Submission, accept_report, get_or_create_source

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("KHAOJING_SHOTS_DIR", "/tmp/qa3"))
DESKTOP = {"width": 1280, "height": 900}
TEXT = "ดื่มน้ำมะนาวโซดาทุกเช้ารักษามะเร็งได้ 100%"


def _claim(env) -> int:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        source = get_or_create_source(session, kind="webform", name="webform")
        report = accept_report(
            session, settings=env.settings, source=source, sub=Submission(text=TEXT), actor="system"
        ).report
        return claims.create_claim(
            session,
            report=report,
            title=TEXT,
            match_text=TEXT,
            norm_sha256="x" + TEXT[:20],
            topic="health",
            topic_confidence=0.9,
            harm={"life": 0.8, "property": 0.1},
        ).id


@pytest.mark.parametrize("lang", ["en", "th"])
def test_open_a_case_from_the_claim_page(env, live_url, browser, lang) -> None:  # noqa: ANN001
    words = {"en": ("Open a case", "Case #", "New"), "th": ("เปิดเรื่องตรวจสอบ", "เรื่องตรวจสอบ #", "ใหม่")}[lang]
    claim_id = _claim(env)
    analyst = env.user(Role.analyst)
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{live_url}/console/login?lang={lang}")
    page.fill("input[name=username]", analyst.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/console(/|$)"))

    page.goto(f"{live_url}/console/claims/{claim_id}")
    panel = page.locator("section.case-panel")
    button = panel.get_by_role("button", name=words[0])
    assert button.is_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"claim-case-{lang}-1-claim.png"), full_page=True)
    button.click()

    page.wait_for_url(re.compile(r"/console/cases/\d+$"))
    case_id = int(page.url.rsplit("/", 1)[1])
    assert f"{words[1]}{case_id}" in page.title() and f"#{case_id}" in page.locator("h1").inner_text()
    page.screenshot(path=str(SHOTS / f"claim-case-{lang}-2-case.png"), full_page=True)

    page.goto(f"{live_url}/console/claims/{claim_id}")
    panel = page.locator("section.case-panel")
    link = panel.locator(f'a[href="/console/cases/{case_id}"]')
    assert link.inner_text() == f"{words[1]}{case_id}"
    assert panel.locator(".badge.state-new").inner_text() == words[2]
    assert panel.get_by_role("button", name=words[0]).count() == 0
    page.screenshot(path=str(SHOTS / f"claim-case-{lang}-3-claim-after.png"), full_page=True)
    link.click()
    page.wait_for_url(f"{live_url}/console/cases/{case_id}")
    page.close()
