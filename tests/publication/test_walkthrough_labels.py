"""Words a reader stumbled on while walking the site and the console: "asked 1 times" on the home page, and the
weekly summaries listed as "รายงานสรุปประจำสัปดาห์ 2026-W47" (a Christian-era ISO week on a Thai page)."""

from __future__ import annotations

import datetime as dt
import re

from pub_helpers import publish
from sqlalchemy import update

from khaojing.accounts.models import Role
from khaojing.db.base import utcnow
from khaojing.intake.models import Report
from khaojing.thai.dates import format_datetime
from khaojing.trends.reports import reports_dir
from khaojing.web.templating import period_text


def _most_asked(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_home_page_says_asked_once_not_asked_1_times(env, db, settings) -> None:  # noqa: ANN001
    checked = utcnow() - dt.timedelta(days=400)  # an old verdict asked about again this week
    old_claim = publish(db, settings, title="ดื่มน้ำมะนาวโซดารักษามะเร็ง", at=checked, reports=1)
    with db.unit_of_work() as session:
        session.execute(update(Report).where(Report.claim_id == old_claim).values(received_at=utcnow()))
    publish(db, settings, title="แอปเงินกู้ของธนาคารให้กู้ทุกอาชีพ", at=utcnow(), reports=3)
    english = _most_asked(env.client.get("/", params={"lang": "en"}).text)
    assert "asked once this week" in english and "asked 3 times this week" in english
    assert "asked 1 times" not in english
    thai = _most_asked(env.client.get("/", params={"lang": "th"}).text)
    assert "สอบถาม 1 ครั้งในสัปดาห์นี้" in thai and "สอบถาม 3 ครั้งในสัปดาห์นี้" in thai
    assert f"ตรวจสอบเมื่อ {format_datetime(checked, 'th', with_time=False)}" in thai  # the verdict's date


def test_a_report_period_reads_as_days_and_months_in_the_readers_era() -> None:
    assert period_text("2026-W47", "th") == "16–22 พ.ย. 2569"
    assert period_text("2026-W47", "en") == "16–22 Nov 2026"
    assert period_text("2026-W44", "th") == "26 ต.ค.–1 พ.ย. 2569"  # a week across two months
    assert period_text("2026-W01", "th") == "29 ธ.ค. 2568–4 ม.ค. 2569"  # and across two years
    assert period_text("2026-11", "th") == "พฤศจิกายน 2569"
    assert period_text("2026-11", "en") == "November 2026"
    assert period_text("2026-W60", "th") == "2026-W60"  # not a week: shown as it is, never an error


def test_the_built_summaries_are_listed_with_buddhist_era_dates_on_a_thai_page(env, settings) -> None:  # noqa: ANN001
    folder = reports_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("weekly-2026-W47.html", "weekly-2026-W47.pdf", "monthly-2026-11.html"):
        (folder / name).write_text("report")
    client = env.login(env.user(Role.analyst))
    thai = client.get("/console/trends/reports", params={"lang": "th"}).text
    table = _most_asked(thai[thai.index('<table class="reports">'):thai.index("</table>")])
    assert "รายงานสรุปประจำสัปดาห์ 16–22 พ.ย. 2569" in table and "พฤศจิกายน 2569" in table
    assert "2026-W47 " not in table.replace("weekly-2026-W47.", "")  # the ISO name stays only in the file links
    assert 'href="/console/trends/reports/weekly-2026-W47.pdf"' in thai
    english = client.get("/console/trends/reports", params={"lang": "en"}).text
    assert "16–22 Nov 2026" in english and "November 2026" in english
