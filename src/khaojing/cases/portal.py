"""The agency portal: an officer sees only their agency's requests and the evidence sent with them (never who
reported the claim), and answers, declines or forwards each one."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from khaojing.accounts.models import Agency, User
from khaojing.cases import notices, requests
from khaojing.cases.access import OFFICERS, denials_audited, guard, page, read_notices_of, take_flash, write
from khaojing.cases.casepage import settings_of
from khaojing.cases.models import AgencyRequest, Attachment
from khaojing.cases.views_work import read_files, serve_attachment
from khaojing.db.base import utcnow
from khaojing.db.session import Database
from khaojing.errors import Forbidden
from khaojing.web.deps import get_db
from khaojing.web.forms import optional_id
from khaojing.web.security import verify_csrf

router = APIRouter()
officers = guard(*OFFICERS)


@dataclass
class PortalRequest:
    """Only what an agency may see of a request: no claim id, no reports, nothing about the reporter."""

    req: AgencyRequest
    evidence: list[Attachment]
    answer_files: list[Attachment]
    overdue: bool


def _agency(session: Session, user: User) -> Agency:
    agency = session.get(Agency, user.agency_id) if user.agency_id else None
    if agency is None:
        raise Forbidden("this officer account belongs to no agency")
    return agency


def _files(session: Session, request_id: int) -> list[Attachment]:
    return list(session.scalars(select(Attachment).where(Attachment.request_id == request_id)
                                .order_by(Attachment.id)))


@router.get("/agency")
def portal_home(request: Request, user: User = Depends(officers), db: Database = Depends(get_db)) -> Response:
    now = utcnow()
    with denials_audited(db, request, user), db.unit_of_work(readonly=True) as session:
        agency = _agency(session, user)
        items = [PortalRequest(req=r, evidence=[], answer_files=[], overdue=r.status == "sent" and r.due_at <= now)
                 for r in requests.for_agency(session, agency.id)]
        recent = notices.recent(session, user.id, limit=10)
        unread = notices.unread_count(session, user.id)
    return page(request, "console/agency_portal.html", {
        "active": "agency", "agency": agency, "items": items, "recent": recent, "unread": unread, "now": now,
        "waiting": sum(1 for i in items if i.req.status == "sent"), "notice": take_flash(request)})


def _request_page(request: Request, db: Database, user: User, request_id: int, *, error: str | None = None,
                  form: dict | None = None, status_code: int = 200, error_at: str | None = None) -> Response:
    """The request's page; a refusal shows at the top, or under the field of the form it concerns (`error_at`)."""
    now = utcnow()
    with denials_audited(db, request, user), db.unit_of_work(readonly=True) as session:
        req = requests.request_for_officer(session, request_id, user)
        files = _files(session, req.id)
        item = PortalRequest(req=req, evidence=[f for f in files if f.purpose == "evidence"],
                             answer_files=[f for f in files if f.purpose == "answer"],
                             overdue=req.status == "sent" and req.due_at <= now)
        agency = _agency(session, user)
        others = list(session.scalars(select(Agency).where(Agency.active.is_(True), Agency.id != agency.id)
                                      .order_by(Agency.name_th)))
    return page(request, "console/agency_request.html", {
        "active": "agency", "agency": agency, "item": item, "others": others, "now": now, "error": error,
        "form": form or {}, "error_at": error_at, "notice": None if error else take_flash(request)},
        status_code=status_code)


@router.get("/agency/requests/{request_id:int}")
def portal_request(request_id: int, request: Request, user: User = Depends(officers),
                   db: Database = Depends(get_db)) -> Response:
    read_notices_of(db, user, request)
    return _request_page(request, db, user, request_id)


def _refused(request: Request, db: Database, user: User, request_id: int, form: dict,  # noqa: ANN202
             error_at: str | None = None):
    return lambda message, status: _request_page(request, db, user, request_id, error=message, form=form,
                                                 status_code=status, error_at=error_at)


def _back(request_id: int) -> str:
    return f"/console/agency/requests/{request_id}"


@router.post("/agency/requests/{request_id:int}/answer", dependencies=[Depends(verify_csrf)])
def portal_answer(request_id: int, request: Request, answer: str = Form(""), proposed_label: str = Form(""),
                  files: list[UploadFile] = File([]), user: User = Depends(officers),
                  db: Database = Depends(get_db)) -> Response:
    settings = settings_of(request)

    def action(session: Session) -> tuple[str, str, dict]:
        checked = read_files(files, settings)
        requests.answer(session, request_id=request_id, officer=user, text=answer,
                        proposed_label=proposed_label or None, files=checked, settings=settings)
        return _back(request_id), "portal.done_answer", {}

    form = {"answer": answer, "proposed_label": proposed_label}
    return write(request, db, user, action, _refused(request, db, user, request_id, form))


@router.post("/agency/requests/{request_id:int}/decline", dependencies=[Depends(verify_csrf)])
def portal_decline(request_id: int, request: Request, reason: str = Form(""), user: User = Depends(officers),
                   db: Database = Depends(get_db)) -> Response:
    def action(session: Session) -> tuple[str, str, dict]:
        requests.decline(session, request_id=request_id, officer=user, reason=reason)
        return _back(request_id), "portal.done_decline", {}

    return write(request, db, user, action, _refused(request, db, user, request_id, {"reason": reason}))


@router.post("/agency/requests/{request_id:int}/forward", dependencies=[Depends(verify_csrf)])
def portal_forward(request_id: int, request: Request, to_agency_id: str = Form(""), note: str = Form(""),
                   user: User = Depends(officers), db: Database = Depends(get_db)) -> Response:
    def action(session: Session) -> tuple[str, str, dict]:
        target = optional_id(to_agency_id) or 0
        requests.forward(session, request_id=request_id, officer=user, to_agency_id=target, note=note,
                         settings=settings_of(request))
        return _back(request_id), "portal.done_forward", {}

    form = {"to_agency_id": to_agency_id, "note": note}
    return write(request, db, user, action, _refused(request, db, user, request_id, form, error_at="forward"))


@router.get("/agency/attachments/{attachment_id:int}")
def portal_attachment(attachment_id: int, request: Request, user: User = Depends(officers),
                      db: Database = Depends(get_db)) -> Response:
    """A file the officer may see: evidence sent with, or an answer to, one of their agency's requests."""
    with denials_audited(db, request, user), db.unit_of_work(readonly=True) as session:
        att = session.get(Attachment, attachment_id) if attachment_id < 2**63 else None
        if att is not None:
            req = session.get(AgencyRequest, att.request_id) if att.request_id else None
            if req is None or req.agency_id != user.agency_id:
                raise Forbidden("this file was not sent to your agency")
    return serve_attachment(att, settings_of(request))
