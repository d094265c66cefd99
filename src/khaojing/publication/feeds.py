"""Feeds of the published verdicts: Atom 1.0 and JSON Feed 1.1, for all topics or one (?topic=)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from khaojing.db.session import Database
from khaojing.errors import NotFound
from khaojing.publication import service
from khaojing.publication.claimreview import verdict_url
from khaojing.settings import Settings
from khaojing.web.deps import get_db

router = APIRouter(include_in_schema=False)
FEED_SIZE = 50
ATOM_NS = "http://www.w3.org/2005/Atom"
HEADERS = {"Cache-Control": "public, max-age=300"}


def _items(request: Request, db: Database, topic: str | None) -> tuple[Settings, str | None, list]:
    settings: Settings = request.app.state.settings
    if topic and topic not in {t.key for t in settings.topics}:  # a typo must not subscribe a reader to everything
        raise NotFound(f"no topic {topic!r}; the topic keys are {', '.join(t.key for t in settings.topics)}")
    topic = topic or None
    with db.unit_of_work(readonly=True) as session:
        items = service.latest(session, settings=settings, limit=FEED_SIZE, topic=topic)
    return settings, topic, items


def _title(settings: Settings, topic: str | None) -> str:
    name = next((t.th for t in settings.topics if t.key == topic), None)
    title = f"ผลการตรวจสอบข่าว — {settings.center_name_th}"
    return f"{title} · {name}" if name else title


def _iso(value: dt.datetime) -> str:
    value = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _summary(item: service.PublicVerdict) -> str:
    return f"{item.label_th}: {item.explanation}".strip()


def atom(settings: Settings, topic: str | None, items: list[service.PublicVerdict]) -> bytes:
    base = settings.base_url.rstrip("/")
    query = f"?{urlencode({'topic': topic})}" if topic else ""
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    feed = ET.Element(f"{{{ATOM_NS}}}feed", {"xml:lang": "th"})
    sub(feed, "id", f"{base}/feeds/verdicts.atom{query}")
    sub(feed, "title", _title(settings, topic))
    sub(feed, "updated", _iso(max((i.published_at for i in items), default=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))))
    sub(feed, "link", rel="self", href=f"{base}/feeds/verdicts.atom{query}", type="application/atom+xml")
    sub(feed, "link", rel="alternate", href=f"{base}/verdicts{query}", type="text/html")
    author = sub(feed, "author")
    sub(author, "name", settings.center_name_th)
    sub(author, "uri", base + "/")
    for item in items:
        url = verdict_url(settings, item.claim_id)
        entry = sub(feed, "entry")
        sub(entry, "id", f"{url}#v{item.version}" if item.version > 1 else url)
        sub(entry, "title", _entry_title(item))
        sub(entry, "link", rel="alternate", href=url, type="text/html")
        sub(entry, "link", rel="enclosure", href=f"{url}/card-1200x630.png", type="image/png")
        sub(entry, "published", _iso(item.first_published_at))
        sub(entry, "updated", _iso(item.published_at))
        sub(entry, "summary", _summary(item))
        sub(entry, "category", term=item.label, label=item.label_th)
        if item.topic:
            sub(entry, "category", term=f"topic:{item.topic}")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")


def _entry_title(item: service.PublicVerdict) -> str:
    """"[ข่าวปลอม] headline"; a headline that already opens with its label is the title as it stands."""
    return item.headline if service.starts_with_label(item.headline, item.label_th) else \
        f"[{item.label_th}] {item.headline}"


def json_feed(settings: Settings, topic: str | None, items: list[service.PublicVerdict]) -> dict:
    base = settings.base_url.rstrip("/")
    query = f"?{urlencode({'topic': topic})}" if topic else ""
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": _title(settings, topic),
        "home_page_url": f"{base}/verdicts{query}",
        "feed_url": f"{base}/feeds/verdicts.json{query}",
        "language": "th",
        "authors": [{"name": settings.center_name_th, "url": base + "/"}],
        "items": [{
            "id": verdict_url(settings, i.claim_id) + (f"#v{i.version}" if i.version > 1 else ""),
            "url": verdict_url(settings, i.claim_id),
            "title": _entry_title(i),
            "content_text": f"{i.headline}\n\n{i.explanation}".strip(),
            "summary": _summary(i),
            "image": f"{verdict_url(settings, i.claim_id)}/card-1200x630.png",
            "date_published": _iso(i.first_published_at),
            "date_modified": _iso(i.published_at),
            "tags": [i.label, *([i.topic] if i.topic else [])],
            "_khaojing": {"claim_id": i.claim_id, "label": i.label, "label_th": i.label_th, "version": i.version,
                          "topic": i.topic, "agency_th": i.agency_th},
        } for i in items],
    }


@router.get("/feeds/verdicts.atom")
def atom_feed(request: Request, topic: str | None = None, db: Database = Depends(get_db)) -> Response:
    settings, topic, items = _items(request, db, topic)
    return Response(atom(settings, topic, items), media_type="application/atom+xml; charset=utf-8",
                    headers=HEADERS)


@router.get("/feeds/verdicts.json")
def json_feed_route(request: Request, topic: str | None = None, db: Database = Depends(get_db)) -> Response:
    settings, topic, items = _items(request, db, topic)
    return JSONResponse(json_feed(settings, topic, items), media_type="application/feed+json", headers=HEADERS)
