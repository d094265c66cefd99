"""Second walkthrough of journey 6: a takedown moved by the re-check says so in the page's language (the note the job
stores is English) and names the system as "ระบบ"; the evidence page's attach field is labelled as a case number."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from khaojing.enforcement import capture, jobs, states, takedowns
from khaojing.enforcement import service as vault
from khaojing.jobs import queue

T0 = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)


def test_a_takedown_moved_by_the_recheck_reads_in_the_page_language(env, enf_settings, site, staff) -> None:  # noqa: ANN001
    env.db.settings.enforcement_allow_private_targets = True
    env.db.settings.enforcement_screenshots = False
    fetched = capture.fetch(site.url + "/scam", settings=enf_settings)
    with env.db.unit_of_work() as session:
        evidence_id = vault.record_fetch(session, settings=enf_settings, fetched=fetched, actor="user:1").id
        td = takedowns.create(session, url=site.url + "/scam", reason="scam", actor=staff.analyst, platform="website",
                              evidence_id=evidence_id, contact="abuse@host.example")
        takedowns.transition(session, settings=enf_settings, takedown_id=td.id, to_status=states.SENT,
                             actor=staff.analyst, now=T0)
        td_id = td.id
    site.pages.pop("/scam")  # the host takes the page down
    with env.db.unit_of_work() as session:
        queue.enqueue(session, jobs.RECHECK_DUE, {"now": (T0 + dt.timedelta(hours=25)).isoformat()})
    env.run_jobs()
    analyst = env.login(staff.analyst, client=TestClient(env.app))
    thai = analyst.get(f"/console/takedowns/{td_id}", params={"lang": "th"}).text
    log = thai[thai.index('id="log"'):]
    assert "เปลี่ยนเองจากการตรวจหน้าเว็บซ้ำ: ถูกลบแล้ว" in log and "re-check: the page is gone" not in log
    assert "· ระบบ" in log and "· system" not in log
    english = analyst.get(f"/console/takedowns/{td_id}", params={"lang": "en"}).text
    assert "Moved by the re-check: gone" in english[english.index('id="log"'):]

    page = analyst.get(f"/console/evidence/{evidence_id}", params={"lang": "en"}).text
    assert '<label for="att-case">Case number to attach to</label>' in page


@pytest.mark.browser
def test_the_evidence_forms_have_full_width_fields(env, enf_settings, site, staff, live_url, browser) -> None:  # noqa: ANN001
    """Fields written without type="text" (case number, recipient, note) looked like tiny unstyled boxes."""
    fetched = capture.fetch(site.url + "/scam", settings=enf_settings)
    with env.db.unit_of_work() as session:
        eid = vault.record_fetch(session, settings=enf_settings, fetched=fetched, actor=f"user:{staff.analyst.id}").id
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_url}/console/login")
    page.fill("input[name=username]", staff.analyst.username)
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("button[type=submit]")
    for path, fields in ((f"/console/evidence/{eid}", ("#att-case", "#ho-to", "#ho-note")),
                         ("/console/evidence", ("#cap-url", "#cap-case", "#cap-note")),
                         ("/console/takedowns", ("#td-url", "#td-contact", "#td-case"))):
        page.goto(live_url + path)
        widths = {f: page.locator(f).bounding_box()["width"] for f in fields}
        assert min(widths.values()) > 0.9 * max(widths.values()) > 300, (path, widths)
