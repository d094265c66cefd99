"""Weekly and monthly summaries for the press, as HTML and PDF (weasyprint, Thai shaped with the bundled Loma font):
the funnel, the period's top 10 verdicts with their share cards, charts drawn as SVG on the server, and the
agencies' response times. Files live under <data_dir>/reports/ and are listed and downloaded in the console."""

from __future__ import annotations

import base64
import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from khaojing.audit import service as audit
from khaojing.claims.models import Claim, Verdict
from khaojing.db.base import utcnow
from khaojing.errors import NotFound
from khaojing.publication import cards
from khaojing.publication.service import PublicVerdict, get_public_verdict
from khaojing.settings import Settings
from khaojing.thai.dates import format_datetime, read_date_input
from khaojing.trends import (
    charts,
    dashboard,
    messages,  # noqa: F401  (registers the texts)
    svg,
)
from khaojing.trends.aggregates import day_start
from khaojing.trends.funnel import Period, last_full_week, month, week
from khaojing.web.i18n import t
from khaojing.web.pdf import html_to_pdf
from khaojing.web.templating import templates

BUILD_JOB = "trends.build_report"
KINDS = ("weekly", "monthly")
_NAME = re.compile(r"^(weekly|monthly)-(\d{4}-W\d{2}|\d{4}-\d{2})\.(html|pdf)$")
TOP_VERDICTS = 10


@dataclass
class BuiltReport:
    kind: str
    period: str
    html: Path | None
    pdf: Path | None
    built_at: dt.datetime


def reports_dir(settings: Settings) -> Path:
    return settings.data_dir / settings.reports_dir_name


def period_of(kind: str, spec: str) -> Period:
    if kind == "weekly":
        return week(spec.strip())
    if kind == "monthly":
        return month(spec.strip())
    raise ValueError(f"unknown report kind {kind!r}; weekly or monthly")


ISO_SPEC = re.compile(r"^\d{4}-(W\d{1,2}|\d{1,2})$", re.IGNORECASE)


def period_containing(kind: str, day: dt.date) -> Period:
    """The week (Monday to Sunday) or calendar month that contains the day."""
    iso = day.isocalendar()
    return period_of(kind, f"{iso.year}-W{iso.week:02d}" if kind == "weekly" else f"{day.year}-{day.month:02d}")


def requested_period(kind: str, text: str, tz: str) -> Period:
    """The period a person asked for: a day inside it as the date fields take it (23/11/2569 in Thai, Buddhist era;
    23/11/2026 in English) or, for links and the command line, '2026-W47' / '2026-11'. ValueError when unreadable."""
    text = text.strip()
    if ISO_SPEC.match(text):
        return period_of(kind, text)
    day = read_date_input(text, tz).day
    if day is None:
        raise ValueError(f"not a date or a period: {text!r}")
    return period_containing(kind, day)


def last_week(settings: Settings, now: dt.datetime | None = None) -> Period:
    local = (now or utcnow()).astimezone(ZoneInfo(settings.timezone)).date()
    return last_full_week(local)


def exists(settings: Settings, kind: str, period_name: str) -> bool:
    return (reports_dir(settings) / f"{kind}-{period_name}.pdf").exists()


def top_verdicts(session: Session, *, settings: Settings, period: Period, limit: int = TOP_VERDICTS
                 ) -> list[PublicVerdict]:
    """Public verdicts published in the period, the most-reported claims first."""
    lo, hi = day_start(period.start, settings), day_start(period.end, settings)
    ids = session.scalars(select(Verdict.claim_id).join(Claim, Claim.id == Verdict.claim_id)
                          .where(Verdict.published_at >= lo, Verdict.published_at < hi)
                          .order_by(Claim.report_count.desc(), Verdict.published_at.desc()).limit(limit * 3)).all()
    out = []
    for claim_id in ids:
        try:
            out.append(get_public_verdict(session, claim_id=claim_id, settings=settings, full=False))
        except NotFound:  # not a public label (e.g. unverifiable)
            continue
        if len(out) == limit:
            break
    return out


def _data_uri(path: Path, mime: str = "image/png") -> str:
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode()


def render_html(session: Session, *, settings: Settings, kind: str, period: Period, lang: str = "th") -> str:
    dash = dashboard.build(session, settings=settings, period=period, lang=lang)
    verdicts = top_verdicts(session, settings=settings, period=period)
    card_uris = {v.claim_id: _data_uri(cards.card_path(v, "1200x630", settings=settings)) for v in verdicts}
    labels = charts.day_labels(dash, settings, lang)
    volume = charts.topic_series(dash, settings, lang)
    verdict_series = charts.verdict_series(dash, settings, lang, public=True)
    volume_svg = svg.stacked_columns(labels, volume, title=t("chart.by_topic", lang))
    verdict_svg = svg.stacked_columns(labels, verdict_series, title=t("chart.by_verdict", lang))
    template = templates.env.get_template("reports/trends_report.html")
    last = period.end - dt.timedelta(days=1)
    return template.render(
        _=lambda key, **kw: t(key, lang, **kw), lang=lang, kind=kind, period=period, dash=dash, charts=charts,
        settings=settings, verdicts=verdicts, card_uris=card_uris, volume_svg=volume_svg, verdict_svg=verdict_svg,
        volume=volume, verdict_series=verdict_series,
        funnel=charts.funnel_rows(dash, lang), fonts_dir=cards.FONTS.as_uri(), tz=ZoneInfo(settings.timezone),
        period_text=f"{charts.long_day(period.start, lang)} – {charts.long_day(last, lang)}",
        generated=format_datetime(utcnow(), lang, settings.timezone),
        center=settings.center_name_th if lang == "th" else settings.center_name_en)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)  # atomic: a download never sees half a file
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def build(session: Session, *, settings: Settings, kind: str, period: Period, lang: str = "th",
          actor: str = audit.SYSTEM) -> BuiltReport:
    """Write <kind>-<period>.html and .pdf (replacing an earlier build of the same period)."""
    html = render_html(session, settings=settings, kind=kind, period=period, lang=lang)
    base = reports_dir(settings) / f"{kind}-{period.name}"
    html_path, pdf_path = base.with_suffix(".html"), base.with_suffix(".pdf")
    _write(html_path, html.encode("utf-8"))
    _write(pdf_path, html_to_pdf(html, base_url=str(cards.FONTS)))
    audit.record(session, actor=actor, action="report.built", object_type="trend_report",
                 object_id=f"{kind}-{period.name}",
                 data={"kind": kind, "period": period.name, "pdf_bytes": pdf_path.stat().st_size})
    return BuiltReport(kind, period.name, html_path, pdf_path, utcnow())


def list_built(settings: Settings) -> list[BuiltReport]:
    found: dict[tuple[str, str], BuiltReport] = {}
    folder = reports_dir(settings)
    for path in sorted(folder.glob("*.*")) if folder.is_dir() else []:
        match = _NAME.match(path.name)
        if not match:
            continue
        kind, period, ext = match.groups()
        built = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
        item = found.setdefault((kind, period), BuiltReport(kind, period, None, None, built))
        setattr(item, ext, path)
        item.built_at = max(item.built_at, built)
    return sorted(found.values(), key=lambda r: (r.period, r.kind), reverse=True)


def built_file(settings: Settings, filename: str) -> Path | None:
    """A report file by name, only when the name is one we write (no paths, no other files)."""
    if not _NAME.match(filename):
        return None
    path = reports_dir(settings) / filename
    return path if path.is_file() else None
