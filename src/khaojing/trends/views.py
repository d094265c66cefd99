"""Staff dashboards (issue 7), mounted under /console: the trends dashboard, listening sources and watchlists with
their health, and the weekly/monthly reports to download."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from markupsafe import Markup

from khaojing.accounts.models import Role, User
from khaojing.accounts.service import STAFF
from khaojing.audit.service import user_actor
from khaojing.db.base import utcnow
from khaojing.db.session import Database
from khaojing.errors import Invalid, NotFound
from khaojing.jobs import queue
from khaojing.messages import t
from khaojing.settings import Settings
from khaojing.thai.dates import DateInput, read_date_input
from khaojing.trends import (
    aggregates,
    charts,
    dashboard,
    listening,
    messages,  # noqa: F401  (registers the texts)
    reports,
    watch,
)
from khaojing.trends.funnel import Period, month, week
from khaojing.web.deps import get_db, require
from khaojing.web.security import request_language, verify_csrf
from khaojing.web.templating import render

router = APIRouter()
staff = require(*STAFF)
editors = require(Role.admin, Role.editor)
DAY_CHOICES = (7, 28, 90, 365)


def today(settings: Settings) -> dt.date:
    return utcnow().astimezone(ZoneInfo(settings.timezone)).date()


def parse_period(params: Mapping[str, str], settings: Settings) -> tuple[Period, bool]:
    """?days=week&day=18/11/2569 | ?days=month&day=… (the week or month of a day, as the date fields take it) |
    ?days=28 (ending today); for links, ?week=2026-W47 | ?month=2026-11; the last 7 days otherwise. (period, ignored)
    """
    end = today(settings) + dt.timedelta(days=1)
    try:
        if params.get("week"):
            return week(params["week"][:10]), False
        if params.get("month"):
            return month(params["month"][:7]), False
        raw = params.get("days", "")
        if raw in ("week", "month"):
            return reports.requested_period(f"{raw}ly", params.get("day", "")[:200], settings.timezone), False
        if raw:
            n = int(raw) if raw.isdigit() and len(raw) < 4 else 0
            if n in DAY_CHOICES:
                return Period(end - dt.timedelta(days=n), end, f"{n}d"), False
            raise ValueError(raw)
    except ValueError:
        return Period(end - dt.timedelta(days=7), end, "7d"), True
    return Period(end - dt.timedelta(days=7), end, "7d"), False


def period_choice(period: Period, params: Mapping[str, str], settings: Settings) -> tuple[str, DateInput]:
    """What the period form shows: the choice ('7' … '365', 'week', 'month') and the day field (a day of the chosen
    week or month, or what was typed when it could not be read)."""
    if period.name.endswith("d"):
        typed = params.get("day", "") if params.get("days") in ("week", "month") else ""
        return period.name[:-1], read_date_input(typed, settings.timezone)
    kind = "week" if "W" in period.name else "month"
    return kind, DateInput(raw="", value=dt.datetime.combine(period.start, dt.time()))


def json_block(data: dict) -> Markup:
    """JSON for a <script type="application/json"> block: '<' escaped so no text can close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def dashboard_context(request: Request, db: Database, *, public: bool) -> dict:
    settings = request.app.state.settings
    lang = request_language(request)
    period, ignored = parse_period(request.query_params, settings)
    with db.unit_of_work(readonly=True) as session:
        dash = dashboard.build(session, settings=settings, period=period, public=public, lang=lang)
        refreshed = aggregates.get_state(session, "refreshed_at")
    choice, day = period_choice(period, request.query_params, settings)
    return {"dash": dash, "period": period, "ignored": ignored, "charts": charts, "lang": lang,
            "period_choice": choice, "period_day": day,
            "chart_json": json_block(charts.payload(dash, settings, lang, public=public)),
            "refreshed_at": dt.datetime.fromisoformat(refreshed) if refreshed else None,
            "day_choices": DAY_CHOICES, "last_day": period.end - dt.timedelta(days=1)}


@router.get("/trends")
def trends_page(request: Request, user: User = Depends(staff), db: Database = Depends(get_db)) -> Response:
    return render(request, "console/trends_dashboard.html",
                  {"active": "trends", **dashboard_context(request, db, public=False)})


@router.get("/trends/sources")
def sources_page(request: Request, user: User = Depends(staff), db: Database = Depends(get_db)) -> Response:
    with db.unit_of_work(readonly=True) as session:
        sources = listening.list_sources(session)
        watchlists = watch.list_watchlists(session)
    return render(request, "console/trends_sources.html",
                  {"active": "trends", "sources": sources, "watchlists": watchlists, "health": listening.health,
                   "kinds": listening.KINDS, "notice": request.query_params.get("notice", ""),
                   "can_edit": user.role in (Role.admin.value, Role.editor.value)})


