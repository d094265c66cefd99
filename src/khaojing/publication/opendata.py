"""Open data: the published verdicts and their claims as CSV (UTF-8 with BOM) and JSONL, a data dictionary, a licence.

Anonymised by construction: the rows are built only from what the public verdict pages show (no requester, no
contact, no author or approver, no case notes, no internal labels). The verdict file carries the nine fields of the
AFNC's own open-data export (Thai column names, as the center publishes them) and khaojing's own columns after them.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from khaojing.accounts.models import Agency
from khaojing.db.base import utcnow
from khaojing.publication import claimreview, service
from khaojing.settings import Settings

AFNC_FIELDS = ["วันและเวลาที่เผยแพร่", "ลิงค์ข่าว", "หัวข้อข่าว", "เนื้อหาข่าว", "หน่วยงานที่ตรวจสอบ", "ประเภทข่าว",
               "หมวดหมู่ของข่าว", "จำนวนเข้าชม", "Hashtag"]
VERDICT_FIELDS = [*AFNC_FIELDS, "claim_id", "label", "label_en", "version", "published_at", "topic", "claim_text",
                  "agency_en", "sources", "url"]
CLAIM_FIELDS = ["claim_id", "title", "topic", "first_seen_at", "last_seen_at", "reports", "verdict_label",
                "verdict_url"]
MANIFEST = "manifest.json"
BATCH = 2000


@dataclass
class DataFile:
    name: str
    rows: int
    bytes: int
    sha256: str


def _thai_datetime(value: dt.datetime, tz: str) -> str:
    """As the AFNC export writes it: DD/MM/YYYY (Buddhist era) HH:MM:SS, local time."""
    local = value.astimezone(ZoneInfo(tz))
    return f"{local.day:02d}/{local.month:02d}/{local.year + 543} {local:%H:%M:%S}"


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if value else None


def rows(session: Session, *, settings: Settings) -> Iterator[tuple[dict, dict]]:
    """(verdict row, claim row) for every published public verdict, oldest first, in batches."""
    topics = {t.key: t for t in settings.topics}
    agencies = {a.id: a for a in session.scalars(select(Agency))}
    query = service._published(settings).order_by(service.Verdict.published_at, service.Verdict.id)  # noqa: SLF001
    for verdict, claim in session.execute(query.execution_options(yield_per=BATCH)):
        view = service._view(verdict, claim, settings, agencies.get(verdict.agency_id))  # noqa: SLF001
        topic = topics.get(view.topic or "")
        url = claimreview.verdict_url(settings, view.claim_id)
        sources = [s.url or s.text for s in view.sources]
        tags = [x for x in (topic.th if topic else None, view.label_th, settings.center_name_th) if x]
        yield ({"วันและเวลาที่เผยแพร่": _thai_datetime(view.published_at, settings.timezone), "ลิงค์ข่าว": url,
                "หัวข้อข่าว": view.headline, "เนื้อหาข่าว": view.explanation, "หน่วยงานที่ตรวจสอบ": view.agency_th or "",
                "ประเภทข่าว": view.label_th, "หมวดหมู่ของข่าว": topic.th if topic else "", "จำนวนเข้าชม": None,
                "Hashtag": ", ".join(tags), "claim_id": view.claim_id, "label": view.label, "label_en": view.label_en,
                "version": view.version, "published_at": _iso(view.published_at), "topic": view.topic,
                "claim_text": view.claim_text, "agency_en": view.agency_en, "sources": sources, "url": url},
               {"claim_id": claim.id, "title": view.claim_text, "topic": claim.topic,
                "first_seen_at": _iso(claim.first_seen_at), "last_seen_at": _iso(claim.last_seen_at),
                "reports": claim.report_count, "verdict_label": view.label, "verdict_url": url})


class _Writer:
    """One CSV and one JSONL file, written to NAME.part and renamed when complete."""

    def __init__(self, out: Path, stem: str, fields: list[str]):
        self.paths = [out / f"{stem}.csv", out / f"{stem}.jsonl"]
        self.csv_fh = self.paths[0].with_name(self.paths[0].name + ".part").open("w", encoding="utf-8-sig",
                                                                                 newline="")
        self.jsonl_fh = self.paths[1].with_name(self.paths[1].name + ".part").open("w", encoding="utf-8")
        self.csv = csv.DictWriter(self.csv_fh, fieldnames=fields)
        self.csv.writeheader()
        self.rows = 0

    def write(self, row: dict) -> None:
        flat = {k: " | ".join(v) if isinstance(v, list) else ("" if v is None else v) for k, v in row.items()}
        self.csv.writerow(flat)
        self.jsonl_fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        self.rows += 1

    def close(self, ok: bool) -> None:
        for fh, path in ((self.csv_fh, self.paths[0]), (self.jsonl_fh, self.paths[1])):
            fh.close()
            part = path.with_name(path.name + ".part")
            if ok:
                os.replace(part, path)
            else:
                part.unlink(missing_ok=True)


def _describe(path: Path, rows: int) -> DataFile:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return DataFile(name=path.name, rows=rows, bytes=path.stat().st_size, sha256=digest.hexdigest())


def export(session: Session, *, settings: Settings, out: Path) -> list[DataFile]:
    """Write the open-data files into `out` (created if needed) and a manifest.json describing them."""
    from khaojing.publication import opendata_docs

    out.mkdir(parents=True, exist_ok=True)
    verdicts, claims = _Writer(out, "khaojing-verdicts", VERDICT_FIELDS), _Writer(out, "khaojing-claims",
                                                                                  CLAIM_FIELDS)
    ok = False
    try:
        for verdict_row, claim_row in rows(session, settings=settings):
            verdicts.write(verdict_row)
            claims.write(claim_row)
        ok = True
    finally:
        verdicts.close(ok)
        claims.close(ok)
    files = [_describe(p, w.rows) for w in (verdicts, claims) for p in w.paths]
    for name, text in opendata_docs.documents(settings).items():
        (out / name).write_text(text, encoding="utf-8")
        files.append(_describe(out / name, 0))
    manifest = {"generated_at": _iso(utcnow()), "licence": settings.open_data_licence,
                "files": [vars(f) for f in files]}
    part = out / (MANIFEST + ".part")
    part.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(part, out / MANIFEST)
    return files


def open_data_dir(settings: Settings) -> Path:
    return settings.data_dir / "open-data"


def manifest(settings: Settings) -> dict | None:
    """The latest daily files (what /open-data lists), or None before the first run."""
    try:
        return json.loads((open_data_dir(settings) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
