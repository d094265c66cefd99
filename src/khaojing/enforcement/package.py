"""Export a case's evidence package: a ZIP with the files, manifest.json (hashes, signatures, public key), the
custody log, a PDF summary for the police or a section-20 petition, and the standalone verifier."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from khaojing.accounts.models import Agency
from khaojing.audit import service as audit
from khaojing.cases.models import AgencyRequest, Case
from khaojing.claims.models import Verdict
from khaojing.db.base import utcnow
from khaojing.enforcement import custody
from khaojing.enforcement.models import Evidence, EvidenceFile
from khaojing.enforcement.pdf import Summary, SummaryItem, render_pdf
from khaojing.enforcement.service import actor_names
from khaojing.enforcement.signing import keyring, load_key, sha256_hex
from khaojing.errors import Invalid, NotFound
from khaojing.intake.media import media_path
from khaojing.settings import Settings
from khaojing.thai.dates import format_datetime

VERIFIER = Path(__file__).with_name("verify_package.py")
FORMAT = "khaojing-evidence-package/1"
KEY_PATH = "/.well-known/khaojing-evidence-key.pem"
README = """khaojing evidence package / ชุดพยานหลักฐาน
=========================================
th: แตกไฟล์นี้ แล้วรัน  python3 verify_package.py  ในโฟลเดอร์ที่แตกไว้ (ใช้ไลบรารีมาตรฐานของ Python เท่านั้น)
    โปรแกรมตรวจค่า SHA-256 ของทุกไฟล์ รายการใน manifest.json และห่วงโซ่การครอบครองใน custody.jsonl
    ลายมือชื่อดิจิทัล Ed25519 จะตรวจเมื่อเครื่องมีแพ็กเกจ cryptography (pip install cryptography)
en: Unzip, then run  python3 verify_package.py  in the unzipped folder (Python standard library only).
    It checks every file's SHA-256, the entries of manifest.json and the chain of custody in custody.jsonl;
    Ed25519 signatures are checked when the `cryptography` package is installed (pip install cryptography).
