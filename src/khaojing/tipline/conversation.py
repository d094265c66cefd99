"""The `tipline.event` job: answer one LINE event (greeting, stickers, checks of messages and images, postbacks).

A text or an image is matched first (tipline.answers): a known verdict is answered at once, plausible matches
are offered as a carousel, a claim still being checked registers the user as waiting, and only something new is
filed as a Report after two questions (the whole message? consent?). Every answer goes through outbox.send with a
dedupe key derived from the webhookEventId, so a job that runs again never sends twice.
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
from khaojing.claims import service as claims
from khaojing.errors import Invalid, TooLarge
from khaojing.intake.media import CheckedImage, check_image
from khaojing.intake.models import Report, Requester
from khaojing.intake.service import Submission, accept_report, get_or_create_source
from khaojing.settings import Settings
from khaojing.thai.language import text_language
from khaojing.tipline import answers, group, outbox, service
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
    if event.source_type in ("group", "room"):
        if event.requester_id and service.over_rate_limit(
                session, event, per_minute=line_config(settings).rate_limit_per_user):
            service.finish_event(event, EventStatus.ignored, "over the per-user rate limit (group: silent)")
            return
        note = group.on_group_event(session, settings=settings, cfg=line_config(settings), event=event)
        service.finish_event(event, EventStatus.processed if note else EventStatus.ignored,
                             note or f"{event.source_type} chat: no answer")
        return
    if requester is None or event.source_type != "user":
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
        text = str(turn.event.body.get("message", {}).get("text", ""))
        _language_from_text(turn, text)
        return _check_text(turn, text)
    if kind == "image":
        return _check_image(turn)
    if kind == "sticker":
        turn.say("sticker")
        return None
    turn.say("unsupported", what=what(kind, turn.lang))
    return f"{kind} messages are not supported"


def _language_from_text(turn: Turn, text: str) -> None:
    """Answer in the language the person writes when LINE never told us theirs (no follow event: the profile,
    read on follow, is the better source). Kept on the requester, so the follow-up speaks it too."""
    lang = text_language(text)
    if lang is None or lang == turn.lang:
        return
    followed = turn.session.scalar(select(InboundEvent.id).where(
        InboundEvent.requester_id == turn.requester.id, InboundEvent.kind == "follow").limit(1))
    if followed is None:
        turn.requester.language = lang


def _message_id(turn: Turn) -> str:
    return str(turn.event.body.get("message", {}).get("id") or turn.key)[:200]


def _check_text(turn: Turn, text: str) -> str | None:
    if len(text.encode("utf-8")) > turn.settings.max_text_bytes:
        turn.say("too_long")
        return "text too long"
    if not text.strip():
        turn.say("empty")
        return "nothing to check"
    analysis = answers.analyse(turn.session, settings=turn.settings, text=text, lang=turn.lang)
    return _answer(turn, analysis, {"kind": "text", "text": text, "message_id": _message_id(turn)})


def _check_image(turn: Turn) -> str | None:
    message_id = _message_id(turn)
    if user_id := turn.user_id():
        LineClient(turn.cfg).show_loading(user_id, 20)  # OCR and matching take a few seconds
    image, note = _download(turn, message_id)
    if image is None:
        return note
    text, hashes = answers.image_query(image.data, settings=turn.settings)
    analysis = answers.analyse(turn.session, settings=turn.settings, text=text, image_hashes=hashes,
                               lang=turn.lang, is_image=True)
    return _answer(turn, analysis, {"kind": "image", "text": "", "message_id": message_id})


def _download(turn: Turn, message_id: str) -> tuple[CheckedImage | None, str | None]:
    try:
        content = LineClient(turn.cfg).get_content(message_id, max_bytes=turn.cfg.max_image_bytes)
    except LinePermanent as exc:  # e.g. 404: LINE no longer has it
        turn.say("image_gone")
        return None, f"content not available: {exc}"
    if content.too_large or content.data is None:
        turn.say("too_large")
        return None, "image too large"
    try:
        return check_image(content.data, max_bytes=turn.cfg.max_image_bytes,
                           original_name=f"line-{message_id}"), None
    except TooLarge:
        turn.say("too_large")
        return None, "image too large"
    except Invalid:
        turn.say("bad_image")
        return None, "not an image we can read"


def _answer(turn: Turn, analysis: answers.Analysis, asked: dict) -> str | None:
    """Say what the analysis found; remember what is needed for the next step of the conversation."""
    rid = turn.requester.id
    if analysis.action == answers.ANSWER and analysis.card is not None:
        service.clear_state(turn.session, rid)
        turn.reply(_bubble(turn, analysis.card))
        return f"answered from claim {analysis.claim_id} ({analysis.score:.2f})"
    if analysis.action == answers.WAITING and analysis.claim_id is not None:
        service.clear_state(turn.session, rid)
        return _wait_for(turn, asked, analysis.claim_id)
    if analysis.action == answers.SUGGEST:
        service.set_state(turn.session, rid, {**asked, "step": "pick",
                                              "claims": [c.card.claim_id for c in analysis.suggestions]})
        turn.reply(flex.candidates_message(analysis.suggestions, base_url=turn.cfg.base_url, lang=turn.lang))
        return f"{len(analysis.suggestions)} candidates shown"
    if analysis.action == answers.CHATTER:
        service.clear_state(turn.session, rid)
        turn.say(CHATTER_ANSWERS.get(analysis.talk or "", "chatter"))
        return "chatter"
    if analysis.talk == "link_only":
        asked = {**asked, "whole": True}  # a link alone is the whole thing to check
    return _ask_whole_or_consent(turn, asked)


CHATTER_ANSWERS = {"thanks": "thanks", "small_talk": "small_talk"}  # else the greeting-like "chatter"


def _ask_whole_or_consent(turn: Turn, asked: dict) -> str:
    # a picture or a link alone is whole; a text may be the part of a longer forward
    if asked.get("kind") == "text" and not asked.get("whole"):
        service.set_state(turn.session, turn.requester.id, {**asked, "step": "whole"})
        turn.reply(flex.whole_message_question(turn.lang))
        return "no match: asked whether this is the whole message"
    service.set_state(turn.session, turn.requester.id, {**asked, "step": "consent"})
    turn.reply(flex.consent_question(turn.lang))
    return "no match: asked for consent"


def _bubble(turn: Turn, card: flex.VerdictCard) -> dict:
    return flex.verdict_message(card, base_url=turn.cfg.base_url, lang=turn.lang, tz=turn.cfg.timezone)


def _file(turn: Turn, asked: dict, *, claim_id: int | None = None) -> Report | None:
    """File what the user asked about as a Report (once per LINE message), attached to `claim_id` if given."""
    images = []
    if asked.get("kind") == "image":
        image, _note = _download(turn, str(asked.get("message_id", "")))
        if image is None:
            return None
        images.append(image)
    source = get_or_create_source(turn.session, kind=SOURCE_KIND, name=SOURCE_NAME)
    user_id = turn.user_id()
    sub = Submission(text=str(asked.get("text") or ""), images=images,
                     external_id=str(asked.get("message_id") or turn.key)[:200],
                     received_at=turn.event.occurred_at, language=turn.lang,
                     requester_kind=service.LINE_USER if user_id else None, requester_value=user_id,
                     contact_kind=service.LINE_USER if user_id else None, contact_value=user_id,
                     meta={"line": {"webhook_event_id": turn.key, "message_type": asked.get("kind")}})
    try:
        report = accept_report(turn.session, settings=turn.settings, source=source, sub=sub,
                               actor=source_actor(source.id)).report
    except TooLarge:
        turn.say("too_long")
        return None
    except Invalid:
        turn.say("empty")
        return None
    if report.requester_id is None:
        report.requester_id = turn.requester.id
    if claim_id is not None and report.claim_id is None:
        claims.attach_report(turn.session, claim=claims.get_claim(turn.session, claim_id), report=report,
                             how="line")
    return report


def _wait_for(turn: Turn, asked: dict, claim_id: int) -> str | None:
    """A known claim without a verdict yet: the user's message is filed into it, so the verdict reaches them."""
    report = _file(turn, asked, claim_id=claim_id)
    if report is None:
        return "could not file the report"
    turn.say("checking", code=report.tracking_code)
    return f"waiting on claim {claim_id}: report {report.id}"


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
    elif action in STEPS:
        return STEPS[action](turn, values)
    else:
        return f"postback recorded: {data[:200]}"
    return None


