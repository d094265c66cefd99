"""Normalise links so the same page matches at once, and follow known shorteners (opt-in, with an SSRF guard)."""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

log = logging.getLogger(__name__)

SHORTENERS = frozenset({
    "bit.ly", "bitly.com", "tinyurl.com", "t.co", "shorturl.at", "shorturl.asia", "cutt.ly", "rb.gy", "is.gd",
    "v.gd", "ow.ly", "lin.ee", "goo.gl", "buff.ly", "t.ly", "tiny.cc", "s.id", "rebrand.ly", "bl.ink", "bit.do",
    "fb.me", "fb.watch", "vt.tiktok.com", "vm.tiktok.com", "lnkd.in", "amzn.to", "dlvr.it", "trib.al", "shp.ee",
    "s.shopee.co.th", "s.lazada.co.th", "qrco.de", "reurl.cc", "u.to", "urlz.fr", "shorte.st", "clck.ru", "x.gd",
})
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "ttclid", "twclid", "igshid", "igsh", "si",
    "mibextid", "ref_src", "ref_url", "__tn__", "_rdr", "rdid", "share_url", "sfnsn", "extid", "rdc", "wtsid", "xmt",
    "spm", "_ga", "_gl", "mc_cid", "mc_eid", "is_from_webapp", "sender_device", "sender_web_id", "_r", "_t",
    "share_app_id", "share_link_id", "feature", "pp", "ved", "usg", "ei", "oq", "gs_lcp", "sca_esv", "from_source",
})
TRACKING_PREFIXES = ("utm_", "__cft__", "__xts__", "_hs", "pk_", "mtm_", "hsa_")
DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_HOPS = 5
REDIRECTS = {301, 302, 303, 307, 308}
USER_AGENT = "khaojing-link-check/1 (+https://github.com/khaojing)"

_FACEBOOK_HOSTS = {"facebook.com", "m.facebook.com", "mbasic.facebook.com", "web.facebook.com", "touch.facebook.com",
                   "mobile.facebook.com", "fb.com", "www.fb.com", "th-th.facebook.com", "th.facebook.com"}
