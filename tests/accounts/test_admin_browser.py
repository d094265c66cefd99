"""The admin pages in a real browser (headless Chromium) on a laptop and a phone: add an agency officer through the
form, see the one-time link, deactivate a user, read the settings. With KHAOJING_DOCS_IMAGES=1 the screenshots are
written to docs/images/admin-*.png for docs/administration/console.md."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from helpers import PASSWORD
from khaojing.accounts.models import Agency, Role, User
from khaojing.accounts.service import create_user

DESKTOP, PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}
DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
PEOPLE = [("piyanuch", "ปิยะนุช ศรีสุข", Role.analyst, None), ("thanakorn", "ธนกร วงศ์ใหญ่", Role.analyst, None),
          ("waraporn", "วราภรณ์ ทองดี", Role.editor, None), ("kanda.ddc", "ภญ.กานดา ใจงาม", Role.agency_officer, 0),
          ("supachai.fda", "ศุภชัย มั่นคง", Role.agency_officer, 1), ("surachai", "สุรชัย แก้วมณี", Role.editor, None)]

pytestmark = pytest.mark.browser


def _shot(page, folder: Path, name: str) -> None:  # noqa: ANN001
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name}: the page is {width}px wide (sideways scroll)"
    image = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    small = image.quantize(colors=96, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(folder / f"admin-{name}.png", optimize=True)


def _world(env) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        agencies = [Agency(name_th=name, name_en=en) for name, en in (
            ("กรมควบคุมโรค", "Department of Disease Control"),
            ("สำนักงานคณะกรรมการอาหารและยา", "Food and Drug Administration"),
            ("ธนาคารแห่งประเทศไทย", "Bank of Thailand"))]
        session.add_all(agencies)
        session.flush()
        create_user(session, username="admin", password=PASSWORD, role=Role.admin, display_name="อรทัย บุญมา",
                    email="admin@afnc.example")
        for username, name, role, agency in PEOPLE:
            create_user(session, username=username, password=PASSWORD, role=role, display_name=name,
                        email=f"{username}@afnc.example", agency_id=None if agency is None else agencies[agency].id)
        session.scalar(select(User).where(User.username == "surachai")).is_active = False


def test_admin_pages_in_a_browser(env, live_url, browser, tmp_path) -> None:  # noqa: ANN001
    folder = DOCS_IMAGES if os.environ.get("KHAOJING_DOCS_IMAGES") == "1" else tmp_path
    _world(env)
    env.settings.base_url = live_url  # the one-time link points at this server
    page = browser.new_page(viewport=DESKTOP, locale="th-TH")
    page.goto(live_url + "/console/login?lang=th")
    page.get_by_label("ชื่อผู้ใช้").fill("admin")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.get_by_role("link", name="ผู้ใช้", exact=True).click()
    assert page.get_by_role("heading", name="ผู้ใช้งานระบบ").is_visible()
    assert page.locator("table.users tbody tr").count() == 7
    _shot(page, folder, "users")

    page.get_by_role("link", name="เพิ่มผู้ใช้").click()
    page.get_by_label("ชื่อที่แสดง").fill("นพ.ชาญ รักษ์ดี")
    page.get_by_label("ชื่อผู้ใช้").fill("chan.ddc")
    page.get_by_label("อีเมล").fill("chan@ddc.example")
    page.get_by_label("บทบาท").select_option("agency_officer")
    page.get_by_label("หน่วยงาน").select_option(label="กรมควบคุมโรค")
    page.get_by_role("button", name="สร้างบัญชี").click()
    assert page.get_by_text("สร้างบัญชี chan.ddc แล้ว").is_visible()
    link = page.locator("#set-link").input_value()
    assert "/console/set-password?token=" in link
    _shot(page, folder, "user-created")

    page.get_by_role("link", name="← ผู้ใช้ทั้งหมด").click()
    page.get_by_role("link", name="ปิยะนุช ศรีสุข").click()
    page.get_by_role("button", name="ระงับบัญชี").click()
    assert page.get_by_text("ระงับบัญชี piyanuch แล้ว").is_visible()

    page.get_by_role("link", name="การตั้งค่า", exact=True).click()
    assert page.get_by_role("heading", name="การตั้งค่าที่ใช้อยู่").is_visible()
    assert "test-secret-key" not in page.content()
    _shot(page, folder, "settings")
    page.locator("#area-cases").scroll_into_view_if_needed()
    _shot(page, folder, "settings-sla")

    phone = browser.new_page(viewport=PHONE, locale="th-TH", is_mobile=True, has_touch=True)
    phone.context.add_cookies(page.context.cookies())
    phone.goto(live_url + "/console/users")
    _shot(phone, folder, "phone-users")
    phone.goto(live_url + "/console/settings")
    _shot(phone, folder, "phone-settings")

    visitor = browser.new_page(viewport=PHONE, locale="th-TH")
    visitor.goto(link)
    visitor.get_by_label("รหัสผ่านใหม่").fill("chan-own-password")
    visitor.get_by_label("พิมพ์รหัสผ่านอีกครั้ง").fill("chan-own-password")
    _shot(visitor, folder, "phone-set-password")
    visitor.get_by_role("button", name="ตั้งรหัสผ่าน").click()
    assert visitor.get_by_text("ตั้งรหัสผ่านแล้ว").is_visible()
