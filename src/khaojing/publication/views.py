"""Public verdict site (HTML): verdict pages, the searchable list and topic pages, share cards, sitemap, robots."""

from __future__ import annotations

from urllib.parse import quote, urlencode
from xml.sax.saxutils import escape as xml_escape

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, PlainTextResponse, Response

from khaojing.db.session import Database
from khaojing.publication import cards, claimreview, service
from khaojing.publication import messages as _messages  # noqa: F401  (registers the texts)
from khaojing.settings import Settings
from khaojing.thai.dates import DateInput, read_date_input
from khaojing.web.deps import get_db
from khaojing.web.security import request_language
from khaojing.web.templating import render

router = APIRouter(include_in_schema=False)
PUBLIC_CACHE = {"Cache-Control": "public, max-age=120"}
PER_PAGE = 20


def filters_from(settings: Settings, *, topic: str | None, label: str | None, q: str | None,
                 since: str | None, until: str | None) -> tuple[service.Filters, dict[str, DateInput]]:
    """Query parameters -> filters and the two date fields as typed; unknown topics or labels and unreadable dates
    are ignored (a public page never 422s; the page says which date it could not read). Dates are read like every
    date field: 23/07/2568, 23 ก.ค. 68, or ISO 2025-07-23 as in bookmarks and older links."""
    topics = {t.key for t in settings.topics}
    dates = {name: read_date_input(raw, settings.timezone) for name, raw in (("since", since), ("until", until))}
    filters = service.Filters(topic=topic if topic in topics else None,
                              label=label if label in service.public_labels(settings) else None,
                              q=(q or "").strip()[:200] or None, since=dates["since"].day, until=dates["until"].day)
    return filters, dates


def mail_on(settings: Settings) -> bool:
    """E-mail alerts work only with an SMTP server: without one no page offers the subscription."""
    return bool(settings.smtp_host)


def share_links(url: str, text: str) -> dict[str, str]:
    """Plain share links (no third-party scripts on our pages)."""
    u, tx = quote(url, safe=""), quote(text[:200], safe="")
    return {"line": f"https://social-plugins.line.me/lineit/share?url={u}",
            "facebook": f"https://www.facebook.com/sharer/sharer.php?u={u}",
            "x": f"https://twitter.com/intent/tweet?url={u}&text={tx}"}


@router.get("/verdicts")
def verdict_list(request: Request, topic: str | None = None, label: str | None = None, q: str | None = None,
                 since: str | None = None, until: str | None = None, page: int = 1,
                 db: Database = Depends(get_db)) -> Response:
    settings: Settings = request.app.state.settings
    filters, dates = filters_from(settings, topic=topic, label=label, q=q, since=since, until=until)
    with db.unit_of_work(readonly=True) as session:
        result = service.search(session, settings=settings, filters=filters, page=min(max(page, 1), 10000),
                                per_page=PER_PAGE)
    params = {k: v for k, v in (("topic", filters.topic), ("label", filters.label), ("q", filters.q),
                                ("since", filters.since and filters.since.isoformat()),
                                ("until", filters.until and filters.until.isoformat()),
                                ("lang", request.query_params.get("lang"))) if v}
    topic_def = next((t for t in settings.topics if t.key == filters.topic), None)
    context = {"active": "verdicts", "result": result, "filters": filters, "dates": dates, "topic_def": topic_def,
               "labels": list(service.public_labels(settings).values()), "topics": settings.topics,
               "page_url": lambda n: "/verdicts?" + urlencode({**params, "page": n}),
               "feed_query": ("?" + urlencode({"topic": filters.topic})) if topic_def else "",
               "mail_on": mail_on(settings)}
    return render(request, "public/verdicts.html", context)  # no shared caching: it varies by language cookie


@router.get("/verdicts/{claim_id:int}")
def verdict_page(claim_id: int, request: Request, db: Database = Depends(get_db)) -> Response:
    settings: Settings = request.app.state.settings
    with db.unit_of_work(readonly=True) as session:
        view = service.get_public_verdict(session, claim_id=claim_id, settings=settings)
    lang = request_language(request)
    url = claimreview.verdict_url(settings, claim_id)
    topic_def = next((t for t in settings.topics if t.key == view.topic), None)
    context = {"active": "verdicts", "v": view, "url": url, "topic_def": topic_def,
               "share": share_links(url, view.title(lang)),
               "card_url": f"{settings.base_url.rstrip('/')}/verdicts/{claim_id}/card-1200x630.png",
               "json_ld": claimreview.json_ld(claimreview.claim_review(view, settings))}
    return render(request, "public/verdict.html", context)  # no shared caching: it varies by language cookie


def _card(claim_id: int, request: Request, db: Database, size: str) -> Response:
    settings: Settings = request.app.state.settings
    with db.unit_of_work(readonly=True) as session:
        view = service.get_public_verdict(session, claim_id=claim_id, settings=settings, full=False)
    path = cards.card_path(view, size, settings=settings)
    return FileResponse(path, media_type="image/png", headers={"Cache-Control": "public, max-age=300"})


@router.get("/verdicts/{claim_id:int}/card-1080.png")
def card_square(claim_id: int, request: Request, db: Database = Depends(get_db)) -> Response:
    return _card(claim_id, request, db, "1080")


@router.get("/verdicts/{claim_id:int}/card-1200x630.png")
def card_wide(claim_id: int, request: Request, db: Database = Depends(get_db)) -> Response:
    return _card(claim_id, request, db, "1200x630")


@router.get("/sitemap.xml")
def sitemap(request: Request, db: Database = Depends(get_db)) -> Response:
    settings: Settings = request.app.state.settings
    base = settings.base_url.rstrip("/")
    with db.unit_of_work(readonly=True) as session:
        entries = service.sitemap_entries(session, settings=settings)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
             f"<url><loc>{xml_escape(base)}/</loc></url>", f"<url><loc>{xml_escape(base)}/verdicts</loc></url>"]
    lines += [f"<url><loc>{xml_escape(base)}/verdicts/{claim_id}</loc>"
              f"<lastmod>{when.date().isoformat()}</lastmod></url>" for claim_id, when in entries]
    lines.append("</urlset>")
    return Response("\n".join(lines), media_type="application/xml", headers=PUBLIC_CACHE)


@router.get("/robots.txt")
def robots(request: Request) -> Response:
    base = request.app.state.settings.base_url.rstrip("/")
    text = ("User-agent: *\nDisallow: /console\nDisallow: /track\nDisallow: /api/\n"
            f"Allow: /\n\nSitemap: {base}/sitemap.xml\n")
    return PlainTextResponse(text, headers=PUBLIC_CACHE)


from khaojing.publication import pages as _pages  # noqa: E402,F401  (about, open data, subscriptions on this router)