_YOUTUBE_HOSTS = {"youtube.com", "m.youtube.com", "music.youtube.com", "youtube-nocookie.com"}
_TWITTER_HOSTS = {"twitter.com", "mobile.twitter.com", "m.twitter.com", "x.com", "mobile.x.com"}
_TWITTER_ONLY = frozenset({"s", "t"})  # x.com/…?s=20&t=… share markers
_PERCENT = re.compile("%([0-9a-fA-F]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_HOSTNAME = re.compile(r"[a-z0-9_](?:[a-z0-9_.-]{0,251}[a-z0-9_])?|[0-9a-f:.]+")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def _percent(text: str, safe: str) -> str:
    """One spelling of each character: unreserved escapes decoded, other escapes upper-cased, the rest UTF-8-escaped."""
    text = _PERCENT.sub(lambda m: chr(int(m.group(1), 16)) if chr(int(m.group(1), 16)) in _UNRESERVED
                        else "%" + m.group(1).upper(), text)
    return quote(text, safe=safe + "%")


def _host(hostname: str) -> str:
    host = hostname.rstrip(".").lower()
    if host.startswith("["):
        return host
    try:
        return host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return host


def _is_tracking(name: str, host: str) -> bool:
    lower = name.lower()
    return (lower in TRACKING_PARAMS or lower.startswith(TRACKING_PREFIXES)
            or (host == "x.com" and lower in _TWITTER_ONLY))


def _canonical_site(host: str, path: str, query: list[tuple[str, str]]) -> tuple[str, str, list[tuple[str, str]]]:
    """Facebook, YouTube and X/Twitter written one way each."""
    if host in _FACEBOOK_HOSTS or host == "www.facebook.com":
        return "www.facebook.com", path, query
    if host in _TWITTER_HOSTS or host == "www.twitter.com" or host == "www.x.com":
        return "x.com", path, query
    if host == "youtu.be" and path.strip("/"):
        return "www.youtube.com", "/watch", [("v", path.strip("/").split("/")[0])]
    if host in _YOUTUBE_HOSTS or host == "www.youtube.com":
        parts = path.strip("/").split("/")
        if len(parts) == 2 and parts[0] in ("shorts", "live", "embed", "v") and parts[1]:
            return "www.youtube.com", "/watch", [("v", parts[1])]
        if path.rstrip("/") == "/watch":
            return "www.youtube.com", "/watch", [(k, v) for k, v in query if k == "v"]
        return "www.youtube.com", path, query
    return host, path, query


def normalize_url(url: str) -> str:
    """One spelling per page: scheme and host lower-case (IDNA as punycode), 'www.' dropped (except the canonical
    www.facebook.com and www.youtube.com), default port, fragment, user info and tracking parameters dropped, query
    sorted, percent-escapes in one form, no trailing slash except the root '/'. Not a URL: returned stripped."""
    raw = (url or "").strip()
    if not raw:
        return ""
    if not _SCHEME.match(raw):
        raw = "https://" + raw.lstrip("/")
    try:
        parts = urlsplit(raw)
        scheme, port = parts.scheme.lower(), parts.port
        host = _host(parts.hostname or "")
    except ValueError:
        return url.strip()
    if not _HOSTNAME.fullmatch(host):
        return url.strip()
    host = host[4:] if host.startswith("www.") and host.count(".") >= 2 else host
    path = _percent(parts.path or "/", safe="/:@!$&'()*+,;=")
    host, path, query = _canonical_site(host, path, parse_qsl(parts.query, keep_blank_values=True))
    query = [(k, v) for k, v in query if not _is_tracking(k, host)]
    path = path.rstrip("/") or "/"
    host = f"[{host}]" if ":" in host else host
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    query_text = urlencode(sorted(query), quote_via=quote, safe=":/@!$'()*,;")
    return urlunsplit((scheme, netloc, path, query_text, ""))


def host_of(url: str) -> str:
    try:
        return _host(urlsplit(url if _SCHEME.match(url.strip()) else "https://" + url.strip()).hostname or "")
    except ValueError:
        return ""


def is_shortener(url: str) -> bool:
    """True for links of a known shortener (bit.ly, t.co, lin.ee, …) whose target is worth resolving."""
    host = host_of(url)
    return host.removeprefix("www.") in SHORTENERS


# --- resolving shorteners ----------------------------------------------------------------------------------------

class UnsafeAddress(Exception):
    """A link whose host resolves to a private, loopback, link-local, multicast or reserved address."""


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
                                 or ip.is_reserved or ip.is_unspecified)  # is_global also excludes 100.64/10


class UnresolvableHost(UnsafeAddress):
    """A link whose host has no address (it cannot be reached, so it cannot be checked either)."""


def safe_address(host: str, port: int, *, allow_loopback: bool = False) -> str:
    """Resolve `host` and return an address to connect to; UnsafeAddress when any address it has is not public.
    allow_loopback exists for tests only (a local HTTP server on 127.0.0.1); production code never sets it."""
    return _checked(host, _addresses(host, port), allow_loopback=allow_loopback)[0]


