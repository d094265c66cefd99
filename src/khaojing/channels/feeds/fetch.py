"""Fetch one listening URL safely: conditional GET, size and time limits, redirects checked hop by hop (never to
private or loopback addresses unless allowed). Every failure is a FeedError with a reason a person can act on."""

from __future__ import annotations

import time
from contextlib import closing
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from khaojing.matching.urls import UnresolvableHost, UnsafeAddress, check_public_url, pinned_request

USER_AGENT = "khaojing-listening/1.0 (+https://github.com/khaojing)"
REDIRECTS = (301, 302, 303, 307, 308)


class FeedError(Exception):
    """A source could not be read; str(exc) is the reason shown on the source's health."""


@dataclass
class Limits:
    timeout_seconds: float = 20.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    allow_private: bool = False


@dataclass
class Fetched:
    status: int  # 200, or 304 when the feed has not changed
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None
    url: str  # after redirects


def check_url(url: str, *, allow_private: bool) -> None:
    """Refuse non-HTTP schemes, and hosts that resolve to a private, loopback or link-local address (the rule is
    matching.urls.check_public_url)."""
    try:
        check_public_url(url, allow_private=allow_private)
    except UnsafeAddress as exc:
        raise _refusal(url, exc) from exc


def _request(client: httpx.Client, url: str, headers: dict[str, str], *, allow_private: bool) -> httpx.Request:
    """The GET of one hop, sent to the address the SSRF rule has just approved (no second DNS lookup)."""
    try:
        return pinned_request(client, "GET", url, allow_private=allow_private, headers=headers)
    except UnsafeAddress as exc:
        raise _refusal(url, exc) from exc


def _refusal(url: str, exc: UnsafeAddress) -> FeedError:
    host = urlsplit(url).hostname
    if isinstance(exc, UnresolvableHost):
        return FeedError(f"host not found: {host} ({exc})")
    if not host or urlsplit(url).scheme not in ("http", "https"):
        return FeedError(f"not an http(s) URL: {url[:200]}")
    return FeedError(f"refused: {host} is a private or loopback address ({exc})")


def _read_limited(response: httpx.Response, limits: Limits, deadline: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise FeedError(f"too large: {int(declared):,} bytes (the limit is {limits.max_bytes:,})")
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limits.max_bytes:
            raise FeedError(f"too large: over {limits.max_bytes:,} bytes")
        if time.monotonic() > deadline:
            raise FeedError(f"timed out: the body took over {limits.timeout_seconds:g} s")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch(url: str, *, etag: str | None = None, last_modified: str | None = None,
          limits: Limits | None = None) -> Fetched:
    """GET `url` (following at most `max_redirects` checked redirects); 304 when ETag/Last-Modified still hold."""
    limits = limits or Limits()
    headers = {"User-Agent": USER_AGENT, "Accept": "application/rss+xml, application/atom+xml, application/feed+json, "
               "application/json, application/xml;q=0.9, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = time.monotonic() + limits.timeout_seconds
    timeout = httpx.Timeout(limits.timeout_seconds)
    current = url
    with httpx.Client(follow_redirects=False, timeout=timeout, trust_env=False) as client:
        for _hop in range(limits.max_redirects + 1):
            request = _request(client, current, headers, allow_private=limits.allow_private)
            try:
                with closing(client.send(request, stream=True)) as response:
                    if response.status_code in REDIRECTS and response.headers.get("location"):
                        current = urljoin(current, response.headers["location"])
                        continue
                    if response.status_code == 304:
                        return Fetched(304, b"", "", etag, last_modified, current)
                    if response.status_code >= 400:
                        raise FeedError(f"HTTP {response.status_code} from {urlsplit(current).hostname}")
                    body = _read_limited(response, limits, deadline)
                    return Fetched(response.status_code, body, response.headers.get("content-type", ""),
                                   response.headers.get("etag"), response.headers.get("last-modified"), current)
            except httpx.TimeoutException as exc:
                raise FeedError(f"timed out after {limits.timeout_seconds:g} s ({type(exc).__name__})") from exc
            except httpx.HTTPError as exc:
                raise FeedError(f"connection failed: {type(exc).__name__}: {exc}"[:300]) from exc
    raise FeedError(f"too many redirects (more than {limits.max_redirects}; a redirect loop?)")
