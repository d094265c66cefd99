"""Enforcement console pages (issue 8), mounted under /console: the evidence vault (list, capture, upload, report
images, one item with its custody log, attach, hand-over, file download) and the case's evidence package.
The takedown pages are a router of their own (views_takedowns.py), included here so the app mounts one router."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, Response
from sqlalchemy.orm import Session

from khaojing.accounts.models import Role, User
from khaojing.audit import service as audit
from khaojing.cases.access import page, refusal, take_flash, write
from khaojing.db.session import Database
from khaojing.enforcement import capture, package, service, views_takedowns
from khaojing.enforcement import messages as _messages  # noqa: F401  (registers the texts)
from khaojing.enforcement.models import EvidenceFile
from khaojing.enforcement.signing import keyring, load_key
from khaojing.errors import DomainError, Invalid, NotFound
from khaojing.settings import Settings
from khaojing.web.deps import get_db, require
from khaojing.web.forms import form_id, optional_id
from khaojing.web.security import verify_csrf

router = APIRouter(include_in_schema=False)
STAFF = require(Role.admin, Role.editor, Role.analyst)
WORKERS = require(Role.analyst, Role.editor)


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _list_page(request: Request, db: Database, *, error: str | None = None, form: dict | None = None,
               status_code: int = 200) -> Response:
    raw_case = request.query_params.get("case", "")
    case_id = optional_id(raw_case)
    with db.unit_of_work(readonly=True) as session:
        items = service.list_evidence(session, case_id=case_id)
    return page(request, "console/enforcement_evidence_list.html", {
        "active": "evidence", "items": items, "error": error, "form": form or {}, "case_id": case_id,
        "notice": None if error else take_flash(request)}, status_code=status_code)


@router.get("/evidence")
def evidence_list(request: Request, user: User = Depends(STAFF), db: Database = Depends(get_db)) -> Response:
    return _list_page(request, db)


def _record(request: Request, db: Database, user: User, form: dict, make) -> Response:  # noqa: ANN001
    def action(session: Session) -> tuple[str, str, dict]:
        ev = make(session)
        return f"/console/evidence/{ev.id}", "enf.done_captured", {}

    return write(request, db, user, action,
                 lambda message, status: _list_page(request, db, error=message, form=form, status_code=status))


@router.post("/evidence/capture", dependencies=[Depends(verify_csrf)])
def capture_url(request: Request, url: str = Form(""), case_id: str = Form(""), note: str = Form(""),
                user: User = Depends(WORKERS), db: Database = Depends(get_db)) -> Response:
    form = {"url": url, "case_id": case_id, "note": note}
    settings = _settings(request)
    try:  # the fetch (seconds) happens before the unit of work, so it never holds the database
        case = form_id(case_id, "case_id")
        fetched = capture.fetch(url, settings=settings)
    except DomainError as exc:
        return _list_page(request, db, error=refusal(request, exc), form=form, status_code=exc.status_code)
    return _record(request, db, user, form, lambda session: service.record_fetch(
        session, settings=settings, fetched=fetched, actor=audit.user_actor(user.id), case_id=case, note=note))


@router.post("/evidence/upload", dependencies=[Depends(verify_csrf)])
def upload(request: Request, file: UploadFile = File(...), case_id: str = Form(""), note: str = Form(""),
           user: User = Depends(WORKERS), db: Database = Depends(get_db)) -> Response:
    settings = _settings(request)
    data = file.file.read(settings.max_attachment_bytes + 1)
    form = {"case_id": case_id, "note": note}
    return _record(request, db, user, form, lambda session: service.record_upload(
        session, settings=settings, data=data, filename=file.filename, actor=audit.user_actor(user.id),
        case_id=form_id(case_id, "case_id"), note=note))


@router.post("/evidence/media", dependencies=[Depends(verify_csrf)])
def from_media(request: Request, media_id: str = Form(""), case_id: str = Form(""), note: str = Form(""),
               user: User = Depends(WORKERS), db: Database = Depends(get_db)) -> Response:
    settings = _settings(request)
    form = {"media_id": media_id, "case_id": case_id, "note": note}

    def make(session: Session):  # noqa: ANN202
        media = form_id(media_id, "media_id")
        if media is None:
            raise Invalid("give the image's media number", key="enf.err.media_needed",
                          fields=[{"field": "media_id", "message": "empty"}])
        return service.record_media(session, settings=settings, media_id=media, actor=audit.user_actor(user.id),
                                    case_id=form_id(case_id, "case_id"), note=note)

    return _record(request, db, user, form, make)


def file_label(f: EvidenceFile, details: dict | None) -> str:
    """A file as people know it: an upload by the name it was uploaded with (the vault stores it, and the package
    lists it, as "upload.<ext>"; the signed details keep the original name), any other file by its package name."""
    original = (details or {}).get("original_name") if f.role == "upload" else None
    return original.strip() if isinstance(original, str) and original.strip() else f.name


def _detail(request: Request, db: Database, user: User, evidence_id: int, *, error: str | None = None,
            status_code: int = 200) -> Response:
    with db.unit_of_work(readonly=True) as session:
        ev = service.get(session, evidence_id)
        files = list(ev.files)
        log = service.custody_log(session, evidence_id)
        names = service.actor_names(session, with_ids=False)
        labels = {f.name: file_label(f, ev.details) for f in files}
    settings = _settings(request)
    current, known = load_key(settings).key_id, keyring(settings)
    key_state = "current" if ev.key_id == current else "retired" if ev.key_id in known else "unknown"
    return page(request, "console/enforcement_evidence.html", {
        "active": "evidence", "ev": ev, "files": files, "log": log, "key_state": key_state, "error": error,
        "names": names, "labels": labels,
        "notice": None if error else take_flash(request),
        "worker": user.role in (Role.analyst.value, Role.editor.value)}, status_code=status_code)


@router.get("/evidence/{evidence_id:int}")
def evidence_detail(evidence_id: int, request: Request, user: User = Depends(STAFF),
                    db: Database = Depends(get_db)) -> Response:
    return _detail(request, db, user, evidence_id)


@router.get("/evidence/{evidence_id:int}/files/{file_id:int}")
def evidence_file(evidence_id: int, file_id: int, request: Request, user: User = Depends(STAFF),
                  db: Database = Depends(get_db)) -> Response:
    """Always a download (never rendered by the browser: a captured page may carry scripts)."""
    with db.unit_of_work() as session:
        f, path = service.open_file(session, settings=_settings(request), evidence_id=evidence_id, file_id=file_id,
                                    actor=audit.user_actor(user.id))
        label = file_label(f, service.get(session, evidence_id).details)
    if not path.is_file():
        raise NotFound("the file is missing from the vault")
    return FileResponse(path, media_type="application/octet-stream", filename=f"evidence-{evidence_id}-{label}",
                        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})


@router.post("/evidence/{evidence_id:int}/attach", dependencies=[Depends(verify_csrf)])
def attach(evidence_id: int, request: Request, case_id: str = Form(""), user: User = Depends(WORKERS),
           db: Database = Depends(get_db)) -> Response:
    def action(session: Session) -> tuple[str, str, dict]:
        case = form_id(case_id, "case_id")
        if case is None:
            raise Invalid("give the case number", key="enf.err.case_needed",
                          fields=[{"field": "case_id", "message": "empty"}])
        service.attach(session, settings=_settings(request), evidence_id=evidence_id, case_id=case,
                       actor=audit.user_actor(user.id))
        return f"/console/evidence/{evidence_id}", "enf.done_attached", {}

    return write(request, db, user, action,
                 lambda message, status: _detail(request, db, user, evidence_id, error=message, status_code=status))


@router.post("/evidence/{evidence_id:int}/handover", dependencies=[Depends(verify_csrf)])
def handover(evidence_id: int, request: Request, recipient: str = Form(""), note: str = Form(""),
             user: User = Depends(WORKERS), db: Database = Depends(get_db)) -> Response:
    def action(session: Session) -> tuple[str, str, dict]:
        service.handover(session, settings=_settings(request), evidence_id=evidence_id, recipient=recipient,
                         actor=audit.user_actor(user.id), note=note)
        return f"/console/evidence/{evidence_id}", "enf.done_handover", {}

    return write(request, db, user, action,
                 lambda message, status: _detail(request, db, user, evidence_id, error=message, status_code=status))


@router.post("/evidence/package/{case_id:int}", dependencies=[Depends(verify_csrf)])
def export_package(case_id: int, request: Request, user: User = Depends(WORKERS),
                   db: Database = Depends(get_db)) -> Response:
    """The case's evidence package as a ZIP download (the export is a custody entry of every item in it)."""
    with db.unit_of_work() as session:
        data = package.export_case(session, settings=_settings(request), case_id=case_id,
                                   actor=audit.user_actor(user.id), actor_name=user.display_name)
    return Response(data, media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="evidence-case-{case_id}.zip"', "Cache-Control": "no-store"})


router.include_router(views_takedowns.router)
