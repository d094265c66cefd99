"""Turn a fetched body into listening items: RSS/Atom (feedparser), JSON Feed, or any JSON with an item path.

Anything that is not a readable feed (HTML, broken XML, mislabelled encodings, JSON without items) raises
FeedError with the reason, so the source is marked unhealthy and nothing half-parsed enters intake."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from typing import Any

import feedparser

from khaojing.channels.feeds.fetch import FeedError

KINDS = ("rss", "jsonfeed", "json", "folder")
MAX_EXTERNAL_ID = 200
MAX_TEXT = 20_000
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"[ \t\r\f\v]+")
_THAI = re.compile("[\u0e01-\u0e5b]")
DEFAULT_FIELDS = {"id": ("id", "guid", "post_id", "message_id"),
                  "text": ("text", "message", "content", "body", "content_text", "title"),
                  "title": ("title", "headline"),
                  "link": ("url", "link", "permalink"),
                  "date": ("created_at", "date", "published", "date_published", "timestamp", "time")}


@dataclass
class Item:
    external_id: str
    text: str
    link: str | None = None
    published: dt.datetime | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def plain_text(value: str) -> str:
    """HTML fragments to plain text: tags dropped, entities decoded, runs of spaces folded."""
    text = html.unescape(_TAG.sub(" ", value or ""))
    return "\n".join(_SPACE.sub(" ", line).strip() for line in text.splitlines() if line.strip())


def make_item(*, ident: Any, title: str = "", body: str = "", link: Any = None, published: Any = None,
              meta: dict | None = None) -> Item | None:
    """One item from loose fields; None when it has no text and no link."""
    title, body = plain_text(str(title or "")), plain_text(str(body or ""))
    text = title if not body or body == title else (f"{title}\n{body}" if title and not body.startswith(title)
                                                    else body)
    link = str(link).strip() if isinstance(link, str) and link.strip() else None
    if not text and not link:
        return None
    key = str(ident).strip() if ident not in (None, "") else (link or "")
    if not key or len(key) > MAX_EXTERNAL_ID:
        key = "sha256:" + hashlib.sha256((key or text).encode("utf-8")).hexdigest()
    return Item(external_id=key, text=text[:MAX_TEXT], link=link, published=parse_date(published), meta=meta or {})


def parse_date(value: Any) -> dt.datetime | None:
    """ISO 8601, epoch seconds/milliseconds or a struct_time (UTC); None when absent, unreadable or in the future."""
    when = None
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            when = dt.datetime.fromtimestamp(value / 1000 if value > 1e11 else value, dt.UTC)
        elif isinstance(value, str) and value.strip():
            raw = value.strip()
            when = (dt.datetime.fromtimestamp(float(raw), dt.UTC) if raw.replace(".", "", 1).isdigit()
                    else dt.datetime.fromisoformat(raw.replace("Z", "+00:00")))
            if when.tzinfo is None:
                when = when.replace(tzinfo=dt.UTC)
        elif value is not None and hasattr(value, "tm_year"):
            when = dt.datetime.fromtimestamp(calendar.timegm(value), dt.UTC)
    except (ValueError, OverflowError, OSError):
        return None
    if when is not None and when > dt.datetime.now(dt.UTC) + dt.timedelta(hours=1):
        return None
    return when


def _looks_like_html(body: bytes, content_type: str) -> bool:
    head = body[:2000].lstrip().lower()
    return "text/html" in content_type.lower() or head.startswith((b"<!doctype html", b"<html"))


def _check_encoding(body: bytes, result: Any) -> None:
    """A feed that says UTF-8 (or says nothing) but is not: name the likely encoding instead of storing mojibake."""
    declared = (result.get("encoding") or "").lower()
    exc = result.get("bozo_exception")
    if not isinstance(exc, feedparser.CharacterEncodingOverride) and "utf" not in declared:
        return
    try:
        body.decode("utf-8")
        return
    except UnicodeDecodeError:
        pass
    guess = ""
    try:
        if _THAI.search(body.decode("tis-620")):
            guess = " (the bytes look like TIS-620 Thai: declare encoding=\"TIS-620\")"
    except UnicodeDecodeError:
        pass
    raise FeedError(f"wrong encoding: the feed is not valid UTF-8 as declared{guess}")


def parse_rss(body: bytes, content_type: str = "") -> list[Item]:
    """RSS 0.9x/1.0/2.0 and Atom, in any encoding the feed declares (TIS-620 included). When the HTTP charset and
    the feed's own XML declaration disagree, the declaration gets a second chance (servers often mislabel)."""
    try:
        return _parse_rss(body, content_type)
    except FeedError as exc:
        if not content_type or not str(exc).startswith("wrong encoding") or not body.lstrip().startswith(b"<?xml"):
            raise
        return _parse_rss(body, "")


