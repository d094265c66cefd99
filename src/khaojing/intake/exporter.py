"""Export reports as JSONL or CSV (UTF-8 with BOM for Excel), streamed in keyset pages, without personal data.

Only the fields below leave the system: no requester hashes, no contact data, no meta. In CSV, a cell that
Excel would run as a formula (=, +, -, @ first) is prefixed with an apostrophe; JSONL is exact.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from khaojing.db.session import Database
from khaojing.errors import Invalid
from khaojing.intake.models import Report

FIELDS = ("id", "tracking_code", "channel", "received_at", "text", "urls", "language", "status", "claim_id",
          "external_id")
FORMATS = ("jsonl", "csv")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def iter_reports(session: Session, *, since: dt.datetime | None = None, until: dt.datetime | None = None,
                 page_size: int = 1000) -> Iterator[dict[str, Any]]:
    """Reports received in [since, until), in id order, one keyset page at a time."""
    columns = [getattr(Report, name) for name in FIELDS]
    last_id = 0
    while True:
        stmt = select(*columns).where(Report.id > last_id)
        if since is not None:
            stmt = stmt.where(Report.received_at >= since)
        if until is not None:
            stmt = stmt.where(Report.received_at < until)
        rows = session.execute(stmt.order_by(Report.id).limit(page_size)).all()
        for row in rows:
            item = dict(zip(FIELDS, row, strict=True))
            item["received_at"] = item["received_at"].isoformat()
            item["urls"] = list(item["urls"] or [])
            yield item
        if len(rows) < page_size:
            return
        last_id = rows[-1].id


def write_jsonl(items: Iterable[dict[str, Any]], out: TextIO) -> int:
    n = 0
    for item in items:
        out.write(json.dumps(item, ensure_ascii=False) + "\n")
        n += 1
    return n


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_csv(items: Iterable[dict[str, Any]], out: TextIO, *, bom: bool = True) -> int:
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(FIELDS)
    n = 0
    for item in items:
        writer.writerow([_cell(item[name]) for name in FIELDS])
        n += 1
    return n


def export_reports(db: Database, out: TextIO, *, fmt: str = "jsonl", since: dt.datetime | None = None,
                   until: dt.datetime | None = None) -> int:
    """Write the reports to `out` in one read-only transaction; returns how many were written."""
    if fmt not in FORMATS:
        raise Invalid(f"unknown export format {fmt!r}; use jsonl or csv")
    with db.unit_of_work(readonly=True) as session:
        items = iter_reports(session, since=since, until=until)
        return write_jsonl(items, out) if fmt == "jsonl" else write_csv(items, out)


def parse_bound(raw: str | None, tz: dt.tzinfo, *, end: bool = False) -> dt.datetime | None:
    """'2026-11-26' (or Buddhist-era '2569-11-26') is that local day, an end bound including all of it.

    A full ISO 8601 time is taken as it is (the center's time zone when it has none).
    """
    if not raw:
        return None
    raw = raw.strip()
    try:
        if len(raw) == 10:
            year, month, day = (int(part) for part in raw.split("-"))
            date = dt.date(year - 543 if year > 2400 else year, month, day) + dt.timedelta(days=int(end))
            return dt.datetime.combine(date, dt.time(), tz).astimezone(dt.UTC)
        when = dt.datetime.fromisoformat(raw)
    except ValueError as exc:
        raise Invalid(f"{raw!r} is not a date (YYYY-MM-DD) or an ISO 8601 time") from exc
    return (when if when.tzinfo else when.replace(tzinfo=tz)).astimezone(dt.UTC)
