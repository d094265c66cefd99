"""Fixtures for pages checked as a person sees them: the real app on a local port, and Debian's headless Chromium."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

try:  # Playwright for Python drives Debian's chromium; never `playwright install` (it downloads a browser)
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - the test extras install it
    sync_playwright = None


@pytest.fixture
def live_url(env) -> Iterator[str]:  # noqa: ANN001
    """The test's app served by uvicorn on a free loopback port, in a background thread.

    Browser tests log staff in through the password form only: the TOTP second factor (issue 9) is not required
    here. tests/security/test_twofactor_browser.py sets `env.settings.require_2fa_roles` back and goes through it."""
    import uvicorn

    env.settings.require_2fa_roles = ""

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(env.app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def need_chromium() -> None:
    """Skip the test when Playwright for Python or Debian's chromium is missing."""
    if sync_playwright is None:
        pytest.skip("Playwright for Python is not installed (pip install playwright; never `playwright install`)")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium fonts-thai-tlwg)")


@pytest.fixture
def browser():  # noqa: ANN201
    need_chromium()
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield instance
        instance.close()
