"""What an analyst tripped on while walking a case: a deadline out of range (in the past, more than 30 days ahead)
was refused only at the top of a long page, far from the deadline box; the domain's refusals (errors.py) reached the
catalogue through the web package. Now the range refusal sits under the box, the box takes the focus, the rest of
the form is kept, and importing the domain loads nothing of `khaojing.web`."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest

from helpers import csrf_from

BKK = ZoneInfo("Asia/Bangkok")


def _send(client, case_id: int, due_at: str, agency: int, lang: str):  # noqa: ANN001, ANN202
    url = f"/console/cases/{case_id}"
    token = csrf_from(client.get(url, params={"lang": lang}).text)
    data = {"csrf_token": token, "question": "ขอทราบข้อเท็จจริงจากกรม", "links": "https://example.org/a",
            "due_at": due_at, "agency_ids": str(agency)}
    return client.post(f"{url}/requests", data=data, follow_redirects=False)


def _under_the_box(html: str) -> tuple[str, str]:
    """(the deadline box's tag, the text of the error right under it — no other field in between)."""
    field = html[html.index('id="req-due"'):]
    error_at = field.index('id="req-due-error"')
    assert "<label" not in field[:error_at] and "<input" not in field[1:error_at]
    return field[:field.index(">")], field[field.index(">", error_at) + 1:field.index("</p>", error_at)]


@pytest.mark.parametrize(("days", "lang", "message"), [
    (-400, "th", "กำหนดตอบต้องอยู่หลังเวลาปัจจุบันและไม่เกิน 30 วัน"),
    (45, "th", "กำหนดตอบต้องอยู่หลังเวลาปัจจุบันและไม่เกิน 30 วัน"),
    (45, "en", "The answer must be due after now and within 30 days."),
])
def test_a_deadline_out_of_range_is_refused_under_its_box_with_the_form_kept(env, staff, case_id, days, lang,  # noqa: ANN001
                                                                             message) -> None:
    day = (dt.datetime.now(BKK) + dt.timedelta(days=days)).date()
    year = day.year + 543 if lang == "th" else day.year
    typed = f"{day.day:02d}/{day.month:02d}/{year} 10:00"
    refused = _send(env.login(staff.analyst), case_id, typed, staff.agency.id, lang)
    assert refused.status_code == 422
    box, error = _under_the_box(refused.text)
    assert message in error
    assert 'aria-invalid="true"' in box and "autofocus" in box  # the long page opens at the box to correct
    assert 'aria-describedby="req-due-format req-due-hint req-due-error"' in box
    html = refused.text
    assert f'value="{typed}"' in html  # what was typed, and the rest of the form, are kept
    assert "ขอทราบข้อเท็จจริงจากกรม</textarea>" in html and "https://example.org/a</textarea>" in html
    assert f'value="{staff.agency.id}" checked' in html
    assert '<details class="new-request" open>' in html


def test_a_good_deadline_leaves_the_box_plain(env, staff, case_id) -> None:  # noqa: ANN001
    client = env.login(staff.analyst)
    page = client.get(f"/console/cases/{case_id}").text
    box = page[page.index('id="req-due"'):]
    box = box[:box.index(">")]
    assert "aria-invalid" not in box and "autofocus" not in box and 'id="req-due-error"' not in page
    day = (dt.datetime.now(BKK) + dt.timedelta(days=3)).date()
    sent = _send(client, case_id, f"{day.day}/{day.month}/{day.year + 543}", staff.agency.id, "th")
    assert sent.status_code == 303


def test_the_domain_reads_its_refusals_without_the_web_package() -> None:
    code = ("import sys, khaojing.errors, khaojing.cases.service, khaojing.cases.messages, khaojing.matching.reasons\n"
            "from khaojing.errors import Invalid\n"
            "text = Invalid('x', key='err.due_range', params={'days': 30}).text('th')\n"
            "print(sorted(m for m in sys.modules if m.startswith('khaojing.web')), text)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[] กำหนดตอบต้องอยู่หลังเวลาปัจจุบันและไม่เกิน 30 วัน"


def test_the_web_catalogue_is_the_same_catalogue() -> None:
    from khaojing import messages
    from khaojing.web import i18n

    assert i18n.MESSAGES is messages.MESSAGES and i18n.t is messages.t and i18n.register is messages.register
