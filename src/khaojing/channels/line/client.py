"""LINE Messaging API client over line-bot-sdk v3: reply, push, multicast, loading animation, content, rich menu.

Failures are sorted for the job queue: 429, 5xx and network errors raise LineRetryable (the job is retried with
backoff); other 4xx raise LinePermanent, a jobs.worker.PermanentError carrying LINE's own error message.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import quote

import urllib3
from linebot.v3.messaging import (
    ApiClient,
    Configuration,
    MessagingApi,
    MessagingApiBlob,
    MulticastRequest,
    PushMessageRequest,
    ReplyMessageRequest,
    RichMenuRequest,
    ShowLoadingAnimationRequest,
)
from linebot.v3.messaging.exceptions import ApiException

from khaojing.channels.line.config import LineConfig
from khaojing.jobs.worker import PermanentError

log = logging.getLogger(__name__)

TIMEOUT = (3.05, 15.0)  # connect, read (seconds)
CONTENT_TIMEOUT = (3.05, 60.0)
CHUNK = 64 * 1024
INVALID_REPLY_TOKEN = "Invalid reply token"
_RETRY_NAMESPACE = uuid.UUID("6b1f4c1e-3c43-4c55-9d0a-5e8f2a7c9b10")


class LineError(Exception):
    """LINE refused or could not be reached. `uncertain`: the request may have been carried out anyway."""

    def __init__(self, status: int, message: str, *, details: list | None = None, uncertain: bool = False):
        self.status, self.message, self.details, self.uncertain = status, message, details or [], uncertain
        detail = "; ".join(f"{d.get('property', '')}: {d.get('message', '')}" for d in self.details
                           if isinstance(d, dict))
        super().__init__(f"LINE API {status or 'network error'}: {message}" + (f" ({detail})" if detail else ""))


class LineRetryable(LineError):
    """429, 5xx, timeouts, refused connections: worth retrying later."""


class LinePermanent(LineError, PermanentError):
    """400, 401, 403, 404 …: retrying cannot help (bad request, wrong token, user unreachable)."""

    @property
    def invalid_reply_token(self) -> bool:
        return self.status == 400 and self.message.strip().rstrip(".").lower() == INVALID_REPLY_TOKEN.lower()


@dataclass(frozen=True)
class Content:
    """A downloaded message content (an image): its bytes, or `too_large` when over the limit."""

    data: bytes | None
    content_type: str | None
    size: int | None
    too_large: bool = False


def _error_from_api(exc: ApiException) -> LineError:
    status = int(exc.status or 0)
    body: Any = exc.body
    if isinstance(body, bytes | bytearray):
        body = body.decode("utf-8", "replace")
    message, details = str(exc.reason or "error"), []
    try:
        parsed = json.loads(body) if body else {}
        if isinstance(parsed, dict):
            message = str(parsed.get("message") or message)
            details = parsed.get("details") or []
    except ValueError:
        if body:
            message = str(body)[:500]
    if status == 0 or status == 429 or status >= 500:
        return LineRetryable(status, message, details=details, uncertain=status == 0 or status >= 500)
    return LinePermanent(status, message, details=details)


def _error_from_network(exc: urllib3.exceptions.HTTPError) -> LineRetryable:
    reason = getattr(exc, "reason", None) or exc
    # a refused or timed-out connection never carried the request; anything later might have
    sent = not isinstance(reason, urllib3.exceptions.ConnectTimeoutError | urllib3.exceptions.NewConnectionError)
    return LineRetryable(0, f"{type(reason).__name__}: {reason}", uncertain=sent)


def batches(items: Sequence[str], size: int) -> Iterator[list[str]]:
    size = max(1, size)
    for start in range(0, len(items), size):
        yield list(items[start:start + size])


def batch_retry_key(retry_key: str, index: int) -> str:
    """The retry key of batch `index` of a multicast: the row's key for the first, derived ones after it."""
    return retry_key if index == 0 else str(uuid.uuid5(uuid.UUID(retry_key), f"batch:{index}"))


@lru_cache(maxsize=8)
def _api_clients(api_url: str, data_api_url: str, token: str) -> tuple[ApiClient, ApiClient]:
    def make(host: str) -> ApiClient:
        conf = Configuration(host=host, access_token=token)
        # connection errors (nothing sent) are retried at once; anything else goes back to the job queue
        conf.retries = urllib3.util.Retry(total=2, connect=2, read=0, redirect=0, status=0, other=0)
        return ApiClient(conf)

    return make(api_url), make(data_api_url)


