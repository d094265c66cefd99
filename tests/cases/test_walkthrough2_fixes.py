"""Second walkthrough: a case opened twice from a stale page links to the case that is already open; a state entered
less than a minute ago reads "just now", not "0 min"."""

from __future__ import annotations

import datetime as dt
import re

from case_helpers import make_claim
from fastapi.testclient import TestClient

from helpers import csrf_from
from khaojing.cases import service
from khaojing.cases.models import Case


def test_opening_a_case_twice_links_to_the_open_case(env, staff) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        claim_id = make_claim(session, env.settings).id
    analyst = env.login(staff.analyst, client=TestClient(env.app))
    token = csrf_from(analyst.get(f"/console/claims/{claim_id}").text)  # the page both clicks come from
    first = analyst.post("/console/cases/open", data={"csrf_token": token, "claim_id": str(claim_id)},
                         follow_redirects=False)
    assert first.status_code == 303
    case_id = int(re.search(r"/console/cases/(\d+)", first.headers["location"]).group(1))
    for lang, text in (("en", f"Go to case #{case_id}"), ("th", f"ไปที่เรื่องตรวจสอบ #{case_id}")):
        again = analyst.post("/console/cases/open", params={"lang": lang},
                             data={"csrf_token": token, "claim_id": str(claim_id)})
        assert again.status_code == 409
        assert f'<a class="button" href="/console/cases/{case_id}">{text}</a>' in again.text
    refused = analyst.post("/console/cases/open", data={"csrf_token": token, "claim_id": "abc"})
    assert refused.status_code == 422 and "/console/cases/" not in refused.text.split("error-card", 1)[1]


def test_a_state_entered_under_a_minute_ago_says_just_now(env, staff) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        case = service.open_case(session, claim_id=make_claim(session, env.settings).id, actor=staff.analyst,
                                 settings=env.settings)
        case_id = case.id
    analyst = env.login(staff.analyst, client=TestClient(env.app))
    for lang, label, text in (("en", "In this state for", "just now"), ("th", "อยู่ในสถานะนี้มา", "เมื่อสักครู่")):
        page = analyst.get(f"/console/cases/{case_id}", params={"lang": lang}).text
        assert re.search(rf"<dt>{label}</dt><dd>{text}</dd>", page), lang
    with env.db.unit_of_work() as session:
        session.get(Case, case_id).state_since -= dt.timedelta(minutes=3)
    page = analyst.get(f"/console/cases/{case_id}", params={"lang": "en"}).text
    assert re.search(r"<dt>In this state for</dt><dd>3 min</dd>", page)
