"""The evidence vault: record a capture (web page, upload, report image) as a signed item, attach it to a case,
hand it over, open its files; every action is a custody entry and an audit event."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import mimetypes
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from khaojing import __version__
from khaojing.accounts.models import User
from khaojing.audit import service as audit
from khaojing.cases.models import Case
from khaojing.db.base import utcnow
from khaojing.enforcement import custody
from khaojing.enforcement.capture import Fetched
from khaojing.enforcement.models import CustodyEvent, Evidence, EvidenceFile
from khaojing.enforcement.signing import load_key
from khaojing.errors import Invalid, NotFound, TooLarge
from khaojing.intake.media import media_path, store_bytes
from khaojing.intake.models import Media
from khaojing.settings import Settings

EXT_BY_TYPE = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "txt", "application/json": "json",
               "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/gif": "gif",
               "application/pdf": "pdf", "video/mp4": "mp4"}


@dataclass(frozen=True)
class NewFile:
    role: str
    data: bytes
    content_type: str
    extension: str


def _ext(content_type: str, default: str = "bin") -> str:
    return EXT_BY_TYPE.get(content_type.split(";")[0].strip().lower(), default)


def _store(settings: Settings, ev: Evidence, files: list[NewFile]) -> list[EvidenceFile]:
    rows = []
    for f in files:
        digest = hashlib.sha256(f.data).hexdigest()
        path = store_bytes(custody.evidence_dir(settings), f.data, sha256=digest, extension=f.extension)
        rows.append(EvidenceFile(evidence_id=ev.id, role=f.role, name=f"{f.role}.{f.extension}", sha256=digest,
                                 size_bytes=len(f.data), content_type=f.content_type[:120], storage_path=path))
    return rows


def _case(session: Session, case_id: int | None) -> Case | None:
    if case_id is None:
        return None
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"case {case_id} does not exist", key="enf.err.no_case", params={"case": case_id})
    return case


def record(session: Session, *, settings: Settings, method: str, actor: str, files: list[NewFile],
           tool_version: str, source_url: str | None = None, final_url: str | None = None,
           http_status: int | None = None, title: str = "", details: dict | None = None,
           report_id: int | None = None, case_id: int | None = None, note: str = "",
           now: dt.datetime | None = None) -> Evidence:
    """Store the files, write the signed record and its first custody entry ("capture"); attach it if asked.
    `now` (default the clock) is the capture time the record signs and its first custody entries carry."""
    case, now = _case(session, case_id), now or utcnow()
    key = load_key(settings)
    main = files[0]
    ev = Evidence(method=method, source_url=source_url, final_url=final_url, http_status=http_status,
                  title=title[:500], note=note[:4000], report_id=report_id,
                  sha256=hashlib.sha256(main.data).hexdigest(),
                  content_type=main.content_type[:120], size_bytes=len(main.data), captured_at=now,
                  captured_by=actor[:120], tool_version=tool_version[:200],
                  details=json.loads(custody.canonical(details or {})), key_id=key.key_id,
                  record_hash=f"pending-{secrets.token_hex(16)}", signature="-")  # sealed once it has an id
    session.add(ev)
    session.flush()
    rows = _store(settings, ev, files)
    session.add_all(rows)
    session.flush()
    custody.seal(ev, rows, key)
    session.flush()
    custody.append(session, key=key, evidence=ev, actor=actor, action="capture",
                   data={"method": method, "sha256": ev.sha256, "source_url": source_url}, now=now)
    audit.record(session, actor=actor, action="evidence.captured", object_type="evidence", object_id=ev.id,
                 data={"method": method, "sha256": ev.sha256, "url": source_url})
    if case is not None:
        attach(session, settings=settings, evidence_id=ev.id, case_id=case.id, actor=actor, now=now)
    return ev


def record_fetch(session: Session, *, settings: Settings, fetched: Fetched, actor: str, case_id: int | None = None,
                 note: str = "") -> Evidence:
    """A fetched web page: raw bytes, headers, extracted text and (when taken) the screenshot."""
    headers = json.dumps({"status": fetched.status_code, "url": fetched.final_url, "headers": fetched.headers,
                          "redirects": fetched.redirects}, ensure_ascii=False, indent=2).encode("utf-8")
    files = [NewFile("raw", fetched.body, fetched.content_type, _ext(fetched.content_type)),
             NewFile("headers", headers, "application/json", "json"),
             NewFile("text", fetched.text.encode("utf-8"), "text/plain; charset=utf-8", "txt")]
    if fetched.screenshot:
        files.append(NewFile("screenshot", fetched.screenshot, "image/png", "png"))
    details = {"redirects": fetched.redirects, "screenshot": bool(fetched.screenshot),
               "screenshot_note": fetched.screenshot_note, "screenshot_notes": fetched.screenshot_notes,
               "blocked_requests": fetched.blocked,
               "elapsed_ms": fetched.elapsed_ms,
               "limits": {"max_bytes": settings.enforcement_capture_max_bytes,
                          "timeout_ms": int(settings.enforcement_capture_timeout_seconds * 1000)}}
    return record(session, settings=settings, method="url", actor=actor, files=files,
                  tool_version=fetched.tool_version, source_url=fetched.url, final_url=fetched.final_url,
                  http_status=fetched.status_code, title=fetched.title, details=details, case_id=case_id, note=note)


def record_upload(session: Session, *, settings: Settings, data: bytes, filename: str | None, actor: str,
                  case_id: int | None = None, note: str = "", source_url: str | None = None,
                  now: dt.datetime | None = None) -> Evidence:
    """An uploaded file, kept byte for byte (any type; it is only ever served back as a download)."""
    if not data:
        raise Invalid("the file is empty", key="enf.err.file_empty", fields=[{"field": "file", "message": "empty"}])
    if len(data) > settings.max_attachment_bytes:
        raise TooLarge(f"the file is {len(data)} bytes; the limit is {settings.max_attachment_bytes} bytes",
                       key="enf.err.file_large", params={"limit": f"{settings.max_attachment_bytes / 1_000_000:g} MB"})
    name = Path(filename).name[:200] if filename else None
    content_type = (mimetypes.guess_type(name)[0] if name else None) or "application/octet-stream"
    ext = Path(name).suffix.lstrip(".").lower()[:10] if name and Path(name).suffix else _ext(content_type)
    return record(session, settings=settings, method="upload", actor=actor,
                  files=[NewFile("upload", data, content_type, ext if ext.isalnum() else "bin")],
                  tool_version=f"khaojing {__version__}; upload", source_url=source_url or None,
                  title=name or "", details={"original_name": name}, case_id=case_id, note=note, now=now)


def record_media(session: Session, *, settings: Settings, media_id: int, actor: str, case_id: int | None = None,
                 note: str = "") -> Evidence:
    """An image that came with a report (web form, LINE), copied into the vault after checking its hash."""
    media = session.get(Media, media_id)
    if media is None:
        raise NotFound(f"media {media_id} does not exist", key="enf.err.no_media", params={"media": media_id})
    data = media_path(settings.media_dir, media.storage_path).read_bytes()
    if hashlib.sha256(data).hexdigest() != media.sha256:
        raise Invalid(f"media {media_id} no longer matches the hash it was received with", key="enf.err.media_hash",
                      params={"media": media_id})
    return record(session, settings=settings, method="media", actor=actor,
                  files=[NewFile("media", data, media.content_type, _ext(media.content_type))],
                  tool_version=f"khaojing {__version__}; report media", report_id=media.report_id,
                  title=media.original_name or f"media {media.id}",
                  details={"media_id": media.id, "received_at": custody.stamp(media.created_at)},
                  case_id=case_id, note=note)


def get(session: Session, evidence_id: int) -> Evidence:
    ev = session.get(Evidence, evidence_id)
    if ev is None:
        raise NotFound(f"evidence {evidence_id} does not exist", key="enf.err.no_evidence",
                       params={"evidence": evidence_id})
    return ev


def attach(session: Session, *, settings: Settings, evidence_id: int, case_id: int, actor: str,
           now: dt.datetime | None = None) -> Evidence:
    ev = get(session, evidence_id)
    _case(session, case_id)
    if ev.case_id == case_id:
        return ev
    ev.case_id = case_id
    custody.append(session, key=load_key(settings), evidence=ev, actor=actor, action="attach",
                   data={"case_id": case_id}, now=now)
    audit.record(session, actor=actor, action="evidence.attached", object_type="evidence", object_id=ev.id,
                 data={"case_id": case_id})
    return ev


def handover(session: Session, *, settings: Settings, evidence_id: int, recipient: str, actor: str,
             note: str = "", now: dt.datetime | None = None) -> CustodyEvent:
    """Record that the item (or a package with it) was given to someone: a police officer, an agency."""
    recipient = " ".join(recipient.split())[:300]
    if not recipient:
        raise Invalid("say to whom the evidence was handed over", key="enf.err.recipient",
                      fields=[{"field": "recipient", "message": "empty"}])
    ev = get(session, evidence_id)
    event = custody.append(session, key=load_key(settings), evidence=ev, actor=actor, action="handover",
                           data={"to": recipient, "note": note.strip()[:2000]}, now=now)
    audit.record(session, actor=actor, action="evidence.handed_over", object_type="evidence", object_id=ev.id,
                 data={"to": recipient})
    return event


def open_file(session: Session, *, settings: Settings, evidence_id: int, file_id: int,
              actor: str) -> tuple[EvidenceFile, Path]:
    """A file of an item, for someone to look at: the opening is a custody entry ("view")."""
    ev = get(session, evidence_id)
    f = session.get(EvidenceFile, file_id)
    if f is None or f.evidence_id != ev.id or ev.disposed_at is not None:
        raise NotFound("no such file")
    custody.append(session, key=load_key(settings), evidence=ev, actor=actor, action="view",
                   data={"file": f.name, "sha256": f.sha256})
    return f, media_path(custody.evidence_dir(settings), f.storage_path)


def list_evidence(session: Session, *, case_id: int | None = None, limit: int = 200) -> list[Evidence]:
    stmt = select(Evidence).order_by(Evidence.id.desc()).limit(limit)
    if case_id is not None:
        stmt = stmt.where(Evidence.case_id == case_id)
    return list(session.scalars(stmt))


def custody_log(session: Session, evidence_id: int) -> list[CustodyEvent]:
    return custody.log_of(session, evidence_id)


def actor_names(session: Session, *, with_ids: bool = True) -> dict[str, str]:
    """"user:3" -> "คุณ สมชาย (user:3)": the people named in custody logs and in the package's summary, a document read
    without us (the id beside the name); `with_ids=False` for our own pages, which keep the id in a title attribute."""
    rows = session.execute(select(User.id, User.display_name))
    return {f"user:{uid}": f"{name} (user:{uid})" if with_ids else name for uid, name in rows}


def count(session: Session) -> int:
    return session.scalar(select(func.count(Evidence.id))) or 0
