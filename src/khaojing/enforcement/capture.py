"""Fetch a web page as evidence: httpx with size and time limits, redirects checked hop by hop (no private,
loopback or link-local targets unless the setting allows), the page's text, and a Chromium screenshot when possible.
Both connect only to addresses the SSRF rule approved: httpx through matching.urls.pinned_request, Chromium through
a forward proxy of its own for the capture (enforcement.pinning_proxy), which resolves and checks every target once.

Nothing here touches the database: fetch first, then store in a short unit of work (a slow site never holds a lock).
"""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx

from khaojing import __version__
from khaojing.enforcement.pinning_proxy import MARK, PinningProxy, Refusal
from khaojing.errors import Invalid, TooLarge
from khaojing.matching.urls import UnresolvableHost, UnsafeAddress, pinned_request
from khaojing.settings import Settings

REDIRECTS = (301, 302, 303, 307, 308)
SKIP_TAGS = {"script", "style", "noscript", "template", "svg"}
BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header",
              "footer", "blockquote", "pre", "table", "ul", "ol", "title"}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@dataclass
class Fetched:
    url: str
    final_url: str
    status_code: int
    headers: list[tuple[str, str]]
    body: bytes
    content_type: str
    text: str
    title: str
    redirects: list[dict] = field(default_factory=list)
    screenshot: bytes | None = None
    screenshot_note: str = ""  # English, for the signed record and the legal package
    screenshot_notes: list[dict] = field(default_factory=list)  # the same as {"key", "params"} for the evidence page
    blocked: list[str] = field(default_factory=list)  # the browser's requests the SSRF rule refused
    tool_version: str = ""
    elapsed_ms: int = 0


class Note(str):
    """A screenshot note: English text (what the signed record keeps) that also carries its parts as catalogue keys
    and parameters ({"key": "enf.shot.taken", "params": {}}), so the evidence page can say it in Thai or English."""

    parts: tuple[dict, ...]

    def __new__(cls, text: str, parts: list[dict]) -> Note:
        note = super().__new__(cls, text)
        note.parts = tuple(parts)
        return note


def _note(text: str, key: str, **params: object) -> Note:
    return Note(text, [{"key": key, "params": {k: str(v) for k, v in params.items()}}])


def _request(client: httpx.Client, url: str, *, allow_private: bool) -> httpx.Request:
    """The GET of one hop, sent to the address the SSRF rule (matching.urls) has just approved: no second lookup."""
    try:
        return pinned_request(client, "GET", url, allow_private=allow_private)
    except UnsafeAddress as exc:
        raise _refusal(url, exc) from exc


def _refusal(url: str, exc: UnsafeAddress) -> Invalid:
    host = urlsplit(url).hostname
    if isinstance(exc, UnresolvableHost):
        return Invalid(f"the host {host} cannot be resolved", key="enf.err.unknown_host", params={"host": host},
                       fields=[{"field": "url", "message": "unknown host"}])
    if not host or urlsplit(url).scheme not in ("http", "https"):
        return Invalid("only http:// and https:// addresses can be captured", key="enf.err.not_http",
                       fields=[{"field": "url", "message": "not an http(s) URL"}])
    return Invalid(f"the address {host} points to a private, loopback or link-local network",
                   key="enf.err.private_target", params={"host": host},
                   fields=[{"field": "url", "message": "private target refused"}])


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list) -> None:  # noqa: ANN001
        if tag in SKIP_TAGS:
            self._skip += 1
        if tag == "title":
            self._in_title = True
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TAGS and self._skip:
            self._skip -= 1
        if tag == "title":
            self._in_title = False
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_title:
            self.title.append(data)
        self.parts.append(data)


def _charset(content_type: str, body: bytes) -> str:
    found = re.search(r"charset=([\w.-]+)", content_type, re.I) or re.search(rb"<meta[^>]+charset=[\"']?([\w.-]+)",
                                                                            body[:4096], re.I)
    if found:
        name = found.group(1)
        name = name.decode("ascii", "ignore") if isinstance(name, bytes) else name
        try:
            "".encode(name)
            return name
        except LookupError:
            pass
    return "utf-8"


