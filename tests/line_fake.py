"""A local stand-in for LINE: a fake Messaging API server (webhook bodies are built in line_webhooks.py).

FakeLine listens on two loopback ports, like LINE's two hosts: `api_url` (api.line.me) and `data_url`
(api-data.line.me, content and rich menu images). Every call must carry the channel's bearer token, hit an
endpoint on the right host, and send a JSON body that is valid against LINE's messaging-api.yml (checked with
tests/line_spec.py) — otherwise it answers as LINE does (401, 404, 400 with details). It records every call,
can be told to fail the next N calls (429, 500, 401 …), and remembers reply tokens (single use) and retry keys
(409 when already accepted), as LINE does.
"""

from __future__ import annotations

import io
import json
import re
import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from PIL import Image

import line_spec
from line_webhooks import BOT_USER_ID, CHANNEL_SECRET, Webhook, sign, ulid, user_id  # noqa: F401  (re-exported)

ACCESS_TOKEN = "test-channel-access-token"
JSON_ROUTES = {  # (method, path pattern) -> request schema in messaging-api.yml
    ("POST", "/v2/bot/message/reply"): "ReplyMessageRequest",
    ("POST", "/v2/bot/message/push"): "PushMessageRequest",
    ("POST", "/v2/bot/message/multicast"): "MulticastRequest",
    ("POST", "/v2/bot/chat/loading/start"): "ShowLoadingAnimationRequest",
    ("POST", "/v2/bot/richmenu"): "RichMenuRequest",
}
RETRY_KEY_PATHS = {"/v2/bot/message/push", "/v2/bot/message/multicast"}
CONTENT_RE = re.compile(r"^/v2/bot/message/([^/]+)/content$")
RICHMENU_IMAGE_RE = re.compile(r"^/v2/bot/richmenu/([^/]+)/content$")
DEFAULT_RICHMENU_RE = re.compile(r"^/v2/bot/user/all/richmenu/([^/]+)$")
PROFILE_RE = re.compile(r"^/v2/bot/profile/([^/]+)$")


@dataclass
class Call:
    host: str  # "api" or "data"
    method: str
    path: str
    headers: dict[str, str]
    body: Any  # parsed JSON, or bytes
    status: int
    at: float = field(default_factory=time.monotonic)


