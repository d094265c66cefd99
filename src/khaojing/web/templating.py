"""The Jinja2 environment: autoescaping, i18n, Buddhist-era dates, CSRF field, and one `render` helper."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.responses import HTMLResponse

from khaojing.matching.reasons import reason_text
from khaojing.thai.dates import THAI_MONTHS, THAI_MONTHS_SHORT, format_date_short, format_datetime
from khaojing.trends import funnel
from khaojing.web import i18n
from khaojing.web.security import LANG_COOKIE, csrf_token, remember_language, request_language

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.globals["t"] = i18n.t
templates.env.globals["match_reason"] = reason_text  # a matcher's decision reason in a language


def _day_month(day: dt.date, lang: str) -> str:
    return f"{day.day} {THAI_MONTHS_SHORT[day.month - 1]}" if lang == "th" else f"{day.day} {day:%b}"


def _year(day: dt.date, lang: str) -> int:
    return day.year + 543 if lang == "th" else day.year


def period_text(spec: str, lang: str) -> str:
    """A report's period as people read it: '2026-W47' → '16–22 พ.ย. 2569' / '16–22 Nov 2026', '2026-11' →
    'พฤศจิกายน 2569' / 'November 2026' (the ISO spelling stays in file names and addresses); anything else as is.
    The spellings are trends.funnel's: what it reads as a week or a month is shown as one."""
    if "W" in (spec or "").upper():
        try:
            period = funnel.week(spec)
        except ValueError:
            return spec
        start, end = period.start, period.end - dt.timedelta(days=1)
        first = str(start.day) if start.month == end.month else _day_month(start, lang)
        if start.year != end.year:
            first += f" {_year(start, lang)}"
        return f"{first}–{_day_month(end, lang)} {_year(end, lang)}"
    try:
        first = funnel.month(spec).start
    except ValueError:
        return spec
    name = THAI_MONTHS[first.month - 1] if lang == "th" else f"{first:%B}"
    return f"{name} {_year(first, lang)}"


def render(request: Request, template: str, context: dict[str, Any] | None = None, *,
           status_code: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
    settings = request.app.state.settings
    lang = request_language(request)
    tz = settings.timezone

    def fmt_dt(value, with_time: bool = True) -> str:  # noqa: ANN001
        return format_datetime(value, lang, tz, with_time)

    def fmt_short(value) -> str:  # noqa: ANN001
        return format_date_short(value, lang, tz)

    def tr(key: str, **params: object) -> str:
        return i18n.t(key, lang, **params)

    def local_name(obj) -> str:  # noqa: ANN001
        """A named thing (an agency) in the page's language: its English name on an English page when it has one."""
        th = getattr(obj, "name_th", None) or ""
        return (getattr(obj, "name_en", None) or th) if lang == "en" else th

    def period(spec: str) -> str:
        return period_text(spec, lang)

    def csrf_field() -> Markup:
        return Markup(f'<input type="hidden" name="csrf_token" value="{escape(csrf_token(request))}">')

    ctx = {
        "request": request, "lang": lang, "_": tr, "fmt_dt": fmt_dt, "fmt_short": fmt_short, "local_name": local_name,
        "period_text": period,
        "csrf_field": csrf_field, "csrf_token": csrf_token(request), "settings": settings,
        "center_name": settings.center_name_th if lang == "th" else settings.center_name_en,
        "current_user": getattr(request.state, "user", None),
        "other_lang": "en" if lang == "th" else "th",
    }
    ctx.update(context or {})
    response = templates.TemplateResponse(request, template, ctx, status_code=status_code, headers=headers)
    if request.query_params.get("lang") == lang and request.cookies.get(LANG_COOKIE) != lang:
        remember_language(response, lang, secure=settings.secure_cookies)  # ?lang= sticks for the next pages
    return response
