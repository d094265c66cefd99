"""Re-check a takedown's URL: still up? Compared with the captured evidence (status code, content hash, text
similarity); the result is logged, and a page that is gone (or back) moves the takedown where the table allows."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from khaojing.db.base import utcnow
from khaojing.enforcement import capture, custody, states, takedowns
from khaojing.enforcement.models import EvidenceFile, Takedown, TakedownEvent
from khaojing.errors import DomainError
from khaojing.intake.media import media_path
from khaojing.settings import Settings

GONE_STATUS = frozenset({404, 410, 451})
SIMILAR = 0.6  # text similarity (character 4-grams) above which the page still shows the captured content


def grams(text: str, n: int = 4) -> set[str]:
    flat = "".join(text.split())
    return {flat[i:i + n] for i in range(max(0, len(flat) - n + 1))}


def similarity(a: str, b: str) -> float:
    ga, gb = grams(a[:20000]), grams(b[:20000])
    if not ga and not gb:
        return 1.0
    return len(ga & gb) / len(ga | gb)


def _captured(session: Session, settings: Settings, td: Takedown) -> tuple[str | None, str | None]:
    """(raw SHA-256, extracted text) of the evidence the takedown refers to, if any."""
    if td.evidence_id is None:
        return None, None
    files = {f.role: f for f in session.scalars(select(EvidenceFile).where(EvidenceFile.evidence_id == td.evidence_id))}
    raw, text = files.get("raw") or files.get("upload"), files.get("text")
    body = None
    if text is not None:
        path = media_path(custody.evidence_dir(settings), text.storage_path)
        body = path.read_text("utf-8", "replace") if path.is_file() else None
    return (raw.sha256 if raw else None), body


def classify(*, status_code: int | None, sha256: str | None, text: str, captured_sha: str | None,
             captured_text: str | None) -> tuple[str, float | None]:
    """up | changed | gone | unreachable, and the text similarity with the capture (when there is one)."""
    if status_code is None:
        return "unreachable", None
    if status_code in GONE_STATUS:
        return "gone", None
    if status_code >= 300:
        return "unreachable", None
    if captured_sha is not None and sha256 == captured_sha:
        return "up", 1.0
    if captured_text is None:
        return "up", None
    score = similarity(text, captured_text)
    return ("up" if score >= SIMILAR else "changed"), round(score, 3)


def recheck(session: Session, *, settings: Settings, takedown_id: int, now: dt.datetime | None = None) -> str:
    """Fetch the URL once, log the result as a "check" event; gone -> removed, back up after removal -> restored."""
    td = takedowns.get(session, takedown_id)
    now = now or utcnow()
    error, status_code, sha, text = None, None, None, ""
    try:
        fetched = capture.fetch(td.url, settings=settings, screenshot=False)
        status_code, sha, text = fetched.status_code, hashlib.sha256(fetched.body).hexdigest(), fetched.text
    except DomainError as exc:
        error = exc.detail[:300]
    captured_sha, captured_text = _captured(session, settings, td)
    result, score = classify(status_code=status_code, sha256=sha, text=text, captured_sha=captured_sha,
                             captured_text=captured_text)
    data = {"result": result, "status_code": status_code, "sha256": sha, "similarity": score,
            "same_as_capture": bool(captured_sha and sha == captured_sha), "error": error}
    session.add(TakedownEvent(takedown_id=td.id, actor=states.SYSTEM, kind="check", at=now, data=data))
    td.last_check, td.last_checked_at = result, now
    td.next_check_at = now + dt.timedelta(hours=settings.enforcement_recheck_hours)
    target = None
    if result == "gone" and states.find(td.status, states.REMOVED):
        target = states.REMOVED
    elif result == "up" and td.status == states.REMOVED:
        target = states.RESTORED
    if target and states.find(td.status, target).by_check:
        takedowns.transition(session, settings=settings, takedown_id=td.id, to_status=target, actor=None, now=now,
                             note=f"re-check: the page is {result}", check=data)
    return result


def due(session: Session, *, now: dt.datetime | None = None, limit: int = 200) -> list[int]:
    """Takedowns whose URL should be looked at again now."""
    now = now or utcnow()
    return list(session.scalars(select(Takedown.id).where(
        Takedown.status.in_(states.CHECKED), or_(Takedown.next_check_at.is_(None), Takedown.next_check_at <= now))
        .order_by(Takedown.next_check_at).limit(limit)))