class FakeLine:
    def __init__(self, token: str = ACCESS_TOKEN):
        self.token = token
        self.calls: list[Call] = []
        self.content: dict[str, tuple[bytes, str]] = {}  # message id -> (bytes, content type)
        self.profiles: dict[str, dict] = {}
        self.rich_menus: dict[str, dict] = {}
        self.rich_menu_images: dict[str, bytes] = {}
        self.default_rich_menu: str | None = None
        self.used_reply_tokens: set[str] = set()
        self.invalid_reply_tokens: set[str] = set()
        self.accepted_retry_keys: set[str] = set()
        self._failures: list[tuple[str | None, int, str]] = []
        self._lock = threading.Lock()
        self._servers: list[ThreadingHTTPServer] = []
        self.api_url = self._serve("api")
        self.data_url = self._serve("data")

    # --- test controls ----------------------------------------------------------------------------------------
    def fail_next(self, n: int = 1, status: int = 500, path: str | None = None, message: str | None = None) -> None:
        """Answer the next n calls (to `path`, if given) with this status instead of doing them."""
        text = message or {429: "The API rate limit has been exceeded. Try again later.",
                           401: "Authentication failed. Confirm that the access token in the authorization "
                                "header is valid."}.get(status, "Internal server error")
        with self._lock:
            self._failures += [(path, status, text)] * n

    def sent(self, path: str | None = None, *, ok_only: bool = True) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if (path is None or c.path == path) and (not ok_only or c.status < 300)]

    def replies(self) -> list[Call]:
        return self.sent("/v2/bot/message/reply")

    def pushes(self) -> list[Call]:
        return self.sent("/v2/bot/message/push")

    def texts(self) -> list[str]:
        """Every text (and flex altText) delivered so far, in order."""
        out = []
        for c in self.sent():
            for m in (c.body.get("messages", []) if isinstance(c.body, dict) else []):
                out.append(m.get("text") or m.get("altText") or "")
        return out

    def close(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()

    # --- server -----------------------------------------------------------------------------------------------
    def _serve(self, host: str) -> str:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                self._handle("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._handle("POST")

            def _handle(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                status, body, ctype = fake._dispatch(host, method, self.path, dict(self.headers), raw)
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("X-Line-Request-Id", str(uuid.uuid4()))
                self.end_headers()
                self.wfile.write(data)

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self._servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    def _record(self, host: str, method: str, path: str, headers: dict, body: Any, status: int) -> None:
        with self._lock:
            self.calls.append(Call(host, method, path, headers, body, status))

    def _dispatch(self, host: str, method: str, path: str, headers: dict, raw: bytes) -> tuple[int, Any, str]:
        headers = {k.lower(): v for k, v in headers.items()}
        body: Any = raw
        if headers.get("content-type", "").startswith("application/json") and raw:
            try:
                body = json.loads(raw)
            except ValueError:
                return self._answer(host, method, path, headers, raw, 400, {"message": "The request body is "
                                                                            "not valid JSON"})
        if headers.get("authorization") != f"Bearer {self.token}":
            return self._answer(host, method, path, headers, body, 401, {
                "message": "Authentication failed. Confirm that the access token in the authorization header is "
                           "valid."})
        with self._lock:
            failure = next((f for f in self._failures if f[0] in (None, path)), None)
            if failure:
                self._failures.remove(failure)
        if failure:
            return self._answer(host, method, path, headers, body, failure[1], {"message": failure[2]})
        status, answer, ctype = self._route(host, method, path, headers, body)
        self._record(host, method, path, headers, body, status)
        return status, answer, ctype

    def _answer(self, host: str, method: str, path: str, headers: dict, body: Any, status: int,
                answer: dict) -> tuple[int, Any, str]:
        self._record(host, method, path, headers, body, status)
        return status, answer, "application/json"

    def _route(self, host: str, method: str, path: str, headers: dict, body: Any) -> tuple[int, Any, str]:
        j = "application/json"
        schema = JSON_ROUTES.get((method, path))
        if schema:
            if host != "api":
                return 404, {"message": "Not found"}, j
            problems = self._check_json(headers, body, schema, path)
            if problems:
                return 400, {"message": f"The request body has {len(problems)} error(s)",
                             "details": [{"message": p, "property": p.split(":")[0]} for p in problems]}, j
            return self._json_call(path, headers, body)
        if method == "GET" and (m := CONTENT_RE.match(path)):
            if host != "data":
                return 404, {"message": "Not found"}, j
            if m.group(1) not in self.content:
                return 404, {"message": "Not found"}, j
            data, ctype = self.content[m.group(1)]
            return 200, data, ctype
        if method == "POST" and (m := RICHMENU_IMAGE_RE.match(path)):
            return self._rich_menu_image(host, m.group(1), headers, body)
        if method == "POST" and (m := DEFAULT_RICHMENU_RE.match(path)) and host == "api":
            if m.group(1) not in self.rich_menus:
                return 404, {"message": "richmenu not found"}, j
            self.default_rich_menu = m.group(1)
            return 200, {}, j
        if method == "GET" and (m := PROFILE_RE.match(path)) and host == "api":
            profile = self.profiles.get(m.group(1))
            return (200, profile, j) if profile else (404, {"message": "Not found"}, j)
        return 404, {"message": "Not found"}, j

    def _check_json(self, headers: dict, body: Any, schema: str, path: str) -> list[str]:
        if not headers.get("content-type", "").startswith("application/json"):
            return ["Content-Type: must be application/json"]
        if not isinstance(body, dict):
            return ["body: must be a JSON object"]
        problems = line_spec.messaging().errors(body, schema)
        problems += line_spec.line_limits(body.get("messages", []))
        retry_key = headers.get("x-line-retry-key")
        if retry_key is not None and path not in RETRY_KEY_PATHS:
            problems.append("X-Line-Retry-Key: not supported by this endpoint")
        if retry_key is not None:
            try:
                uuid.UUID(retry_key)
            except ValueError:
                problems.append("X-Line-Retry-Key: not a UUID")
        if schema == "ShowLoadingAnimationRequest" and body.get("loadingSeconds", 5) % 5:
            problems.append("loadingSeconds: must be a multiple of 5")
        if schema == "RichMenuRequest":
            problems += [f"{k}: required" for k in ("size", "selected", "name", "chatBarText", "areas")
                         if k not in body]
        return problems

    def _json_call(self, path: str, headers: dict, body: dict) -> tuple[int, Any, str]:
        j = "application/json"
        sent = {"sentMessages": [{"id": str(secrets.randbelow(10**17)), "quoteToken": secrets.token_hex(8)}
                                 for _ in body.get("messages", [])]}
        if path == "/v2/bot/message/reply":
            token = body["replyToken"]
            with self._lock:
                if token in self.used_reply_tokens or token in self.invalid_reply_tokens:
                    return 400, {"message": "Invalid reply token"}, j
                self.used_reply_tokens.add(token)
            return 200, sent, j
        if path in RETRY_KEY_PATHS:
            key = headers.get("x-line-retry-key")
            with self._lock:
                if key and key in self.accepted_retry_keys:
                    return 409, {"message": "The retry key is already accepted", **sent}, j
                if key:
                    self.accepted_retry_keys.add(key)
            return 200, (sent if path.endswith("push") else {}), j
        if path == "/v2/bot/chat/loading/start":
            return 202, {}, j
        if path == "/v2/bot/richmenu":
            menu_id = "richmenu-" + secrets.token_hex(16)
            self.rich_menus[menu_id] = body
            return 200, {"richMenuId": menu_id}, j
        return 404, {"message": "Not found"}, j

    def _rich_menu_image(self, host: str, menu_id: str, headers: dict, body: Any) -> tuple[int, Any, str]:
        j = "application/json"
        if host != "data":
            return 404, {"message": "Not found"}, j
        if menu_id not in self.rich_menus:
            return 404, {"message": "richmenu not found"}, j
        ctype = headers.get("content-type", "")
        if ctype not in ("image/jpeg", "image/png") or not isinstance(body, bytes):
            return 415, {"message": "Unsupported Media Type"}, j
        if len(body) > 1024 * 1024:
            return 400, {"message": "Image size must be 1MB or less"}, j
        with Image.open(io.BytesIO(body)) as img:
            size = self.rich_menus[menu_id]["size"]
            if (img.width, img.height) != (size["width"], size["height"]):
                return 400, {"message": "Image size does not match the rich menu size"}, j
        self.rich_menu_images[menu_id] = body
        return 200, {}, j


# --- fixtures (imported by the LINE tests' conftest files) ---------------------------------------------------

@pytest.fixture
def line_api() -> Iterator[FakeLine]:
    fake = FakeLine()
    yield fake
    fake.close()


@pytest.fixture
def webhook() -> Webhook:
    return Webhook()


def line_settings_update(fake: FakeLine, **extra: Any) -> dict[str, Any]:
    return {"line_channel_secret": CHANNEL_SECRET, "line_channel_access_token": ACCESS_TOKEN,
            "line_api_url": fake.api_url, "line_data_api_url": fake.data_url, "line_reply_token_seconds": 50,
            "line_multicast_batch": 500, "line_rate_limit_per_user": 20, **extra}


# --- helpers for the LINE tests -----------------------------------------------------------------------------

def count(db: Any, model: Any, *where: Any) -> int:
    from sqlalchemy import func, select

    with db.unit_of_work(readonly=True) as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def post_events(client: Any, hook: Webhook, *events: dict) -> Any:
    body = hook.body(*events)
    return client.post("/line/webhook", content=body, headers=hook.headers(body))


def run_jobs(db: Any) -> int:
    from khaojing.jobs.worker import Worker

    return Worker(db).run_until_empty()
