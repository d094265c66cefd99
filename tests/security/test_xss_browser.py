"""Stored XSS (issue 9), checked in headless Chromium: Thai text mixed with HTML/JS payloads goes in through the
partner API and the public report form (report text), a user's display name, a case comment, an agency name, a
verdict's headline, explanation and sources; the console and public pages that show them run no script (a
`window.__xss` flag stays unset, no dialog opens, no CSP violation is reported — which would mean the payload was
parsed as markup) and show the payload as text."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from helpers import PASSWORD, csrf_from
from khaojing.accounts.models import Agency, Role, User
from khaojing.cases import collab, service, verdicts
from khaojing.claims.models import Verdict
from khaojing.errors import Invalid
from khaojing.intake.models import Report

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cases"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "publication"))
from case_helpers import make_claim  # noqa: E402
from pub_helpers import publish  # noqa: E402

pytestmark = pytest.mark.browser


def payload(where: str) -> str:
    return (f'ข่าว{where}<script>window.__xss="{where}-script"</script><img src=x onerror="window.__xss=\'{where}\'">'
            f'"><svg onload="window.__xss=1"><a href="javascript:window.__xss=2">คลิก</a>\'-alert(1)-\'')


def _seed(env, settings) -> dict:  # noqa: ANN001
    key = env.partner_key("moph")
    api = env.client.post("/api/v1/reports", json={"text": payload("api"), "external_id": "xss-1",
                                                  "urls": ["https://example.com/?q=<script>x</script>"]},
                          headers={"Authorization": f"Bearer {key}"})
    assert api.status_code == 201, api.text
    form = TestClient(env.app)
    token = csrf_from(form.get("/report").text)
    assert form.post("/report", data={"csrf_token": token, "text": payload("form"), "submission_id": "x1"},
                     follow_redirects=False).status_code in (200, 303)
    claim_id = publish(env.db, settings, title=payload("title"), headline=payload("headline"),
                       explanation=payload("explanation"))
    with env.db.unit_of_work() as session:
        analyst = session.scalar(select(User).where(User.username == "analyst1"))
        analyst.display_name = payload("name")
        session.add(Agency(name_th=payload("agency"), name_en="<b>agency</b>"))
        verdict = session.scalar(select(Verdict).where(Verdict.claim_id == claim_id))
        verdict.sources = [{"kind": "url", "url": 'https://example.com/"><svg onload="window.__xss=3">',
                            "text": payload("source")},
                           {"kind": "agency_statement", "text": payload("statement")}]
        claim = make_claim(session, settings, payload("claim"))
        case = service.open_case(session, claim_id=claim.id, actor=analyst, settings=settings)
        collab.add_comment(session, case_id=case.id, actor=analyst, body=payload("comment"))
        for state in ("screening", "investigating", "drafting"):
            service.transition(session, case_id=case.id, to_state=state, actor=analyst)
        report_ids = list(session.scalars(select(Report.id)))
        case_id, analyst_id = case.id, analyst.id
    with pytest.raises(Invalid), env.db.unit_of_work() as session:  # javascript: never becomes a source link
        verdicts.save_draft(session, case_id=case_id, settings=settings, actor=session.get(User, analyst_id),
                            data=verdicts.DraftIn(label="fake", headline="h", claim_text="c", explanation="e",
                                                  source_urls=["javascript:window.__xss=9"]))
    return {"claim": claim_id, "case": case_id, "reports": report_ids}


def test_payloads_are_shown_as_text_and_never_run(env, settings, live_url, browser) -> None:  # noqa: ANN001
    env.user(Role.admin, username="admin1")
    env.user(Role.analyst, username="analyst1")
    ids = _seed(env, settings)
    page = browser.new_page(locale="th-TH")
    events: list[str] = []
    page.on("dialog", lambda dialog: (events.append(f"dialog {dialog.message}"), dialog.dismiss()))
    page.on("console", lambda msg: events.append(f"console {msg.text}")
            if "Content Security Policy" in msg.text or "__xss" in msg.text else None)
    page.goto(f"{live_url}/console/login")
    page.fill("input[name=username]", "admin1")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    pages = ["/console/reports", *[f"/console/reports/{r}" for r in ids["reports"]], "/console/claims",
             f"/console/cases/{ids['case']}", "/console/cases", "/console/agencies", "/console/users",
             f"/console/claims/{ids['claim']}", "/console/audit",
             "/verdicts", f"/verdicts/{ids['claim']}", f"/verdicts/{ids['claim']}?lang=en", "/"]
    shown = set()
    for path in pages:
        response = page.goto(live_url + path)
        assert response.status == 200, path
        page.wait_for_load_state("load")
        assert page.evaluate("window.__xss") is None, path
        assert page.locator("img[src=x], svg[onload], a[href^='javascript:'], [onerror], [onload]").count() == 0, path
        assert page.evaluate("[...document.scripts].filter(s => !s.src && !(s.type || '').includes('json'))"
                             ".length") == 0, path
        text = page.locator("body").inner_text()
        shown.update(w for w in ("api", "form", "title", "headline", "explanation", "name", "agency", "statement",
                                 "comment", "claim") if f"ข่าว{w}<script>" in text)
        if path == f"/verdicts/{ids['claim']}":  # the source link's URL stays one attribute value
            assert page.locator("a[href^='https://example.com/']").count() == 1
    assert not events, events
    assert shown == {"api", "form", "title", "headline", "explanation", "name", "agency", "statement", "comment",
                     "claim"}, shown  # every payload was on some page, as visible text
