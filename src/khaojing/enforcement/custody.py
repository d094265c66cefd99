"""The signed evidence record and its chain of custody: append entries, and verify every record, file and link.

Kept apart from audit/ on purpose: these entries are signed with the center's Ed25519 key and leave the building in
evidence packages, where verify_package.py re-checks them with the same rules (canonical JSON, SHA-256 links).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from khaojing.db.base import utcnow
from khaojing.enforcement.models import CustodyEvent, Evidence, EvidenceFile
from khaojing.enforcement.signing import EvidenceKey, canonical, keyring, load_key, sha256_hex, verify_with
from khaojing.intake.media import media_path
from khaojing.settings import Settings

ACTIONS = ("capture", "view", "export", "attach", "handover", "dispose")


def evidence_dir(settings: Settings) -> Path:
    return settings.data_dir / "evidence"


def stamp(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def statement_of(ev: Evidence, files: list[EvidenceFile]) -> dict[str, Any]:
    """What the center signs about an item: where and how it was captured, by whom, and every file's hash."""
    return {"evidence_id": ev.id, "method": ev.method, "source_url": ev.source_url, "final_url": ev.final_url,
            "http_status": ev.http_status, "title": ev.title, "sha256": ev.sha256, "content_type": ev.content_type,
            "size_bytes": ev.size_bytes, "captured_at": stamp(ev.captured_at), "captured_by": ev.captured_by,
            "tool_version": ev.tool_version, "report_id": ev.report_id, "details": ev.details, "key_id": ev.key_id,
            "files": [{"role": f.role, "name": f.name, "sha256": f.sha256, "size_bytes": f.size_bytes,
                       "content_type": f.content_type} for f in files]}


def seal(ev: Evidence, files: list[EvidenceFile], key: EvidenceKey) -> None:
    """Set the record's hash and signature (after the row has its id)."""
    body = canonical(statement_of(ev, files))
    ev.record_hash = sha256_hex(body)
    ev.signature = key.sign(body)


def entry_body(*, prev: str, evidence_id: int, at: str, actor: str, action: str, data: dict) -> bytes:
    return canonical({"prev": prev, "evidence_id": evidence_id, "at": at, "actor": actor, "action": action,
                      "data": data})


