"""The demo shows the whole loop: cases in every stage, an officer with a request to answer, a vault that verifies,
takedowns on the transparency page — made through the services, once."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from helpers import csrf_from
from khaojing.accounts.models import User
from khaojing.audit import service as audit_service
from khaojing.audit.models import AuditEvent
from khaojing.cases import queue, requests, verdicts
from khaojing.cases.models import AgencyRequest, Case, CaseStateChange, Comment, Notice, VerdictVersion
from khaojing.claims.models import Verdict
from khaojing.db.base import utcnow
from khaojing.demo.loader import DEMO_USERS, load_demo
from khaojing.enforcement import custody, package, takedowns
from khaojing.enforcement.models import CustodyEvent, Evidence, Takedown, TakedownEvent
from khaojing.intake.models import Report
from khaojing.jobs.models import Job
from khaojing.thai.dates import format_datetime

TABLES = (Case, AgencyRequest, VerdictVersion, Verdict, Comment, Notice, Evidence, CustodyEvent, Takedown, Job,
          AuditEvent)
PASSWORDS = {u.username: u.password for u in DEMO_USERS}


@pytest.fixture
def loaded_at() -> dt.datetime:
    return utcnow()


@pytest.fixture
def demo(db, settings, tmp_path: Path, loaded_at: dt.datetime):  # noqa: ANN001, ANN201
    settings.demo_data_dir = tmp_path / "no-shared-data"  # the shipped fixture: quick, and the same everywhere
    summary = load_demo(db, now=loaded_at)
    made = {k: v for k, v in summary.workflow.items() if k != "jobs"}
    assert made == {"cases": 7, "evidence": 3, "takedowns": 5} and summary.workflow["jobs"] >= 1  # publication ran
    return summary


def _user(session, name: str) -> User:  # noqa: ANN001
    return session.scalar(select(User).where(User.username == name))


def _login(client, name: str):  # noqa: ANN001, ANN202
    page = client.get("/console/login")
    response = client.post("/console/login", data={"username": name, "password": PASSWORDS[name],
                                                   "csrf_token": csrf_from(page.text)}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


def test_the_analysts_queue_has_a_case_in_every_stage(db, demo) -> None:  # noqa: ANN001
    now = utcnow()
    with db.unit_of_work(readonly=True) as session:
        analyst, editor = _user(session, "analyst"), _user(session, "editor")
        rows = queue.case_queue(session, filters=queue.CaseFilter(state="all"), user_id=analyst.id, now=now).rows
        by_state: dict[str, list[queue.QueueRow]] = {}
        for row in rows:
            by_state.setdefault(row.case.state, []).append(row)
        assert {s: len(r) for s, r in by_state.items()} == {"new": 1, "investigating": 1, "awaiting_agency": 3,
                                                            "in_review": 1, "published": 1}
        assert by_state["new"][0].assignee is None and by_state["investigating"][0].assignee is not None
        waiting = {r.case.id: requests.for_case(session, r.case.id)[0] for r in by_state["awaiting_agency"]}
        sent = [q for q in waiting.values() if q.status == "sent"]
        assert sorted(q.due_at <= now for q in sent) == [False, True]  # one overdue, one due soon
        soon = next(q for q in sent if q.due_at > now)
        assert soon.due_at - now < dt.timedelta(hours=12)
        assert [q.status for q in waiting.values()].count("answered") == 1
        assert [r.overdue_requests for r in by_state["awaiting_agency"]].count(1) == 1
        # the draft awaits an editor who did not write it
        review = verdicts.working_version(session, by_state["in_review"][0].case.id)
        assert review.status == "in_review" and review.author_id == analyst.id
        verdicts.check_four_eyes(review, editor)
        # published through the approval path, and everyone who asked was told by the publication job
        published = by_state["published"][0]
        verdict = verdicts.verdict_of(session, published.claim.id)
        assert verdict.published_at is not None and verdict.approver_id == editor.id != verdict.author_id
        statuses = set(session.scalars(select(Report.status).where(Report.claim_id == published.claim.id)))
        assert statuses == {"answered"}
        assert session.scalar(select(AuditEvent.id).where(AuditEvent.action == "verdict.notified"))


def test_the_officer_logs_in_to_a_request_to_answer(env, demo) -> None:  # noqa: ANN001
    client = _login(env.client, "officer")
    page = client.get("/console/agency")
    assert page.status_code == 200
    with env.db.unit_of_work(readonly=True) as session:
        officer = _user(session, "officer")
        mine = requests.for_agency(session, officer.agency_id)
        waiting = [r for r in mine if r.status == "sent"]
        assert waiting and len(mine) > len(waiting)  # one to answer, and answers given before
    assert f"/console/agency/requests/{waiting[0].id}" in page.text
    assert client.get(f"/console/agency/requests/{waiting[0].id}").status_code == 200


def test_the_vault_verifies_and_the_scam_case_offers_its_package(env, demo) -> None:  # noqa: ANN001
    db = env.db
    with db.unit_of_work(readonly=True) as session:
        check = custody.verify_vault(session, settings=db.settings)
        items = list(session.scalars(select(Evidence).order_by(Evidence.id)))
        actions = [e.action for e in session.scalars(select(CustodyEvent).order_by(CustodyEvent.id))]
    assert check.ok, check.problems
    assert check.items == 3 and {i.case_id for i in items} == {items[0].case_id}
    assert [i.content_type for i in items] == ["image/png", "image/png", "text/plain"]
    assert actions.count("handover") == 1 and actions.count("capture") == 3
    case_id = items[0].case_id
    client = _login(env.client, "analyst")
    page = client.get(f"/console/evidence?case={case_id}")
    assert f"/console/evidence/package/{case_id}" in page.text
    with db.unit_of_work() as session:
        data = package.export_case(session, settings=db.settings, case_id=case_id, actor="user:1", actor_name="x")
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert sum(n.startswith("evidence/") for n in names) == 3 and "manifest.json.sig" in names


def test_the_transparency_page_shows_the_takedowns(env, demo) -> None:  # noqa: ANN001
    with env.db.unit_of_work(readonly=True) as session:
        stats = takedowns.stats(session)
        statuses = set(session.scalars(select(Takedown.status)))
    assert statuses == {"draft", "sent", "removed", "refused"}
    assert stats.total == 4 and stats.political == 1 and len(stats.by_platform) == 4  # the draft is not public
    page = env.client.get("/transparency/takedowns")
    assert page.status_code == 200 and '<dd id="political-count"><strong>1</strong>' in page.text


def _audit(session, object_type: str, ids: list) -> list[AuditEvent]:  # noqa: ANN001
    return list(session.scalars(select(AuditEvent).where(AuditEvent.object_type == object_type,
                                                         AuditEvent.object_id.in_([str(i) for i in ids] or ["-"]))
                                .order_by(AuditEvent.id)))


def test_every_case_tells_its_story_in_order_and_before_the_load(db, demo, loaded_at) -> None:  # noqa: ANN001
    """Opened a week ago means a week ago everywhere: in the audit trail, the agency requests, the takedowns'
    logs and the evidence's custody, each written in the story's order and none dated after the load."""
    with db.unit_of_work(readonly=True) as session:
        for case in session.scalars(select(Case).order_by(Case.id)):
            opened, claim_id = case.opened_at, case.claim_id
            # the claim was started (by a report) before the case on it was opened; its reports came before the load
            started = [e.at for e in _audit(session, "claim", [claim_id]) if e.action == "claim.created"]
            assert len(started) == 1 and started[0] <= opened, case.id
            reports = list(session.scalars(select(Report.id).where(Report.claim_id == claim_id)))
            assert max(e.at for e in _audit(session, "report", reports)) < loaded_at, case.id
            # the case's own trail: the case, its requests, the verdict on its claim, in the order written
            reqs = list(session.scalars(select(AgencyRequest).where(AgencyRequest.case_id == case.id)))
            trail = sorted(_audit(session, "case", [case.id]) + _audit(session, "agency_request", [r.id for r in reqs])
                           + [e for e in _audit(session, "claim", [claim_id]) if e.action.startswith("verdict.")],
                           key=lambda e: e.id)
            chains = [[e.at for e in trail]]
            chains += [[r.sent_at] + ([r.answered_at] if r.answered_at else []) for r in reqs]
            moved = [s.entered_at for s in session.scalars(select(CaseStateChange).where(
                CaseStateChange.case_id == case.id).order_by(CaseStateChange.id))]
            assert [e.at for e in trail if e.action in ("case.opened", "case.transition")] == moved, case.id
            for td in session.scalars(select(Takedown).where(Takedown.case_id == case.id)):
                chains.append([td.created_at] + [e.at for e in takedowns.events(session, td.id)])
                chains.append([e.at for e in _audit(session, "takedown", [td.id])])
            for ev in session.scalars(select(Evidence).where(Evidence.case_id == case.id)):
                chains.append([ev.captured_at] + [e.at for e in custody.log_of(session, ev.id)])
                chains.append([e.at for e in _audit(session, "evidence", [ev.id])])
            for chain in chains:
                assert chain == sorted(chain) and opened <= chain[0] and chain[-1] < loaded_at, (case.id, chain)
        # the takedown made without a case, and every log entry of every takedown
        assert session.scalar(select(func.max(TakedownEvent.at))) < loaded_at
        assert session.scalar(select(func.max(Takedown.created_at))) < loaded_at
        assert custody.verify_vault(session, settings=db.settings).ok  # the signed entries sign the stored times
        assert audit_service.verify_chain(session).ok  # and the audit chain still holds


def test_a_takedown_page_shows_its_story_dates(env, demo, loaded_at) -> None:  # noqa: ANN001
    """The clip removed after the verdict: its log says when, days ago, not the time the demo was loaded."""
    with env.db.unit_of_work(readonly=True) as session:
        td = session.scalar(select(Takedown).where(Takedown.status == "removed"))
        published = session.scalar(select(Verdict.published_at).join(Case, Case.claim_id == Verdict.claim_id)
                                   .where(Case.id == td.case_id))
        created = td.created_at
    page = _login(env.client, "analyst").get(f"/console/takedowns/{td.id}")
    assert page.status_code == 200
    log = page.text.split('id="log"', 1)[1]
    shown = [dt.datetime.fromisoformat(t) for t in re.findall(r'<time datetime="([^"]+)"', log)]
    assert len(shown) == 4  # made, sent, the contact, removed
    assert shown == sorted(shown) and published < shown[0] and shown[-1] < loaded_at - dt.timedelta(days=1)
    assert format_datetime(created, "th", env.db.settings.timezone) in log
    assert format_datetime(loaded_at, "th", env.db.settings.timezone, with_time=False) not in log


def test_a_second_load_adds_nothing(db, demo) -> None:  # noqa: ANN001
    def counts() -> dict[str, int]:
        with db.unit_of_work(readonly=True) as session:
            return {m.__tablename__: session.scalar(select(func.count()).select_from(m)) for m in TABLES}

    before = counts()
    again = load_demo(db)
    assert again.workflow == {} and again.jobs_run == 0 and counts() == before
