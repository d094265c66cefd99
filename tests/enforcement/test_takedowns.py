"""Takedowns: the declared status table, contacts, reminders, the re-check job against a real local site (a page
that is removed moves the request to "removed", one that comes back to "restored"), and per-platform statistics."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from khaojing.cases.models import Notice
from khaojing.enforcement import capture, jobs, states, takedowns
from khaojing.enforcement import service as vault
from khaojing.errors import Invalid, InvalidTransition
from khaojing.jobs import queue

T0 = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)


def _takedown(db, settings, staff, url: str, *, evidence: bool = True, reason: str = "scam") -> int:  # noqa: ANN001
    eid = None
    if evidence:
        fetched = capture.fetch(url, settings=settings)
        with db.unit_of_work() as session:
            eid = vault.record_fetch(session, settings=settings, fetched=fetched, actor="user:1").id
    with db.unit_of_work() as session:
        td = takedowns.create(session, url=url, reason=reason, actor=staff.analyst, platform="website",
                              evidence_id=eid, contact="abuse@host.example")
        takedowns.transition(session, settings=settings, takedown_id=td.id, to_status=states.SENT,
                             actor=staff.analyst, now=T0)
        return td.id


def _run_recheck(env, when: dt.datetime) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        queue.enqueue(session, jobs.RECHECK_DUE, {"now": when.isoformat()})
    env.run_jobs()


def test_the_recheck_job_sees_a_removed_page_and_a_restored_one(env, enf_settings, site, staff) -> None:  # noqa: ANN001
    env.db.settings.enforcement_allow_private_targets = True
    env.db.settings.enforcement_screenshots = False
    td_id = _takedown(env.db, enf_settings, staff, site.url + "/scam")

    _run_recheck(env, T0 + dt.timedelta(minutes=5))
    with env.db.unit_of_work(readonly=True) as session:
        td = takedowns.get(session, td_id)
        assert (td.status, td.last_check) == ("sent", "up")
        check = [e for e in takedowns.events(session, td_id) if e.kind == "check"][-1]
        assert check.data["same_as_capture"] is True and check.data["status_code"] == 200

    page = site.pages.pop("/scam")  # the host takes the page down
    _run_recheck(env, T0 + dt.timedelta(hours=25))
    with env.db.unit_of_work(readonly=True) as session:
        td = takedowns.get(session, td_id)
        assert (td.status, td.last_check) == ("removed", "gone")
        log = takedowns.events(session, td_id)
        assert [e.kind for e in log][-2:] == ["check", "status"]
        assert log[-1].actor == "system" and log[-1].data["status_code"] == 404

    site.pages["/scam"] = page  # and it comes back
    _run_recheck(env, T0 + dt.timedelta(hours=50))
    with env.db.unit_of_work(readonly=True) as session:
        assert takedowns.get(session, td_id).status == "restored"


def test_a_page_replaced_by_other_content_is_changed_not_removed(env, enf_settings, site, staff) -> None:  # noqa: ANN001
    env.db.settings.enforcement_allow_private_targets = True
    env.db.settings.enforcement_screenshots = False
    td_id = _takedown(env.db, enf_settings, staff, site.url + "/scam")
    site.pages["/scam"] = (200, "text/html", "<html><body><p>เนื้อหานี้ไม่พร้อมใช้งาน</p></body></html>".encode())
    _run_recheck(env, T0 + dt.timedelta(hours=1))
    with env.db.unit_of_work(readonly=True) as session:
        td = takedowns.get(session, td_id)
        assert (td.status, td.last_check) == ("sent", "changed")
        check = [e for e in takedowns.events(session, td_id) if e.kind == "check"][-1]
        assert check.data["similarity"] < 0.6


def test_the_status_table_and_roles_are_enforced(db, enf_settings, staff) -> None:  # noqa: ANN001
    with db.unit_of_work() as session:
        td = takedowns.create(session, url="https://www.facebook.com/goldrich/posts/1", reason="scam",
                              actor=staff.analyst)
        assert td.platform == "facebook" and td.political is False
        td_id = td.id
    with pytest.raises(InvalidTransition), db.unit_of_work() as session:
        takedowns.transition(session, settings=enf_settings, takedown_id=td_id, to_status="removed",
                             actor=staff.analyst)
    with db.unit_of_work() as session:
        for target in ("sent", "refused"):
            takedowns.transition(session, settings=enf_settings, takedown_id=td_id, to_status=target,
                                 actor=staff.analyst)
    with pytest.raises(InvalidTransition, match="only editor"), db.unit_of_work() as session:
        takedowns.transition(session, settings=enf_settings, takedown_id=td_id, to_status="court_order_requested",
                             actor=staff.analyst)
    with db.unit_of_work() as session:
        takedowns.transition(session, settings=enf_settings, takedown_id=td_id, to_status="court_order_requested",
                             actor=staff.editor, note="ยื่นผ่านกระทรวงดิจิทัลฯ")
    with pytest.raises(Invalid), db.unit_of_work() as session:
        takedowns.create(session, url="javascript:alert(1)", reason="scam", actor=staff.analyst)
    with pytest.raises(Invalid), db.unit_of_work() as session:
        takedowns.create(session, url="https://x.com/a", reason="because", actor=staff.analyst)


def test_a_late_platform_gets_one_reminder(env, enf_settings, staff) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        td = takedowns.create(session, url="https://www.tiktok.com/@x/video/1", reason="dangerous_product",
                              actor=staff.analyst)
        takedowns.transition(session, settings=enf_settings, takedown_id=td.id, to_status="sent",
                             actor=staff.analyst, now=T0)
        takedowns.add_contact(session, takedown_id=td.id, actor=staff.analyst, channel="web_form",
                              note="ส่งแบบฟอร์มรายงานของ TikTok", at=T0)
    for hours in (24, 24 * 8, 24 * 9):
        with env.db.unit_of_work() as session:
            queue.enqueue(session, jobs.REMINDERS, {"now": (T0 + dt.timedelta(hours=hours)).isoformat()})
        env.run_jobs()
    with env.db.unit_of_work(readonly=True) as session:
        notes = session.scalars(select(Notice).where(Notice.user_id == staff.analyst.id)).all()
    assert [n.key for n in notes] == ["enf.notice_due"] and notes[0].url == f"/console/takedowns/{td.id}"


def test_a_takedown_entered_afterwards_keeps_the_times_it_was_given(db, enf_settings, staff) -> None:  # noqa: ANN001
    sent = T0 + dt.timedelta(minutes=10)
    with db.unit_of_work() as session:
        td = takedowns.create(session, url="https://www.facebook.com/page/1", reason="scam", actor=staff.analyst,
                              now=T0)
        takedowns.transition(session, settings=enf_settings, takedown_id=td.id, to_status="sent",
                             actor=staff.analyst, now=sent)
        takedowns.add_contact(session, takedown_id=td.id, actor=staff.analyst, channel="web_form",
                              note="ส่งแบบฟอร์มรายงานของ Meta", at=sent)
        td_id = td.id
    with db.unit_of_work(readonly=True) as session:
        td = takedowns.get(session, td_id)
        assert (td.created_at, td.status_since) == (T0, sent)
        assert [(e.kind, e.at) for e in takedowns.events(session, td_id)] == [
            ("created", T0), ("status", sent), ("contact", sent)]


def test_statistics_by_platform_reason_and_political(db, enf_settings, staff) -> None:  # noqa: ANN001
    rows = [("https://www.facebook.com/a", "scam", "removed"), ("https://www.facebook.com/b", "scam", "refused"),
            ("https://www.tiktok.com/c", "false_content_s14", "removed"),
            ("https://www.youtube.com/d", "lese_majeste", "sent"), ("https://x.com/e", "political", None)]
    with db.unit_of_work() as session:
        for url, reason, final in rows:
            td = takedowns.create(session, url=url, reason=reason, actor=staff.editor)
            path = {"removed": ["sent", "removed"], "refused": ["sent", "refused"], "sent": ["sent"], None: []}[final]
            for target in path:
                takedowns.transition(session, settings=enf_settings, takedown_id=td.id, to_status=target,
                                     actor=staff.editor)
    with db.unit_of_work(readonly=True) as session:
        public = takedowns.stats(session)
        everything = takedowns.stats(session, include_drafts=True)
    assert public.total == 4 and everything.total == 5  # the political draft was never sent
    assert public.political == 1 and everything.political == 2
    assert public.by_platform["facebook"] == {"removed": 1, "refused": 1}
    assert public.rate(public.by_platform["facebook"]) == 50
    assert public.by_reason["lese_majeste"] == {"sent": 1}
