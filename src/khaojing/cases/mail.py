"""E-mail: compose Thai-then-English messages, queue them as jobs, and send them over SMTP (smtplib)."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
from collections.abc import Iterable
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from sqlalchemy.orm import Session

from khaojing.accounts.models import Agency, User
from khaojing.jobs import queue
from khaojing.messages import t
from khaojing.settings import Settings
from khaojing.thai.dates import format_datetime

log = logging.getLogger(__name__)
EMAIL_JOB = "cases.email"
MAX_RECIPIENTS = 50


class PermanentMailError(Exception):
    """The server refused the message for good (5xx): retrying will not help."""


def valid_address(value: str | None) -> str | None:
    if not value:
        return None
    _name, address = parseaddr(value.strip())
    if "@" not in address or any(ch in address for ch in " \r\n,;<>") or len(address) > 254:
        return None
    return address


def addresses(values: Iterable[str | None]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        address = valid_address(value)
        if address and address.lower() not in seen:
            seen[address.lower()] = address
    return list(seen.values())[:MAX_RECIPIENTS]


def agency_recipients(agency: Agency, officers: Iterable[User] = ()) -> list[str]:
    """Where an agency is reached: its two liaison officers, its contact e-mail, and its officers' accounts."""
    liaisons = [p.get("email") for p in (agency.liaisons or []) if isinstance(p, dict)]
    contact = agency.contact or {}
    return addresses([*liaisons, contact.get("email"), *(u.email for u in officers)])


def when(value: dt.datetime, settings: Settings) -> tuple[str, str]:
    """A date and time in Thai (Buddhist era) and in English, local time of the center."""
    return (format_datetime(value, "th", settings.timezone), format_datetime(value, "en", settings.timezone))


def compose(key: str, **params: object) -> tuple[str, str]:
    """Subject and body from the registered texts `<key>.subject` / `<key>.body`: Thai first, then English."""
    subject = f"[{t('app.name', 'th')}] {t(key + '.subject', 'th', **params)} / {t(key + '.subject', 'en', **params)}"
    body = (t(key + ".body", "th", **params) + "\n\n— English —\n\n" + t(key + ".body", "en", **params)
            + "\n\n-- \n" + t("mail.footer", "th") + "\n" + t("mail.footer", "en") + "\n")
    return subject, body


def enqueue(session: Session, settings: Settings, *, to: Iterable[str | None], key: str, dedupe: str,
            **params: object) -> bool:
    """Queue one e-mail in the caller's transaction (sent by a job, retried while the server is down).

    Returns False when e-mail is off (no smtp_host) or nobody has an address.
    """
    recipients = addresses(to)
    if not settings.smtp_host or not recipients:
        return False
    subject, body = compose(key, **params)
    queue.enqueue(session, EMAIL_JOB, {"to": recipients, "subject": subject, "body": body},
                  dedupe_key=job_key(dedupe), max_attempts=8, priority=50)
    return True


def job_key(dedupe: str) -> str:
    """The queue's dedupe key of the mail queued with `dedupe` (how a page finds how that mail went)."""
    return f"email:{dedupe}"[:200]


def verdict_mail_dedupe(requester_id: int, verdict_id: int, version: int) -> str:
    """One mail per requester and verdict version: the publication job's key, which the case page reads back."""
    return f"pub-verdict:{requester_id}:{verdict_id}:v{version}"


def send(settings: Settings, *, to: list[str], subject: str, body: str) -> str:
    """Deliver one message now; returns its Message-ID. Connection problems raise (the job retries)."""
    if not settings.smtp_host:
        log.info("e-mail is off (no smtp_host); not sending %r", subject)
        return ""
    msg = EmailMessage()
    msg["From"] = settings.smtp_from
    msg["To"] = ", ".join(to)
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=settings.smtp_from.rpartition("@")[2] or "khaojing.local")
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(body, charset="utf-8")
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password or "")
            smtp.send_message(msg)
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentMailError(f"every recipient was refused: {sorted(exc.recipients)}") from exc
    except smtplib.SMTPResponseException as exc:
        if 500 <= exc.smtp_code < 600:
            raise PermanentMailError(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}") from exc
        raise
    return str(msg["Message-ID"])