def _addresses(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (one DNS lookup); UnresolvableHost when it has none."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError, ValueError) as exc:
        raise UnresolvableHost(f"cannot resolve {host!r}: {exc}") from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise UnresolvableHost(f"{host!r} has no address")
    return addresses


def _checked(host: str, addresses: list[str], *, allow_loopback: bool = False) -> list[str]:
    """The addresses, when every one is public (loopback too with allow_loopback); else UnsafeAddress."""
    for address in addresses:
        loopback = ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
        if not is_public_address(address) and not (allow_loopback and loopback):
            raise UnsafeAddress(f"{host} resolves to {address}, a private, loopback or link-local address")
    return addresses


def checked_addresses(host: str, port: int, *, allow_private: bool = False) -> list[str]:
    """check_public_url's rule for a bare host and port (a proxy's CONNECT target): one DNS lookup, every address
    checked; the approved addresses to connect to, else UnsafeAddress (UnresolvableHost when it has none).
    allow_private (tests: a local server) skips the rule, not the lookup."""
    addresses = _addresses(host, port)
    return addresses if allow_private else _checked(host, addresses)


def check_public_url(url: str, *, allow_private: bool = False) -> None:
    """The one SSRF rule for every fetcher (link resolver, feeds, evidence capture, partner webhooks): a plain
    http(s) URL whose host resolves only to public addresses — every address, not just the first. allow_private is
    each fetcher's test setting (a local server on 127.0.0.1)."""
    _public_addresses(url, allow_private=allow_private)


def _public_addresses(url: str, *, allow_private: bool) -> list[str]:
    """check_public_url's rule; the addresses it approved ([] when allow_private skips the check)."""
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise UnsafeAddress(f"not an http(s) URL: {url[:200]}")
    if allow_private:
        return []
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError as exc:  # a port out of range
        raise UnresolvableHost(f"bad port in {url[:200]}: {exc}") from exc
    return _checked(parts.hostname, _addresses(parts.hostname, port))


def pinned_request(client, method: str, url: str, *, allow_private: bool = False,  # noqa: ANN001, ANN201
                   headers: dict[str, str] | None = None, content: bytes | None = None):
    """An httpx request that connects to the address check_public_url has just approved, not to the name again:
    a DNS answer that changes between the check and the connection (DNS rebinding) cannot reach an internal
    address. The real Host header and TLS name (SNI, certificate check) are kept. With allow_private (tests: a
    local server) nothing is checked and the URL is requested as it is."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        raise UnsafeAddress(f"not a plain http(s) link: {url[:100]!r}")
    addresses = _public_addresses(url, allow_private=allow_private)
    if not addresses:
        return client.build_request(method, url, headers=headers, content=content)
    return _request_to(client, method, url, addresses[0], headers=headers, content=content)


def _request_to(client, method: str, url: str, address: str, *, headers: dict[str, str] | None = None,  # noqa: ANN001, ANN202
                content: bytes | None = None):
    """A request for `url` sent to `address`, with the URL's host as Host header and TLS name."""
    parts = urlsplit(url)
    port = parts.port or DEFAULT_PORTS[parts.scheme]
    ip_host = f"[{address}]" if ":" in address else address
    target = urlunsplit((parts.scheme, f"{ip_host}:{port}", parts.path or "/", parts.query, ""))
    host_header = parts.hostname if port == DEFAULT_PORTS[parts.scheme] else f"{parts.hostname}:{port}"
    return client.build_request(method, target, headers={**(headers or {}), "Host": host_header}, content=content,
                                extensions={"sni_hostname": parts.hostname})


def _pinned_request(client, url: str, *, allow_loopback: bool):  # noqa: ANN001, ANN202
    """The link resolver's GET: every hop checked with safe_address (which may allow loopback in tests while still
    refusing other private addresses), sent to the checked address."""
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.username or parts.password:
        raise UnsafeAddress(f"not a plain http(s) link: {url[:100]!r}")
    address = safe_address(parts.hostname, parts.port or DEFAULT_PORTS[parts.scheme], allow_loopback=allow_loopback)
    return _request_to(client, "GET", url, address, headers={"User-Agent": USER_AGENT})


def _follow(url: str, *, timeout: float, max_hops: int, allow_loopback: bool) -> str:
    import httpx

    current = url if _SCHEME.match(url) else "https://" + url
    with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
        for _ in range(max_hops + 1):
            response = client.send(_pinned_request(client, current, allow_loopback=allow_loopback), stream=True)
            response.close()
            location = response.headers.get("location")
            if response.status_code not in REDIRECTS or not location:
                return current
            current = urljoin(current, location.strip())
    raise UnsafeAddress(f"more than {max_hops} redirects")


def resolve(url: str, *, enabled: bool, timeout: float = 5.0, max_hops: int = MAX_HOPS,
            allow_loopback: bool = False) -> str:
    """Follow a shortener's redirects (when enabled, i.e. settings.resolve_short_urls) and return the normalised
    final URL; the input unchanged when disabled or on any failure. Every hop is checked before it is requested:
    only http(s) to public addresses (see safe_address), at most max_hops redirects."""
    if not enabled or not url:
        return url
    try:
        return normalize_url(_follow(url.strip(), timeout=timeout, max_hops=max_hops,
                                     allow_loopback=allow_loopback))
    except Exception as exc:  # any failure leaves the link as it was
        log.info("link not resolved: %s (%s)", url[:200], exc)
        return url
