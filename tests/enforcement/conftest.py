"""Fixtures of the enforcement tests: a real web site on 127.0.0.1 whose pages a test can change or remove."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "cases"))

from case_helpers import Staff, make_staff  # noqa: E402

SCAM_PAGE = """<!doctype html><html lang="th"><head><meta charset="utf-8"><title>ลงทุนทองคำ กำไร 300% ต่อเดือน</title>
<style>body{font-family:sans-serif}</style><script>var tracker = 1;</script></head>
<body><h1>ลงทุนทองคำ กำไร 300% ต่อเดือน</h1><p>โอนเงินวันนี้ รับทองคำแท่งฟรี! ธนาคารแห่งประเทศไทยรับรอง</p>
<p>ติดต่อไลน์ @goldrich999</p></body></html>"""


class Site:
    """Pages by path: (status, content type, body); a test edits `pages` to change or remove one."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, str, bytes] | tuple[int, str, bytes, dict]] = {
            "/scam": (200, "text/html; charset=utf-8", SCAM_PAGE.encode("utf-8")),
            "/moved": (302, "text/html", b"", {"Location": "/scam"}),
        }
        self.hits: list[str] = []
        self.url = ""

    def handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                site.hits.append(self.path)
                page = site.pages.get(self.path.split("?")[0])
                if page is None:
                    page = (404, "text/html", b"<html><body>Not found</body></html>")
                status, ctype, body, *extra = page
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (extra[0] if extra else {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:  # noqa: ANN002
                pass

        return Handler


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), s.handler())
    s.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield s
    server.shutdown()
    server.server_close()


@pytest.fixture
def enf_settings(settings):  # noqa: ANN001, ANN201
    """The test's settings with private targets allowed (the site is on 127.0.0.1) and no browser by default."""
    settings.enforcement_allow_private_targets = True
    settings.enforcement_screenshots = False
    settings.enforcement_capture_timeout_seconds = 10.0
    return settings


@pytest.fixture
def staff(db) -> Staff:  # noqa: ANN001
    return make_staff(db)


@pytest.fixture
def cli(settings, monkeypatch, tmp_path):  # noqa: ANN001, ANN201
    """cli("evidence", "verify") -> click Result, run in-process against the test's database and data folder."""
    import os

    from typer.testing import CliRunner

    from khaojing.cli import app
    from khaojing.settings import get_settings

    for name in list(os.environ):
        if name.startswith("KHAOJING_") and name != "KHAOJING_TEST_DATABASE_URL":
            monkeypatch.delenv(name)
    for name, value in {"KHAOJING_DATABASE_URL": settings.database_url, "KHAOJING_DATA_DIR": str(settings.data_dir),
                        "KHAOJING_DEV_MODE": "true", "KHAOJING_SECRET_KEY": settings.secret_key,
                        "KHAOJING_ENFORCEMENT_ALLOW_PRIVATE_TARGETS": "true",
                        "KHAOJING_ENFORCEMENT_SCREENSHOTS": "false"}.items():
        monkeypatch.setenv(name, value)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):  # noqa: A002, ANN202
        get_settings.cache_clear()
        return runner.invoke(app, list(args), input=input)

    yield invoke
    get_settings.cache_clear()