Public key: public-key.pem (also published by the center at {key_url}).
"""


def _files(session: Session, evidence_id: int) -> list[EvidenceFile]:
    return list(session.scalars(select(EvidenceFile).where(EvidenceFile.evidence_id == evidence_id)
                                .order_by(EvidenceFile.id)))


def _verdict(session: Session, case: Case, settings: Settings) -> dict | None:
    verdict = session.scalar(select(Verdict).where(Verdict.claim_id == case.claim_id))
    if verdict is None:
        return None
    label = next((f"{d.th} / {d.en}" for d in settings.verdict_labels if d.key == verdict.label), verdict.label)
    status = "" if verdict.published_at else " (ร่าง / draft)"
    return {"label": label + status, "headline": verdict.headline, "explanation": verdict.explanation}


def _statements(session: Session, case: Case, tz: str) -> list[dict]:
    rows = session.execute(select(AgencyRequest, Agency).join(Agency, Agency.id == AgencyRequest.agency_id)
                           .where(AgencyRequest.case_id == case.id, AgencyRequest.status == "answered")
                           .order_by(AgencyRequest.answered_at)).all()
    return [{"agency": a.name_th + (f" / {a.name_en}" if a.name_en else ""),
             "at": format_datetime(r.answered_at, "th", tz) if r.answered_at else "", "text": r.answer or ""}
            for r, a in rows]


def _text_of(settings: Settings, files: list[EvidenceFile]) -> str:
    text_file = next((f for f in files if f.role == "text"), None)
    if text_file is None:
        return ""
    return media_path(custody.evidence_dir(settings), text_file.storage_path).read_text("utf-8", "replace")


def _summary_item(settings: Settings, ev: Evidence, files: list[EvidenceFile], log: list,
                  names: dict[str, str]) -> SummaryItem:
    tz = settings.timezone
    text = " ".join(_text_of(settings, files).split())
    shot = next((f for f in files if f.role == "screenshot"), None)
    if shot is None and ev.content_type.startswith("image/"):
        shot = files[0]
    return SummaryItem(
        id=ev.id, method=ev.method, url=ev.source_url, final_url=ev.final_url, http_status=ev.http_status,
        captured_at=format_datetime(ev.captured_at, "th", tz) + f" ({custody.stamp(ev.captured_at)})",
        captured_by=names.get(ev.captured_by, ev.captured_by), tool=ev.tool_version, sha256=ev.sha256, title=ev.title,
        excerpt=(text[:700] + "…") if len(text) > 700 else text or (ev.details or {}).get("screenshot_note", ""),
        files=[f"evidence/{ev.id}/{f.name} · {f.sha256}" for f in files],
        custody=[f"{format_datetime(e.at, 'th', tz)} · {e.action} · {names.get(e.actor, e.actor)}"
                 + (f" → {e.data['to']}" if e.data.get("to") else "") for e in log],
        screenshot=media_path(custody.evidence_dir(settings), shot.storage_path).as_uri() if shot else None)


def export_case(session: Session, *, settings: Settings, case_id: int, actor: str, actor_name: str) -> bytes:
    """The ZIP for one case. Each item gets an "export" custody entry first, so the package holds its own export."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"case {case_id} does not exist", key="enf.err.no_case", params={"case": case_id})
    items = list(session.scalars(select(Evidence).where(Evidence.case_id == case_id, Evidence.disposed_at.is_(None))
                                 .order_by(Evidence.id)))
    if not items:
        raise Invalid(f"case {case_id} has no evidence to export", key="enf.err.nothing_to_export",
                      params={"case": case_id})
    key = load_key(settings)
    made = utcnow()
    unknown = sorted(k[:16] for k in {ev.key_id for ev in items} - set(keyring(settings)))
    if unknown:
        raise Invalid(f"evidence of case {case_id} was signed by keys this center no longer has: {', '.join(unknown)}",
                      key="enf.err.unknown_key", params={"keys": ", ".join(unknown)})
    for ev in items:
        custody.append(session, key=key, evidence=ev, actor=actor, action="export", data={"case_id": case_id})
    key_url = settings.base_url.rstrip("/") + KEY_PATH
    keys = _keys_of(settings, items)
    buf = io.BytesIO()
    entries, manifest_items, heads, summary_items = [], [], {}, []
    names = actor_names(session)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for ev in items:
            files = _files(session, ev.id)
            log = custody.log_of(session, ev.id)
            for f in files:
                zf.write(media_path(custody.evidence_dir(settings), f.storage_path), f"evidence/{ev.id}/{f.name}")
            manifest_items.append({"statement": custody.statement_of(ev, files), "record_hash": ev.record_hash,
                                   "signature": ev.signature, "key_id": ev.key_id, "dir": f"evidence/{ev.id}"})
            entries += [custody.export_row(e) for e in log]
            heads[str(ev.id)] = log[-1].hash
            summary_items.append(_summary_item(settings, ev, files, log, names))
        pdf = render_pdf(Summary(
            center=settings.center_name_th + " / " + settings.center_name_en, case_id=case.id,
            claim=case.claim.title, made_at=format_datetime(made, "th", settings.timezone), made_by=actor_name,
            verdict=_verdict(session, case, settings), statements=_statements(session, case, settings.timezone),
            items=summary_items, key_id=key.key_id, key_url=key_url,
            earlier_key_ids=[k for k in keys if k != key.key_id]))
        zf.writestr("summary.pdf", pdf)
        zf.writestr("custody.jsonl", "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries))
        manifest = {"format": FORMAT, "center": settings.center_name_en, "case_id": case.id,
                    "claim": case.claim.title, "created_at": custody.stamp(made), "created_by": actor,
                    "public_key": key.public_pem, "key_id": key.key_id, "key_url": key_url,
                    "keys": keys,
                    "items": manifest_items, "custody_log": "custody.jsonl", "custody_heads": heads,
                    "summary": {"path": "summary.pdf", "sha256": sha256_hex(pdf)}}
        manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
        zf.writestr("manifest.json", manifest_bytes)
        zf.writestr("manifest.json.sig", key.sign(manifest_bytes) + "\n")
        zf.writestr("public-key.pem", key.public_pem)
        zf.writestr("verify_package.py", VERIFIER.read_bytes())
        zf.writestr("README.txt", README.format(key_url=key_url))
    audit.record(session, actor=actor, action="evidence.exported", object_type="case", object_id=case.id,
                 data={"items": [ev.id for ev in items], "bytes": buf.tell()})
    return buf.getvalue()


def _keys_of(settings: Settings, items: list[Evidence]) -> dict[str, str]:
    """key ID -> public PEM of the current key (it signs the manifest and the export entries) and of every earlier
    key that signed an item of the package."""
    keys, current = keyring(settings), load_key(settings).key_id
    return {k: keys[k] for k in [current, *sorted({ev.key_id for ev in items} - {current})]}