class LineClient:
    """One channel's Messaging API (api_url) and its content API (data_api_url)."""

    def __init__(self, cfg: LineConfig):
        self.cfg = cfg
        api, data = _api_clients(cfg.api_url, cfg.data_api_url, cfg.channel_access_token)
        self._api, self._data = api, data
        self.messaging = MessagingApi(api)
        self.blob = MessagingApiBlob(data)

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, _request_timeout=TIMEOUT, **kwargs)
        except ApiException as exc:
            raise _error_from_api(exc) from None
        except urllib3.exceptions.HTTPError as exc:
            raise _error_from_network(exc) from None

    # --- messages --------------------------------------------------------------------------------------------
    def reply(self, reply_token: str, messages: list[dict]) -> None:
        request = ReplyMessageRequest.from_dict({"replyToken": reply_token, "messages": messages})
        self._call(self.messaging.reply_message, request)

    def push(self, to: str, messages: list[dict], *, retry_key: str) -> bool:
        """Push to one user (or group). False when LINE had already accepted this retry key (409): not resent."""
        request = PushMessageRequest.from_dict({"to": to, "messages": messages})
        return self._accepted_once(self.messaging.push_message, request, retry_key)

    def multicast(self, to: Sequence[str], messages: list[dict], *, retry_key: str) -> int:
        """Send to many users in batches of LINE's limit; each batch has its own retry key, so a retry after a
        partial failure resends nothing LINE already accepted. Returns the number of batches sent now."""
        sent = 0
        for index, chunk in enumerate(batches(list(to), self.cfg.multicast_batch)):
            request = MulticastRequest.from_dict({"to": chunk, "messages": messages})
            sent += self._accepted_once(self.messaging.multicast, request, batch_retry_key(retry_key, index))
        return sent

    def _accepted_once(self, fn: Any, request: Any, retry_key: str) -> bool:
        try:
            self._call(fn, request, x_line_retry_key=retry_key)
        except LinePermanent as exc:
            if exc.status == 409:  # "already accepted": an earlier attempt got through
                log.info("LINE had already accepted retry key %s", retry_key)
                return False
            raise
        return True

    def show_loading(self, user_id: str, seconds: int = 20) -> bool:
        """The typing dots in a one-to-one chat while slow work runs; best effort (False if LINE refused)."""
        seconds = min(60, max(5, 5 * round(seconds / 5)))
        try:
            self._call(self.messaging.show_loading_animation,
                       ShowLoadingAnimationRequest.from_dict({"chatId": user_id, "loadingSeconds": seconds}))
        except LineError as exc:
            log.info("loading animation not shown: %s", exc)
            return False
        return True

    def get_profile_language(self, user_id: str) -> str | None:
        """The user's LINE language ("th", "en" …) when LINE tells it; best effort."""
        try:
            profile = self._call(self.messaging.get_profile, user_id)
        except LineError as exc:
            log.info("profile not read: %s", exc)
            return None
        return getattr(profile, "language", None)

    # --- content ---------------------------------------------------------------------------------------------
    def get_content(self, message_id: str, *, max_bytes: int) -> Content:
        """Download an image a user sent, streaming, and stop politely at `max_bytes`."""
        url = f"{self.cfg.data_api_url}/v2/bot/message/{quote(message_id, safe='')}/content"
        try:
            resp = self._data.rest_client.get_request(url, headers=dict(self._data.default_headers),
                                                      _preload_content=False, _request_timeout=CONTENT_TIMEOUT)
        except ApiException as exc:
            raise _error_from_api(exc) from None
        except urllib3.exceptions.HTTPError as exc:
            raise _error_from_network(exc) from None
        complete = False
        try:
            content_type = resp.headers.get("Content-Type")
            declared = resp.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                return Content(None, content_type, int(declared), too_large=True)
            data = bytearray()
            for chunk in resp.stream(CHUNK):
                data += chunk
                if len(data) > max_bytes:
                    return Content(None, content_type, None, too_large=True)
            complete = True
            return Content(bytes(data), content_type, len(data))
        except urllib3.exceptions.HTTPError as exc:
            raise _error_from_network(exc) from None
        finally:
            if not complete:  # unread bytes left: this connection cannot serve another request
                resp.close()
            resp.release_conn()

    # --- rich menu -------------------------------------------------------------------------------------------
    def create_rich_menu(self, menu: dict) -> str:
        result = self._call(self.messaging.create_rich_menu, RichMenuRequest.from_dict(menu))
        return result.rich_menu_id

    def upload_rich_menu_image(self, rich_menu_id: str, image: bytes, content_type: str = "image/png") -> None:
        self._call(self.blob.set_rich_menu_image, rich_menu_id, bytes(image),
                   _headers={"Content-Type": content_type})

    def set_default_rich_menu(self, rich_menu_id: str) -> None:
        self._call(self.messaging.set_default_rich_menu, rich_menu_id)
