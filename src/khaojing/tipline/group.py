"""Group and room chats: silent, unless the bot is mentioned or a message is a very clear fake or distortion.

Nobody in a group wrote to us, so nothing is filed and no raw id is kept: the only way to answer is the event's
reply token (one brief reply per event; once the token is stale the moment has passed and nothing is sent).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from khaojing.channels.line import flex
from khaojing.channels.line.config import LineConfig
from khaojing.settings import Settings
from khaojing.tipline import answers, outbox
from khaojing.tipline.models import InboundEvent
from khaojing.tipline.texts import say


def mentions_bot(body: dict) -> bool:
    """True when the message mentions this bot (mention.mentionees[].isSelf, as LINE marks it)."""
    mention = (body.get("message") or {}).get("mention") or {}
    return any(isinstance(m, dict) and m.get("isSelf") is True for m in mention.get("mentionees") or [])


def on_group_event(session: Session, *, settings: Settings, cfg: LineConfig, event: InboundEvent) -> str | None:
    """Answer a group text when it should be answered; the note of what was done, or None for silence."""
    if event.kind != "message" or event.message_type != "text" or not event.reply_token:
        return None
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
