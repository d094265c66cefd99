"""Screenshots of the LINE docs: the verdict bubble and the carousel (console preview) and the /check page.

    .venv/bin/python scripts/docs_screenshots_line.py [--out docs/images]

Makes a throw-away SQLite database with three published verdicts (fake, distorted, true), serves the app on a
loopback port, and drives Debian's headless Chromium (/usr/bin/chromium through Playwright; never
`playwright install`). Writes line-flex-bubble.png, line-flex-carousel.png and check-message.png. The browser test
tests/channels/line/test_preview_browser.py runs the same functions into a temporary folder.
"""

from __future__ import annotations

import argparse
import io
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
STAFF, PASSWORD = "analyst-docs", "correct-horse-battery"  # analysts may view the preview (no second factor)
VERDICTS = [  # label, claim as it circulated, explanation, agency (th, en)
    ("fake", "ดื่มน้ำมะนาวผสมโซดาทุกเช้าช่วยฆ่าเชื้อไวรัสโควิด-19 ในลำคอได้",
     "กรมควบคุมโรคยืนยันว่าไม่มีหลักฐานทางการแพทย์ว่าน้ำมะนาวผสมโซดาฆ่าเชื้อไวรัสได้ "
     "วิธีป้องกันที่ได้ผลคือการฉีดวัคซีน สวมหน้ากากอนามัย และล้างมือบ่อย ๆ",
     ("กรมควบคุมโรค", "Department of Disease Control")),
    ("distorted", "ธนาคารแห่งประเทศไทยประกาศยกเลิกธนบัตรรุ่นเก่าทั้งหมดภายในสิ้นเดือนนี้ ให้รีบนำไปแลกก่อนใช้ไม่ได้",
     "ธปท. ชี้แจงว่าธนบัตรรุ่นเก่ายังใช้ชำระหนี้ได้ตามกฎหมาย มีเพียงบางรุ่นที่ทยอยเก็บคืนเมื่อชำรุด "
     "ประชาชนไม่ต้องเร่งนำไปแลก",
     ("ธนาคารแห่งประเทศไทย", "Bank of Thailand")),
    ("true", "กรมอุตุนิยมวิทยาประกาศเตือนพายุฤดูร้อนบริเวณภาคเหนือและภาคตะวันออกเฉียงเหนือ 20-23 เมษายน",
     "กรมอุตุนิยมวิทยาออกประกาศฉบับที่ 3 จริง ให้ระวังพายุฝนฟ้าคะนอง ลมกระโชกแรง และลูกเห็บตก",
     ("กรมอุตุนิยมวิทยา", "Thai Meteorological Department")),
]
CHECK_TEXT = "ส่งต่อด่วน!! ดื่มน้ำมะนาวผสมโซดาทุกเช้าช่วยฆ่าเชื้อไวรัสโควิด-19 ในลำคอได้ แชร์ต่อด้วย"


def seed(db: Any, settings: Any) -> dict[str, int]:
    """An analyst and three published, indexed verdicts; returns {label: verdict id}."""
    from khaojing.accounts.models import Agency, Role
    from khaojing.accounts.service import create_user
    from khaojing.claims import service as claims_service
    from khaojing.claims.models import Claim, Verdict
    from khaojing.db.base import utcnow
    from khaojing.matching import service as matching
    from khaojing.thai.normalize import normalize

    ids: dict[str, int] = {}
    with db.unit_of_work() as session:
        create_user(session, username=STAFF, password=PASSWORD, role=Role.analyst, display_name="ปิยะนุช ศรีสุข")
        for label, text, explanation, (agency_th, agency_en) in VERDICTS:
            norm = normalize(text)
            agency = Agency(name_th=agency_th, name_en=agency_en)
            claim = Claim(title=text, match_text=norm.match_text, norm_sha256=norm.sha256, status="verified")
            session.add_all([agency, claim])
            session.flush()
            verdict = Verdict(claim_id=claim.id, label=label, headline=text, claim_text=text,
                              explanation=explanation, agency_id=agency.id, published_at=utcnow())
            session.add(verdict)
            session.flush()
            claims_service.log_change(session, claim.id)
            matching.index_claim(session, claim.id, settings=settings)
            ids[label] = verdict.id
    return ids


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """The app on a free loopback port (uvicorn in a thread)."""
    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def save_png(data: bytes, path: Path) -> Path:
    """A small palette PNG (flat colours and text compress well)."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    image.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)
    return path


def shoot(browser: Any, base_url: str, ids: dict[str, int], out: Path) -> dict[str, Path]:
    """Log in as the analyst, screenshot the bubble and the carousel previews, then /check with its answer."""
    out.mkdir(parents=True, exist_ok=True)
    shots: dict[str, Path] = {}
    page = browser.new_page(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    page.goto(f"{base_url}/console/login?lang=th")
    page.get_by_label("ชื่อผู้ใช้").fill(STAFF)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url("**/console**")
    page.goto(f"{base_url}/console/line/preview?verdict={ids['fake']}")
    shots["bubble"] = save_png(page.locator("#line-preview").screenshot(), out / "line-flex-bubble.png")
    carousel = ",".join(str(ids[k]) for k in ("fake", "distorted", "true"))
    page.goto(f"{base_url}/console/line/preview?carousel={carousel}")
    shots["carousel"] = save_png(page.locator("#line-preview").screenshot(), out / "line-flex-carousel.png")
    page.close()
    public = browser.new_page(viewport={"width": 900, "height": 1000}, device_scale_factor=1)
    public.goto(f"{base_url}/check?lang=th")
    public.locator("#text").fill(CHECK_TEXT)
    public.locator("form.report-form button[type=submit]").click()
    public.wait_for_selector(".check-answer")
    shots["check"] = save_png(public.screenshot(full_page=True), out / "check-message.png")
    public.close()
    return shots


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    import khaojing.handlers  # noqa: F401  (the triage job handlers)
    from khaojing.app import create_app
    from khaojing.db.migrate import upgrade
    from khaojing.db.session import Database
    from khaojing.settings import Settings

    with tempfile.TemporaryDirectory(prefix="khaojing-shots-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'khaojing.db'}"
        upgrade(url)
        settings = Settings(_env_file=None, database_url=url, data_dir=Path(tmp) / "data", dev_mode=True,
                            inprocess_worker=False, secret_key="docs-screenshots-secret-key-0123456789abcdef")
        db = Database(settings)
        try:
            ids = seed(db, settings)
            with serve(create_app(settings, db=db, start_worker=False)) as base_url, sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
                try:
                    shots = shoot(browser, base_url, ids, args.out)
                finally:
                    browser.close()
        finally:
            db.dispose()
    for name, path in shots.items():
        print(f"{name}: {path} ({path.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
