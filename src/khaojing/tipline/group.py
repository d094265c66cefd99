"""Group and room chats: silent, unless the bot is mentioned or a message is a very clear fake or distortion.

Nobody in a group wrote to us, so nothing is filed and no raw id is kept: the only way to answer is the event's
reply token (one brief reply per event; once the token is stale the moment has passed and nothing is sent).
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from khaojing.channels.line import flex
from khaojing.channels.line.client import LineClient, LinePermanent
from khaojing.channels.line.config import LineConfig
from khaojing.errors import Invalid, TooLarge
from khaojing.intake.media import check_image
from khaojing.settings import Settings
from khaojing.tipline import answers, outbox
from khaojing.tipline.models import InboundEvent
from khaojing.tipline.texts import say

log = logging.getLogger(__name__)


def mentions_bot(body: dict) -> bool:
    """True when the message mentions this bot (mention.mentionees[].isSelf, as LINE marks it)."""
    mention = (body.get("message") or {}).get("mention") or {}
    return any(isinstance(m, dict) and m.get("isSelf") is True for m in mention.get("mentionees") or [])


def _image_analysis(session: Session, *, settings: Settings, cfg: LineConfig,
                    event: InboundEvent) -> answers.Analysis | None:
    """A picture posted in the group, matched by OCR text and perceptual hash; None when it cannot be had."""
    message_id = str((event.body.get("message") or {}).get("id") or "")
    if not message_id:
        return None
    try:
        content = LineClient(cfg).get_content(message_id, max_bytes=cfg.max_image_bytes)
    except LinePermanent as exc:  # gone from LINE: nothing to say in a group
        log.info("group image %s not available: %s", message_id, exc)
        return None
    if content.too_large or content.data is None:
        return None
    try:
        image = check_image(content.data, max_bytes=cfg.max_image_bytes, original_name=f"line-{message_id}")
    except (TooLarge, Invalid):
        return None
    text, hashes = answers.image_query(image.data, settings=settings)
    return answers.analyse(session, settings=settings, text=text, image_hashes=hashes, lang="th", is_image=True)


def on_group_event(session: Session, *, settings: Settings, cfg: LineConfig, event: InboundEvent) -> str | None:
    """Answer a group text or picture when it should be answered; the note of what was done, or None for silence.

    A picture cannot mention the bot: it is answered only when it matches a fake or distorted verdict very
    clearly. A picture LINE no longer has, too large or unreadable, is passed over in silence.
    """
    if event.kind != "message" or event.message_type not in ("text", "image") or not event.reply_token:
        return None
    if event.message_type == "image":
        mentioned = False
        analysis = _image_analysis(session, settings=settings, cfg=cfg, event=event)
        if analysis is None:
            return None
    else:
        text = str((event.body.get("message") or {}).get("text", ""))
        if len(text.encode("utf-8")) > settings.max_text_bytes:
            return None
        mentioned = mentions_bot(event.body)
        analysis = answers.analyse(session, settings=settings, text=text, lang="th")
    if answers.answers_in_group(analysis, settings=settings) or (mentioned and analysis.action == answers.ANSWER):
        assert analysis.card is not None
        message = flex.verdict_message(analysis.card, base_url=cfg.base_url, lang="th", tz=cfg.timezone, quick=False)
        note = f"group: answered from claim {analysis.claim_id} ({analysis.score:.2f})"
    elif mentioned:
        message = flex.text(say("group_hint", "th", center=settings.center_name_th), quick=False)
        note = "group: mentioned, pointed to a one-to-one chat"
    else:
        return None
    outbox.send(session, dedupe_key=f"group:{event.webhook_event_id}", kind="reply", to=[], messages=[message],
                reply_token=event.reply_token, reply_token_at=event.reply_token_at)
    return note
