"""A real HTTP server on 127.0.0.1 for listening tests: routes with bodies, ETags, redirects, delays, endless bodies;
and real-looking Thai feeds built from ../shared/data (AFNC headlines and Wisesight social-media chatter)."""

from __future__ import annotations

import csv
import datetime as dt
import random
import threading
import time
from dataclasses import dataclass, field
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"
AFNC = DATA / "afnc-2025" / "afnc_posts_2025_may_aug.csv"
CHATTER = DATA / "wisesight-sentiment" / "neu.txt"


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    etag: str | None = None
    location: str | None = None
    delay: float = 0.0
    endless: bool = False  # stream chunks until the client hangs up
    hits: list[dict] = field(default_factory=list)


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # noqa: ANN002
                pass

            def do_GET(self) -> None:  # noqa: N802
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                route.hits.append(dict(self.headers))
                time.sleep(route.delay)
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                if route.location:
                    self.send_header("Location", route.location)
                if route.etag:
                    self.send_header("ETag", route.etag)
                if route.endless:
                    self.end_headers()
                    try:
                        for _ in range(100_000):
                            self.wfile.write(b"<item>" + b"x" * 65536 + b"</item>")
                    except OSError:
                        pass
                    return
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                try:
                    self.wfile.write(route.body)
                except OSError:  # the client gave up (a timeout test)
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def add(self, path: str, **kw) -> str:  # noqa: ANN003
        self.routes[path] = Route(**kw)
        return self.base + path

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def afnc_titles(n: int, seed: int = 7) -> list[str]:
    if not AFNC.exists():
        pytest.skip(f"{AFNC} is missing (../shared/data is beside the project on CI and dev machines)")
    with AFNC.open(encoding="utf-8-sig") as fh:
        titles = [r["title"].strip() for r in csv.DictReader(fh) if r.get("label", "").startswith("ข่")]
    random.Random(seed).shuffle(titles)
    return titles[:n]


def chatter(n: int, seed: int = 7) -> list[str]:
    if not CHATTER.exists():
        pytest.skip(f"{CHATTER} is missing")
    lines = [x.strip() for x in CHATTER.read_text(encoding="utf-8").splitlines() if len(x.strip()) > 25]
    random.Random(seed).shuffle(lines)
    return lines[:n]


def rss(entries: list[tuple[str, str]], *, encoding: str = "UTF-8", title: str = "เฝ้าระวังสื่อสังคม") -> bytes:
    """An RSS 2.0 document of (guid, text) entries, encoded and declared as `encoding`."""
    now = format_datetime(dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC))
    items = "".join(f"<item><guid isPermaLink=\"false\">{escape(g)}</guid><title>{escape(t[:120])}</title>"
                    f"<description>{escape(t)}</description><link>https://social.example/p/{escape(g)}</link>"
                    f"<pubDate>{now}</pubDate></item>" for g, t in entries)
    doc = (f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>{title}</title>'
           f"<link>https://social.example/</link><description>x</description>{items}</channel></rss>")
    return doc.encode(encoding)
