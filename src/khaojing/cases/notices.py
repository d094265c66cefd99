"""Console notices: a message for one user (mention, assignment, agency answer, deadline), read in their language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from khaojing.accounts.models import Role, User
from khaojing.cases.models import Notice
from khaojing.db.base import utcnow


def notify(session: Session, user_ids: Iterable[int | None], key: str, params: dict[str, Any] | None = None, *,
           url: str | None = None, now: dt.datetime | None = None) -> int:
    """One notice per distinct user; `key` is a registered message, `params` fill it in."""
    ids = {uid for uid in user_ids if uid}
    for uid in sorted(ids):
        session.add(Notice(user_id=uid, key=key, params=dict(params or {}), url=url, created_at=now or utcnow()))
    return len(ids)


def users_with_role(session: Session, role: Role, *, agency_id: int | None = None) -> list[User]:
    stmt = select(User).where(User.role == role.value, User.is_active.is_(True))
    if agency_id is not None:
        stmt = stmt.where(User.agency_id == agency_id)
    return list(session.scalars(stmt.order_by(User.id)))


def editors(session: Session) -> list[User]:
    return users_with_role(session, Role.editor)


def unread_count(session: Session, user_id: int) -> int:
    return session.scalar(select(func.count(Notice.id)).where(Notice.user_id == user_id,
                                                              Notice.read_at.is_(None))) or 0


def recent(session: Session, user_id: int, *, limit: int = 30) -> list[Notice]:
    """Unread first, then the read ones; each newest first by when it happened (not by when it was stored: a notice
    about an earlier event can be written later)."""
    return list(session.scalars(select(Notice).where(Notice.user_id == user_id)
                                .order_by(Notice.read_at.is_not(None), Notice.created_at.desc(), Notice.id.desc())
                                .limit(limit)))


def mark_read(session: Session, user_id: int, *, now: dt.datetime | None = None) -> int:
    result = session.execute(update(Notice).where(Notice.user_id == user_id, Notice.read_at.is_(None))
                             .values(read_at=now or utcnow()))
    return result.rowcount or 0


def _about(path: str):  # noqa: ANN202
    return or_(Notice.url == path, Notice.url.startswith(path + "#", autoescape=True))


def unread_about(session: Session, user_id: int, path: str) -> list[int]:
    """The user's unread notices that link to `path` (or to a part of it, `path#…`)."""
    return list(session.scalars(select(Notice.id).where(Notice.user_id == user_id, Notice.read_at.is_(None),
                                                        _about(path))))


def read_on_open(session: Session, user_id: int, path: str, *, now: dt.datetime | None = None) -> int:
    """A notice is read once the page it links to is opened: the user's unread notices for `path` are marked read.
    Nothing is written when there is none."""
    ids = unread_about(session, user_id, path)
    if ids:
        session.execute(update(Notice).where(Notice.id.in_(ids)).values(read_at=now or utcnow()))
    return len(ids)
