"""Working together on a case: comments with @mentions, attachments, and links between related cases."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from khaojing.accounts.models import Role, User
from khaojing.audit import service as audit
from khaojing.cases.files import CheckedFile, store_file
from khaojing.cases.models import Attachment, CaseLink, Comment
from khaojing.cases.notices import notify
from khaojing.cases.service import get_case
from khaojing.db.base import utcnow
from khaojing.errors import Conflict, Invalid
from khaojing.settings import Settings

MAX_COMMENT = 8000
LINK_KINDS = ("same_actor", "same_campaign")
MENTION = re.compile(r"(?<![\w@.])@([a-z0-9][a-z0-9_.-]{0,79})", re.IGNORECASE)
STAFF_ROLES = (Role.admin.value, Role.editor.value, Role.analyst.value)


def attachments_dir(settings: Settings) -> Path:
    return settings.data_dir / "attachments"


def mentioned_users(session: Session, body: str) -> list[User]:
    """Active center staff named as @username in the text (agency officers never read case comments)."""
    names = {m.group(1).lower().rstrip(".") for m in MENTION.finditer(body)}
    if not names:
        return []
    return list(session.scalars(select(User).where(User.username.in_(names), User.is_active.is_(True),
                                                   User.role.in_(STAFF_ROLES)).order_by(User.id)))


def add_comment(session: Session, *, case_id: int, actor: User, body: str,
                now: dt.datetime | None = None) -> Comment:
    now = now or utcnow()
    case = get_case(session, case_id)
    body = (body or "").replace("\x00", "").strip()
    if not body:
        raise Invalid("write a comment", key="err.comment_empty", fields=[{"field": "body", "message": "required"}])
    if len(body) > MAX_COMMENT:
        raise Invalid(f"a comment is at most {MAX_COMMENT} characters", key="err.comment_long",
                      params={"max": MAX_COMMENT}, fields=[{"field": "body",
                                                                                "message": "long"}])
    mentioned = [u for u in mentioned_users(session, body) if u.id != actor.id]
    comment = Comment(case_id=case.id, author_id=actor.id, body=body, mentions=[u.id for u in mentioned],
                      created_at=now)
    session.add(comment)
    session.flush()
    notify(session, [u.id for u in mentioned], "notice.mentioned", {"case": case.id, "by": actor.display_name},
           url=f"/console/cases/{case.id}#comment-{comment.id}", now=now)
    audit.record(session, actor=audit.user_actor(actor.id), action="case.commented", object_type="case",
                 object_id=case.id, data={"comment_id": comment.id, "mentions": comment.mentions})
    return comment


def add_attachment(session: Session, *, case_id: int, checked: CheckedFile, settings: Settings, actor: str,
                   purpose: str = "case", request_id: int | None = None,
                   now: dt.datetime | None = None) -> Attachment:
    """Store a checked file and attach it to the case (and to one agency request, when given)."""
    rel = store_file(attachments_dir(settings), checked)
    att = Attachment(case_id=case_id, request_id=request_id, purpose=purpose, sha256=checked.sha256,
                     content_type=checked.content_type, size_bytes=len(checked.data), storage_path=rel,
                     original_name=checked.original_name, uploaded_by=actor, created_at=now or utcnow())
    session.add(att)
    session.flush()
    audit.record(session, actor=actor, action="case.attachment_added", object_type="case", object_id=case_id,
                 data={"attachment_id": att.id, "sha256": checked.sha256, "type": checked.content_type,
                       "request_id": request_id, "purpose": purpose})
    return att


def attachments_of(session: Session, case_id: int) -> list[Attachment]:
    return list(session.scalars(select(Attachment).where(Attachment.case_id == case_id).order_by(Attachment.id)))


def link_cases(session: Session, *, case_id: int, other_case_id: int, kind: str, actor: User,
               note: str | None = None, now: dt.datetime | None = None) -> CaseLink:
    if kind not in LINK_KINDS:
        raise Invalid(f"a link is one of: {', '.join(LINK_KINDS)}", key="err.link_kind",
                      fields=[{"field": "kind", "message": "unknown"}])
    case, other = get_case(session, case_id), get_case(session, other_case_id)
    if case.id == other.id:
        raise Invalid("a case cannot be linked to itself", key="err.link_self",
                      fields=[{"field": "other_case_id", "message": "same"}])
    exists = session.scalar(select(CaseLink.id).where(CaseLink.kind == kind, or_(
        (CaseLink.case_id == case.id) & (CaseLink.other_case_id == other.id),
        (CaseLink.case_id == other.id) & (CaseLink.other_case_id == case.id))))
    if exists is not None:
        raise Conflict(f"cases #{case.id} and #{other.id} are already linked this way", key="err.linked",
                       params={"case": case.id, "other": other.id})
    link = CaseLink(case_id=case.id, other_case_id=other.id, kind=kind, created_by=audit.user_actor(actor.id),
                    note=(note or "").replace("\x00", "").strip()[:1000] or None, created_at=now or utcnow())
    session.add(link)
    session.flush()
    for one, two in ((case.id, other.id), (other.id, case.id)):
        audit.record(session, actor=audit.user_actor(actor.id), action="case.linked", object_type="case",
                     object_id=one, data={"other_case_id": two, "kind": kind, "note": link.note})
    return link


def links_of(session: Session, case_id: int) -> list[tuple[CaseLink, int]]:
    """Every link of a case with the id of the case at its other end."""
    rows = session.scalars(select(CaseLink).where(or_(CaseLink.case_id == case_id,
                                                      CaseLink.other_case_id == case_id)).order_by(CaseLink.id))
    return [(link, link.other_case_id if link.case_id == case_id else link.case_id) for link in rows]


def comments_of(session: Session, case_id: int) -> list[Comment]:
    return list(session.scalars(select(Comment).where(Comment.case_id == case_id).order_by(Comment.id)))
