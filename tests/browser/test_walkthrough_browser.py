"""Two things a person met on a walk through the product, checked in headless Chromium: the takedown transparency
page scrolled sideways on a 390-px phone (the evidence key's fingerprint and PEM block), and an agency request's
deadline out of range was refused at the top of the long case page, with the deadline box far below."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers import PASSWORD
from khaojing.accounts.models import Role
from khaojing.cases import service

pytestmark = pytest.mark.browser
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 800}


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_takedown_transparency_page_fits_a_phone(live_url, browser, lang) -> None:  # noqa: ANN001
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live_url}/transparency/takedowns?lang={lang}")
    assert page.locator("pre.key").count() == 1  # the key is shown...
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide: it scrolls sideways on a phone"
    box = page.locator("pre.key").bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"]  # ...inside the screen


def test_a_deadline_out_of_range_is_read_at_the_box_that_needs_fixing(env, settings, live_url, browser) -> None:  # noqa: ANN001
    from cases.case_helpers import make_agency, make_claim  # the case tests' helpers

    analyst = env.user(Role.analyst)
    with env.db.unit_of_work() as session:
        agency = make_agency(session)
        case = service.open_case(session, claim_id=make_claim(session, settings).id, actor=analyst, settings=settings)
        for step in ("screening", "investigating"):
            service.transition(session, case_id=case.id, to_state=step, actor=analyst)
        case_id, agency_id = case.id, agency.id
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{live_url}/console/login?lang=th")
    page.get_by_label("ชื่อผู้ใช้").fill(analyst.username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.goto(f"{live_url}/console/cases/{case_id}")
    page.check(f"#ag-{agency_id}")
    page.fill("#req-question", "ขอทราบข้อเท็จจริง")
    far = dt.date.today() + dt.timedelta(days=60)
    page.fill("#req-due", f"{far.day}/{far.month}/{far.year + 543} 10:00")
    page.click("form[action$='/requests'] button[type=submit]")
    page.wait_for_load_state()
    error = page.locator("#req-due-error")
    assert "ไม่เกิน 30 วัน" in error.inner_text()
    assert page.evaluate("document.activeElement.id") == "req-due"  # the page opens at the box...
    box, said = page.locator("#req-due").bounding_box(), error.bounding_box()
    assert 0 <= box["y"] and said["y"] + said["height"] <= DESKTOP["height"]  # ...with the reason in view under it
    assert 0 < said["y"] - (box["y"] + box["height"]) < 60
    assert page.input_value("#req-question") == "ขอทราบข้อเท็จจริง" and page.is_checked(f"#ag-{agency_id}")
