"""SSRF (issue 9): every outgoing fetcher whose target comes from outside the operator's configuration refuses
private, loopback and link-local addresses before any request is made, unless its setting allows them (tests,
intranets): evidence capture, the feeds fetcher, the short-link resolver and partner webhooks. A real HTTP server on
127.0.0.1 counts the requests that got through. (The LINE client only calls the operator's `line_api_url`.)"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from khaojing.channels.feeds.fetch import FeedError, Limits
from khaojing.channels.feeds.fetch import fetch as fetch_feed
from khaojing.db.base import utcnow
from khaojing.enforcement import capture
from khaojing.errors import Invalid
from khaojing.matching import urls
from khaojing.publication import webhooks
from khaojing.publication.models import WebhookDelivery

PRIVATE = ["http://10.0.0.1/", "http://192.168.1.1/x", "http://169.254.169.254/latest/meta-data/",
           "http://[::1]/", "http://localhost/", "http://0.0.0.0/", "http://172.16.5.4/"]


@pytest.fixture
def target():  # noqa: ANN201
    """A loopback server that answers every GET/POST with a tiny RSS feed and counts the requests."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # noqa: ANN002
            pass

        def _answer(self) -> None:
            hits.append(self.path)
            length = int(self.headers.get("content-length") or 0)
            self.rfile.read(length)
            body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer  # noqa: N815

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_evidence_capture_refuses_private_targets_unless_allowed(settings, target) -> None:  # noqa: ANN001
    base, hits = target
    settings.enforcement_allow_private_targets = False
    for url in [f"{base}/page", *PRIVATE]:
        with pytest.raises(Invalid):
            capture.fetch(url, settings=settings, screenshot=False)
    with pytest.raises(Invalid):
        capture.fetch("file:///etc/passwd", settings=settings, screenshot=False)
    assert hits == []
    settings.enforcement_allow_private_targets = True  # the test setting
    assert capture.fetch(f"{base}/page", settings=settings, screenshot=False).status_code == 200
    assert hits == ["/page"]


def test_the_feeds_fetcher_refuses_private_targets_unless_allowed(target) -> None:  # noqa: ANN001
    base, hits = target
    for url in [f"{base}/feed.xml", *PRIVATE, "ftp://example.org/feed"]:
        with pytest.raises(FeedError):
            fetch_feed(url, limits=Limits(timeout_seconds=3))
    assert hits == []
    assert fetch_feed(f"{base}/feed.xml", limits=Limits(timeout_seconds=3, allow_private=True)).status == 200
    assert hits == ["/feed.xml"]


def test_the_short_link_resolver_never_calls_private_targets(target) -> None:  # noqa: ANN001
    base, hits = target
    for url in [f"{base}/abc", *PRIVATE]:
        assert urls.resolve(url, enabled=True, timeout=3) == url  # left as it was
    assert hits == []
    urls.resolve(f"{base}/abc", enabled=True, timeout=3, allow_loopback=True)
    assert hits == ["/abc"]


def test_partner_webhooks_to_private_targets_are_refused_outside_dev_mode(env, target) -> None:  # noqa: ANN001
    base, hits = target
    env.partner_key("moph")
    with env.db.unit_of_work() as session:
        webhooks.add_webhook(session, name="moph", url=f"{base}/hook", actor="test", partner="moph")
        webhooks.queue_deliveries(session, claim_id=1, verdict_id=1, version=1, body={"claim_id": 1})
    env.settings.webhook_allow_private_targets = False  # production: the default outside dev mode
    with env.db.unit_of_work() as session:
        result = webhooks.deliver_due(session, settings=env.settings)
    assert result.delivered == 0 and result.failed == 1 and hits == []
    with env.db.unit_of_work(readonly=True) as session:
        row = session.scalar(select(WebhookDelivery))
        assert row.last_error.startswith("refused:") and "private" in row.last_error
    env.settings.webhook_allow_private_targets = None  # dev mode (tests, demos): loopback receivers work
    assert env.settings.webhooks_may_reach_private
    with env.db.unit_of_work() as session:  # the retry is due now
        session.scalar(select(WebhookDelivery)).next_attempt_at = utcnow()
    with env.db.unit_of_work() as session:
        assert webhooks.deliver_due(session, settings=env.settings).delivered == 1
    assert hits == ["/hook"]


