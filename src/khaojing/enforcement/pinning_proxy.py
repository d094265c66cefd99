"""The evidence screenshot's forward proxy: headless Chromium connects only through it (`--proxy-server`, loopback
not bypassed), and it connects only to an address the SSRF rule has just approved (pinned).

Chromium resolving names itself would reopen DNS rebinding: a name that answers a public address when it is checked
and 127.0.0.1 a moment later. Here each target is resolved once (`matching.urls.checked_addresses`: one lookup, every
address checked) and the TCP connection goes to that checked IP. https (and wss) arrives as CONNECT and becomes an
opaque tunnel, so Chromium still checks the certificate for the name; plain http arrives as an absolute-URI request
and is forwarded once, with `Connection: close` both ways. A refused target gets 403 and is listed in `blocked`; a
malformed request gets 400; an unreachable one 502. The proxy's own answers carry `X-Khaojing-Proxy`. Each
connection is limited in time and bytes, all connections together in bytes; the proxy lives for one capture.
Standard library only: an asyncio loop in a thread of its own, bound to 127.0.0.1 on a free port.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

from khaojing.matching.urls import UnresolvableHost, UnsafeAddress, checked_addresses

log = logging.getLogger(__name__)

MAX_HEAD = 32 * 1024  # a request's or response's start line and headers
CHUNK = 64 * 1024
CONNECT_TIMEOUT = 10.0
MARK = "X-Khaojing-Proxy"  # on the proxy's own answers: refused, failed, bad-request
REASONS = {400: "Bad Request", 403: "Forbidden", 502: "Bad Gateway"}
_HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-connection", "proxy-authorization", "proxy-authenticate"})
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_HOSTNAME = re.compile(r"[a-z0-9_.:-]+")


@dataclass(frozen=True)
class Refusal:
    """A target the SSRF rule refused: what the browser asked for and why."""

    target: str
    reason: str


@dataclass(frozen=True)
class _Request:
    method: str
    host: str
    port: int
    target: str  # as the record shows it: "host:port" for CONNECT, the URL for plain http
    head: bytes = b""  # plain http: the head sent to the site (origin-form, Connection: close)


class _Answer(Exception):
    """The proxy answers the request itself (nothing has been sent to the browser yet)."""

    def __init__(self, status: int, mark: str, message: str) -> None:
        super().__init__(message)
        self.status, self.mark, self.message = status, mark, message


class _Closed(Exception):
    """The browser closed the connection before it sent a request."""


class _TooLarge(Exception):
    """The byte limit of a connection or of the whole proxy was reached."""


def _bad(message: str) -> _Answer:
    return _Answer(400, "bad-request", message)


def _authority(target: str) -> tuple[str, int]:
    """host and port of a CONNECT target ("host:port", "[v6]:port")."""
    try:
        parts = urlsplit("//" + target)
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        raise _bad(f"bad CONNECT target {target[:100]!r}: {exc}") from exc
    if not host or port is None or parts.username or parts.password or parts.path or parts.query:
        raise _bad(f"CONNECT needs host:port, not {target[:100]!r}")
    return host, port


def parse_head(head: bytes) -> _Request:
    """The request a browser sent to the proxy (its head, up to the blank line); 400 (_Answer) when malformed."""
    lines = head.decode("latin-1").removesuffix("\r\n\r\n").split("\r\n")
    fields = lines[0].split(" ")
    if len(fields) != 3 or not _TOKEN.fullmatch(fields[0]) or not re.fullmatch(r"HTTP/1\.[01]", fields[2]):
        raise _bad(f"not an HTTP/1.x request line: {lines[0][:100]!r}")
    method, target, version = fields
    if not target.isascii() or not target.isprintable():
        raise _bad("the request target has characters a URL cannot have")
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon or not _TOKEN.fullmatch(name):
            raise _bad(f"malformed header line {line[:100]!r}")
        headers.append((name, value.strip()))
    if method == "CONNECT":
        host, port = _authority(target)
        shown = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    else:
        try:
            parts = urlsplit(target)
            host, port = parts.hostname, parts.port or 80
        except ValueError as exc:
            raise _bad(f"bad URL {target[:100]!r}: {exc}") from exc
        if parts.scheme.lower() != "http" or not host:
            raise _bad("a proxy request needs an absolute http:// URL (https goes through CONNECT)")
        if parts.username or parts.password:
            raise _bad("a URL with a user name or password is not proxied")
        shown = target
    if not _HOSTNAME.fullmatch(host):
        raise _bad(f"bad host name {host[:100]!r}")
    if method == "CONNECT":
        return _Request(method, host, port, shown)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    kept = [(n, v) for n, v in headers if n.lower() not in _HOP_BY_HOP]
    if not any(n.lower() == "host" for n, _ in kept):
        kept.insert(0, ("Host", parts.netloc))
    out = f"{method} {path} {version}\r\n" + "".join(f"{n}: {v}\r\n" for n, v in kept) + "Connection: close\r\n\r\n"
    return _Request(method, host, port, shown, out.encode("latin-1"))


def _response_head(head: bytes) -> bytes:
    """The site's response head with `Connection: close` (the browser opens a new connection for its next request)."""
    lines = head.decode("latin-1").removesuffix("\r\n\r\n").split("\r\n")
    if not re.match(r"HTTP/1\.[01] \d{3}", lines[0]):
        raise _Answer(502, "failed", "the site did not answer with HTTP/1.x")
    kept = [lines[0], *(line for line in lines[1:] if line.partition(":")[0].strip().lower() not in _HOP_BY_HOP)]
    return ("\r\n".join(kept) + "\r\nConnection: close\r\nProxy-Connection: close\r\n\r\n").encode("latin-1")


