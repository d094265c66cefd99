"""The `tipline.event` job: answer one LINE event (greeting, stickers, unsupported types, reports, postbacks).

Part A of the tipline: a text or an image is filed as a Report and acknowledged; part B replaces that branch with
matching (instant answers, candidates, consent). Every answer goes through outbox.send with a dedupe key derived
from the webhookEventId, so a job that runs again never sends twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from khaojing.audit.service import source_actor
from khaojing.channels.line import flex
from khaojing.channels.line.client import LineClient, LinePermanent
from khaojing.channels.line.config import LineConfig, line_config
from khaojing.errors import Invalid, TooLarge
from khaojing.intake.media import check_image
from khaojing.intake.models import Requester
from khaojing.intake.service import Submission, accept_report, get_or_create_source
from khaojing.settings import Settings
from khaojing.tipline import outbox, service
from khaojing.tipline.models import EventStatus, InboundEvent
from khaojing.tipline.texts import say, what

log = logging.getLogger(__name__)
SOURCE_KIND = SOURCE_NAME = "line"


@dataclass
class Turn:
    """One event being answered, with what the handlers need."""

    session: Session
    settings: Settings
    cfg: LineConfig
    event: InboundEvent
    requester: Requester

    @property
    def lang(self) -> str:
        return "en" if self.requester.language == "en" else "th"

    @property
    def key(self) -> str:
        return self.event.webhook_event_id

    def reply(self, *messages: dict, key: str | None = None) -> None:
        """Answer this event once: the reply token while it is fresh, a push after that."""
        outbox.send(self.session, dedupe_key=key or f"reply:{self.key}", kind="reply", to=self.requester.id,
                    messages=list(messages), reply_token=self.event.reply_token,
                    reply_token_at=self.event.reply_token_at)

    def say(self, key: str, quick: bool = True, **values: object) -> None:
        self.reply(flex.text(say(key, self.lang, **values), lang=self.lang, quick=quick))

    def user_id(self) -> str | None:
        return service.line_user_id(self.session, self.requester.id)


def handle_event(session: Session, *, settings: Settings, event_id: int) -> None:
    event = session.get(InboundEvent, event_id)
    if event is None or event.status != EventStatus.received.value:
        return  # done already (a job that runs twice does nothing the second time)
    requester = session.get(Requester, event.requester_id) if event.requester_id else None
    if requester is not None and event.kind == "unfollow":  # honoured for everyone, blocked or not
        on_unfollow(Turn(session, settings, line_config(settings), event, requester))
        service.finish_event(event, EventStatus.processed)
        return
    if (requester is not None and service.is_blocked(session, requester_id=requester.id)) or \
            (event.group_hash and service.is_blocked(session, key_hash=event.group_hash)):
        service.finish_event(event, EventStatus.ignored, "blocked")
        return
    if requester is None or event.source_type != "user":
        # groups and rooms: silent for now (part B answers mentions and very clear fakes)
        service.finish_event(event, EventStatus.ignored, f"{event.source_type or 'unknown'} chat: no answer")
        return
    turn = Turn(session, settings, line_config(settings), event, requester)
    if event.kind in ("message", "postback") and service.over_rate_limit(
            session, event, per_minute=turn.cfg.rate_limit_per_user):
        window = int(event.created_at.timestamp() // 60)
        turn.reply(flex.text(say("rate_limited", turn.lang), quick=False),
                   key=f"ratelimit:{requester.id}:{window}")  # one notice per minute window
        service.finish_event(event, EventStatus.ignored, "over the per-user rate limit")
        return
    handler = HANDLERS.get(event.kind)
    note = handler(turn) if handler else f"no handler for {event.kind}"
    service.finish_event(event, EventStatus.processed, note)


def _is_latest_follow_change(turn: Turn) -> bool:
    """Follow and unfollow may be handled out of order: only the latest one sets the notification flag."""
    ev = turn.event
    if ev.occurred_at is None:
        return True
    later = turn.session.scalar(select(InboundEvent.id).where(
        InboundEvent.requester_id == ev.requester_id, InboundEvent.kind.in_(("follow", "unfollow")),
        InboundEvent.id != ev.id, InboundEvent.occurred_at > ev.occurred_at).limit(1))
    return later is None


def on_follow(turn: Turn) -> str | None:
    if _is_latest_follow_change(turn):
        turn.requester.notify = True
    user_id = turn.user_id()
    language = LineClient(turn.cfg).get_profile_language(user_id) if user_id else None
    if language:
        turn.requester.language = "en" if language.startswith("en") else "th"
    center = turn.settings.center_name_en if turn.lang == "en" else turn.settings.center_name_th
    turn.reply(flex.text(say("greeting", turn.lang, center=center), quick=False),
               flex.text(say("howto", turn.lang, center=center, base_url=turn.cfg.base_url.rstrip("/")),
                         lang=turn.lang))
    return None


def on_unfollow(turn: Turn) -> str | None:
    if _is_latest_follow_change(turn):
        turn.requester.notify = False  # blocked us: no more pushes
    service.clear_state(turn.session, turn.requester.id)
    return None


def on_message(turn: Turn) -> str | None:
    kind = turn.event.message_type or ""
    if kind == "text":
        return _file_report(turn, text=str(turn.event.body.get("message", {}).get("text", "")))
    if kind == "image":
        return _file_image(turn)
    if kind == "sticker":
        turn.say("sticker")
        return None
    turn.say("unsupported", what=what(kind, turn.lang))
    return f"{kind} messages are not supported"


def _file_report(turn: Turn, *, text: str, images: list | None = None) -> str | None:
    """Part A: every text or image becomes a report (part B: match first, then ask consent)."""
    message = turn.event.body.get("message", {})
    source = get_or_create_source(turn.session, kind=SOURCE_KIND, name=SOURCE_NAME)
    user_id = turn.user_id()
    sub = Submission(text=text, images=images or [], external_id=str(message.get("id") or turn.key)[:200],
                     received_at=turn.event.occurred_at, language=turn.lang,
                     requester_kind=service.LINE_USER if user_id else None, requester_value=user_id,
                     contact_kind=service.LINE_USER if user_id else None, contact_value=user_id,
                     meta={"line": {"webhook_event_id": turn.key, "message_type": turn.event.message_type}})
    try:
        accepted = accept_report(turn.session, settings=turn.settings, source=source, sub=sub,
                                 actor=source_actor(source.id))
    except TooLarge:
        turn.say("too_long")
        return "text too long"
    except Invalid:
        turn.say("empty")
        return "nothing to check"
    code = accepted.report.tracking_code
    turn.say("received", code=code, url=f"{turn.cfg.base_url.rstrip('/')}/track/{code}")
    return f"report {accepted.report.id}"


def _file_image(turn: Turn) -> str | None:
    message_id = str(turn.event.body.get("message", {}).get("id", ""))
    client = LineClient(turn.cfg)
    if user_id := turn.user_id():
        client.show_loading(user_id, 20)
    try:
        content = client.get_content(message_id, max_bytes=turn.cfg.max_image_bytes)
    except LinePermanent as exc:  # e.g. 404: LINE no longer has it
        turn.say("image_gone")
        return f"content not available: {exc}"
    if content.too_large or content.data is None:
        turn.say("too_large")
        return "image too large"
    try:
        image = check_image(content.data, max_bytes=turn.cfg.max_image_bytes, original_name=f"line-{message_id}")
    except TooLarge:
        turn.say("too_large")
        return "image too large"
    except Invalid:
        turn.say("bad_image")
        return "not an image we can read"
    return _file_report(turn, text="", images=[image])


def on_postback(turn: Turn) -> str | None:
    data = str(turn.event.body.get("postback", {}).get("data", ""))
    values = flex.parse_postback(data)
    action = values.get("a", "")
    base_url = turn.cfg.base_url.rstrip("/")
    if action == "check":
        turn.say("empty")
    elif action == "latest":
        turn.say("latest", base_url=base_url)
    elif action == "howto":
        center = turn.settings.center_name_en if turn.lang == "en" else turn.settings.center_name_th
        turn.say("howto", center=center, base_url=base_url)
    elif action == "notify":
        if values.get("v") in ("on", "off"):
            turn.requester.notify = values["v"] == "on"
            turn.say("notify_on" if turn.requester.notify else "notify_off")
        else:
            status = say("notify_status_on" if turn.requester.notify else "notify_status_off", turn.lang)
            turn.reply(flex.notify_settings(status, lang=turn.lang))
    else:
        return f"postback recorded: {data[:200]}"  # pick, none, whole, consent: the conversation of part B
    return None


HANDLERS: dict[str, Callable[[Turn], str | None]] = {
    "follow": on_follow, "unfollow": on_unfollow, "message": on_message, "postback": on_postback}