class _RebindingDns:
    """getaddrinfo for one name: a public address on the first lookup (the first `public_lookups`), loopback on
    every later one (DNS rebinding); other names as usual."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str, public: str = "93.184.216.34",
                 public_lookups: int = 1):
        import socket

        self.name, self.public, self.lookups = name, public, 0
        real = socket.getaddrinfo

        def fake(host, port, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            if host != name:
                return real(host, port, *args, **kwargs)
            self.lookups += 1
            address = public if self.lookups <= public_lookups else "127.0.0.1"
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

        monkeypatch.setattr(socket, "getaddrinfo", fake)


def test_a_checked_request_goes_to_the_checked_address_not_to_a_second_lookup(monkeypatch) -> None:  # noqa: ANN001
    import httpx

    dns = _RebindingDns(monkeypatch, "feeds.example")
    with httpx.Client() as client:
        request = urls.pinned_request(client, "GET", "https://feeds.example/rss?x=1", headers={"Accept": "*/*"})
    assert request.url.host == "93.184.216.34" and request.url.path == "/rss" and request.url.query == b"x=1"
    assert request.headers["host"] == "feeds.example" and request.headers["accept"] == "*/*"
    assert request.extensions["sni_hostname"] == "feeds.example"  # the certificate is checked for the name
    assert dns.lookups == 1
    dns.lookups = 1  # the next lookup answers loopback: refused before any request is built
    with httpx.Client() as client, pytest.raises(urls.UnsafeAddress):
        urls.pinned_request(client, "GET", "https://feeds.example/rss")


def test_partner_webhooks_are_sent_to_the_address_that_was_checked(env, monkeypatch) -> None:  # noqa: ANN001
    import httpx

    _RebindingDns(monkeypatch, "partner.example")
    sent: list[httpx.Request] = []
    client = httpx.Client(transport=httpx.MockTransport(lambda request: sent.append(request) or httpx.Response(200)))
    env.partner_key("moph")
    env.settings.webhook_allow_private_targets = False
    with env.db.unit_of_work() as session:
        webhooks.add_webhook(session, name="moph", url="https://partner.example/hook", actor="test", partner="moph")
        webhooks.queue_deliveries(session, claim_id=1, verdict_id=1, version=1, body={"claim_id": 1})
    with env.db.unit_of_work() as session:
        assert webhooks.deliver_due(session, settings=env.settings, client=client).delivered == 1
    assert len(sent) == 1 and sent[0].url.host == "93.184.216.34" and sent[0].headers["host"] == "partner.example"
    assert sent[0].method == "POST" and b"claim_id" in sent[0].content and sent[0].headers["x-khaojing-signature"]


def test_evidence_capture_fetches_from_the_address_that_was_checked(settings, monkeypatch) -> None:  # noqa: ANN001
    import httpx

    _RebindingDns(monkeypatch, "rumour.example")
    seen: list[httpx.Request] = []

    def fake_get(client, request, *, max_bytes, deadline):  # noqa: ANN001, ANN202
        seen.append(request)
        return httpx.Response(200, headers={"content-type": "text/html"}, request=request), b"<title>t</title>x"

    monkeypatch.setattr(capture, "_get", fake_get)
    settings.enforcement_allow_private_targets = False
    fetched = capture.fetch("https://rumour.example/post/1", settings=settings, screenshot=False)
    assert [r.url.host for r in seen] == ["93.184.216.34"] and seen[0].headers["host"] == "rumour.example"
    assert seen[0].headers["user-agent"].startswith("khaojing-evidence/")
    assert fetched.final_url == "https://rumour.example/post/1" and fetched.title == "t"  # the record names the site


# --- the screenshot browser (headless Chromium) connects only through the pinning proxy ---------------------------

@pytest.fixture
def chromium(settings, monkeypatch):  # noqa: ANN001, ANN201
    """The capture's settings for a real headless Chromium, private targets refused (production), short limits."""
    pytest.importorskip("playwright.sync_api")
    if not settings.enforcement_chromium_path.exists():
        pytest.skip(f"{settings.enforcement_chromium_path} is missing (apt-get install chromium)")
    settings.enforcement_allow_private_targets = False
    settings.enforcement_capture_timeout_seconds = 8.0
    return settings


