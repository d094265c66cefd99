"""The case workflow in a real browser (headless Chromium): analyst, agency officer and editor, on a laptop and on a
phone. With KHAOJING_DOCS_IMAGES=1 the screenshots are written to docs/images/ for the staff and agency guides."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from case_helpers import make_claim, pdf_bytes
from PIL import Image
from sqlalchemy import select

from khaojing.cases import agencies, service

DESKTOP, PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}
DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
PASSWORD = "correct-horse-battery"
LEMON = "ด่วน! ดื่มน้ำมะนาวผสมโซดาทุกเช้า ช่วยฆ่าเซลล์มะเร็งได้ 100% แชร์ต่อให้คนที่คุณรัก"

pytestmark = pytest.mark.browser


class Shots:
    """Viewport screenshots as small palette PNGs: into docs/images/ on request, else into the test's folder."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.sizes = folder, {}
        folder.mkdir(parents=True, exist_ok=True)

    def take(self, page, name: str, anchor: str | None = None) -> None:  # noqa: ANN001
        if anchor:
            page.evaluate(f"document.querySelector({anchor!r}).scrollIntoView()")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], f"{name}: the page is {width}px wide (sideways scroll)"
        image = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
        small = image.quantize(colors=96, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        path = self.folder / f"cases-{name}.png"
        small.save(path, optimize=True)
        self.sizes[name] = path.stat().st_size


def _login(page, url: str, username: str) -> None:  # noqa: ANN001
    page.goto(url + "/console/login?lang=th")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


NAMES = {"analyst": "ปิยะนุช ศรีสุข", "analyst2": "ธนกร วงศ์ใหญ่", "editor": "วราภรณ์ ทองดี", "editor2": "สุรชัย แก้วมณี",
         "admin": "ผู้ดูแลระบบ", "officer": "ภญ.กานดา ใจงาม", "fdaofficer": "ศุภชัย มั่นคง"}


def _world(env, settings, staff) -> int:  # noqa: ANN001
    from khaojing.accounts.models import User
    from khaojing.db.base import utcnow

    now = utcnow()
    ago = lambda minutes: now - dt.timedelta(minutes=minutes)  # noqa: E731
    with env.db.unit_of_work() as session:
        for user in session.scalars(select(User)):
            user.display_name = NAMES.get(user.username, user.display_name)
        if (SHARED / "afnc-2025").is_dir():
            agencies.seed_from_afnc(session, data_dir=SHARED, settings=settings, actor="system")
        lemon = make_claim(session, settings, LEMON, harm={"life": 0.85}, who="citizen@example.com", at=ago(35))
        others = [("SMS แจ้งว่าบัญชีธนาคารออมสินของคุณถูกระงับ กดลิงก์เพื่อยืนยันตัวตนภายใน 24 ชั่วโมง", "finance",
                   {"property": 0.9}, 50),
                  ("กรมอุตุฯ เตือนพายุใหญ่เข้ากรุงเทพฯ คืนนี้ ให้ตุนอาหารและน้ำ 7 วัน", "disaster", {"life": 0.6}, 140),
                  ("รัฐบาลแจกเงินดิจิทัล 10,000 บาท รอบใหม่ ลงทะเบียนผ่านไลน์ได้เลย", "policy", {"property": 0.5}, 300),
                  ("ยาสมุนไพรลดความดันหายขาดใน 7 วัน ไม่ต้องกินยาหมออีก", "health", {"life": 0.7}, 20),
                  ("ตำรวจเตือน แก๊งคอลเซ็นเตอร์อ้างเป็นเจ้าหน้าที่ไปรษณีย์ ให้โอนเงินค่าพัสดุ", "security", {"property": 0.6},
                   600),
                  ("ดาราดังประกาศย้ายไปอยู่ต่างประเทศถาวร", "other", {}, 900)]
        made = [make_claim(session, settings, title, topic=topic, harm=harm, at=ago(minutes))
                for title, topic, harm, minutes in others]
        case = service.open_case(session, claim_id=lemon.id, actor=staff.analyst, settings=settings, now=ago(30))
        service.assign(session, case_id=case.id, assignee_id=staff.analyst.id, actor=staff.analyst)
        plan = [(staff.analyst2, ("screening", "investigating")), (staff.analyst, ()), (staff.analyst2, ("screening",)),
                (None, ()), (staff.analyst, ("screening", "investigating", "drafting"))]
        for claim, (who, steps) in zip(made, plan, strict=False):
            other = service.open_case(session, claim_id=claim.id, actor=staff.editor, settings=settings, now=ago(15))
            if who is not None:
                service.assign(session, case_id=other.id, assignee_id=who.id, actor=staff.editor)
            for step in steps:
                service.transition(session, case_id=other.id, to_state=step, actor=staff.analyst, now=ago(10))
        return case.id


def test_case_from_queue_to_published_verdict_in_a_browser(env, settings, staff, browser, live_url,  # noqa: ANN001
                                                           tmp_path) -> None:
    case_id = _world(env, settings, staff)
    shots = Shots(DOCS_IMAGES if os.environ.get("KHAOJING_DOCS_IMAGES") == "1" else tmp_path / "shots")
    evidence = tmp_path / "หนังสือชี้แจง.pdf"
    evidence.write_bytes(pdf_bytes())
    case_url = f"{live_url}/console/cases/{case_id}"

    analyst = browser.new_page(viewport=DESKTOP, locale="th-TH")
    _login(analyst, live_url, "analyst")
    analyst.goto(live_url + "/console/cases")
    assert "คิวเรื่องตรวจสอบ" in analyst.content()
    shots.take(analyst, "queue")
    analyst.goto(case_url)
    analyst.get_by_role("button", name="เริ่มคัดกรอง").click()
    analyst.get_by_role("button", name="ตรวจสอบข้อเท็จจริง").click()
    assert "กำลังตรวจสอบ" in analyst.locator(".head-badges").inner_text()
    shots.take(analyst, "detail")
    analyst.get_by_label("กรมอนามัย", exact=False).first.check()
    analyst.get_by_label("คำถามถึงหน่วยงาน").fill("ขอทราบข้อเท็จจริงว่าน้ำมะนาวผสมโซดาช่วยรักษามะเร็งได้จริงหรือไม่ "
                                                 "และมีคำแนะนำถึงประชาชนอย่างไร")
    analyst.get_by_label("ลิงก์หลักฐาน (บรรทัดละหนึ่งลิงก์)").fill("https://www.facebook.com/share/p/lemon-soda")
    analyst.get_by_label("ไฟล์หลักฐาน (ภาพ หรือ PDF)").set_input_files(str(evidence))
    shots.take(analyst, "request-form", "#requests")
    analyst.get_by_role("button", name="ส่งคำขอ").click()
    assert "ส่งคำขอถึงหน่วยงานแล้ว 1 แห่ง" in analyst.content()

    officer = browser.new_page(viewport=DESKTOP, locale="th-TH")
    _login(officer, live_url, "officer")
    officer.wait_for_url("**/console/agency")
    shots.take(officer, "portal")
    officer.locator(".portal-item a").first.click()
    assert "citizen@example.com" not in officer.content()
    shots.take(officer, "portal-request")
    officer.get_by_label("ข้อเท็จจริงจากหน่วยงาน").fill("กรมอนามัยยืนยันว่าไม่มีงานวิจัยใดแสดงว่าน้ำมะนาวผสมโซดารักษามะเร็งได้ "
                                                       "ผู้ป่วยควรรับการรักษาตามแนวทางของแพทย์")
    officer.get_by_label("ข่าวปลอม").check()
    shots.take(officer, "portal-answer", ".answer-card")
    officer.get_by_role("button", name="ส่งคำตอบ").click()
    assert "ส่งคำตอบแล้ว" in officer.content()

    analyst.goto(case_url)
    analyst.get_by_role("button", name="เขียนผลการตรวจสอบ").click()
    analyst.locator("#verdict").get_by_label("ข่าวปลอม").check()
    analyst.get_by_label("หัวข้อผลการตรวจสอบ").fill("น้ำมะนาวผสมโซดาไม่สามารถรักษามะเร็งได้")
    analyst.get_by_label("คำอธิบาย").fill("กรมอนามัยชี้แจงว่าไม่มีหลักฐานทางวิทยาศาสตร์รองรับ ผู้ป่วยมะเร็งควรรักษาตามแนวทางของแพทย์")
    analyst.get_by_label("คำชี้แจงของหน่วยงาน (บรรทัดละหนึ่งข้อความ)").fill("กรมอนามัย: ไม่มีงานวิจัยรองรับ")
    shots.take(analyst, "verdict-draft", "#verdict")
    analyst.get_by_role("button", name="บันทึกร่าง").click()
    analyst.get_by_role("button", name="ส่งให้บรรณาธิการอนุมัติ").click()
    assert "รออนุมัติ" in analyst.locator(".head-badges").inner_text()

    editor = browser.new_page(viewport=DESKTOP, locale="th-TH")
    _login(editor, live_url, "editor")
    editor.goto(case_url)
    assert "หลักสี่ตา" in editor.content()
    shots.take(editor, "review", "#verdict")
    editor.get_by_role("button", name="อนุมัติและเผยแพร่").click()
    assert "เผยแพร่แล้ว" in editor.locator(".head-badges").inner_text()
    shots.take(editor, "published", "#verdict")
    editor.goto(live_url + "/console/cases/workload")
    shots.take(editor, "workload")
    editor.goto(live_url + "/console/agencies")
    shots.take(editor, "agencies")

    admin = browser.new_page(viewport=DESKTOP, locale="th-TH")
    _login(admin, live_url, "admin")
    admin.goto(f"{live_url}/console/agencies/{staff.agency.id}/edit")
    admin.get_by_label("ชื่อ-นามสกุล").nth(1).fill("")
    admin.get_by_role("button", name="บันทึก").click()
    assert "ต้องบันทึกเจ้าหน้าที่ประสานงาน 2 คน" in admin.content()
    shots.take(admin, "agency-edit")

    phone = browser.new_page(viewport=PHONE, locale="th-TH", device_scale_factor=1)
    _login(phone, live_url, "analyst2")
    phone.goto(live_url + "/console/cases")
    shots.take(phone, "phone-queue")
    phone.goto(case_url)
    shots.take(phone, "phone-case")
    phone_officer = browser.new_page(viewport=PHONE, locale="th-TH")
    _login(phone_officer, live_url, "officer")
    phone_officer.goto(live_url + "/console/agency")
    shots.take(phone_officer, "phone-portal")
    assert all(size <= 200_000 for size in shots.sizes.values()), shots.sizes
