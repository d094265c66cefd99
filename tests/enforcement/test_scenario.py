"""The issue's scenario through the console, as an analyst does it: capture a page from a local site into a case,
hand it over, export the package, run the standalone verifier (passes), tamper with it (fails, naming the file)."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile

from case_helpers import make_claim

from helpers import csrf_from
from khaojing.cases import service as cases


def test_capture_attach_export_verify_and_tamper(env, enf_settings, site, staff, tmp_path) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        claim = make_claim(session, enf_settings, "ลงทุนทองคำ กำไร 300% ต่อเดือน ธปท.รับรอง")
        case_id = cases.open_case(session, claim_id=claim.id, actor=staff.analyst, settings=enf_settings).id
    client = env.login(staff.analyst)
    listing = client.get("/console/evidence")
    assert listing.status_code == 200 and "เก็บหน้าเว็บ" in listing.text
    token = csrf_from(listing.text)

    done = client.post("/console/evidence/capture", data={"url": site.url + "/scam", "case_id": str(case_id),
                                                          "note": "โพสต์ชวนลงทุน", "csrf_token": token})
    assert done.status_code == 200 and "เก็บพยานหลักฐานแล้ว" in done.text  # followed to the item's page
    eid = int(re.search(r"/console/evidence/(\d+)/attach", done.text).group(1))
    assert "ลงทุนทองคำ กำไร 300% ต่อเดือน" in done.text and f"/console/cases/{case_id}" in done.text
    assert done.text.count("<li><strong>") == 2  # custody: captured, attached to the case

    raw_link = re.search(rf'href="(/console/evidence/{eid}/files/\d+)">raw.html', done.text).group(1)
    raw = client.get(raw_link)
    assert raw.headers["content-type"] == "application/octet-stream" and "attachment" in raw.headers[
        "content-disposition"]
    assert raw.content == site.pages["/scam"][2]
    handed = client.post(f"/console/evidence/{eid}/handover",
                         data={"recipient": "ร.ต.อ. สมชาย ใจดี บก.ปอท.", "csrf_token": token})
    assert "บันทึกการส่งมอบแล้ว" in handed.text and "ร.ต.อ. สมชาย ใจดี บก.ปอท." in handed.text

    export = client.post(f"/console/evidence/package/{case_id}", data={"csrf_token": token})
    assert export.status_code == 200 and export.headers["content-type"] == "application/zip"
    root = tmp_path / "package"
    zipfile.ZipFile(io.BytesIO(export.content)).extractall(root)
    entries = (root / "custody.jsonl").read_text().splitlines()
    assert [re.search(r'"action": "(\w+)"', e).group(1) for e in entries] == [
        "capture", "attach", "view", "handover", "export"]

    def verify() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-I", "verify_package.py"], cwd=root, capture_output=True, text=True,
                              timeout=60)

    ok = verify()
    assert ok.returncode == 0 and "OK: 1 evidence item(s), 5 custody entries" in ok.stdout, ok.stdout + ok.stderr
    text_file = root / f"evidence/{eid}/text.txt"
    text_file.write_text(text_file.read_text().replace("300%", "3%"))
    bad = verify()
    assert bad.returncode == 1 and f"file evidence/{eid}/text.txt: content changed" in bad.stdout
