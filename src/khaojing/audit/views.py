"""Staff console page for the audit log: events newest first, filters, and an honest check of the chain."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from khaojing.accounts.models import Role, User
from khaojing.accounts.service import usernames
from khaojing.audit import messages  # noqa: F401  (registers the texts)
from khaojing.audit import service as audit
from khaojing.audit.models import AuditEvent
from khaojing.db.base import utcnow
from khaojing.db.session import Database
from khaojing.thai.dates import to_local
from khaojing.web.deps import get_db, require
from khaojing.web.templating import render

router = APIRouter()
auditors = require(Role.admin, Role.editor)

PER_PAGE = 50
MAX_PAGE = 1_000_000
# The check hashes every event: about 20 000 a second through this page (measured on SQLite: 100 000 events in
# 4.9 s). Up to AUTO_VERIFY_MAX events it runs on page 1 by itself; a bigger log is checked on request.
AUTO_VERIFY_MAX = 10_000
EVENTS_PER_SECOND = 20_000
MAX_PROBLEMS_SHOWN = 100


@dataclass
class ChainResult:
    check: audit.ChainCheck
    at: dt.datetime
    seconds: float


@dataclass
class AuditQuery:
    filters: audit.EventFilter
    page: int
    verify: bool

    def page_url(self, page: int) -> str:
        params = {"action": self.filters.action, "type": self.filters.object_type,
                  "page": str(page) if page > 1 else None}
        clean = {k: v for k, v in params.items() if v}
        return "/console/audit" + (f"?{urlencode(clean)}" if clean else "")

    def action_url(self, action: str) -> str:
        """The log filtered to one action (the other filters kept): an action's name on the page links to it."""
        params = {"action": action, "type": self.filters.object_type}
        return "/console/audit?" + urlencode({k: v for k, v in params.items() if v})


def _text(raw: str | None, limit: int) -> str | None:
    value = (raw or "").replace("\x00", "").strip()  # PostgreSQL text cannot hold NUL
    return value[:limit] or None


def parse_audit_query(params: dict[str, str]) -> AuditQuery:
    raw_page = params.get("page", "1")
    page = min(max(int(raw_page), 1), MAX_PAGE) if raw_page.isdigit() and len(raw_page) < 10 else 1
    return AuditQuery(filters=audit.EventFilter(action=_text(params.get("action"), 80),
                                          object_type=_text(params.get("type"), 40)),
                      page=page, verify=params.get("verify") == "1")


def readable(data: dict | None) -> dict:
    """An event's data to show: a time stored as an ISO string (due_at, until…) becomes a time the page writes in
    the reader's calendar; the rest is kept as stored (the raw JSON stays in the cell's title)."""
    out = {}
    for key, value in (data or {}).items():
        if isinstance(value, str) and (key.endswith("_at") or key == "until"):
            try:
                when = dt.datetime.fromisoformat(value)
            except ValueError:
                pass
            else:
                value = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
        out[key] = value
    return out


def breakable(text: str) -> Markup:
    """A path that may wrap after each slash (a long route kept the hash column off a 1280-pixel screen)."""
    return Markup("/<wbr>").join(escape(part) for part in text.split("/"))


def check_chain(session: Session) -> ChainResult:
    started = time.perf_counter()
    check = audit.verify_chain(session)
    return ChainResult(check=check, at=utcnow(), seconds=round(time.perf_counter() - started, 2))


def actor_ids(events: Iterable[AuditEvent]) -> set[int]:
    ids = set()
    for ev in events:
        kind, _, num = ev.actor.partition(":")
        if kind == "user" and num.isdigit() and len(num) < 19:
            ids.add(int(num))
    return ids


def _gather(session: Session, query: AuditQuery) -> dict:
    page = audit.list_events(session, filters=query.filters, page=query.page, per_page=PER_PAGE)
    if not page.items and page.page > page.pages:  # past the end (e.g. an old link): show the last page
        query.page = page.pages
        page = audit.list_events(session, filters=query.filters, page=query.page, per_page=PER_PAGE)
    filtered = query.filters.action or query.filters.object_type
    total = audit.count_events(session) if filtered else page.total
    run = query.verify or (query.page == 1 and total <= AUTO_VERIFY_MAX)
    actions, types = audit.recent_values(session)
    return {"page": page, "total_events": total, "chain": check_chain(session) if run else None,
            "latest_hash": audit.latest_hash(session),
            "estimate": max(1, round(total / EVENTS_PER_SECOND)), "actions": actions, "types": types,
            "names": usernames(session, actor_ids(page.items))}


@router.get("/audit")
def audit_log(request: Request, user: User = Depends(auditors), db: Database = Depends(get_db)) -> Response:
    query = parse_audit_query(dict(request.query_params))
    with db.unit_of_work(readonly=True) as session:
        context = _gather(session, query)
    tz = request.app.state.settings.timezone

    def clock(value: dt.datetime) -> str:
        return f"{to_local(value, tz):%H:%M:%S}"

    def as_json(data: dict) -> str:
        return json.dumps(data, ensure_ascii=False, sort_keys=True) if data else ""

    context.update({"active": "audit", "query": query, "clock": clock, "as_json": as_json, "readable": readable,
                    "breakable": breakable, "max_problems": MAX_PROBLEMS_SHOWN})
    return render(request, "console/audit.html", context)
