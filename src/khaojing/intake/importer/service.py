"""The import service: plan a file (hash, layout, row count, ImportRun), then import it in committed batches.

Every row goes through intake.service.accept_report (triage job and audit event included). An ImportRun per
file SHA-256 keeps a checkpoint that is committed with each batch, so an interrupted import continues where it
stopped and a finished file adds nothing when imported again. Malformed rows are counted and reported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from khaojing.audit import service as audit
from khaojing.db.base import utcnow
from khaojing.db.session import Database
from khaojing.errors import Conflict, DomainError, NotFound
from khaojing.intake.importer.files import Record, columns, detect_format, read_records, resolve_layout
from khaojing.intake.importer.rows import RowError, to_submission
from khaojing.intake.models import ImportRun, Source
from khaojing.intake.service import accept_report, get_or_create_source
from khaojing.settings import Settings

REPORTED_INVALID = 20


@dataclass
class ImportPlan:
    path: Path
    file_sha256: str
    fmt: str
    layout: str
    rows_total: int
    run_id: int
    rows_done: int
    finished: bool
    started_at: dt.datetime | None = None


@dataclass
class ImportResult:
    plan: ImportPlan
    created: int = 0
    skipped: int = 0
    invalid: int = 0
    invalid_lines: list[tuple[int, str]] = field(default_factory=list)
    seconds: float = 0.0
    totals: dict[str, int] = field(default_factory=dict)  # the whole file, over every run

    @property
    def processed(self) -> int:
        return self.created + self.skipped + self.invalid


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _plan_from_run(path: Path, fmt: str, run: ImportRun) -> ImportPlan:
    return ImportPlan(path=path, file_sha256=run.file_sha256, fmt=fmt, layout=run.layout,
                      rows_total=run.rows_total, run_id=run.id, rows_done=run.rows_done,
                      finished=run.status == "done", started_at=run.started_at)


def prepare_import(db: Database, path: Path, *, layout: str = "auto",
                   actor: str = audit.SYSTEM) -> ImportPlan:
    """Hash the file, find its ImportRun (to resume) or count its rows and start one."""
    if not path.is_file():
        raise NotFound(f"{path}: no such file")
    digest, fmt = file_sha256(path), detect_format(path)
    with db.unit_of_work(readonly=True) as session:
        run = session.scalar(select(ImportRun).where(ImportRun.file_sha256 == digest))
        if run is not None:
            if layout not in ("auto", run.layout):
                raise Conflict(f"{path.name} was started with layout {run.layout}; "
                               "import it with that layout")
            return _plan_from_run(path, fmt, run)
    chosen = resolve_layout(layout, columns(path, fmt), path.name)
    total = sum(1 for _ in read_records(path, fmt))
    with db.unit_of_work() as session:
        run = ImportRun(file_sha256=digest, filename=str(path)[-500:], layout=chosen, rows_total=total)
        session.add(run)
        session.flush()
        audit.record(session, actor=actor, action="import.started", object_type="import_run",
                     object_id=run.id, data={"file": path.name, "sha256": digest, "layout": chosen,
                                             "rows": total})
        return _plan_from_run(path, fmt, run)


@dataclass
class _Batch:
    created: int = 0
    skipped: int = 0
    invalid: list[tuple[int, str]] = field(default_factory=list)


def _import_record(session: Session, settings: Settings, source: Source, plan: ImportPlan, record: Record,
                   batch: _Batch, tz: dt.tzinfo, now: dt.datetime) -> None:
    if record.data is None:
        batch.invalid.append((record.line, record.error or "unreadable row"))
        return
    try:
        sub = to_submission(record.data, plan.layout, tz, now)
        sub.meta.update(import_run=plan.run_id, import_line=record.line)
        accepted = accept_report(session, settings=settings, source=source, sub=sub,
                                 actor=audit.source_actor(source.id))
    except RowError as exc:
        batch.invalid.append((record.line, str(exc)))
        return
    except DomainError as exc:  # too large, too many links … (checked before anything is written)
        batch.invalid.append((record.line, exc.detail))
        return
    if accepted.created:
        batch.created += 1
    else:
        batch.skipped += 1


def _checkpoint(session: Session, plan: ImportPlan, start: int, records: list[Record], batch: _Batch,
                last: bool, actor: str, result: ImportResult) -> ImportRun:
    run = session.get(ImportRun, plan.run_id, with_for_update=True)
    if run is None or run.rows_done != start:
        raise Conflict(f"another import of {plan.path.name} is running (checkpoint moved); try again later")
    run.rows_done += len(records)
    run.rows_created += batch.created
    run.rows_skipped += batch.skipped
    run.rows_invalid += len(batch.invalid)
    if last:
        run.status, run.finished_at = "done", utcnow()
        lines = (result.invalid_lines + batch.invalid)[:REPORTED_INVALID]
        audit.record(session, actor=actor, action="import.finished", object_type="import_run",
                     object_id=run.id, data={"file": plan.path.name, "created": run.rows_created,
                                             "skipped": run.rows_skipped, "invalid": run.rows_invalid,
                                             "invalid_lines": [list(x) for x in lines]})
    return run


def _commit_batch(db: Database, plan: ImportPlan, start: int, records: list[Record], last: bool,
                  result: ImportResult, on_progress: Callable[[int], None] | None, actor: str) -> None:
    batch, now, tz = _Batch(), utcnow(), ZoneInfo(db.settings.timezone)
    with db.unit_of_work() as session:
        source = get_or_create_source(session, kind="import", name="import")
        for record in records:
            _import_record(session, db.settings, source, plan, record, batch, tz, now)
            if on_progress:
                on_progress(1)
        run = _checkpoint(session, plan, start, records, batch, last, actor, result)
        totals = {"rows": run.rows_total, "done": run.rows_done, "created": run.rows_created,
                  "skipped": run.rows_skipped, "invalid": run.rows_invalid}
    # committed: only now do these rows count
    result.created += batch.created
    result.skipped += batch.skipped
    result.invalid += len(batch.invalid)
    result.invalid_lines.extend(batch.invalid[:REPORTED_INVALID - len(result.invalid_lines)])
    result.totals = totals
    plan.rows_done, plan.finished = start + len(records), last


def run_import(db: Database, plan: ImportPlan, *, batch: int = 500, actor: str = audit.SYSTEM,
               on_progress: Callable[[int], None] | None = None) -> ImportResult:
    """Import the rows after the checkpoint, committing every `batch` rows together with the checkpoint."""
    result = ImportResult(plan=plan)
    if plan.finished:
        return result
    began, batch = time.perf_counter(), max(1, batch)
    pending: list[Record] = []
    start = plan.rows_done
    for index, record in enumerate(read_records(plan.path, plan.fmt)):
        if index < plan.rows_done:
            continue
        pending.append(record)
        if len(pending) >= batch:
            _commit_batch(db, plan, start, pending, False, result, on_progress, actor)
            start, pending = plan.rows_done, []
    _commit_batch(db, plan, start, pending, True, result, on_progress, actor)
    result.seconds = time.perf_counter() - began
    return result


def import_file(db: Database, path: Path, *, layout: str = "auto", batch: int = 500,
                actor: str = audit.SYSTEM, on_progress: Callable[[int], None] | None = None) -> ImportResult:
    """prepare_import + run_import, for callers that need no progress bar sized up front."""
    plan = prepare_import(db, path, layout=layout, actor=actor)
    return run_import(db, plan, batch=batch, actor=actor, on_progress=on_progress)


def checkpoint(db: Database, plan: ImportPlan) -> int:
    """Rows committed so far for this file (after an interruption)."""
    with db.unit_of_work(readonly=True) as session:
        run = session.get(ImportRun, plan.run_id)
        return run.rows_done if run else 0
