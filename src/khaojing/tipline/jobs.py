"""Tipline jobs: answer a LINE event, deliver an outbound message, and forget what must not be kept."""

from __future__ import annotations

from sqlalchemy.orm import Session

from khaojing.channels.line.config import line_config
from khaojing.jobs.registry import every, handler
from khaojing.settings import Settings
from khaojing.tipline import conversation, outbox, service


@handler(service.EVENT_JOB)
def event(*, session: Session, settings: Settings, event_id: int) -> None:
    conversation.handle_event(session, settings=settings, event_id=event_id)


@handler(outbox.SEND_JOB)
def send(*, session: Session, settings: Settings, message_id: int) -> None:
    outbox.deliver(session, settings=settings, message_id=message_id)


@handler("tipline.purge")
def purge(*, session: Session, settings: Settings) -> None:
    """Raw reply tokens once expired, ended conversations, handled events older than 30 days."""
    service.purge(session, reply_token_seconds=line_config(settings).reply_token_seconds)


every(300, "tipline.purge")
