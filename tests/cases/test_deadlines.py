"""Deadlines on a controllable clock (the periodic job takes `now`; nothing sleeps): the first-action SLA
reminds then escalates to editors; an overdue agency request is chased once by e-mail, then escalated; a down
SMTP server is retried by the job queue."""

from __future__ import annotations

import datetime as dt

from case_helpers import Inbox, free_port, make_claim
from sqlalchemy import func, select

from khaojing.audit.models import AuditEvent
from khaojing.cases import mail, requests, service
from khaojing.cases.jobs import CHECK_JOB
from khaojing.cases.models import AgencyRequest, Notice
from khaojing.db.base import utcnow
from khaojing.jobs import queue, registry
from khaojing.jobs.models import Job
from khaojing.jobs.worker import Worker


def _tick(env, when: dt.datetime) -> None:  # noqa: ANN001
    """Run the periodic deadline job as the worker would, with the clock at `when`."""
    with env.db.unit_of_work() as session:
        queue.enqueue(session, CHECK_JOB, {"now": when.isoformat()})
    env.run_jobs()


def _notices(env, key: str) -> list[int]:  # noqa: ANN001
    with env.db.unit_of_work(readonly=True) as session:
        return list(session.scalars(select(Notice.user_id).where(Notice.key == key).order_by(Notice.user_id)))


def test_the_deadline_job_is_periodic() -> None:
    import khaojing.handlers  # noqa: F401

    assert any(s.name == CHECK_JOB for s in registry.schedules())
    assert registry.get_handler(CHECK_JOB) is not None and registry.get_handler(mail.EMAIL_JOB) is not None


def test_an_overdue_request_is_chased_once_then_escalated(env, settings, staff, smtp) -> None:  # noqa: ANN001
    now = utcnow()
    with env.db.unit_of_work() as session:
        case = service.open_case(session, claim_id=make_claim(session, settings, at=now).id, actor=staff.analyst,
                                 settings=settings, now=now)
        for state in ("screening", "investigating"):
            service.transition(session, case_id=case.id, to_state=state, actor=staff.analyst, now=now)
        [req] = requests.send_requests(session, case_id=case.id, actor=staff.analyst, settings=settings, now=now,
                                       data=requests.RequestIn(agency_ids=[staff.agency.id], question="จริงหรือไม่"))
        req_id, due = req.id, req.due_at
    assert due == now + dt.timedelta(hours=24)
    env.run_jobs()
    assert len(smtp.messages) == 1  # the request itself
    _tick(env, due - dt.timedelta(minutes=1))
    assert len(smtp.messages) == 1
    _tick(env, due + dt.timedelta(minutes=1))
    _tick(env, due + dt.timedelta(minutes=30))  # chased once only
    [_first, (rcpt, chase)] = smtp.parsed()
    assert set(rcpt) == {"liaison1@anamai.go.th", "officer@center.example"}
    assert "ทวงถาม" in chase["subject"] and "overdue" in chase["subject"]
    assert _notices(env, "notice.request_overdue") == [staff.officer.id]
    _tick(env, due + dt.timedelta(hours=12))  # 11 h 59 min after the chase: not yet
    assert len(smtp.messages) == 2
    _tick(env, due + dt.timedelta(hours=12, minutes=2))
    _tick(env, due + dt.timedelta(hours=13))
    [_first, _chase, (rcpt, escalation)] = smtp.parsed()
    assert set(rcpt) == {"editor@center.example", "editor2@center.example"}
    assert f"#{req_id}" in escalation["subject"] and "กรมอนามัย" in escalation.get_content()
    assert _notices(env, "notice.request_escalated") == sorted([staff.analyst.id, staff.editor.id,
                                                                staff.editor2.id])
    with env.db.unit_of_work(readonly=True) as session:
        saved = session.get(AgencyRequest, req_id)
        assert saved.chased_at == due + dt.timedelta(minutes=1)
        assert saved.escalated_at == due + dt.timedelta(hours=12, minutes=2)
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "agency_request"))
        assert list(actions) == ["agency_request.sent", "agency_request.chased", "agency_request.escalated"]


