"""E-mail on publication: requesters who left an address (once per verdict version), and topic subscribers.

Subscribing is double opt-in: the form stores nothing; it mails a signed, time-limited confirmation link, and only
the click creates the Subscriber row (with the topics the link carries). Every subscriber mail ends with a personal
one-click unsubscribe link (signed, no expiry). Mail goes through cases/mail.py (a queued job, retried).
"""

from __future__ import annotations

from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from khaojing.cases import mail
from khaojing.db.base import utcnow
from khaojing.errors import Invalid
from khaojing.intake.models import ContactPoint, Report, Requester
from khaojing.publication import messages as _messages  # noqa: F401  (registers the mail texts)
from khaojing.publication.models import Subscriber
from khaojing.publication.service import PublicVerdict
from khaojing.settings import Settings

SALT_CONFIRM, SALT_UNSUB = "khaojing-subscribe-confirm", "khaojing-unsubscribe"


def _base(settings: Settings) -> str:
    return settings.base_url.rstrip("/")


def _params(view: PublicVerdict, settings: Settings) -> dict:
    return {"label_th": view.label_th, "label_en": view.label_en, "headline": view.headline,
            "title_th": view.title("th"), "title_en": view.title("en"),
            "url": f"{_base(settings)}/verdicts/{view.claim_id}", "version": view.version}


def addressed(session: Session, *, claim_id: int) -> list[tuple[int, str]]:
    """(requester id, e-mail address) of the claim's requesters who left an address (still kept) and want notices."""
    return [tuple(row) for row in session.execute(
        select(Requester.id, ContactPoint.value).join(Report, Report.requester_id == Requester.id)
        .join(ContactPoint, ContactPoint.requester_id == Requester.id)
        .where(Report.claim_id == claim_id, Requester.notify.is_(True), ContactPoint.kind == "email",
               ContactPoint.expires_at > utcnow()).distinct()).all()]


def notify_requesters(session: Session, *, view: PublicVerdict, verdict_id: int, settings: Settings) -> int:
    """Mail every requester of the claim who left an e-mail address (still kept) and wants notices; once per version
    (the queue's dedupe key). Returns how many mails were queued."""
    rows = addressed(session, claim_id=view.claim_id)
    key = "pub.mail.verdict" if view.version <= 1 else "pub.mail.correction"
    params = _params(view, settings)
    return sum(mail.enqueue(session, settings, to=[address], key=key,
                            dedupe=mail.verdict_mail_dedupe(requester_id, verdict_id, view.version), **params)
               for requester_id, address in rows)


def _confirm_serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.secret_key, salt=SALT_CONFIRM)


def _unsub_serializer(settings: Settings) -> URLSafeSerializer:
    return URLSafeSerializer(settings.secret_key, salt=SALT_UNSUB)


def unsubscribe_url(settings: Settings, email: str) -> str:
    return f"{_base(settings)}/unsubscribe?token={_unsub_serializer(settings).dumps(email.lower())}"


def request_subscription(session: Session, *, email: str, topics: list[str], language: str,
                         settings: Settings) -> bool:
    """Mail a confirmation link (at most one a day per address). Nothing is stored until the link is followed."""
    address = mail.valid_address(email)
    if address is None:
        raise Invalid("not a valid e-mail address", key="sub.invalid")
    known = {t.key for t in settings.topics}
    chosen = sorted({t for t in topics if t in known})
    token = _confirm_serializer(settings).dumps({"e": address.lower(), "t": chosen, "l": language})
    names = ", ".join((t.th + " / " + t.en) for t in settings.topics if t.key in chosen) or "ทุกหมวดหมู่ / all topics"
    return mail.enqueue(session, settings, to=[address], key="pub.mail.confirm",
                        dedupe=f"pub-subscribe:{address.lower()}:{utcnow().date().isoformat()}",
                        url=f"{_base(settings)}/subscribe/confirm?token={token}", topics=names)


def confirm(session: Session, *, token: str, settings: Settings) -> Subscriber:
    """Follow a confirmation link: the subscriber exists (again) with the link's topics."""
    try:
        data = _confirm_serializer(settings).loads(token, max_age=settings.subscribe_link_days * 86400)
    except SignatureExpired as exc:
        raise Invalid("this confirmation link has expired; subscribe again", key="sub.link_expired") from exc
    except BadSignature as exc:
        raise Invalid("this confirmation link is not valid", key="sub.bad_link") from exc
    subscriber = session.scalar(select(Subscriber).where(Subscriber.email == data["e"]))
    if subscriber is None:
        subscriber = Subscriber(email=data["e"])
        session.add(subscriber)
    subscriber.topics, subscriber.language = list(data["t"]), data.get("l") or "th"
    subscriber.confirmed_at, subscriber.unsubscribed_at = utcnow(), None
    session.flush()
    return subscriber


def unsubscribe(session: Session, *, token: str, settings: Settings) -> str:
    """Follow an unsubscribe link; returns the address (no error when already unsubscribed)."""
    try:
        email = _unsub_serializer(settings).loads(token)
    except BadSignature as exc:
        raise Invalid("this unsubscribe link is not valid", key="sub.bad_link") from exc
    subscriber = session.scalar(select(Subscriber).where(Subscriber.email == email))
    if subscriber is not None and subscriber.unsubscribed_at is None:
        subscriber.unsubscribed_at = utcnow()
    return email


def broadcast(session: Session, *, view: PublicVerdict, verdict_id: int, settings: Settings) -> int:
    """Mail the confirmed subscribers of the verdict's topic (or of every topic), once per verdict version."""
    subscribers = session.scalars(select(Subscriber).where(Subscriber.confirmed_at.is_not(None),
                                                           Subscriber.unsubscribed_at.is_(None))).all()
    key = "pub.mail.broadcast" if view.version <= 1 else "pub.mail.broadcast_correction"
    sent = 0
    for sub in subscribers:
        if sub.topics and view.topic not in sub.topics:
            continue
        sent += mail.enqueue(session, settings, to=[sub.email], key=key,
                             dedupe=f"pub-broadcast:{sub.id}:{verdict_id}:v{view.version}",
                             unsubscribe=unsubscribe_url(settings, sub.email), **_params(view, settings))
    return sent
