"""The staff inbox: who may see it, filters (channel, status, local dates, text), paging, bad values."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from khaojing.accounts.models import Role
from khaojing.intake.models import Report
from khaojing.intake.service import Submission, accept_report, get_or_create_source

BKK = ZoneInfo("Asia/Bangkok")
ROW = re.compile(r'href="/console/reports/(\d+)"')


def add_report(env, text: str = "ข่าวลือทดสอบ", *, channel: str = "webform",  # noqa: ANN001
               received_at: dt.datetime | None = None, urls: tuple[str, ...] = (),
               status: str | None = None) -> int:
    with env.db.unit_of_work() as session:
        source = get_or_create_source(session, kind=channel, name=f"test:{channel}")
        report = accept_report(session, settings=env.settings, source=source, actor="system",
                               sub=Submission(text=text, urls=urls, received_at=received_at)).report
        if status:
            session.execute(update(Report).where(Report.id == report.id).values(status=status))
        return report.id


def row_ids(html: str) -> list[int]:
    return [int(i) for i in ROW.findall(html)]


@pytest.fixture
def analyst(env):  # noqa: ANN001, ANN201
    return env.login(env.user(Role.analyst))


def test_empty_inbox_says_so(env, analyst):
    page = analyst.get("/console/reports")
    assert page.status_code == 200
    assert "ยังไม่มีข้อความแจ้ง" in page.text


@pytest.mark.parametrize("role", [Role.admin, Role.editor, Role.analyst])
def test_center_staff_see_the_inbox(env, role):
    add_report(env, "น้ำมะนาวฆ่าไวรัส")
    client = env.login(env.user(role))
    page = client.get("/console/reports")
    assert page.status_code == 200 and "น้ำมะนาวฆ่าไวรัส" in page.text


def test_agency_officer_gets_403(env):
    client = env.login(env.user(Role.agency_officer))
    assert client.get("/console/reports").status_code == 403


def test_rows_show_date_channel_status_counts_and_tracking_code(env, analyst):
    add_report(env, "ข่าวพายุเข้ากรุงเทพ", channel="line", urls=("https://example.com/a", "https://example.com/b"),
               received_at=dt.datetime(2026, 11, 26, 9, 0, tzinfo=BKK))
    page = analyst.get("/console/reports")
    assert "26 พ.ย. 69" in page.text  # Buddhist-era year, Thai month
    assert "LINE" in page.text and "ได้รับเรื่องแล้ว รอคัดกรอง" in page.text
    assert "ลิงก์ 2 · รูป 0" in page.text
    assert re.search(r"KJ-[0-9A-Z]{4}-[0-9A-Z]{4}", page.text)
    english = analyst.get("/console/reports?lang=en")
    assert "26 Nov 2026" in english.text and "2 links · 0 images" in english.text


def test_filter_by_channel_and_status(env, analyst):
    web = add_report(env, "จากเว็บ", channel="webform")
    api = add_report(env, "จากพันธมิตร", channel="api")
    done = add_report(env, "ตอบแล้ว", channel="api", status="answered")
    assert set(row_ids(analyst.get("/console/reports?channel=api").text)) == {api, done}
    assert row_ids(analyst.get("/console/reports?channel=webform").text) == [web]
    assert row_ids(analyst.get("/console/reports?channel=api&status=answered").text) == [done]
    assert set(row_ids(analyst.get("/console/reports?status=new").text)) == {web, api}


def test_date_filters_use_the_centers_local_day(env, analyst):
    late_evening = add_report(env, "สี่ทุ่มครึ่ง", received_at=dt.datetime(2026, 11, 25, 23, 30, tzinfo=BKK))
    after_midnight = add_report(env, "หลังเที่ยงคืน", received_at=dt.datetime(2026, 11, 26, 0, 30, tzinfo=BKK))
    # both are on 25 November in UTC; in Bangkok they are on different days
    assert row_ids(analyst.get("/console/reports?from=2026-11-25&to=2026-11-25").text) == [late_evening]
    assert row_ids(analyst.get("/console/reports?from=2026-11-26").text) == [after_midnight]
    assert row_ids(analyst.get("/console/reports?to=2026-11-25").text) == [late_evening]


def test_text_search_matches_thai_and_treats_wildcards_literally(env, analyst):
    hit = add_report(env, "ธนาคารจะอายัดเงินฝาก 100% ทุกบัญชี")
    add_report(env, "วัคซีนมีไมโครชิป")
    assert row_ids(analyst.get("/console/reports", params={"q": "อายัดเงิน"}).text) == [hit]
    assert row_ids(analyst.get("/console/reports", params={"q": "100%"}).text) == [hit]
    assert row_ids(analyst.get("/console/reports", params={"q": "_"}).text) == []
    assert "ไม่มีข้อความแจ้งตามเงื่อนไขนี้" in analyst.get("/console/reports", params={"q": "ไม่มีคำนี้"}).text


def test_paging_50_per_page_and_page_links_keep_the_filters(env, analyst):
    start = dt.datetime(2026, 11, 1, 8, 0, tzinfo=BKK)
    ids = [add_report(env, f"ข้อความที่ {i}", channel="api", received_at=start + dt.timedelta(minutes=i))
           for i in range(53)]
    add_report(env, "ไม่ใช่ API", channel="webform")
    first = analyst.get("/console/reports?channel=api")
    assert "พบ 53 เรื่อง" in first.text
    assert row_ids(first.text) == ids[::-1][:50]  # newest first
    assert "หน้า 1 จาก 2" in first.text
    assert 'href="/console/reports?channel=api&amp;page=2"' in first.text
    second = analyst.get("/console/reports?channel=api&page=2")
    assert row_ids(second.text) == ids[::-1][50:]
    assert 'href="/console/reports?channel=api"' in second.text  # back to page 1, filter kept


def test_page_past_the_end_shows_the_last_page(env, analyst):
    only = add_report(env)
    assert row_ids(analyst.get("/console/reports?page=7").text) == [only]


@pytest.mark.parametrize("query", [
    "channel=telegram", "status=deleted", "from=2026-13-45", "to=yesterday", "from=9999-12-31",
    "to=0001-01-01", "page=abc", "page=-3", "page=99999999999999999999999", "q=" + "ก" * 5000,
    "channel=%00", "from=2026-1-5", "q=%00", "q=a%00b",
])
def test_bad_filter_values_never_break_the_page(env, analyst, query):
    add_report(env, "ยังแสดงอยู่")
    page = analyst.get(f"/console/reports?{query}")
    assert page.status_code == 200, page.text
    if query.startswith(("channel", "status", "from", "to")):
        assert "ไม่ใช้ค่าตัวกรองที่ไม่ถูกต้อง" in page.text
        assert "ยังแสดงอยู่" in page.text


def test_filter_form_keeps_the_chosen_values(env, analyst):
    params = {"channel": "line", "status": "screened", "from": "2026-11-01", "to": "2026-11-30",
              "q": "<b>x</b>"}
    page = analyst.get("/console/reports", params=params)
    assert '<option value="line" selected>' in page.text
    assert '<option value="screened" selected>' in page.text
    assert 'value="01/11/2569"' in page.text and 'value="30/11/2569"' in page.text  # ISO link, shown in BE
    assert 'value="&lt;b&gt;x&lt;/b&gt;"' in page.text
