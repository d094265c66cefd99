"""A takedown request shows its due date only while the platform has been asked and has not answered: a removed or
refused request is closed and shows none, on its page and in the list."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient

from khaojing.enforcement import states, takedowns

T0 = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)


def _row(html: str, takedown_id: int) -> str:
    match = re.search(rf'<tr>\s*<td[^>]*><a href="/console/takedowns/{takedown_id}".*?</tr>', html, re.S)
    assert match, f"takedown #{takedown_id} is not listed"
    return match.group(0)


def test_a_closed_takedown_shows_no_due_date(env, settings, staff) -> None:  # noqa: ANN001
    ids = {}
    with env.db.unit_of_work() as session:
        for name, path in (
            (states.SENT, [states.SENT]),
            (states.ACKNOWLEDGED, [states.SENT, states.ACKNOWLEDGED]),
            (states.REMOVED, [states.SENT, states.REMOVED]),
            (states.REFUSED, [states.SENT, states.ACKNOWLEDGED, states.REFUSED]),
        ):
            td = takedowns.create(
                session, url=f"https://www.facebook.com/scam/{name}", reason="scam", actor=staff.analyst
            )
            for status in path:
                takedowns.transition(
                    session, settings=settings, takedown_id=td.id, to_status=status, actor=staff.analyst, now=T0
                )
            assert td.due_at is not None
            ids[name] = td.id
    analyst = env.login(staff.analyst, client=TestClient(env.app))
    listed = analyst.get("/console/takedowns", params={"lang": "en"}).text
    for name, takedown_id in ids.items():
        page = analyst.get(f"/console/takedowns/{takedown_id}", params={"lang": "en"}).text
        row = _row(listed, takedown_id)
        if name in (states.SENT, states.ACKNOWLEDGED):  # still waiting for the platform: due (and late by now)
            assert re.search(r"<dt>Due</dt><dd><time[^>]*>[^<]*2026[^<]*</time> <span class=\"badge late\">", page)
            assert "2026" in row and "Overdue" in row
        else:
            assert "<dt>Due</dt>" not in page and "Overdue" not in page, name
            assert "2026" not in row and "Overdue" not in row, name
    thai = analyst.get(f"/console/takedowns/{ids[states.REMOVED]}", params={"lang": "th"}).text
    assert "<dt>ครบกำหนด</dt>" not in thai
    thai = analyst.get(f"/console/takedowns/{ids[states.SENT]}", params={"lang": "th"}).text
    assert re.search(r"<dt>ครบกำหนด</dt><dd><time[^>]*>[^<]*2569", thai)