def _parse_rss(body: bytes, content_type: str) -> list[Item]:
    headers = {"content-type": content_type} if content_type else {}
    result = feedparser.parse(body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False)
    if not result.get("version"):
        if _looks_like_html(body, content_type):
            raise FeedError("not a feed: the server returned an HTML page")
        exc = result.get("bozo_exception")
        raise FeedError(f"not a feed: {exc}" if exc else "not a feed: no RSS or Atom elements found")
    _check_encoding(body, result)
    exc = result.get("bozo_exception")
    if result.get("bozo") and not isinstance(exc, (feedparser.CharacterEncodingOverride,
                                                   feedparser.NonXMLContentType)):
        raise FeedError(f"malformed XML: {exc}"[:300])
    items = []
    for entry in result.entries:
        body_html = ""
        if entry.get("content"):
            body_html = entry.content[0].get("value", "")
        body_html = body_html or entry.get("summary", "")
        item = make_item(ident=entry.get("id"), title=entry.get("title", ""), body=body_html,
                         link=entry.get("link"), published=entry.get("published_parsed") or entry.get("updated_parsed"),
                         meta={"author": entry.get("author")} if entry.get("author") else None)
        if item:
            items.append(item)
    return items


def _json(body: bytes) -> Any:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FeedError(f"wrong encoding: JSON must be UTF-8 ({exc.reason} at byte {exc.start})") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        hint = " (the server returned an HTML page)" if text.lstrip()[:1] == "<" else ""
        raise FeedError(f"not JSON: {exc.msg} at line {exc.lineno}{hint}") from exc


def parse_jsonfeed(body: bytes) -> list[Item]:
    """JSON Feed 1.0/1.1 (https://jsonfeed.org)."""
    data = _json(body)
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith("https://jsonfeed.org/version/") \
            or not isinstance(data.get("items"), list):
        raise FeedError("not a JSON Feed: no jsonfeed.org version or no items list")
    items = []
    for raw in data["items"]:
        if not isinstance(raw, dict):
            continue
        item = make_item(ident=raw.get("id"), title=raw.get("title", ""),
                         body=raw.get("content_text") or raw.get("content_html") or raw.get("summary") or "",
                         link=raw.get("url"), published=raw.get("date_published") or raw.get("date_modified"))
        if item:
            items.append(item)
    return items


def _at_path(data: Any, path: str | None) -> Any:
    for part in [p for p in (path or "").split(".") if p]:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            raise FeedError(f"item path {path!r} not found in the JSON (stopped at {part!r})")
    return data


def _pick(row: dict, name: str, fields: dict) -> Any:
    keys = [fields[name]] if fields.get(name) else list(DEFAULT_FIELDS[name])
    for key in keys:
        value = _at_path(row, key) if "." in key else row.get(key)
        if value not in (None, ""):
            return value
    return None


def item_from_row(row: dict, fields: dict) -> Item | None:
    """One item from a JSON object or a CSV/JSONL row, with configurable field names (dotted paths allowed)."""
    try:
        title, text = _pick(row, "title", fields), _pick(row, "text", fields)
        return make_item(ident=_pick(row, "id", fields), title=title if title != text else "", body=text or "",
                         link=_pick(row, "link", fields), published=_pick(row, "date", fields))
    except FeedError:
        return None


def parse_json(body: bytes, *, item_path: str | None, fields: dict | None = None) -> list[Item]:
    """Any JSON endpoint: the list of items at `item_path` (dotted), fields by name or the usual names."""
    rows = _at_path(_json(body), item_path)
    if not isinstance(rows, list):
        raise FeedError(f"item path {item_path or '(top)'!r} is not a list of items")
    return [item for row in rows if isinstance(row, dict) and (item := item_from_row(row, fields or {}))]


def parse(kind: str, body: bytes, *, content_type: str = "", item_path: str | None = None,
          fields: dict | None = None) -> list[Item]:
    if kind == "rss":
        return parse_rss(body, content_type)
    if kind == "jsonfeed":
        return parse_jsonfeed(body)
    if kind == "json":
        return parse_json(body, item_path=item_path, fields=fields)
    raise FeedError(f"unknown source kind {kind!r}")