class PinningProxy:
    """`with PinningProxy(allow_private=False, timeout=20, max_bytes=15_000_000) as proxy:` then point Chromium at
    `proxy.url`. allow_private is the capture's test setting (local pages on 127.0.0.1): the rule is skipped, the
    single lookup and the connection to its address are not. timeout and max_bytes bound each connection;
    max_total_bytes (default four pages) all of them together."""

    def __init__(self, *, allow_private: bool, timeout: float, max_bytes: int, max_total_bytes: int | None = None):
        self.allow_private, self.timeout, self.max_bytes = allow_private, timeout, max_bytes
        self.max_total_bytes = max_total_bytes if max_total_bytes is not None else 4 * max_bytes
        self.blocked: list[Refusal] = []
        self.port = 0
        self._total = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._resolver = ThreadPoolExecutor(max_workers=4, thread_name_prefix="khaojing-proxy-dns")
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> PinningProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> PinningProxy:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), name="khaojing-pinning-proxy", daemon=True)
        self._thread.start()
        if not ready.wait(10) or self._error is not None:
            self.stop()
            raise RuntimeError(f"the pinning proxy did not start: {self._error!r}")
        return self

    def stop(self) -> None:
        """Close the listening socket and every open connection; wait for the thread."""
        loop, thread = self._loop, self._thread
        if loop is not None and thread is not None and thread.is_alive():
            try:
                loop.call_soon_threadsafe(loop.stop)
            except RuntimeError:  # the loop closed already
                pass
        if thread is not None:
            thread.join(timeout=10)
        self._resolver.shutdown(wait=False, cancel_futures=True)

    def _run(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)  # this thread's own
        self._loop = loop
        try:
            server = loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0, limit=MAX_HEAD))
            self.port = server.sockets[0].getsockname()[1]
        except OSError as exc:
            self._error = exc
            ready.set()
            loop.close()
            return
        ready.set()
        try:
            loop.run_forever()
        finally:
            server.close()
            tasks = asyncio.all_tasks(loop)
            for task in tasks:
                task.cancel()
            if tasks:
                loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
            loop.run_until_complete(asyncio.sleep(0))  # the closed connections' sockets are closed for real
            loop.close()
            asyncio.set_event_loop(None)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await asyncio.wait_for(self._serve(reader, writer), self.timeout)
        except (TimeoutError, _Closed, _TooLarge, ConnectionError, OSError):
            pass
        except Exception:  # one bad connection never stops the proxy
            log.exception("pinning proxy: unexpected error")
        finally:
            writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream: asyncio.StreamWriter | None = None
        try:
            request = parse_head(await self._read_head(reader))
            up_reader, upstream = await self._connect(request, await self._resolve(request))
            if request.method == "CONNECT":
                writer.write(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            else:
                upstream.write(request.head)
            await self._relay(reader, writer, up_reader, upstream, http=request.method != "CONNECT")
        except _Answer as answer:
            await self._answer(writer, answer)
            if answer.status == 400:
                await self._linger(reader, writer)
        finally:
            if upstream is not None:
                upstream.close()

    async def _read_head(self, reader: asyncio.StreamReader) -> bytes:
        try:
            return await reader.readuntil(b"\r\n\r\n")
        except asyncio.LimitOverrunError as exc:
            raise _bad(f"the request's headers are longer than {MAX_HEAD} bytes") from exc
        except asyncio.IncompleteReadError as exc:
            if exc.partial.strip():
                raise _bad("the request ended before its headers did") from exc
            raise _Closed from exc

    async def _resolve(self, request: _Request) -> list[str]:
        lookup = functools.partial(checked_addresses, request.host, request.port, allow_private=self.allow_private)
        try:
            return await asyncio.get_running_loop().run_in_executor(self._resolver, lookup)
        except UnresolvableHost as exc:
            raise _Answer(502, "failed", f"cannot resolve {request.host}") from exc
        except UnsafeAddress as exc:
            self.blocked.append(Refusal(request.target, str(exc)))
            log.warning("pinning proxy refused %s: %s", request.target[:200], exc)
            raise _Answer(403, "refused", f"refused by the SSRF rule: {exc}") from exc

    async def _connect(self, request: _Request, addresses: list[str]
                       ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """A connection to the first checked address that answers (never to the name)."""
        failure: BaseException | None = None
        for address in addresses:
            try:
                return await asyncio.wait_for(asyncio.open_connection(address, request.port, limit=MAX_HEAD),
                                              min(CONNECT_TIMEOUT, self.timeout))
            except (TimeoutError, OSError) as exc:
                failure = exc
        raise _Answer(502, "failed", f"cannot connect to {request.target[:200]}: {type(failure).__name__}")

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                     up_reader: asyncio.StreamReader, upstream: asyncio.StreamWriter, *, http: bool) -> None:
        """Bytes both ways until the site is done (or either side fails); the site's bytes are counted."""
        async def up() -> None:
            await self._pipe(reader, upstream, counted=False)
            if upstream.can_write_eof():
                upstream.write_eof()

        async def down() -> None:
            if http:
                try:
                    head = await up_reader.readuntil(b"\r\n\r\n")
                except asyncio.LimitOverrunError as exc:
                    raise _Answer(502, "failed", "the site's response headers are too long") from exc
                except asyncio.IncompleteReadError as exc:
                    raise _Answer(502, "failed", "the site closed the connection without an answer") from exc
                self._count(len(head))
                writer.write(_response_head(head))
            await self._pipe(up_reader, writer, counted=True)

        sending, receiving = asyncio.ensure_future(up()), asyncio.ensure_future(down())
        try:
            while not receiving.done():
                await asyncio.wait({receiving} if sending.done() else {sending, receiving},
                                   return_when=asyncio.FIRST_COMPLETED)
                if sending.done() and not sending.cancelled() and sending.exception() is not None:
                    break  # the browser went away
            if receiving.done():
                receiving.result()  # re-raises _Answer (nothing sent yet) or a failure
        finally:
            for task in (sending, receiving):
                task.cancel()
            await asyncio.gather(sending, receiving, return_exceptions=True)

    async def _pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter, *, counted: bool) -> None:
        sent = 0
        while chunk := await source.read(CHUNK):
            if counted:
                sent += len(chunk)
                if sent > self.max_bytes:
                    raise _TooLarge(f"more than {self.max_bytes} bytes on one connection")
                self._count(len(chunk))
            sink.write(chunk)
            await sink.drain()

    def _count(self, size: int) -> None:
        self._total += size  # only the loop's thread touches it
        if self._total > self.max_total_bytes:
            raise _TooLarge(f"more than {self.max_total_bytes} bytes through the proxy")

    async def _linger(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """After a 400 the rest of the request is read and dropped (briefly): closing a socket with unread bytes
        resets it, and the browser might never see the answer."""
        if writer.can_write_eof():
            writer.write_eof()
        try:
            async with asyncio.timeout(1.0):
                while await reader.read(CHUNK):
                    pass
        except (TimeoutError, asyncio.LimitOverrunError, ValueError):
            pass

    async def _answer(self, writer: asyncio.StreamWriter, answer: _Answer) -> None:
        body = (answer.message + "\n").encode("utf-8")
        writer.write(f"HTTP/1.1 {answer.status} {REASONS[answer.status]}\r\nContent-Type: text/plain; charset=utf-8"
                     f"\r\nContent-Length: {len(body)}\r\n{MARK}: {answer.mark}\r\nConnection: close\r\n"
                     f"Proxy-Connection: close\r\n\r\n".encode("ascii") + body)
        await writer.drain()
