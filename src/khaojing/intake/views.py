"""Staff console pages for reports: the inbox (filters, paging), one report's detail, and its images."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, Response
from sqlalchemy.orm import Session

from khaojing.accounts.models import User
from khaojing.accounts.service import STAFF
from khaojing.audit.models import AuditEvent
from khaojing.audit.service import events_for
from khaojing.db.base import utcnow
from khaojing.db.session import Database
from khaojing.errors import NotFound
from khaojing.intake import messages  # noqa: F401  (registers the texts)
from khaojing.intake.media import media_path
from khaojing.intake.models import Channel, Media, Report, ReportStatus, Requester
from khaojing.intake.service import InboxFilter, get_report, list_reports
from khaojing.thai.dates import DateInput, read_date_input
from khaojing.web.deps import get_db, require
from khaojing.web.panels import Panels
from khaojing.web.templating import render

router = APIRouter()
staff = require(*STAFF)

PER_PAGE = 50
MAX_PAGE = 100_000
MAX_QUERY = 200
MAX_ID = 2**63 - 1
CHANNELS = tuple(c.value for c in Channel)
STATUSES = tuple(s.value for s in ReportStatus)
WEB_SCHEMES = ("http", "https")


@dataclass
class InboxQuery:
    """The inbox's query string, checked: values that do not fit are dropped and named in `ignored`."""

    filters: InboxFilter
    page: int = 1
    ignored: list[str] = field(default_factory=list)
    dates: dict[str, DateInput] = field(default_factory=dict)  # the date fields as typed ("from", "to")

    def params(self) -> dict[str, str]:
        f = self.filters
        raw = {"channel": f.channel, "status": f.status, "q": f.q,
               "from": f.date_from.isoformat() if f.date_from else None,
               "to": f.date_to.isoformat() if f.date_to else None}
        return {k: v for k, v in raw.items() if v}

    def page_url(self, page: int) -> str:
        params = self.params() | ({"page": str(page)} if page > 1 else {})
        return "/console/reports" + (f"?{urlencode(params)}" if params else "")


def _page(raw: str) -> int:
    return min(max(int(raw), 1), MAX_PAGE) if raw.isdigit() and len(raw) < 10 else 1


def parse_inbox_query(params: Mapping[str, str], tz: str = "Asia/Bangkok") -> InboxQuery:
    """Dates are read like every date field (23/07/2568, 23 ก.ค. 68, ISO 2025-07-23 in links); the page links
    carry them as ISO."""
    query = InboxQuery(filters=InboxFilter(), page=_page(params.get("page", "1")))
    f = query.filters
    for name, allowed in (("channel", CHANNELS), ("status", STATUSES)):
        value = params.get(name, "")
        if value in allowed:
            setattr(f, name, value)
        elif value:
            query.ignored.append(f"inbox.{name}")
    for name, attr, label in (("from", "date_from", "inbox.from"), ("to", "date_to", "inbox.to")):
        query.dates[name] = typed = read_date_input(params.get(name), tz)
        setattr(f, attr, typed.day)
        if typed.bad:
            query.ignored.append(label)
    f.q = params.get("q", "").replace("\x00", "").strip()[:MAX_QUERY] or None
    return query


@router.get("/reports")
def inbox(request: Request, user: User = Depends(staff), db: Database = Depends(get_db)) -> Response:
    query = parse_inbox_query(request.query_params, request.app.state.settings.timezone)
    tz = ZoneInfo(request.app.state.settings.timezone)
    with db.unit_of_work(readonly=True) as session:
        page = list_reports(session, filters=query.filters, page=query.page, per_page=PER_PAGE, tz=tz)
        if not page.items and page.page > page.pages:  # past the end (e.g. an old link): show the last page
            query.page = page.pages
            page = list_reports(session, filters=query.filters, page=query.page, per_page=PER_PAGE, tz=tz)
    return render(request, "console/inbox.html", {"active": "reports", "query": query, "page": page,
                                                  "channels": CHANNELS, "statuses": STATUSES})


REPORT_PANELS = Panels()


@dataclass
class Link:
    url: str
    clickable: bool


@dataclass
class ReportView:
    """What the detail page shows, gathered while the database session is open."""

    report: Report
    links: list[Link]
    events: list[AuditEvent]
    pseudonym: str | None = None
    notify: bool | None = None
    contact_until: dt.datetime | None = None
    panels: list[dict] = field(default_factory=list)  # what later stages add (REPORT_PANELS)


def is_web_link(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc)


def _contact_until(requester: Requester, now: dt.datetime) -> dt.datetime | None:
    """The latest expiry among the contacts still held (an expired one waiting for the purge job is not)."""
    dates = [c.expires_at for c in requester.contacts if c.expires_at > now]
    return max(dates) if dates else None


def report_view(session: Session, report_id: int, user: User | None = None) -> ReportView:
    if report_id > MAX_ID:
        raise NotFound(f"report {report_id} not found")
    report = get_report(session, report_id)
    view = ReportView(report=report, links=[Link(u, is_web_link(u)) for u in report.urls or []],
                      events=events_for(session, object_type="report", object_id=report.id))
    if report.requester is not None:
        view.pseudonym = report.requester.key_hash[:10]
        view.notify = report.requester.notify
        view.contact_until = _contact_until(report.requester, utcnow())
    if user is not None:
        view.panels = REPORT_PANELS.build(session, report, user)
    return view


def back_to_inbox(request: Request) -> str:
    """The inbox page the user came from (its filters and page kept), else the inbox's first page."""
    try:
        parts = urlsplit(request.headers.get("referer", ""))
    except ValueError:
        return "/console/reports"
    if parts.netloc == request.url.netloc and parts.path == "/console/reports" and parts.query:
        return f"/console/reports?{parts.query}"
    return "/console/reports"


@router.get("/reports/{report_id:int}")
def report_detail(report_id: int, request: Request, user: User = Depends(staff),
                  db: Database = Depends(get_db)) -> Response:
    with db.unit_of_work(readonly=True) as session:
        view = report_view(session, report_id, user)
    return render(request, "console/report.html", {"active": "reports", "view": view, "r": view.report,
                                                   "back": back_to_inbox(request)})


@router.get("/media/{media_id:int}")
def media_file(media_id: int, request: Request, user: User = Depends(staff),
               db: Database = Depends(get_db)) -> Response:
    with db.unit_of_work(readonly=True) as session:
        item = session.get(Media, media_id) if media_id <= MAX_ID else None
    if item is None:
        raise NotFound("no such image")
    path = media_path(request.app.state.settings.media_dir, item.storage_path)
    if not path.is_file():
        raise NotFound("the image file is missing from the media folder")
    return FileResponse(path, media_type=item.content_type,
                        headers={"Cache-Control": "private, max-age=3600", "Content-Disposition": "inline"})
