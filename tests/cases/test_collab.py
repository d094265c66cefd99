"""Working together: @mentions notify colleagues, attachments are checked by content and stored safely, related
cases are linked both ways, and an agency can decline or forward a request to the agency that owns it."""

from __future__ import annotations

import pytest
from case_helpers import make_claim, pdf_bytes
from fastapi.testclient import TestClient
from sqlalchemy import select

from helpers import csrf_from, image_bytes
from khaojing.cases import collab, requests, service
from khaojing.cases.files import check_file
from khaojing.cases.models import AgencyRequest, Attachment, Notice
from khaojing.errors import Invalid, TooLarge


def _case(session, settings, staff, state: str = "investigating"):  # noqa: ANN001, ANN202
    case = service.open_case(session, claim_id=make_claim(session, settings).id, actor=staff.analyst,
                             settings=settings)
    steps = ("screening", "investigating", "drafting")
    for step in steps[:steps.index(state) + 1]:
        service.transition(session, case_id=case.id, to_state=step, actor=staff.analyst)
    return case


def test_mentions_notify_staff_but_never_officers(db, settings, staff) -> None:  # noqa: ANN001
    with db.unit_of_work() as session:
        case = _case(session, settings, staff)
        comment = collab.add_comment(session, case_id=case.id, actor=staff.analyst,
                                     body="@editor ช่วยดูแหล่งข่าวนี้ด้วย cc @Analyst2, @officer และ @nobody @analyst")
        assert comment.mentions == [staff.analyst2.id, staff.editor.id]
        notices = session.scalars(select(Notice).where(Notice.key == "notice.mentioned")).all()
        assert sorted(n.user_id for n in notices) == sorted([staff.editor.id, staff.analyst2.id])
        assert notices[0].url == f"/console/cases/{case.id}#comment-{comment.id}"
        with pytest.raises(Invalid):
            collab.add_comment(session, case_id=case.id, actor=staff.analyst, body="   ")


def test_files_are_checked_by_content() -> None:
    assert check_file(image_bytes("JPEG"), max_bytes=10**6, original_name="x.pdf").content_type == "image/jpeg"
    assert check_file(pdf_bytes(), max_bytes=10**6, original_name="../../etc/passwd").original_name == "passwd"
    for data in (b"<html><script>alert(1)</script></html>", b"%PDF-1.7 but no end", b"GIF89a" + b"\0" * 20):
        with pytest.raises(Invalid, match="only images"):
            check_file(data, max_bytes=10**6, original_name="evil.png")
    with pytest.raises(TooLarge):
        check_file(pdf_bytes(), max_bytes=100)


def test_upload_download_and_a_refused_file(env, settings, staff) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        case_id = _case(session, settings, staff).id
    client = env.login(staff.analyst, client=TestClient(env.app))
    token = csrf_from(client.get(f"/console/cases/{case_id}").text)
    refused = client.post(f"/console/cases/{case_id}/attachments", data={"csrf_token": token},
                          files=[("files", ("clip.png", b"<svg onload=alert(1)>", "image/png"))],
                          params={"lang": "th"})
    assert refused.status_code == 422 and "JPEG, PNG, WebP" in refused.text
    done = client.post(f"/console/cases/{case_id}/attachments", data={"csrf_token": token},
                       files=[("files", ("หนังสือชี้แจง.pdf", pdf_bytes(), "application/pdf")),
                              ("files", ("shot.png", image_bytes(), "image/png"))], follow_redirects=False)
    assert done.status_code == 303
    with env.db.unit_of_work(readonly=True) as session:
        files = session.scalars(select(Attachment).order_by(Attachment.id)).all()
    assert [f.content_type for f in files] == ["application/pdf", "image/png"]
    stored = settings.data_dir / "attachments" / files[0].storage_path
    assert stored.read_bytes() == pdf_bytes()
    pdf = client.get(f"/console/cases/attachments/{files[0].id}")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.headers["content-disposition"].startswith(
        "attachment") and pdf.headers["x-content-type-options"] == "nosniff"
    assert client.get(f"/console/cases/attachments/{files[1].id}").headers["content-disposition"] == "inline"


def test_links_show_on_both_cases(db, settings, staff) -> None:  # noqa: ANN001
    with db.unit_of_work() as session:
        a, b = _case(session, settings, staff), _case(session, settings, staff)
        collab.link_cases(session, case_id=a.id, other_case_id=b.id, kind="same_campaign", actor=staff.analyst,
                          note="เพจเดียวกันโพสต์ทั้งสองเรื่อง")
        from khaojing.errors import Conflict

        with pytest.raises(Conflict):
            collab.link_cases(session, case_id=b.id, other_case_id=a.id, kind="same_campaign", actor=staff.analyst)
        with pytest.raises(Invalid):
            collab.link_cases(session, case_id=a.id, other_case_id=a.id, kind="same_actor", actor=staff.analyst)
        assert [other for _link, other in collab.links_of(session, b.id)] == [a.id]


def test_an_agency_forwards_and_another_declines(db, settings, staff) -> None:  # noqa: ANN001
    from khaojing.errors import Conflict, Forbidden

    with db.unit_of_work() as session:
        case = _case(session, settings, staff)
        png = check_file(image_bytes(), max_bytes=10**6, original_name="post.png")
        [req] = requests.send_requests(session, case_id=case.id, actor=staff.analyst, settings=settings,
                                       data=requests.RequestIn(agency_ids=[staff.agency.id], question="ยานี้ขึ้นทะเบียนไหม",
                                                               files=[png]))
        with pytest.raises(Forbidden):
            requests.answer(session, request_id=req.id, officer=staff.other_officer, text="x", proposed_label=None,
                            files=[], settings=settings)
        new = requests.forward(session, request_id=req.id, officer=staff.officer, to_agency_id=staff.other_agency.id,
                               note="เรื่องยาเป็นของ อย.", settings=settings)
        assert req.status == "forwarded" and new.agency_id == staff.other_agency.id and new.forwarded_from_id == req.id
        copied = session.scalars(select(Attachment).where(Attachment.request_id == new.id)).all()
        assert [a.purpose for a in copied] == ["evidence"]
        with pytest.raises(Conflict):
            requests.decline(session, request_id=req.id, officer=staff.officer, reason="ซ้ำ")
        requests.decline(session, request_id=new.id, officer=staff.other_officer, reason="ไม่ใช่ยา เป็นอาหารเสริม")
        statuses = dict(session.execute(select(AgencyRequest.id, AgencyRequest.status)).all())
        assert statuses == {req.id: "forwarded", new.id: "declined"}
        keys = sorted(session.scalars(select(Notice.key).where(Notice.user_id == staff.analyst.id)))
        assert keys == ["notice.request_declined", "notice.request_forwarded"]