def _asked(turn: Turn, *steps: str) -> dict | None:
    """The question this postback answers, if it is still open; else say so."""
    state = service.get_state(turn.session, turn.requester.id)
    if state.get("step") in steps:
        return state
    turn.say("expired")
    return None


def on_pick(turn: Turn, values: dict[str, str]) -> str | None:
    try:
        claim_id = int(values.get("c", ""))
    except ValueError:
        return "pick without a claim"
    card = answers.verdict_card(turn.session, claim_id, settings=turn.settings, lang=turn.lang)
    if card is not None:
        service.clear_state(turn.session, turn.requester.id)
        turn.reply(_bubble(turn, card))
        return f"picked claim {claim_id}: verdict shown"
    asked = _asked(turn, "pick")
    if asked is None:
        return "pick: question expired"
    service.clear_state(turn.session, turn.requester.id)
    return _wait_for(turn, asked, claim_id)


def on_none(turn: Turn, values: dict[str, str]) -> str | None:
    asked = _asked(turn, "pick")
    return "none: question expired" if asked is None else _ask_whole_or_consent(turn, asked)


def on_whole(turn: Turn, values: dict[str, str]) -> str | None:
    asked = _asked(turn, "whole")
    if asked is None:
        return "whole: question expired"
    if values.get("v") != "yes":
        service.clear_state(turn.session, turn.requester.id)
        turn.say("whole_no")
        return "not the whole message"
    service.set_state(turn.session, turn.requester.id, {**asked, "step": "consent"})
    turn.reply(flex.consent_question(turn.lang))
    return "asked for consent"


def on_consent(turn: Turn, values: dict[str, str]) -> str | None:
    asked = _asked(turn, "consent")
    if asked is None:
        return "consent: question expired"
    service.clear_state(turn.session, turn.requester.id)
    if values.get("v") != "yes":
        turn.say("not_filed")
        return "consent refused: nothing filed"
    report = _file(turn, asked)
    if report is None:
        return "could not file the report"
    turn.say("filed", code=report.tracking_code,
             url=f"{turn.cfg.base_url.rstrip('/')}/track/{report.tracking_code}")
    return f"report {report.id}"


STEPS: dict[str, Callable[[Turn, dict[str, str]], str | None]] = {
    "pick": on_pick, "none": on_none, "whole": on_whole, "consent": on_consent}


HANDLERS: dict[str, Callable[[Turn], str | None]] = {
    "follow": on_follow, "unfollow": on_unfollow, "message": on_message, "postback": on_postback}
