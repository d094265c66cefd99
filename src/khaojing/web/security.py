"""Session-level security at the web edge: CSRF tokens (refusals audited), language choice, body-size limit,
rate limits on public forms and APIs, security headers."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass

from fastapi import Request, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from khaojing.errors import DomainError, FormExpired, TooLarge, TooManyRequests, error_body
from khaojing.messages import size_text
from khaojing.web import messages_refusals as _refusals  # noqa: F401  (the refusals' Thai texts)
from khaojing.web.i18n import pick_language

LANG_COOKIE = "kj_lang"
log = logging.getLogger(__name__)
_csrf_audited: dict[tuple[object, str], float] = {}  # (user id, path) -> when its last refusal was audited
CSRF_AUDIT_EVERY = 60.0  # seconds: one audit event per user and path at most this often (no flooding)


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def verify_csrf(request: Request) -> None:
    """FastAPI dependency for every form POST: the form's csrf_token must match the session's."""
    form = await request.form()
    sent = form.get("csrf_token")
    expected = request.session.get("csrf")
    if not isinstance(sent, str) or not expected or not hmac.compare_digest(sent, expected):
        _note_csrf_refusal(request, sent=isinstance(sent, str) and bool(sent))
        raise FormExpired("the form has expired or did not come from this site; reload the page and try again",
                          key="web.err.form_expired")


def _note_csrf_refusal(request: Request, *, sent: bool) -> None:
    """A logged-in user's refused form is audited ("auth.csrf_refused", at most once a minute per user and path);
    an anonymous one is only logged (that traffic is unbounded and carries no identity)."""
    path = request.url.path[:300]
    ip = request.client.host if request.client else None
    uid = request.session.get("uid")
    if not uid:
        log.warning("CSRF refused (anonymous) %s %s from %s", request.method, path, ip)
        return
    now = time.monotonic()
    if now - _csrf_audited.get((uid, path), -CSRF_AUDIT_EVERY) < CSRF_AUDIT_EVERY:
        log.warning("CSRF refused again for user %s on %s (audited less than a minute ago)", uid, path)
        return
    if len(_csrf_audited) > 10_000:
        _csrf_audited.clear()
    _csrf_audited[(uid, path)] = now
    from khaojing.audit import service as audit

    with request.app.state.db.unit_of_work() as session:
        audit.record(session, actor=f"user:{uid}"[:120], action="auth.csrf_refused", object_type="route",
                     object_id=path[:64], data={"path": path, "method": request.method, "ip": ip,
                                                "token": "wrong" if sent else "missing"})


def remember_language(response: Response, lang: str, *, secure: bool) -> None:
    response.set_cookie(LANG_COOKIE, pick_language(lang), max_age=365 * 86400, samesite="lax", secure=secure)


def request_language(request: Request) -> str:
    default = request.app.state.settings.default_language
    return pick_language(request.query_params.get("lang") or request.cookies.get(LANG_COOKIE), default)


class BodyLimitMiddleware:
    """Refuse request bodies over the limit with 413 before they are read into memory."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await refuse(scope, receive, send, body_too_large(self.max_bytes))
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise body_too_large(self.max_bytes)
            return message

        await self.app(scope, limited, send)


def body_too_large(limit: int) -> TooLarge:
    return TooLarge(f"the request body is over {limit} bytes", key="web.err.body_too_large",
                    params={"limit": size_text(limit)})


def wants_json(request: Request) -> bool:
    """An API client (JSON errors) rather than a person's browser (the error page in its language)."""
    path = request.url.path
    return path.startswith("/api/") or path == "/healthz" or "application/json" in request.headers.get("accept", "")


async def refuse(scope: Scope, receive: Receive, send: Send, exc: DomainError,
                 extra_headers: dict[str, str] | None = None) -> None:
    """A middleware's refusal, before any route ran: JSON for an API client, the site's error page for a person."""
    from fastapi.responses import JSONResponse

    from khaojing.web.templating import render

    request, headers = Request(scope, receive), {**exc.headers, **(extra_headers or {})}
    if wants_json(request):
        response: Response = JSONResponse(error_body(exc), status_code=exc.status_code, headers=headers)
    else:
        response = render(request, "error.html", {"status": exc.status_code, "message": None, "exc": exc},
                          status_code=exc.status_code, headers=headers)
    await response(scope, receive, send)


@dataclass(frozen=True)
class Allowance:
    wait: int       # 0 = allowed; else seconds until the next request is (Retry-After)
    limit: int
    remaining: int
    reset: int      # seconds until a request of the window is forgotten

    def headers(self) -> list[tuple[bytes, bytes]]:
        return [(b"x-ratelimit-limit", str(self.limit).encode()),
                (b"x-ratelimit-remaining", str(self.remaining).encode()),
                (b"x-ratelimit-reset", str(self.reset).encode())]


