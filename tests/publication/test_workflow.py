"""End to end: an editor publishes a verdict in the case workflow, the queued job renders the cards and answers the
reports, the public page shows it; a correction publishes version 2 with new cards and a public history."""

from __future__ import annotations

from sqlalchemy import delete, select

from khaojing.accounts.models import Role
from khaojing.cases import service, verdicts
from khaojing.claims import service as claims
from khaojing.intake.models import Report
from khaojing.intake.service import Submission, accept_report, get_or_create_source
from khaojing.jobs.models import Job
from khaojing.publication import cards

TEXT = "ดื่มน้ำมะนาวผสมโซดาทุกเช้ารักษามะเร็งได้ 100%"


def _draft(**over) -> verdicts.DraftIn:  # noqa: ANN003
    data = {"label": "fake", "headline": "ไม่จริง: มะนาวโซดาไม่รักษามะเร็ง", "claim_text": TEXT,
            "explanation": "ไม่มีงานวิจัยรองรับ", "source_urls": ["https://www.anamai.moph.go.th/"]}
    return verdicts.DraftIn(**(data | over))


def _run_publication_jobs(env) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:  # only the publication job: screening is another stage's business
        session.execute(delete(Job).where(Job.name != verdicts.PUBLISHED_JOB))
    assert env.run_jobs() == 1


def _approve(env, case_id: int, analyst, editor, **draft) -> None:  # noqa: ANN001, ANN003
    with env.db.unit_of_work() as session:
        verdicts.save_draft(session, case_id=case_id, data=_draft(**draft), actor=analyst, settings=env.settings)
        verdicts.submit(session, case_id=case_id, actor=analyst)
        verdicts.approve_and_publish(session, case_id=case_id, actor=editor, settings=env.settings)
    _run_publication_jobs(env)


def test_publish_then_correct_through_the_workflow(env) -> None:  # noqa: ANN001
    analyst, editor = env.user(Role.analyst), env.user(Role.editor)
    with env.db.unit_of_work() as session:
        source = get_or_create_source(session, kind="webform", name="webform")
        report = accept_report(session, settings=env.settings, source=source,
                               sub=Submission(text=TEXT, urls=["https://facebook.com/p/1"]), actor="system").report
        claim = claims.create_claim(session, report=report, title=TEXT, match_text=TEXT, norm_sha256="x",
                                    topic="health", topic_confidence=0.9, harm={})
        claim_id, code = claim.id, report.tracking_code
        case = service.open_case(session, claim_id=claim_id, actor=analyst, settings=env.settings)
        for state in ("screening", "investigating", "drafting"):
            service.transition(session, case_id=case.id, to_state=state, actor=analyst)
        case_id = case.id
    _approve(env, case_id, analyst, editor)
    with env.db.unit_of_work(readonly=True) as session:
        assert session.scalar(select(Report.status).where(Report.claim_id == claim_id)) == "answered"
    assert sorted(p.name.split("-v")[1] for p in cards.cache_dir(env.settings).iterdir()) == \
        ["1-1080.png", "1-1200x630.png"]
    page = env.client.get(f"/verdicts/{claim_id}").text
    assert "ไม่จริง: มะนาวโซดาไม่รักษามะเร็ง" in page and "https://facebook.com/p/1" in page  # the appearance
    assert f'href="/verdicts/{claim_id}"' in env.client.get(f"/track/{code}").text

    with env.db.unit_of_work() as session:
        verdicts.reopen(session, case_id=case_id, actor=editor, reason="ข้อมูลใหม่จากกรมอนามัย")
        service.transition(session, case_id=case_id, to_state="drafting", actor=analyst)
    _approve(env, case_id, analyst, editor, label="distorted", headline="บิดเบือน: มะนาวโซดาไม่ใช่ยา",
             reason="กรมอนามัยชี้แจงเพิ่มเติม")
    assert {p.name.split("-v")[1] for p in cards.cache_dir(env.settings).iterdir()} == {"2-1080.png",
                                                                                      "2-1200x630.png"}
    page = env.client.get(f"/verdicts/{claim_id}").text
    assert "บิดเบือน: มะนาวโซดาไม่ใช่ยา" in page and "กรมอนามัยชี้แจงเพิ่มเติม" in page and "ฉบับที่ 2" in page
    api = env.client.get(f"/api/v1/verdicts/{claim_id}").json()
    assert api["version"] == 2 and [c["version"] for c in api["corrections"]] == [2, 1]
