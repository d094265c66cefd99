"""Console actions on one case: agency requests, comments, attachments, links, and the verdict (draft, review,
approve and publish)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, Response
from sqlalchemy.orm import Session

from khaojing.accounts.models import User
from khaojing.cases import collab, requests, verdicts
from khaojing.cases.access import EDITORS, STAFF, WORKERS, guard, refusal, write
from khaojing.cases.casepage import refused_on_case, settings_of, to_case
from khaojing.cases.files import CheckedFile, attachment_path, check_file
from khaojing.cases.models import Attachment
from khaojing.db.session import Database
from khaojing.errors import Invalid, NotFound
from khaojing.settings import Settings
from khaojing.thai.dates import DateInput, read_date_input
from khaojing.web.deps import get_db
from khaojing.web.forms import optional_id
from khaojing.web.security import verify_csrf

router = APIRouter()
staff, workers, editors = guard(*STAFF), guard(*WORKERS), guard(*EDITORS)
MAX_FILES = 10


def read_files(uploads: list[UploadFile], settings: Settings) -> list[CheckedFile]:
    """Checked images and PDFs from a form's file inputs (an empty input sends a part without a name)."""
    chosen = [u for u in uploads if u is not None and u.filename]
    if len(chosen) > MAX_FILES:
        raise Invalid(f"at most {MAX_FILES} files at once", key="err.files_many", params={"max": MAX_FILES},
                      fields=[{"field": "files", "message": "too many"}])
    return [check_file(u.file.read(settings.max_attachment_bytes + 1), max_bytes=settings.max_attachment_bytes,
                       original_name=u.filename) for u in chosen]


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").replace("\x00", "").splitlines() if line.strip()]


def ids(values: list[str]) -> list[int]:
    return [i for i in map(optional_id, values) if i is not None]


class BadDueTime(Invalid):
    """The deadline field could not be read; the case page says so in the reader's language, under the field."""

    key = "date.bad_time"


def due_time(typed: DateInput) -> dt.datetime | None:
    """The deadline field (read with the center's time zone: '25/07/2568 16:30', '25 ก.ค. 68', ISO) as UTC; empty
    means none (the service's default); a date without a time is due at 23:59 that day."""
    if typed.bad:
        raise BadDueTime("the due time is not a date and time", fields=[{"field": "due_at", "message": "bad"}])
    return typed.value.astimezone(dt.UTC) if typed.value else None


@router.post("/cases/{case_id:int}/requests", dependencies=[Depends(verify_csrf)])
def send_requests(case_id: int, request: Request, agency_ids: list[str] = Form([]), claim_text: str = Form(""),
                  question: str = Form(""), links: str = Form(""), due_at: str = Form(""),
                  files: list[UploadFile] = File([]), user: User = Depends(workers),
                  db: Database = Depends(get_db)) -> Response:
    settings = settings_of(request)
    due = read_date_input(due_at, settings.timezone, with_time=True)

    form = {"agency_ids": ids(agency_ids), "claim_text": claim_text, "question": question, "links": links,
            "due_at": due}

    def action(session: Session) -> tuple[str, str, dict]:
        data = requests.RequestIn(agency_ids=ids(agency_ids), question=question, claim_text=claim_text,
                                  evidence_links=lines(links), due_at=due_time(due),
                                  files=read_files(files, settings))
        try:
            made = requests.send_requests(session, case_id=case_id, data=data, actor=user, settings=settings)
        except Invalid as exc:  # a deadline that was read but is out of range: said under the deadline field
            if any(f.get("field") == "due_at" for f in exc.fields or []):
                form["due_error"] = refusal(request, exc)
            raise
        return to_case(case_id, "requests"), "done.requests", {"n": len(made)}
    return write(request, db, user, action, refused_on_case(request, db, user, case_id, form))


@router.post("/cases/{case_id:int}/requests/{request_id:int}/withdraw", dependencies=[Depends(verify_csrf)])
def withdraw(case_id: int, request_id: int, request: Request, user: User = Depends(workers),
             db: Database = Depends(get_db)) -> Response:
    def action(session: Session) -> tuple[str, str, dict]:
        if requests.get_request(session, request_id).case_id != case_id:
            raise NotFound("no such request on this case")
        requests.withdraw(session, request_id=request_id, actor=user)
        return to_case(case_id, "requests"), "done.withdrawn", {}

    return write(request, db, user, action, refused_on_case(request, db, user, case_id))


@router.post("/cases/{case_id:int}/comments", dependencies=[Depends(verify_csrf)])
def comment(case_id: int, request: Request, body: str = Form(""), user: User = Depends(workers),
            db: Database = Depends(get_db)) -> Response:
    def action(session: Session) -> tuple[str, str, dict]:
        made = collab.add_comment(session, case_id=case_id, actor=user, body=body)
        return to_case(case_id, f"comment-{made.id}"), "done.comment", {}

    return write(request, db, user, action, refused_on_case(request, db, user, case_id, {"body": body}))


