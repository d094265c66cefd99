"""The about/method page, the open-data export (CLI, daily job, /open-data page): anonymised, AFNC fields, checksums."""

from __future__ import annotations

import hashlib
import re

from pub_helpers import publish

from khaojing.jobs import queue
from khaojing.publication import opendata
from khaojing.publication.jobs import OPEN_DATA_JOB


def test_about_page_in_thai_and_english_is_linked_from_every_public_page(env) -> None:  # noqa: ANN001
    th = env.client.get("/about")
    assert th.status_code == 200 and th.text.count("<h1") == 1 and '<html lang="th">' in th.text
    for words in ("เราเลือกเรื่องอย่างไร", "ใครเป็นผู้ตัดสิน", "หลักสี่ตา", "นโยบายการแก้ไข", "CC BY 4.0",
                  "ข่าวบิดเบือน", 'href="/open-data"', "ติดต่อเรา"):
        assert words in th.text, words
    en = env.client.get("/about?lang=en").text
    for words in ("How items are selected", "four eyes", "Corrections policy", "Open data and licence", "Distorted"):
        assert words in en, words
    for path in ("/", "/verdicts", "/about", "/open-data"):
        assert 'href="/about"' in env.client.get(path).text, path


def test_daily_job_writes_the_files_the_open_data_page_lists(env) -> None:  # noqa: ANN001
    page = env.client.get("/open-data")
    assert page.status_code == 200 and "ยังไม่มีไฟล์" in page.text  # before the first run
    publish(env.db, env.settings)
    with env.db.unit_of_work() as session:
        queue.enqueue(session, OPEN_DATA_JOB, {})
    assert env.run_jobs() >= 1
    html = env.client.get("/open-data").text
    assert html.count("<h1") == 1
    manifest = opendata.manifest(env.settings)
    verdicts = next(f for f in manifest["files"] if f["name"] == "khaojing-verdicts.csv")
    assert verdicts["rows"] == 1 and verdicts["sha256"] in html and 'href="/open-data/khaojing-verdicts.csv"' in html
    download = env.client.get("/open-data/khaojing-verdicts.csv")
    assert download.status_code == 200 and hashlib.sha256(download.content).hexdigest() == verdicts["sha256"]
    assert "attachment" in download.headers["content-disposition"]
    assert env.client.get("/open-data/manifest.json.part").status_code == 404
    assert env.client.get("/open-data/..%2Fkhaojing.db").status_code == 404
    assert re.search(r"Generated|สร้างเมื่อ", html)
