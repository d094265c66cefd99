"""The report form takes its period as every date field does: any day inside the week or month (Buddhist era in
Thai), shown filled with a day of last week; '2026-W47' and '2026-11' still work for links and scripts; an unreadable
or future date is refused under the field with the text kept."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).parent))

from trend_data import add_reports  # noqa: E402

from helpers import csrf_from
from khaojing.accounts.models import Role
from khaojing.jobs.models import Job
from khaojing.trends import reports


def _queued(env) -> list[tuple[str, str]]:  # noqa: ANN001
    with env.db.unit_of_work(readonly=True) as session:
        jobs = session.scalars(select(Job).where(Job.name == reports.BUILD_JOB).order_by(Job.id)).all()
        return [(j.payload["kind"], j.payload["period"]) for j in jobs]


def test_a_day_inside_the_period_chooses_the_week_or_month(env) -> None:  # noqa: ANN001
    client = env.login(env.user(Role.analyst))
    page = client.get("/console/trends/reports", params={"lang": "th"}).text
    last = reports.last_week(env.settings).start
    shown = re.search(r'id="r-day" name="day" value="([^"]*)"', page).group(1)
    assert shown == f"{last.day:02d}/{last.month:02d}/{last.year + 543}"  # last week's Monday, Buddhist era
    assert "วว/ดด/ปปปป (พ.ศ.)" in page and "วันจันทร์ถึงวันอาทิตย์" in page
    token = csrf_from(page)
    for lang, form in (("th", {"kind": "weekly", "day": "18/11/2569"}),  # a Wednesday of 2026-W47
                       ("en", {"kind": "monthly", "day": "18/11/2026"}),
                       ("th", {"kind": "weekly", "period": "2026-W46"}),  # the ISO spelling still works
                       ("en", {"kind": "monthly", "day": "2026-10"})):
        done = client.post("/console/trends/reports", params={"lang": lang}, data={**form, "csrf_token": token},
                           follow_redirects=False)
        assert done.status_code == 303, form
    assert _queued(env) == [("weekly", "2026-W47"), ("monthly", "2026-11"), ("weekly", "2026-W46"),
                            ("monthly", "2026-10")]


def test_an_unreadable_or_future_day_is_refused_under_the_field(env) -> None:  # noqa: ANN001
    client = env.login(env.user(Role.analyst))
    token = csrf_from(client.get("/console/trends/reports").text)
    bad = client.post("/console/trends/reports", params={"lang": "th"},
                      data={"kind": "monthly", "day": "31/02/2569", "csrf_token": token})
    assert bad.status_code == 422
    assert 'value="31/02/2569"' in bad.text and 'aria-invalid="true"' in bad.text and "อ่านวันที่นี้ไม่ได้" in bad.text
    assert '<option value="monthly" selected>' in bad.text  # the kind chosen is kept
    soon = (dt.date.today() + dt.timedelta(days=40)).strftime("%d/%m/%Y")
    future = client.post("/console/trends/reports", params={"lang": "en"},
                         data={"kind": "weekly", "day": soon, "csrf_token": token})
    assert future.status_code == 422 and "has not started yet" in future.text
    assert _queued(env) == []


def test_the_dashboards_pick_a_week_or_month_by_a_day_in_it(env) -> None:  # noqa: ANN001
    client = env.login(env.user(Role.analyst))
    for path in ("/trends", "/console/trends"):  # the public dashboard and the staff one share the form
        page = client.get(path, params={"days": "week", "day": "18/11/2569", "lang": "th"}).text
        assert "16 พ.ย. 2569 – 22 พ.ย. 2569" in page, path
        assert '<option value="week" selected>' in page and 'name="day" value="16/11/2569"' in page
        assert "ช่วงเวลาไม่ถูกต้อง" not in page
    english = client.get("/trends", params={"days": "month", "day": "18/11/2026", "lang": "en"}).text
    assert "1 Nov 2026 – 30 Nov 2026" in english and '<option value="month" selected>' in english
    link = client.get("/trends", params={"week": "2026-W47", "lang": "en"}).text  # links keep working
    assert "16 Nov 2026 – 22 Nov 2026" in link and 'name="day" value="16/11/2026"' in link
    bad = client.get("/trends", params={"days": "month", "day": "31/02/2569", "lang": "th"}).text
    assert "ช่วงเวลาไม่ถูกต้อง จึงแสดง 7 วันล่าสุด" in bad and 'value="31/02/2569"' in bad
    assert 'aria-invalid="true"' in bad


def test_a_report_built_from_the_console_counts_reports_that_came_in_late(env) -> None:  # noqa: ANN001
    """An import of last month's reports is counted in a report asked for afterwards (the periodic refresh only
    recounts the last hours; `khaojing report` recounted the period, the console's job did not)."""
    with env.db.unit_of_work() as session:
        add_reports(session, claim=None, times=[dt.datetime(2026, 10, 5, 3, 0, tzinfo=dt.UTC)] * 4, channel="import")
    client = env.login(env.user(Role.analyst))
    token = csrf_from(client.get("/console/trends/reports").text)
    assert client.post("/console/trends/reports", data={"kind": "monthly", "day": "05/10/2569", "csrf_token": token},
                       follow_redirects=False).status_code == 303
    env.run_jobs()
    built = next(r for r in reports.list_built(env.settings) if r.period == "2026-10")
    html = built.html.read_text(encoding="utf-8")
    first_stage = re.search(r'<td class="name">[^<]*</td>.*?<td class="num">([^<]*)</td>', html, re.S)
    assert first_stage.group(1) == "4"  # the four imported reports, collected
