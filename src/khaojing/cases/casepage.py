"""Rendering one case's page, shared by every case action: shown again with the reason when a change is refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from fastapi import Request
from fastapi.responses import Response

from khaojing.accounts.models import User
from khaojing.cases import notices, pages, states
from khaojing.cases.access import page, take_flash
from khaojing.db.base import utcnow
from khaojing.db.session import Database
from khaojing.settings import Settings


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def to_case(case_id: int, anchor: str = "") -> str:
    return f"/console/cases/{case_id}" + (f"#{anchor}" if anchor else "")


def case_response(request: Request, db: Database, user: User, case_id: int, *, error: str | None = None,
                  form: dict | None = None, status_code: int = 200) -> Response:
    with db.unit_of_work(readonly=True) as session:
        view = pages.case_page(session, case_id=case_id, user=user, settings=settings_of(request), now=utcnow())
        unread = notices.unread_count(session, user.id)
    return page(request, "console/case.html", {
        "active": "cases", "v": view, "c": view.case, "states": states, "error": error, "form": form or {},
        "notice": None if error else take_flash(request), "unread": unread,
        "duration_minutes": lambda n: pages.duration(dt.timedelta(minutes=n), under_a_minute="case.under_minute")},
        status_code=status_code)


def refused_on_case(request: Request, db: Database, user: User, case_id: int,
                    form: dict | None = None) -> Callable[[str, int], Response]:
    return lambda message, status: case_response(request, db, user, case_id, error=message, form=form,
                                                  status_code=status)