def _lock(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":  # SQLite write units already hold the database lock
        session.execute(text("SELECT pg_advisory_xact_lock(7426008)"))


def append(session: Session, *, key: EvidenceKey, evidence: Evidence, actor: str, action: str,
           data: dict[str, Any] | None = None, now: dt.datetime | None = None) -> CustodyEvent:
    """Add one signed entry to an item's chain, linked to the previous one (or to the record itself); the time it
    stores (`now`, default the clock) is the time it signs."""
    if action not in ACTIONS:
        raise ValueError(f"unknown custody action {action!r}")
    _lock(session)
    prev = session.scalar(select(CustodyEvent.hash).where(CustodyEvent.evidence_id == evidence.id)
                          .order_by(CustodyEvent.id.desc()).limit(1)) or evidence.record_hash
    at = now or utcnow()
    payload = json.loads(canonical(data or {}))  # exactly what is hashed is what is stored
    digest = sha256_hex(entry_body(prev=prev, evidence_id=evidence.id, at=stamp(at), actor=actor, action=action,
                                   data=payload))
    event = CustodyEvent(evidence_id=evidence.id, at=at, actor=actor[:120], action=action, data=payload,
                         prev_hash=prev, hash=digest, signature=key.sign(digest.encode("ascii")))
    session.add(event)
    session.flush()
    return event


def log_of(session: Session, evidence_id: int) -> list[CustodyEvent]:
    """One item's custody log, oldest first."""
    return list(session.scalars(select(CustodyEvent).where(CustodyEvent.evidence_id == evidence_id)
                                .order_by(CustodyEvent.id)))


def export_row(event: CustodyEvent) -> dict[str, Any]:
    """One entry as it goes into an evidence package (custody.jsonl)."""
    return {"id": event.id, "evidence_id": event.evidence_id, "at": stamp(event.at), "actor": event.actor,
            "action": event.action, "data": event.data or {}, "prev_hash": event.prev_hash, "hash": event.hash,
            "signature": event.signature}


@dataclass
class VaultCheck:
    items: int = 0
    files: int = 0
    entries: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _file_sha(path: Path) -> str | None:
    if not path.is_file():
        return None
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _signed_by_any(keys: dict[str, str], first: str, message: bytes, signature: str) -> bool:
    """Custody entries do not name their key: the record's key is tried first, then every other key of the center."""
    order = [first] if first in keys else []
    return any(verify_with(keys[k], message, signature) for k in order + [k for k in keys if k != first])


def check_item(session: Session, ev: Evidence, *, settings: Settings, keys: dict[str, str],
               result: VaultCheck) -> None:
    """One item: `keys` is the center's keyring (signing.keyring: the current key and the retired ones)."""
    files = list(session.scalars(select(EvidenceFile).where(EvidenceFile.evidence_id == ev.id)
                                 .order_by(EvidenceFile.id)))
    result.items += 1
    body = canonical(statement_of(ev, files))
    if sha256_hex(body) != ev.record_hash:
        result.problems.append(f"evidence {ev.id}: record changed after it was signed (hash differs)")
    elif ev.key_id not in keys:
        result.problems.append(f"evidence {ev.id}: signed by a key this center does not know ({ev.key_id[:16]}…; "
                               "a retired key's public half belongs in the key folder's retired/), not checked")
    elif not verify_with(keys[ev.key_id], body, ev.signature):
        result.problems.append(f"evidence {ev.id}: signature does not verify")
    if ev.disposed_at is None:
        root = evidence_dir(settings)
        for f in files:
            result.files += 1
            actual = _file_sha(media_path(root, f.storage_path))
            if actual is None:
                result.problems.append(f"evidence {ev.id}: file {f.name} ({f.storage_path}) is missing")
            elif actual != f.sha256:
                result.problems.append(f"evidence {ev.id}: file {f.name} ({f.storage_path}) changed "
                                       f"(SHA-256 {actual[:16]}…, signed {f.sha256[:16]}…)")
    expected = ev.record_hash
    for e in session.scalars(select(CustodyEvent).where(CustodyEvent.evidence_id == ev.id).order_by(CustodyEvent.id)):
        result.entries += 1
        if e.prev_hash != expected:
            result.problems.append(f"custody entry {e.id} (evidence {ev.id}): link broken "
                                   "(an entry before it was removed, added or reordered)")
        digest = sha256_hex(entry_body(prev=e.prev_hash, evidence_id=e.evidence_id, at=stamp(e.at), actor=e.actor,
                                       action=e.action, data=e.data or {}))
        if digest != e.hash:
            result.problems.append(f"custody entry {e.id} (evidence {ev.id}): content changed after it was written")
        elif not _signed_by_any(keys, ev.key_id, e.hash.encode("ascii"), e.signature):
            result.problems.append(f"custody entry {e.id} (evidence {ev.id}): signature does not verify")
        expected = e.hash
    if expected == ev.record_hash:
        result.problems.append(f"evidence {ev.id}: the custody log has no entries (the capture entry was removed)")


def verify_vault(session: Session, *, settings: Settings, evidence_ids: list[int] | None = None) -> VaultCheck:
    """Every record's hash and signature, every stored file's SHA-256, every custody link, hash and signature, with
    every key the center has signed with."""
    keys = keyring(settings)
    result = VaultCheck()
    stmt = select(Evidence.id).order_by(Evidence.id)
    if evidence_ids is not None:
        stmt = stmt.where(Evidence.id.in_(evidence_ids))
    for evidence_id in session.scalars(stmt).all():
        ev = session.get(Evidence, evidence_id)
        assert ev is not None
        check_item(session, ev, settings=settings, keys=keys, result=result)
    return result


@dataclass
class KeyUse:
    key_id: str
    public_pem: str
    items: int = 0
    first: dt.datetime | None = None
    last: dt.datetime | None = None


def earlier_keys(session: Session, settings: Settings) -> list[KeyUse]:
    """The retired keys, newest use first, with how many evidence records each signed and when."""
    current = load_key(settings).key_id
    used = {k: (n, first, last) for k, n, first, last in session.execute(
        select(Evidence.key_id, func.count(), func.min(Evidence.captured_at), func.max(Evidence.captured_at))
        .group_by(Evidence.key_id))}
    keys = [KeyUse(k, pem, *used.get(k, (0, None, None))) for k, pem in keyring(settings).items() if k != current]
    return sorted(keys, key=lambda u: u.last.timestamp() if u.last else 0.0, reverse=True)  # unused keys last
