"""URL normalisation, known shorteners, and resolving them safely (the SSRF guard; a local server for redirects).

Resolution is tested against a tiny HTTP server on 127.0.0.1. resolve() refuses loopback addresses; the tests pass
allow_loopback=True, a parameter that exists for these tests only (production code never sets it), and check that
private and link-local targets are still refused with it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from khaojing.matching import urls
from khaojing.matching.urls import UnsafeAddress, is_public_address, is_shortener, normalize_url, resolve, safe_address


@pytest.mark.parametrize(("given", "normal"), [
    ("HTTPS://WWW.Example.COM:443/a/b/?utm_source=x&b=2&a=1#frag", "https://example.com/a/b?a=1&b=2"),
    ("http://example.com:80", "http://example.com/"),
    ("https://example.com:8443/x/", "https://example.com:8443/x"),
    ("example.com/path/", "https://example.com/path"),
    ("www.afnc.go.th", "https://afnc.go.th/"),
    ("https://user:secret@example.com/", "https://example.com/"),
    ("https://example.com/?gclid=1&fbclid=2&igshid=3&si=4&mibextid=5&ref_src=6&utm_medium=7&q=ok", "https://example.com/?q=ok"),
    ("https://example.com/%7euser/%41%2f%e0%b8%81", "https://example.com/~user/A%2F%E0%B8%81"),
    ("https://example.com/ข่าว", "https://example.com/%E0%B8%82%E0%B9%88%E0%B8%B2%E0%B8%A7"),
    ("https://ไทย.com/", "https://xn--o3cw4h.com/"),
    ("https://[::1]:8080/x", "https://[::1]:8080/x"),
    ("https://m.facebook.com/story.php?story_fbid=1&id=2&mibextid=abc&__cft__[0]=zz",
     "https://www.facebook.com/story.php?id=2&story_fbid=1"),
    ("https://mbasic.facebook.com/groups/123/", "https://www.facebook.com/groups/123"),
    ("https://facebook.com/groups/123", "https://www.facebook.com/groups/123"),
    ("https://youtu.be/dQw4w9WgXcQ?si=abc", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&feature=share&t=10", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    ("https://m.youtube.com/shorts/abc123", "https://www.youtube.com/watch?v=abc123"),
    ("https://twitter.com/user/status/1?s=20&t=xyz", "https://x.com/user/status/1"),
    ("https://mobile.twitter.com/user/status/1", "https://x.com/user/status/1"),
    ("not a url", "not a url"),
    ("", ""),
])
def test_normalize_url(given: str, normal: str) -> None:
    assert normalize_url(given) == normal
    assert normalize_url(normal) == normal  # idempotent


def test_same_page_same_key() -> None:
    variants = ["https://www.antifakenewscenter.com/?p=74610", "https://antifakenewscenter.com/?p=74610&fbclid=IwAR0",
                "antifakenewscenter.com/?p=74610#top", "HTTPS://ANTIFAKENEWSCENTER.COM:443/?utm_source=line&p=74610"]
    assert {normalize_url(v) for v in variants} == {"https://antifakenewscenter.com/?p=74610"}


def test_shorteners() -> None:
    for link in ("https://bit.ly/3abc", "lin.ee/abc", "https://t.co/x", "shorturl.at/ab", "https://cutt.ly/x",
                 "https://rb.gy/x", "https://is.gd/x", "https://ow.ly/x", "https://tinyurl.com/x", "www.bit.ly/x"):
        assert is_shortener(link), link
    for link in ("https://example.com/bit.ly", "https://www.facebook.com/x", "not a url", ""):
        assert not is_shortener(link), link


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                                     "224.0.0.1", "0.0.0.0", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1",
                                     "100.64.0.1", "240.0.0.1"])
def test_non_public_addresses(address: str) -> None:
    assert not is_public_address(address)


def test_public_addresses() -> None:
    assert is_public_address("8.8.8.8") and is_public_address("2001:4860:4860::8888")


def test_safe_address_refuses_names_of_private_hosts() -> None:
    with pytest.raises(UnsafeAddress):
        safe_address("localhost", 80)
    with pytest.raises(UnsafeAddress):
        safe_address("no-such-host.invalid", 80)
    assert safe_address("localhost", 80, allow_loopback=True) in ("127.0.0.1", "::1")


class _Redirects(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str]] = {}
    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        type(self).seen.append(f"{self.headers.get('Host')} {self.path}")
        status, location = self.routes.get(self.path, (200, ""))
        self.send_response(status)
        if location:
            self.send_header("Location", location.replace("PORT", str(self.server.server_port)))
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Redirects.seen = []
    _Redirects.routes = {
        "/s/abc": (301, "/hop1"), "/hop1": (302, "http://localhost:PORT/final/?utm_source=sms&id=7"),
        "/loop": (302, "/loop"), "/to-metadata": (302, "http://169.254.169.254/latest/meta-data/"),
        "/to-private": (307, "http://10.0.0.1/"), "/to-file": (302, "file:///etc/passwd"),
    }
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Redirects)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def test_resolve_follows_redirects_to_the_normalised_final_url(server: str) -> None:
    port = server.rsplit(":", 1)[1]
    final = resolve(f"{server}/s/abc", enabled=True, allow_loopback=True)
    assert final == f"http://localhost:{port}/final?id=7"
    assert _Redirects.seen[-1] == f"localhost:{port} /final/?utm_source=sms&id=7"  # the real Host header is sent


def test_resolve_is_off_unless_enabled(server: str) -> None:
    assert resolve(f"{server}/s/abc", enabled=False, allow_loopback=True) == f"{server}/s/abc"
    assert _Redirects.seen == []


def test_a_link_to_a_loopback_address_is_refused_without_a_request(server: str) -> None:
    link = f"{server}/s/abc"
    assert resolve(link, enabled=True) == link
    assert _Redirects.seen == []


@pytest.mark.parametrize("path", ["/to-metadata", "/to-private", "/to-file", "/loop"])
def test_unsafe_or_endless_redirects_give_back_the_input(server: str, path: str) -> None:
    assert resolve(f"{server}{path}", enabled=True, allow_loopback=True, timeout=2) == f"{server}{path}"
    assert len(_Redirects.seen) <= urls.MAX_HOPS + 1


def test_failures_give_back_the_input() -> None:
    for link in ("http://127.0.0.1:9/x", "https://no-such-host.invalid/x", "not a url", "ftp://example.com/x"):
        assert resolve(link, enabled=True, allow_loopback=True, timeout=1) == link
