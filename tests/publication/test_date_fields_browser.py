"""Date fields in headless Chromium, typed as a Thai analyst types them (Buddhist era): the public verdict list, the
staff inbox and an agency request's deadline; Thai and English, desktop and a 390 px phone, without sideways
scrolling. Screenshots go to $KHAOJING_DATE_SHOTS (or the test's temporary folder)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pub_helpers import publish
from sqlalchemy import select

from cases.case_helpers import make_claim, make_staff
from helpers import PASSWORD
from khaojing.cases import service
from khaojing.cases.models import AgencyRequest

pytestmark = pytest.mark.browser
BKK = ZoneInfo("Asia/Bangkok")
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
LATE = "ข่าวลือสี่ทุ่มครึ่ง เรื่องน้ำประปามีสารพิษ"
EARLY = "ข่าวลือหลังเที่ยงคืน เรื่องแจกเงินดิจิทัล"


def _shot(page, folder: Path, name: str, anchor: str) -> None:  # noqa: ANN001
    page.locator(anchor).evaluate("el => el.scrollIntoView({block: 'center'})")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name}: the page is {width}px wide (sideways scroll)"
    page.screenshot(path=str(folder / f"dates-{name}.png"))


def test_typing_buddhist_era_dates(env, browser, live_url, tmp_path) -> None:  # noqa: ANN001
    folder = Path(os.environ.get("KHAOJING_DATE_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    staff = make_staff(env.db)  # first: publish() reuses its กรมอนามัย
    # 1 March 2026 23:30 and 2 March 00:30 in Bangkok: one UTC day, two Bangkok days
    publish(env.db, env.settings, title=LATE, at=dt.datetime(2026, 3, 1, 16, 30, tzinfo=dt.UTC))
    publish(env.db, env.settings, title=EARLY, at=dt.datetime(2026, 3, 1, 17, 30, tzinfo=dt.UTC))
    with env.db.unit_of_work() as session:
        case = service.open_case(session, claim_id=make_claim(session, env.settings).id, actor=staff.analyst,
                                 settings=env.settings)
        for step in ("screening", "investigating"):
            service.transition(session, case_id=case.id, to_state=step, actor=staff.analyst)
        case_id = case.id

    # the public list: a reader types the Buddhist-era day
    page = browser.new_page(viewport=DESKTOP)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_url + "/verdicts?lang=th")
    page.locator("#since").fill("2/3/69")
    page.locator("#until").fill("02/03/2569")
    page.get_by_role("button", name="ค้นหา").click()
    page.wait_for_load_state()
    assert page.get_by_text(EARLY).count() == 1 and page.get_by_text(LATE).count() == 0
    assert page.locator("#since").input_value() == "02/03/2569"  # shown back in the page's convention
    assert page.locator("#since-format").inner_text() == "วว/ดด/ปปปป (พ.ศ.)"
    _shot(page, folder, "verdicts-th-desktop", ".verdict-search")
    page.locator("#since").fill("31/02/2569")
    page.get_by_role("button", name="ค้นหา").click()
    page.wait_for_load_state()
    assert "อ่านวันที่นี้ไม่ได้" in page.locator("#since-error").inner_text()
    assert page.locator("#since").input_value() == "31/02/2569"
    assert page.locator("#since").get_attribute("aria-invalid") == "true"
    assert page.get_by_text(EARLY).count() == 1  # the until filter still applies
    _shot(page, folder, "verdicts-th-error-desktop", ".verdict-search")
    page.set_viewport_size(PHONE)
    _shot(page, folder, "verdicts-th-error-phone", ".verdict-search")
    page.goto(live_url + "/verdicts?lang=en&since=2026-03-02")
    assert page.locator("#since").input_value() == "02/03/2026"
    _shot(page, folder, "verdicts-en-phone", ".verdict-search")

    # the staff inbox and the deadline of an agency request
    page.set_viewport_size(DESKTOP)
    page.goto(live_url + "/console/login?lang=th")
    page.get_by_label("ชื่อผู้ใช้").fill(staff.analyst.username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.goto(live_url + "/console/reports?lang=th")
    page.locator("#f-from").fill("1 มี.ค. 69")  # the two reports of EARLY arrived 1 March 00:30 in Bangkok
    page.locator("#f-to").fill("01/03/2569")
    page.locator("#f-to").press("Enter")
    page.wait_for_load_state()
    assert "พบ 2 เรื่อง" in page.content()
    assert page.locator("#f-from").input_value() == "01/03/2569"
    _shot(page, folder, "inbox-th-desktop", ".inbox-filters")
    page.set_viewport_size(PHONE)
    _shot(page, folder, "inbox-th-phone", ".inbox-filters")
    page.goto(live_url + "/console/reports?lang=en&from=2026-03-01&to=32/03/2569")
    assert page.locator("#f-from").input_value() == "01/03/2026"
    assert page.locator("#f-to-error").is_visible()
    _shot(page, folder, "inbox-en-error-phone", ".inbox-filters")

    due = (dt.datetime.now(BKK) + dt.timedelta(days=3)).date()
    typed = f"{due.day}/{due.month}/{due.year + 543} 16:30"
    for lang, viewport in (("en", PHONE), ("th", PHONE), ("th", DESKTOP)):
        page.set_viewport_size(viewport)
        page.goto(live_url + f"/console/cases/{case_id}?lang={lang}")
        _shot(page, folder, f"request-{lang}-{'phone' if viewport == PHONE else 'desktop'}", "#req-due")
    page.locator(f"#ag-{staff.agency.id}").check()
    page.locator("#req-question").fill("ขอทราบข้อเท็จจริง")
    page.locator("#req-due").fill(typed)
    page.get_by_role("button", name="ส่งคำขอ").click()
    page.wait_for_load_state()
    with env.db.unit_of_work(readonly=True) as session:
        stored = session.scalars(select(AgencyRequest.due_at).where(AgencyRequest.case_id == case_id)).all()
    assert stored == [dt.datetime(due.year, due.month, due.day, 16, 30, tzinfo=BKK)]
    assert errors == []