def extract_text(body: bytes, content_type: str) -> tuple[str, str]:
    """(text, title) of an HTML or plain-text body; other types have no text."""
    kind = content_type.split(";")[0].strip().lower()
    if kind not in ("text/html", "application/xhtml+xml", "text/plain", ""):
        return "", ""
    decoded = body.decode(_charset(content_type, body), errors="replace")
    if kind == "text/plain":
        return decoded.strip(), ""
    parser = _TextExtractor()
    parser.feed(decoded)
    parser.close()
    lines = (re.sub(r"[ \t\r\f\v\u00a0]+", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line), " ".join("".join(parser.title).split())[:500]


def _get(client: httpx.Client, request: httpx.Request, *, max_bytes: int, deadline: float
         ) -> tuple[httpx.Response, bytes]:
    with closing(client.send(request, stream=True)) as response:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise TooLarge(f"the page is {declared} bytes; the capture limit is {max_bytes} bytes",
                           key="enf.err.page_large", params={"limit": f"{max_bytes / 1_000_000:g} MB"})
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise TooLarge(f"the page is larger than the capture limit of {max_bytes} bytes",
                               key="enf.err.page_large", params={"limit": f"{max_bytes / 1_000_000:g} MB"})
            if time.monotonic() > deadline:
                raise Invalid("the site took too long to send the page", key="enf.err.slow")
            chunks.append(chunk)
        return response, b"".join(chunks)


def fetch(url: str, *, settings: Settings, screenshot: bool | None = None) -> Fetched:
    """GET the URL (redirects followed by hand, each target checked), extract its text, take a screenshot."""
    url = url.strip()
    allow = settings.enforcement_allow_private_targets
    started = time.monotonic()
    deadline = started + settings.enforcement_capture_timeout_seconds
    timeout = httpx.Timeout(settings.enforcement_capture_timeout_seconds)
    redirects: list[dict] = []
    current = url
    headers = {"User-Agent": f"khaojing-evidence/{__version__} (+{settings.base_url})", "Accept": "*/*"}
    with httpx.Client(follow_redirects=False, timeout=timeout, headers=headers, verify=True) as client:
        for _ in range(settings.enforcement_capture_max_redirects + 1):
            request = _request(client, current, allow_private=allow)
            try:
                response, body = _get(client, request, max_bytes=settings.enforcement_capture_max_bytes,
                                      deadline=deadline)
            except httpx.HTTPError as exc:
                raise Invalid(f"the page could not be fetched: {type(exc).__name__}", key="enf.err.fetch",
                              params={"error": type(exc).__name__},
                              fields=[{"field": "url", "message": str(exc)[:200]}]) from exc
            if response.status_code in REDIRECTS and response.headers.get("location"):
                target = urljoin(current, response.headers["location"])
                redirects.append({"from": current, "to": target, "status": response.status_code})
                current = target
                continue
            break
        else:
            raise Invalid(f"more than {settings.enforcement_capture_max_redirects} redirects", key="enf.err.redirects",
                          params={"max": settings.enforcement_capture_max_redirects})
    content_type = response.headers.get("content-type", "application/octet-stream")[:120]
    text, title = extract_text(body, content_type)
    fetched = Fetched(url=url, final_url=current, status_code=response.status_code,
                      headers=[(k, v) for k, v in response.headers.multi_items()], body=body,
                      content_type=content_type, text=text, title=title, redirects=redirects,
                      tool_version=f"khaojing {__version__}; httpx {httpx.__version__}")
    want = settings.enforcement_screenshots if screenshot is None else screenshot
    if want:
        fetched.screenshot, note, browser, blocked = take_screenshot(current, settings=settings)
        fetched.screenshot_note, fetched.screenshot_notes = str(note), list(note.parts)
        fetched.blocked = [refusal.target for refusal in blocked]
        if browser:
            fetched.tool_version += f"; {browser}"
    else:
        fetched.screenshot_note = "screenshots are turned off (KHAOJING_ENFORCEMENT_SCREENSHOTS)"
        fetched.screenshot_notes = [{"key": "enf.shot.off", "params": {}}]
    fetched.elapsed_ms = int((time.monotonic() - started) * 1000)
    return fetched


def take_screenshot(url: str, *, settings: Settings) -> tuple[bytes | None, Note, str, list[Refusal]]:
    """(PNG, note, browser version, refused requests) with headless Chromium; (None, why not, "", …) when it is not
    available or the page cannot be shown.

    Runs in a thread of its own: Playwright's sync API refuses a thread with a running asyncio loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_screenshot, url, settings).result()


def browser_args(proxy_url: str) -> list[str]:
    """Chromium's flags: every connection through the pinning proxy. Chromium never bypasses a proxy for
    localhost and loopback when `<-loopback>` is given (it does by default); QUIC and WebRTC's UDP, which a proxy
    cannot carry, are turned off rather than sent around it."""
    return [*CHROMIUM_ARGS, f"--proxy-server={proxy_url}", "--proxy-bypass-list=<-loopback>", "--disable-quic",
            "--webrtc-ip-handling-policy=disable_non_proxied_udp"]


def _with_refusals(note: Note, blocked: list[Refusal]) -> Note:
    if not blocked:
        return note
    targets = list(dict.fromkeys(refusal.target[:200] for refusal in blocked))
    more = f" and {len(targets) - 5} more" if len(targets) > 5 else ""
    shown = ", ".join(targets[:5])
    part = {"key": "enf.shot.refused_more" if more else "enf.shot.refused",
            "params": {"targets": shown, "more": str(len(targets) - 5)} if more else {"targets": shown}}
    return Note(f"{note}; the browser's requests to private addresses were refused: {shown}{more}",
                [*note.parts, part])


def _screenshot(url: str, settings: Settings) -> tuple[bytes | None, Note, str, list[Refusal]]:
    chromium = settings.enforcement_chromium_path
    if not chromium.exists():
        return None, _note(f"no screenshot: {chromium} is not installed", "enf.shot.no_chromium", path=chromium), "", []
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None, _note("no screenshot: Playwright for Python is not installed", "enf.shot.no_playwright"), "", []
    timeout = settings.enforcement_capture_timeout_seconds
    timeout_ms = int(timeout * 1000)
    png, note, version = None, Note("", []), ""
    proxy = PinningProxy(allow_private=settings.enforcement_allow_private_targets, timeout=timeout,
                         max_bytes=settings.enforcement_capture_max_bytes)
    try:
        proxy.start()
    except RuntimeError as exc:
        return None, _note(f"no screenshot: {exc}", "enf.shot.no_proxy", error=exc), "", []
    try:  # the proxy lives as long as the browser, and stops on every way out
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(chromium), args=browser_args(proxy.url))
                try:
                    page = browser.new_page(viewport={"width": 1280, "height": 900})
                    response = page.goto(url, timeout=timeout_ms, wait_until="load")
                    mark = response.headers.get(MARK.lower()) if response is not None else None
                    if mark:  # the proxy's own answer (refused, unreachable), not the site's page
                        note = _note(f"no screenshot: the page could not be reached through the pinning proxy "
                                     f"({mark}, HTTP {response.status})", "enf.shot.unreachable", mark=mark,
                                     status=response.status)
                    else:
                        png = page.screenshot(full_page=True, timeout=timeout_ms)
                        note = _note("screenshot by headless Chromium, taken right after the fetch", "enf.shot.taken")
                        version = f"chromium {browser.version}"
                finally:
                    browser.close()
        except PlaywrightError as exc:
            error = str(exc).splitlines()[0][:200]
            note = _note(f"no screenshot: the browser failed ({error})", "enf.shot.browser_failed", error=error)
    finally:
        proxy.stop()
    return png, _with_refusals(note, proxy.blocked), version, list(proxy.blocked)