@router.post("/cases/{case_id:int}/attachments", dependencies=[Depends(verify_csrf)])
def attach(case_id: int, request: Request, files: list[UploadFile] = File([]), user: User = Depends(workers),
           db: Database = Depends(get_db)) -> Response:
    settings = settings_of(request)

    def action(session: Session) -> tuple[str, str, dict]:
        from khaojing.audit.service import user_actor
        from khaojing.cases.service import get_case

        get_case(session, case_id)
        checked = read_files(files, settings)
        if not checked:
            raise Invalid("choose a file", key="err.choose_file", fields=[{"field": "files", "message": "required"}])
        for item in checked:
            collab.add_attachment(session, case_id=case_id, checked=item, settings=settings,
                                  actor=user_actor(user.id))
        return to_case(case_id, "attachments"), "done.attached", {}

    return write(request, db, user, action, refused_on_case(request, db, user, case_id))


def serve_attachment(att: Attachment | None, settings: Settings) -> Response:
    if att is None:
        raise NotFound("no such attachment")
    path = attachment_path(collab.attachments_dir(settings), att.storage_path)
    if not path.is_file():
        raise NotFound("the attachment's file is missing")
    inline = att.content_type.startswith("image/")
    name = (att.original_name or f"{att.sha256[:16]}").encode("ascii", "ignore").decode() or "attachment"
    disposition = "inline" if inline else f'attachment; filename="{name.replace(chr(34), "")}"'
    return FileResponse(path, media_type=att.content_type,
                        headers={"Cache-Control": "private, max-age=3600", "Content-Disposition": disposition})


@router.get("/cases/attachments/{attachment_id:int}")
def attachment(attachment_id: int, request: Request, user: User = Depends(staff),
               db: Database = Depends(get_db)) -> Response:
    with db.unit_of_work(readonly=True) as session:
        att = session.get(Attachment, attachment_id) if attachment_id < 2**63 else None
    return serve_attachment(att, settings_of(request))


@router.post("/cases/{case_id:int}/links", dependencies=[Depends(verify_csrf)])
def link(case_id: int, request: Request, other_case_id: str = Form(""), kind: str = Form(""),
         note: str = Form(""), user: User = Depends(workers), db: Database = Depends(get_db)) -> Response:
    def action(session: Session) -> tuple[str, str, dict]:
        other = other_case_id.strip().lstrip("#")
        if not other.isdigit() or len(other) > 18:
            raise Invalid("give the number of the other case", key="err.other_case", fields=[{"field": "other_case_id",
                                                                       "message": "required"}])
        collab.link_cases(session, case_id=case_id, other_case_id=int(other), kind=kind, actor=user, note=note)
        return to_case(case_id, "links"), "done.linked", {}

    form = {"other_case_id": other_case_id, "kind": kind, "link_note": note}
    return write(request, db, user, action, refused_on_case(request, db, user, case_id, form))


@router.post("/cases/{case_id:int}/verdict", dependencies=[Depends(verify_csrf)])
def save_draft(case_id: int, request: Request, label: str = Form(""), headline: str = Form(""),
               claim_text: str = Form(""), explanation: str = Form(""), source_urls: str = Form(""),
               statements: str = Form(""), documents: list[str] = Form([]), agency_id: str = Form(""),
               reason: str | None = Form(None), user: User = Depends(workers),
               db: Database = Depends(get_db)) -> Response:
    data = verdicts.DraftIn(label=label, headline=headline, claim_text=claim_text, explanation=explanation,
                            source_urls=lines(source_urls), statements=lines(statements), document_ids=ids(documents),
                            agency_id=optional_id(agency_id),
                            reason=reason)

    def action(session: Session) -> tuple[str, str, dict]:
        version = verdicts.save_draft(session, case_id=case_id, data=data, actor=user, settings=settings_of(request))
        return to_case(case_id, "verdict"), "done.draft", {"version": version.version}

    form = {"label": label, "headline": headline, "claim_text": claim_text, "explanation": explanation,
            "source_urls": source_urls, "statements": statements, "documents": ids(documents),
            "agency_id": data.agency_id, "reason": reason, "draft": True}
    return write(request, db, user, action, refused_on_case(request, db, user, case_id, form))


@router.post("/cases/{case_id:int}/verdict/submit", dependencies=[Depends(verify_csrf)])
def submit(case_id: int, request: Request, user: User = Depends(workers), db: Database = Depends(get_db)) -> Response:
    def action(session: Session) -> tuple[str, str, dict]:
        verdicts.submit(session, case_id=case_id, actor=user)
        return to_case(case_id, "verdict"), "done.submitted", {}

    return write(request, db, user, action, refused_on_case(request, db, user, case_id))


@router.post("/cases/{case_id:int}/verdict/return", dependencies=[Depends(verify_csrf)])
def send_back(case_id: int, request: Request, reason: str = Form(""), user: User = Depends(editors),
              db: Database = Depends(get_db)) -> Response:
    def action(session: Session) -> tuple[str, str, dict]:
        verdicts.send_back(session, case_id=case_id, actor=user, reason=reason)
        return to_case(case_id, "verdict"), "done.returned", {}

    return write(request, db, user, action, refused_on_case(request, db, user, case_id, {"return": reason}))


@router.post("/cases/{case_id:int}/verdict/publish", dependencies=[Depends(verify_csrf)])
def publish(case_id: int, request: Request, user: User = Depends(editors), db: Database = Depends(get_db)) -> Response:
    def action(session: Session) -> tuple[str, str, dict]:
        version = verdicts.approve_and_publish(session, case_id=case_id, actor=user, settings=settings_of(request))
        return to_case(case_id, "verdict"), "done.published", {"version": version.version}

    return write(request, db, user, action, refused_on_case(request, db, user, case_id))
