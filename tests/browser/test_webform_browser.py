"""A citizen's path in a real browser: Thai form, image upload, tracking page, on a desktop and a phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import image_bytes

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

pytestmark = pytest.mark.browser


def _shot(page, name: str) -> None:  # noqa: ANN001
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"webform-{name}.png"), full_page=True)


def _no_sideways_scroll(page) -> None:  # noqa: ANN001
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page is {width}px wide: it scrolls sideways"


@pytest.mark.parametrize(("device", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_citizen_reports_in_thai_and_sees_the_tracking_code(browser, live_url, tmp_path, device,
                                                            viewport) -> None:
    picture = tmp_path / "screenshot.png"
    picture.write_bytes(image_bytes("PNG", (300, 500), "orange"))
    page = browser.new_page(viewport=viewport, locale="th-TH")

    page.goto(live_url + "/")
    assert page.locator("html").get_attribute("lang") == "th"
    _no_sideways_scroll(page)
    _shot(page, f"{device}-1-home")
    page.get_by_role("link", name=re.compile("แจ้งข้อความที่น่าสงสัย")).click()

    page.wait_for_url("**/report")
    page.get_by_label("ข้อความที่สงสัย").fill("ด่วน! ดื่มน้ำมะนาวผสมโซดาทุกเช้า ฆ่าเชื้อไวรัสได้ 100% ส่งต่อให้คนที่คุณรัก")
    page.get_by_label("ภาพ (ไม่บังคับ)").set_input_files(str(picture))
    page.get_by_label("ลิงก์ (ไม่บังคับ)").fill("https://example.com/post/123")
    page.get_by_label("อีเมลหรือหมายเลขโทรศัพท์", exact=True).fill("081 234 5678")
    page.get_by_label(re.compile("ฉันยินยอมให้ศูนย์ฯ")).check()
    _no_sideways_scroll(page)
    _shot(page, f"{device}-2-form")
    page.get_by_role("button", name="ส่งให้ตรวจสอบ").click()

    page.wait_for_url(re.compile(r"/track/KJ-[0-9A-Z]{4}-[0-9A-Z]{4}\?new=1$"))
    code = re.search(r"KJ-[0-9A-Z]{4}-[0-9A-Z]{4}", page.url).group(0)
    assert page.locator(".track-code").inner_text().strip() == code
    assert "ได้รับเรื่องแล้ว รอคัดกรอง" in page.locator(".status-card").inner_text()
    assert "081" not in page.content()
    _no_sideways_scroll(page)
    _shot(page, f"{device}-3-tracking")
    page.close()


def test_form_errors_are_announced_and_keep_the_text(browser, live_url, tmp_path) -> None:
    fake = tmp_path / "not-a-picture.png"
    fake.write_bytes(b"%PDF-1.7 a document, not an image")
    page = browser.new_page(viewport=PHONE, locale="th-TH")
    page.goto(live_url + "/report")
    page.get_by_label("ข้อความที่สงสัย").fill("ข้อความที่ต้องไม่หาย")
    page.get_by_label("ภาพ (ไม่บังคับ)").set_input_files(str(fake))
    page.get_by_role("button", name="ส่งให้ตรวจสอบ").click()

    alert = page.get_by_role("alert")
    assert "ไม่ใช่ภาพ JPEG, PNG หรือ WebP" in alert.inner_text()
    assert page.get_by_label("ข้อความที่สงสัย").input_value() == "ข้อความที่ต้องไม่หาย"
    assert page.evaluate("document.activeElement.className") == "error-summary"
    _no_sideways_scroll(page)
    _shot(page, "phone-4-error")
    page.close()


def test_lookup_and_unknown_code_on_a_phone(browser, live_url) -> None:
    page = browser.new_page(viewport=PHONE, locale="th-TH")
    page.goto(live_url + "/track")
    page.get_by_label("รหัสติดตามเรื่อง").fill("kj 0000 0000")
    page.get_by_role("button", name="ดูสถานะ").click()
    page.wait_for_url("**/track/KJ-0000-0000")
    assert "ไม่พบเรื่องที่มีรหัสนี้" in page.locator("main").inner_text()
    _no_sideways_scroll(page)
    _shot(page, "phone-5-not-found")
    page.close()
