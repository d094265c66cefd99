"""A report's history speaks the page's language: a report sent on the web form was received from "the public" by
the web form, not from `public` by `webform` (the codes stay in the page only as title attributes)."""

from __future__ import annotations

import re

from sqlalchemy import select

from helpers import csrf_from
from khaojing.accounts.models import Role
from khaojing.intake.models import Report


def _visible(html: str) -> str:
    """The page's text as a reader sees it (tags and attributes removed)."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _history(html: str) -> str:
    return _visible(html.split('class="timeline history"', 1)[1].split("</ol>", 1)[0])


def _send_web_report(env) -> int:  # noqa: ANN001
    page = env.client.get("/report")
    submission = re.search(r'name="submission_id" value="([^"]+)"', page.text).group(1)
    sent = env.client.post("/report", data={"csrf_token": csrf_from(page.text), "submission_id": submission,
                                            "text": "ธนาคารจะปิดทุกสาขาวันจันทร์นี้ จริงไหม"}, follow_redirects=False)
    assert sent.status_code == 303
    with env.db.unit_of_work(readonly=True) as session:
        return session.scalar(select(Report.id))


def test_thai_history_names_the_public_and_the_web_form(env) -> None:  # noqa: ANN001
    rid = _send_web_report(env)
    staff = env.login(env.user(Role.analyst))
    history = _history(staff.get(f"/console/reports/{rid}").text)
    assert "รับข้อความแจ้ง · ประชาชน (แบบฟอร์มบนเว็บไซต์)" in history
    assert "แหล่งที่มา: เว็บไซต์" in history and "ช่องทาง: เว็บไซต์" in history
    assert not re.search(r"\b(public|webform)\b", history)


def test_english_history_names_the_public_and_the_web_form(env) -> None:  # noqa: ANN001
    rid = _send_web_report(env)
    staff = env.login(env.user(Role.analyst))
    history = _history(staff.get(f"/console/reports/{rid}?lang=en").text)
    assert "Report received · the public (web form)" in history
    assert "source: Web form" in history
    assert not re.search(r"\b(public|webform)\b(?! \(web form\))", history.replace("the public", ""))
