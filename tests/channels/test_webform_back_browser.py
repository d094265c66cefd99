"""A report sent, the browser's Back button, and Send again (headless Chromium): one report, one tracking code, and
the form came back as it was sent (the link included). A duplicate delivery is never a duplicate report."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from khaojing.intake.models import Report

pytestmark = pytest.mark.browser
CODE = re.compile(r"KJ-[0-9A-Z]{4}-[0-9A-Z]{4}")
TEXT = "ด่วน! ธนาคารจะปิดทุกสาขาวันจันทร์นี้ ให้รีบถอนเงินออกให้หมด จริงไหม"
LINK = "https://example.com/bank-closing"


def _reports(env) -> list[Report]:  # noqa: ANN001
    with env.db.unit_of_work(readonly=True) as session:
        return list(session.scalars(select(Report).order_by(Report.id)))


def _send(page) -> str:  # noqa: ANN001
    page.get_by_role("button", name="ส่งให้ตรวจสอบ").click()
    page.wait_for_url(re.compile(r"/track/KJ-[0-9A-Z]{4}-[0-9A-Z]{4}\?new=1$"))
    return CODE.search(page.url).group(0)


def test_back_and_send_again_is_one_report_with_the_same_code(browser, live_url, env) -> None:
    page = browser.new_page(locale="th-TH")
    page.goto(live_url + "/report")
    page.get_by_label("ข้อความที่สงสัย").fill(TEXT)
    page.get_by_label("ลิงก์ (ไม่บังคับ)").fill(LINK)
    first = _send(page)

    page.go_back()
    page.wait_for_url("**/report")
    assert page.get_by_label("ข้อความที่สงสัย").input_value() == TEXT
    assert page.get_by_label("ลิงก์ (ไม่บังคับ)").input_value() == LINK, "the link was lost on Back"
    second = _send(page)

    assert second == first
    [report] = _reports(env)
    assert report.tracking_code == first and report.urls == [LINK]
    page.close()


def test_back_after_a_reload_of_the_form_still_sends_one_report(browser, live_url, env) -> None:
    """The browser may fetch the form again on Back (cache cleared, memory pressure): the same browser sending the
    same message is still the same delivery."""
    context = browser.new_context(locale="th-TH")
    page = context.new_page()
    page.goto(live_url + "/report")
    page.get_by_label("ข้อความที่สงสัย").fill(TEXT)
    page.get_by_label("ลิงก์ (ไม่บังคับ)").fill(LINK)
    first = _send(page)

    page.goto(live_url + "/report")  # a fresh copy of the form, nothing restored
    page.get_by_label("ข้อความที่สงสัย").fill(TEXT)
    page.get_by_label("ลิงก์ (ไม่บังคับ)").fill(LINK)
    assert _send(page) == first
    assert len(_reports(env)) == 1

    page.goto(live_url + "/report")  # a different message from the same browser is a new report
    page.get_by_label("ข้อความที่สงสัย").fill("ข่าวลืออีกเรื่อง: น้ำประปาปนเปื้อนสารพิษทั้งเขต")
    assert _send(page) != first
    assert len(_reports(env)) == 2
    context.close()