def test_first_action_sla_reminds_then_escalates(env, settings, staff, smtp) -> None:  # noqa: ANN001
    t0 = (utcnow() - dt.timedelta(hours=31)).replace(microsecond=0)  # the page below reads the real clock
    with env.db.unit_of_work() as session:
        urgent = make_claim(session, settings, "แอปกู้เงินด่วนโอนค่าธรรมเนียมก่อน", harm={"property": 0.8}, at=t0,
                            topic="finance")
        calm = make_claim(session, settings, "ดาราคนนี้ย้ายบ้าน", harm={"life": 0.1}, at=t0, topic="other")
        hot = service.open_case(session, claim_id=urgent.id, actor=staff.analyst, settings=settings, now=t0)
        cold = service.open_case(session, claim_id=calm.id, actor=staff.analyst, settings=settings, now=t0)
        service.assign(session, case_id=hot.id, assignee_id=staff.analyst.id, actor=staff.analyst)
        hot_id, cold_id = hot.id, cold.id
        assert (hot.due_at, cold.due_at) == (t0 + dt.timedelta(hours=2), t0 + dt.timedelta(hours=24))
    _tick(env, t0 + dt.timedelta(hours=1))
    assert _notices(env, "notice.sla_reminder") == []
    _tick(env, t0 + dt.timedelta(minutes=95))  # 75 % of 2 h has passed
    assert _notices(env, "notice.sla_reminder") == [staff.analyst.id]
    _tick(env, t0 + dt.timedelta(hours=2, minutes=1))
    [(rcpt, overdue)] = smtp.parsed()
    assert set(rcpt) == {"editor@center.example", "editor2@center.example"}
    assert f"#{hot_id}" in overdue["subject"] and "แอปกู้เงินด่วน" in overdue.get_content()
    assert _notices(env, "notice.sla_escalated") == sorted([staff.analyst.id, staff.editor.id, staff.editor2.id])
    with env.db.unit_of_work() as session:
        service.transition(session, case_id=cold_id, to_state="screening", actor=staff.analyst,
                           now=t0 + dt.timedelta(hours=3))
    _tick(env, t0 + dt.timedelta(hours=30))  # the calm case was acted on in time: nothing more
    assert len(smtp.messages) == 1
    client = env.login(staff.editor)
    overdue_page = client.get("/console/cases", params={"overdue": "1"}).text
    assert f"/console/cases/{hot_id}" in overdue_page and f"/console/cases/{cold_id}\"" not in overdue_page


def test_mail_waits_for_a_down_smtp_server(env, settings, staff) -> None:  # noqa: ANN001
    port = free_port()
    settings.smtp_host, settings.smtp_port, settings.smtp_starttls = "127.0.0.1", port, False
    with env.db.unit_of_work() as session:
        assert mail.enqueue(session, settings, to=["liaison@agency.go.th"], key="mail.request_new", dedupe="t1",
                            request=1, agency="กรมอนามัย", claim="ข่าว", question="จริงไหม", due_th="1 มีนาคม 2569",
                            due_en="1 Mar 2026", url="http://x")
    worker = Worker(env.db)
    assert worker.run_one()
    with env.db.unit_of_work(readonly=True) as session:
        job = session.scalar(select(Job).where(Job.name == mail.EMAIL_JOB))
        assert job.status == "queued" and job.attempts == 1 and "Connection" in job.last_error
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        worker.run_until_empty()
    finally:
        controller.stop()
    assert len(inbox.messages) == 1 and inbox.messages[0][1] == ["liaison@agency.go.th"]
    with env.db.unit_of_work(readonly=True) as session:
        assert session.scalar(select(func.count(Job.id)).where(Job.name == mail.EMAIL_JOB,
                                                               Job.status == "done")) == 1
