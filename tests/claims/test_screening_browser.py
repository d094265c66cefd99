"""The report and claim pages of the demo, in headless Chromium, as a Thai analyst reads them: the matcher's decision,
the harm evidence, the history and the details in Thai (English on request). The screenshots go to the test's
folder (KHAOJING_SHOTS_DIR=/some/dir keeps them)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from khaojing.demo.loader import DEMO_USERS, load_demo
from khaojing.intake.models import Report
from khaojing.matching.reasons import reason_text

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 900}


def _login(page, url: str) -> None:  # noqa: ANN001
    analyst = next(u for u in DEMO_USERS if u.username == "analyst")
    page.goto(url + "/console/login?lang=th")
    page.get_by_label("ชื่อผู้ใช้").fill(analyst.username)
    page.get_by_label("รหัสผ่าน").fill(analyst.password)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url("**/console**")


def _pick(session) -> Report:  # noqa: ANN001
    """An answered report when the demo has one (it has with ../shared/data), else one the matcher decided on."""
    reports = list(session.scalars(select(Report).where(Report.claim_id.is_not(None)).order_by(Report.id)))
    decided = [r for r in reports if r.screening.get("decision", {}).get("action") in ("answer", "group", "suggest",
                                                                                      "new")]
    return next((r for r in decided if r.status == "answered"), decided[0])


def test_a_thai_analyst_reads_the_decision_and_history_in_thai(env, browser, live_url, tmp_path) -> None:  # noqa: ANN001
    load_demo(env.db)
    with env.db.unit_of_work(readonly=True) as session:
        report = _pick(session)
        report_id, claim_id, reasons = report.id, report.claim_id, report.screening["decision"]["reasons"]
    assert reasons and all(isinstance(r, dict) and r["key"].startswith("match.") for r in reasons)
    shots = Path(os.environ.get("KHAOJING_SHOTS_DIR") or tmp_path)
    page = browser.new_page(viewport=DESKTOP, locale="th-TH")
    _login(page, live_url)

    page.goto(f"{live_url}/console/reports/{report_id}")
    chips = page.locator("section.screening dd ul.chips").last.inner_text()
    for item in reasons:
        assert reason_text(item, "th") in chips and reason_text(item, "en") not in chips, chips
    history = page.locator("ol.history").inner_text()
    assert "รับข้อความแจ้ง" in history and "คัดกรองอัตโนมัติ · ระบบ" in history
    assert "report.screened" not in history and "· system" not in history
    assert "topic=" not in page.locator("section.screening").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    page.screenshot(path=str(shots / "report-th.png"), full_page=True)

    page.goto(f"{live_url}/console/reports/{report_id}?lang=en")
    chips = page.locator("section.screening dd ul.chips").last.inner_text()
    assert all(reason_text(item, "en") in chips for item in reasons), chips
    assert "Screened automatically · system" in page.locator("ol.history").inner_text()
    page.screenshot(path=str(shots / "report-en.png"), full_page=True)

    page.goto(f"{live_url}/console/claims/{claim_id}?lang=th")
    history = page.locator("ol.history").inner_text()
    assert "เปิดประเด็นข่าว" in history or "เผยแพร่ผลการตรวจสอบ" in history, history
    assert "claim.created" not in history and "verdict.published" not in history
    page.screenshot(path=str(shots / "claim-th.png"), full_page=True)