def _back(path: str, notice: str) -> RedirectResponse:
    return RedirectResponse(f"{path}?notice={notice}", status_code=303)


@router.post("/trends/sources", dependencies=[Depends(verify_csrf)])
def add_source(request: Request, name: str = Form(""), kind: str = Form("rss"), url: str = Form(""),
               every_minutes: int = Form(15), item_path: str = Form(""), user: User = Depends(editors),
               db: Database = Depends(get_db)) -> Response:
    with db.unit_of_work() as session:
        listening.add_source(session, name=name, kind=kind, url=url, every_minutes=every_minutes,
                             item_path=item_path.strip() or None, actor=user_actor(user.id))
    return _back("/console/trends/sources", "sources.added")


@router.post("/trends/sources/{source_id}/fetch", dependencies=[Depends(verify_csrf)])
def fetch_now(source_id: int, user: User = Depends(editors), db: Database = Depends(get_db)) -> Response:
    with db.unit_of_work() as session:
        listening.get_source(session, source_id)
        queue.enqueue(session, listening.FETCH_JOB, {"source_id": source_id}, priority=60)
    return _back("/console/trends/sources", "sources.queued")


@router.post("/trends/sources/{source_id}/active", dependencies=[Depends(verify_csrf)])
def set_active(source_id: int, active: str = Form("1"), user: User = Depends(editors),
               db: Database = Depends(get_db)) -> Response:
    with db.unit_of_work() as session:
        listening.set_active(session, source_id=source_id, active=active == "1", actor=user_actor(user.id))
    return RedirectResponse("/console/trends/sources", status_code=303)


@router.post("/trends/watchlists", dependencies=[Depends(verify_csrf)])
def save_watchlist(request: Request, name: str = Form(""), phrases: str = Form(""), topic: str = Form(""),
                   priority_boost: float = Form(0.0), user: User = Depends(editors),
                   db: Database = Depends(get_db)) -> Response:
    settings = request.app.state.settings
    with db.unit_of_work() as session:
        watch.save_watchlist(session, name=name, phrases=phrases.splitlines(), topic=topic or None,
                             priority_boost=priority_boost, actor=user_actor(user.id),
                             valid_topics=[tp.key for tp in settings.topics])
    return _back("/console/trends/sources", "watch.saved")


def _reports_page(request: Request, *, kind: str = "weekly", day: DateInput | None = None, error: str | None = None,
                  status_code: int = 200) -> Response:
    settings = request.app.state.settings
    last = reports.last_week(settings)
    return render(request, "console/trends_reports.html",
                  {"active": "trends", "files": reports.list_built(settings), "kind": kind,
                   "day": day or DateInput(raw="", value=dt.datetime.combine(last.start, dt.time())),
                   "error": error, "notice": request.query_params.get("notice", "")}, status_code=status_code)


@router.get("/trends/reports")
def reports_page(request: Request, user: User = Depends(staff)) -> Response:
    return _reports_page(request)


@router.post("/trends/reports", dependencies=[Depends(verify_csrf)])
def build_report(request: Request, kind: str = Form("weekly"), day: str = Form(""), period: str = Form(""),
                 user: User = Depends(staff), db: Database = Depends(get_db)) -> Response:
    """A report of the week or month containing `day` (a date as every date field takes it); `period` ('2026-W47',
    '2026-11') is still read for links and scripts."""
    settings = request.app.state.settings
    if kind not in ("weekly", "monthly"):
        raise Invalid(f"unknown report kind {kind!r}; weekly or monthly")
    typed = (day or period)[:200]
    try:
        chosen = reports.requested_period(kind, typed, settings.timezone)
    except ValueError:
        lang = request_language(request)
        return _reports_page(request, kind=kind, day=read_date_input(typed, settings.timezone),
                             error=t("date.bad", lang), status_code=422)
    if chosen.start > today(settings):
        lang = request_language(request)
        return _reports_page(request, kind=kind, day=read_date_input(typed, settings.timezone),
                             error=t("reports.future", lang), status_code=422)
    with db.unit_of_work() as session:
        queue.enqueue(session, reports.BUILD_JOB, {"kind": kind, "period": chosen.name}, priority=80)
    return _back("/console/trends/reports", "reports.queued")


@router.get("/trends/reports/{filename}")
def download_report(request: Request, filename: str, user: User = Depends(staff)) -> Response:
    path = reports.built_file(request.app.state.settings, filename)
    if path is None:
        raise NotFound("no such report")
    media = "application/pdf" if path.suffix == ".pdf" else "text/html; charset=utf-8"
    return FileResponse(path, media_type=media, filename=path.name,
                        content_disposition_type="inline" if path.suffix == ".pdf" else "attachment")