def _chromium_resolves(monkeypatch, name: str, address: str) -> None:  # noqa: ANN001
    """Chromium's own resolver answers `address` for `name` (what a rebinding name tells it a moment later)."""
    rule = f"--host-resolver-rules=MAP {name} {address}"
    monkeypatch.setattr(capture, "CHROMIUM_ARGS", [*capture.CHROMIUM_ARGS, rule])


@pytest.mark.browser
def test_the_screenshot_of_a_name_that_rebinds_to_loopback_never_reaches_the_local_server(  # noqa: ANN001
        chromium, target, monkeypatch) -> None:
    base, hits = target
    port = base.rsplit(":", 1)[1]
    url = f"http://rebind.example:{port}/page"
    dns = _RebindingDns(monkeypatch, "rebind.example")
    _chromium_resolves(monkeypatch, "rebind.example", "127.0.0.1")
    seen = []

    def fake_get(client, request, *, max_bytes, deadline):  # noqa: ANN001, ANN202  the page, from the public address
        import httpx

        seen.append(request.url.host)
        return httpx.Response(200, headers={"content-type": "text/html"}, request=request), b"<title>t</title>x"

    monkeypatch.setattr(capture, "_get", fake_get)
    fetched = capture.fetch(url, settings=chromium, screenshot=True)
    assert seen == ["93.184.216.34"] and dns.lookups >= 2  # the fetch was pinned; the browser's lookup rebound
    assert hits == []  # neither Chromium (which would have resolved loopback itself) nor the proxy reached it
    assert fetched.screenshot is None and url in fetched.blocked  # (and the favicon, when Chromium asks for it)
    assert all(blocked.startswith(f"http://rebind.example:{port}/") for blocked in fetched.blocked)
    assert "refused" in fetched.screenshot_note and "rebind.example" in fetched.screenshot_note


@pytest.mark.browser
def test_the_screenshot_browser_does_not_resolve_names_itself(chromium, target, monkeypatch) -> None:  # noqa: ANN001
    """khaojing sees a public address every time; only Chromium's own resolver would say loopback: unpinned, the
    browser went to the local server (the page.route check passed)."""
    base, hits = target
    _RebindingDns(monkeypatch, "split.example", public_lookups=10**6)
    _chromium_resolves(monkeypatch, "split.example", "127.0.0.1")
    chromium.enforcement_capture_timeout_seconds = 4.0
    png, note, _, blocked = capture.take_screenshot(f"http://split.example:{base.rsplit(':', 1)[1]}/page",
                                                    settings=chromium)
    assert hits == [] and png is None and note.startswith("no screenshot") and blocked == []


@pytest.mark.browser
def test_the_screenshot_browser_does_not_bypass_the_proxy_for_loopback(chromium, target) -> None:  # noqa: ANN001
    base, hits = target
    for url in (f"{base}/page", base.replace("127.0.0.1", "localhost") + "/page"):
        png, note, _, blocked = capture.take_screenshot(url, settings=chromium)
        assert png is None and url in [refusal.target for refusal in blocked]
        assert "refused" in note and url in note
    assert hits == []
