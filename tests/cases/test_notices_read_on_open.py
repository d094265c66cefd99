"""A notice is read once its page is opened: the assignee who opens the case, the officer who opens the request,
no longer see it counted as new; other people's notices and other pages' notices stay unread."""

from __future__ import annotations

from case_helpers import make_claim
from sqlalchemy import select

from khaojing.cases import notices, requests, service
from khaojing.cases.models import Notice


def _unread(env, user) -> int:  # noqa: ANN001
    with env.db.unit_of_work(readonly=True) as session:
        return notices.unread_count(session, user.id)


def test_opening_the_case_reads_its_notices_only(env, staff, settings) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        first = service.open_case(session, claim_id=make_claim(session, settings).id, actor=staff.editor,
                                  settings=settings).id
        second = service.open_case(session, claim_id=make_claim(session, settings, "ข่าวลือเรื่องที่สอง").id,
                                   actor=staff.editor, settings=settings).id
        for case_id in (first, second):  # the editor assigns both: the analyst gets two notices
            service.assign(session, case_id=case_id, assignee_id=staff.analyst.id, actor=staff.editor)
        notices.notify(session, [staff.analyst.id], "notice.assigned", {"case": first, "by": "x"},
                       url=f"/console/cases/{first}#comment-9")  # a part of the same page
        notices.notify(session, [staff.analyst2.id], "notice.assigned", {"case": first, "by": "x"},
                       url=f"/console/cases/{first}")  # someone else's
    assert _unread(env, staff.analyst) == 3
    client = env.login(staff.analyst)
    page = client.get(f"/console/cases/{first}")
    assert page.status_code == 200
    assert _unread(env, staff.analyst) == 1  # the second case's notice is still new
    assert _unread(env, staff.analyst2) == 1
    client.get(f"/console/cases/{first}1")  # /console/cases/11 is another page (and not found): nothing read
    assert _unread(env, staff.analyst) == 1


def test_opening_a_page_reads_only_its_own_notices(env, staff, settings) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        case_id = service.open_case(session, claim_id=make_claim(session, settings).id, actor=staff.analyst,
                                    settings=settings).id
        page = f"/console/cases/{case_id}"
        assert notices.read_on_open(session, staff.analyst.id, page) == 0  # none about it: nothing marked
        for url in (f"{page}0", f"{page}/requests", f"{page}#comments"):  # another case, another page, a part
            notices.notify(session, [staff.analyst.id], "notice.assigned", {"case": case_id, "by": "บก."}, url=url)
        assert notices.read_on_open(session, staff.analyst.id, page) == 1
        unread = session.scalars(select(Notice.url).where(Notice.user_id == staff.analyst.id,
                                                          Notice.read_at.is_(None))).all()
        assert sorted(unread) == sorted([f"{page}0", f"{page}/requests"])


def test_the_officer_reads_the_new_request_notice_by_opening_the_request(env, staff, settings) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        case = service.open_case(session, claim_id=make_claim(session, settings).id, actor=staff.editor,
                                 settings=settings)
        service.assign(session, case_id=case.id, assignee_id=staff.analyst.id, actor=staff.editor)
        for state in ("screening", "investigating"):
            service.transition(session, case_id=case.id, to_state=state, actor=staff.analyst, reason="ok")
        [req] = requests.send_requests(session, case_id=case.id, actor=staff.analyst, settings=settings,
                                       data=requests.RequestIn(agency_ids=[staff.agency.id], question="จริงไหม"))
        request_id = req.id
    new = _unread(env, staff.officer)
    assert new >= 1
    client = env.login(staff.officer)
    assert client.get(f"/console/agency/requests/{request_id}").status_code == 200
    assert _unread(env, staff.officer) == new - 1


def test_viewing_a_case_without_notices_takes_no_write_lock(env, staff, settings, monkeypatch) -> None:  # noqa: ANN001
    """A page view is a read: it must not open a writing unit (on SQLite: queue behind every writer)."""
    with env.db.unit_of_work() as session:
        case_id = service.open_case(session, claim_id=make_claim(session, settings).id, actor=staff.analyst,
                                    settings=settings).id
    client = env.login(staff.analyst)
    unit, writes = env.db.unit_of_work, []

    def counting(*, readonly: bool = False):  # noqa: ANN202
        if not readonly:
            writes.append(1)
        return unit(readonly=readonly)

    monkeypatch.setattr(env.db, "unit_of_work", counting)
    assert client.get(f"/console/cases/{case_id}").status_code == 200
    assert writes == []
    with unit() as session:
        notices.notify(session, [staff.analyst.id], "notice.assigned", {"case": case_id, "by": "x"},
                       url=f"/console/cases/{case_id}")
    assert client.get(f"/console/cases/{case_id}").status_code == 200
    assert writes == [1] and _unread(env, staff.analyst) == 0  # one write, to mark it read