class RateLimiter:
    """Sliding one-minute windows per key, in this process's memory (see docs/administration/security.md)."""

    def __init__(self, max_keys: int = 50_000):
        self.max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, limit: int, now: float | None = None, window: float = 60.0) -> int:
        """Count one request; 0 when allowed, else the seconds until the next one is (Retry-After)."""
        return self.take(key, limit, now, window).wait

    def take(self, key: str, limit: int, now: float | None = None, window: float = 60.0) -> Allowance:
        """Count one request and say what is left of the window (the X-RateLimit-* headers)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.get(key)
            if hits is None:
                if len(self._hits) >= self.max_keys:
                    self._prune(now, window)
                hits = self._hits[key] = deque()
            while hits and now - hits[0] >= window:
                hits.popleft()
            refused = len(hits) >= limit
            if not refused:
                hits.append(now)
            reset = max(1, int(window - (now - hits[0])) + 1)  # seconds until the oldest counted request leaves
            return Allowance(wait=reset if refused else 0, limit=limit, remaining=limit - len(hits), reset=reset)

    def _prune(self, now: float, window: float) -> None:
        for key in [k for k, v in self._hits.items() if not v or now - v[-1] >= window]:
            del self._hits[key]
        if len(self._hits) >= self.max_keys:
            self._hits.clear()


FORM_PATHS = frozenset({"/report", "/check", "/check/file", "/subscribe"})
LOGIN_PATHS = frozenset({"/console/login", "/console/login/code"})


def rate_rule(method: str, path: str, headers: dict[bytes, bytes], client: str) -> tuple[str, str] | None:
    """(limit name, key) of a request that is rate limited: public form posts and staff login posts per client IP,
    the APIs per partner key (a hash of it) or per client IP without one. The LINE webhook and the rest of the
    console are not. (Login failures are also counted per user name in the database: that stops guessing one
    account's password; this stops one address trying a few passwords on many accounts.)"""
    if method == "POST" and path in FORM_PATHS:
        return "forms", f"form:{client}"
    if method == "POST" and path in LOGIN_PATHS:
        return "login", f"login:{client}"
    if path.startswith("/api/v1/"):
        auth = headers.get(b"authorization", b"")
        if auth[:7].lower() == b"bearer " and len(auth) > 7:
            return "api", "key:" + hashlib.sha256(auth[7:300]).hexdigest()[:24]
        return "api", f"api:{client}"
    return None


class RateLimitMiddleware:
    """429 with Retry-After (and a Thai and English message) once a client goes over its limit per minute."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter | None = None):
        self.app, self.limiter = app, limiter or RateLimiter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = scope["app"].state.settings
        client = (scope.get("client") or ("unknown", 0))[0]
        rule = rate_rule(scope["method"], scope["path"], dict(scope.get("headers") or []), client) \
            if settings.rate_limits_on else None
        if rule is None:
            await self.app(scope, receive, send)
            return
        name, key = rule
        limit = {"forms": settings.rate_limit_forms_per_minute, "login": settings.rate_limit_login_per_minute,
                 "api": settings.rate_limit_api_per_minute}[name]
        allowance = self.limiter.take(key, limit)
        if allowance.wait:
            log.warning("rate limit %s reached by %s on %s %s", name, key[:40], scope["method"], scope["path"])
            await self._refuse(scope, receive, send, allowance)
            return
        if name != "api":
            await self.app(scope, receive, send)
            return

        async def with_allowance(message: Message) -> None:  # API clients see what is left of their minute
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *allowance.headers()]}
            await send(message)

        await self.app(scope, receive, with_allowance)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, allowance: Allowance) -> None:
        wait = allowance.wait
        exc = TooManyRequests(f"too many requests; try again in {wait} seconds", headers={"Retry-After": str(wait)},
                              key="web.err.too_many", params={"seconds": wait})
        counters = {k.decode(): v.decode() for k, v in allowance.headers()} if scope["path"].startswith("/api/") \
            else None  # API clients see what is left of their minute; pages show no counters
        await refuse(scope, receive, send, exc, counters)


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                                "frame-ancestors 'none'; form-action 'self'; base-uri 'self'"),
}
# Swagger UI (vendored, served from /static) starts itself with one inline script.
DOCS_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self' 'unsafe-inline'; frame-ancestors 'none'")


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, hsts: bool = False):
        self.app, self.hsts = app, hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_docs = scope.get("path", "").startswith("/api/docs")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.lower().encode() not in present:
                        if name == "Content-Security-Policy" and is_docs:
                            value = DOCS_CSP
                        headers.append((name.encode(), value.encode()))
                if self.hsts:
                    headers.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
