"""The screenshot browser's pinning proxy on its own (a raw socket as the browser, real servers on 127.0.0.1 as the
sites), then a real capture through it. The DNS-rebinding cases with Chromium are in tests/security/test_ssrf.py."""

from __future__ import annotations

import io
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from khaojing.enforcement import capture
from khaojing.enforcement.pinning_proxy import MAX_HEAD, PinningProxy


class EchoServer:
    """A TCP server on 127.0.0.1 that sends back what it gets and counts its connections."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._echo, args=(conn,), daemon=True).start()

    @staticmethod
    def _echo(conn: socket.socket) -> None:
        with conn:
            while data := conn.recv(65536):
                conn.sendall(data)


@pytest.fixture
def echo() -> Iterator[EchoServer]:
    server = EchoServer()
    yield server
    server.sock.close()


def _proxy(allow_private: bool, **limits: float) -> PinningProxy:
    return PinningProxy(allow_private=allow_private, timeout=limits.get("timeout", 5.0),
                        max_bytes=int(limits.get("max_bytes", 1_000_000)))


def _ask(proxy: PinningProxy, raw: bytes, *, read_all: bool = True) -> tuple[socket.socket, bytes]:
    """Send `raw` to the proxy; (the socket, the answer: everything until it closes, or its head)."""
    sock = socket.create_connection(("127.0.0.1", proxy.port), timeout=10)
    sock.sendall(raw)
    answer = b""
    while (read_all or b"\r\n\r\n" not in answer) and (chunk := sock.recv(65536)):
        answer += chunk
    return sock, answer


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def test_connect_to_loopback_is_refused_and_recorded_unless_private_is_allowed(echo) -> None:  # noqa: ANN001
    with _proxy(allow_private=False) as proxy:
        for target in (f"127.0.0.1:{echo.port}", f"localhost:{echo.port}", f"[::1]:{echo.port}"):
            sock, answer = _ask(proxy, f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n".encode())
            sock.close()
            assert _status(answer) == 403 and b"X-Khaojing-Proxy: refused" in answer
            assert b"private, loopback or link-local" in answer
        assert [refusal.target for refusal in proxy.blocked] == [f"127.0.0.1:{echo.port}", f"localhost:{echo.port}",
                                                                 f"[::1]:{echo.port}"]
    assert echo.connections == 0

    with _proxy(allow_private=True) as proxy:  # the test setting: the tunnel carries bytes both ways
        sock, head = _ask(proxy, f"CONNECT 127.0.0.1:{echo.port} HTTP/1.1\r\n\r\n".encode(), read_all=False)
        with sock:
            assert head == b"HTTP/1.1 200 Connection Established\r\n\r\n"
            payload = bytes(range(256)) * 1024  # 256 KiB, every byte value
            threading.Thread(target=sock.sendall, args=(payload,), daemon=True).start()
            received = b""
            while len(received) < len(payload) and (chunk := sock.recv(65536)):
                received += chunk
            assert received == payload
        assert proxy.blocked == []
    assert echo.connections == 1


def test_plain_http_is_forwarded_once_with_connection_close_and_refused_for_loopback(site) -> None:  # noqa: ANN001
    request = (f"GET {site.url}/scam?a=1 HTTP/1.1\r\nHost: {site.url[7:]}\r\nProxy-Connection: keep-alive\r\n"
               f"Proxy-Authorization: Basic eDp5\r\nAccept: */*\r\n\r\n").encode()
    with _proxy(allow_private=False) as proxy:
        _, answer = _ask(proxy, request)
        assert _status(answer) == 403 and b"X-Khaojing-Proxy: refused" in answer
        assert [refusal.target for refusal in proxy.blocked] == [f"{site.url}/scam?a=1"]
    assert site.hits == []
    with _proxy(allow_private=True) as proxy:
        _, answer = _ask(proxy, request)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 200") or head.startswith(b"HTTP/1.1 200")
    assert b"Connection: close" in head and b"X-Khaojing-Proxy" not in head
    assert "ลงทุนทองคำ".encode() in body
    assert site.hits == ["/scam?a=1"]  # origin-form on the site's side


MALFORMED = [
    (b"garbage\r\n\r\n", b"not an HTTP/1.x request line"),
    (b"GET /scam HTTP/1.1\r\nHost: example.org\r\n\r\n", b"absolute http:// URL"),
    (b"GET ftp://example.org/x HTTP/1.1\r\n\r\n", b"absolute http:// URL"),
    (b"GET https://example.org/x HTTP/1.1\r\n\r\n", b"https goes through CONNECT"),
    (b"GET http://user:pw@example.org/ HTTP/1.1\r\n\r\n", b"user name or password"),
    (b"GET http://example.org/ HTTP/2\r\n\r\n", b"not an HTTP/1.x request line"),
    (b"GET http://example.org:99999/ HTTP/1.1\r\n\r\n", b"bad URL"),
    (b"GET http://exa mple.org/ HTTP/1.1\r\n\r\n", b"not an HTTP/1.x request line"),
    (b"GET http://ex\xe0\xb8\x81.org/ HTTP/1.1\r\n\r\n", b"characters a URL cannot have"),
    (b"GET http://a\"b.org/ HTTP/1.1\r\n\r\n", b"bad host name"),
    (b"CONNECT example.org HTTP/1.1\r\n\r\n", b"CONNECT needs host:port"),
    (b"CONNECT example.org:0x1bb HTTP/1.1\r\n\r\n", b"bad CONNECT target"),
    (b"CONNECT :443 HTTP/1.1\r\n\r\n", b"CONNECT needs host:port"),
    (b"GET http://example.org/ HTTP/1.1\r\nno colon here\r\n\r\n", b"malformed header line"),
    (b"GET http://example.org/ HTTP/1.1\r\nX-Big: " + b"a" * (MAX_HEAD + 10) + b"\r\n\r\n", b"longer than"),
    (b"GET http://example.org/ HTTP/1.1\r\nHost: exam", b"ended before its headers"),
]


@pytest.mark.parametrize(("raw", "message"), MALFORMED)
def test_malformed_requests_get_a_clear_400_and_the_proxy_keeps_serving(site, raw, message) -> None:  # noqa: ANN001
    with _proxy(allow_private=True) as proxy:
        sock = socket.create_connection(("127.0.0.1", proxy.port), timeout=10)
        with sock:
            sock.sendall(raw)
            if not raw.endswith(b"\r\n\r\n"):
                sock.shutdown(socket.SHUT_WR)  # the browser gave up half-way
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        assert _status(answer) == 400 and b"X-Khaojing-Proxy: bad-request" in answer and message in answer
        socket.create_connection(("127.0.0.1", proxy.port), timeout=10).close()  # a connection with no request
        _, answer = _ask(proxy, f"GET {site.url}/scam HTTP/1.1\r\n\r\n".encode())  # still serving
        assert b" 200 " in answer.split(b"\r\n")[0]
        assert proxy.blocked == []
    assert site.hits == ["/scam"]  # nothing malformed reached a site


def test_a_connection_is_limited_in_bytes_and_in_time(site) -> None:  # noqa: ANN001
    site.pages["/big"] = (200, "text/html", b"x" * 300_000)
    with _proxy(allow_private=True, max_bytes=100_000) as proxy:
        _, answer = _ask(proxy, f"GET {site.url}/big HTTP/1.1\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.") and 0 < len(answer) <= 100_000 + 64 * 1024  # cut after the limit

    silent = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
    with silent, _proxy(allow_private=True, timeout=1.0) as proxy:
        started = time.monotonic()
        _, answer = _ask(proxy, f"GET http://127.0.0.1:{silent.getsockname()[1]}/ HTTP/1.1\r\n\r\n".encode())
        assert answer == b"" and time.monotonic() - started < 5  # closed at the time limit


def test_unreachable_and_unknown_targets_get_502_without_being_recorded_as_blocked() -> None:
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    with _proxy(allow_private=True) as proxy:
        _, answer = _ask(proxy, f"CONNECT 127.0.0.1:{port} HTTP/1.1\r\n\r\n".encode())
        assert _status(answer) == 502 and b"X-Khaojing-Proxy: failed" in answer and b"cannot connect" in answer
        _, answer = _ask(proxy, b"GET http://no-such-host.invalid/ HTTP/1.1\r\n\r\n")
        assert _status(answer) == 502 and b"cannot resolve no-such-host.invalid" in answer
        assert proxy.blocked == []


def test_stopping_the_proxy_closes_its_port_and_open_tunnels(echo) -> None:  # noqa: ANN001
    proxy = _proxy(allow_private=True).start()
    sock, head = _ask(proxy, f"CONNECT 127.0.0.1:{echo.port} HTTP/1.1\r\n\r\n".encode(), read_all=False)
    assert b" 200 " in head
    started = time.monotonic()
    proxy.stop()
    assert time.monotonic() - started < 5
    with sock:
        assert sock.recv(10) == b""  # the tunnel is closed
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", proxy.port), timeout=2)


@pytest.mark.browser
def test_a_capture_of_a_local_page_still_has_a_screenshot_through_the_proxy(enf_settings, site) -> None:  # noqa: ANN001
    from PIL import Image

    pytest.importorskip("playwright.sync_api")
    if not enf_settings.enforcement_chromium_path.exists():
        pytest.skip(f"{enf_settings.enforcement_chromium_path} is missing")
    site.pages["/with-image"] = (200, "text/html", b'<html><body><h1>x</h1><img src="/scam.png"></body></html>')
    fetched = capture.fetch(site.url + "/with-image", settings=enf_settings, screenshot=True)
    assert fetched.screenshot is not None and Image.open(io.BytesIO(fetched.screenshot)).format == "PNG"
    assert fetched.blocked == [] and fetched.screenshot_note.startswith("screenshot by headless Chromium")
    assert site.hits.count("/with-image") == 2 and "/scam.png" in site.hits  # the fetch, then the browser


@pytest.mark.browser
def test_webrtc_in_the_captured_page_sends_no_udp_around_the_proxy(enf_settings, site) -> None:  # noqa: ANN001
    """A page's RTCPeerConnection would send STUN packets (UDP, which no HTTP proxy carries) straight to any address:
    the browser is told to send none."""
    pytest.importorskip("playwright.sync_api")
    if not enf_settings.enforcement_chromium_path.exists():
        pytest.skip(f"{enf_settings.enforcement_chromium_path} is missing")
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    udp.settimeout(0.2)
    page = (f"<html><body><h1>rtc</h1><script>const pc = new RTCPeerConnection({{iceServers: [{{urls: "
            f"'stun:127.0.0.1:{udp.getsockname()[1]}'}}]}}); pc.createDataChannel('x');"
            f"pc.createOffer().then(o => pc.setLocalDescription(o));</script></body></html>")
    site.pages["/rtc"] = (200, "text/html", page.encode())
    with udp:
        png, _, _, _ = capture.take_screenshot(site.url + "/rtc", settings=enf_settings)
        assert png is not None and "/rtc" in site.hits
        time.sleep(0.5)
        with pytest.raises(TimeoutError):  # (unpinned, Chromium sent its STUN request here)
            udp.recvfrom(2048)
