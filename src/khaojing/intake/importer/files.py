"""Read import files row by row (CSV or JSONL, UTF-8 with or without BOM); tell their layout from the header.

A row that cannot be read (not UTF-8, broken CSV quoting, not JSON) comes back as a Record with an error, so
the import counts it as invalid and carries on.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from khaojing.errors import Invalid

LAYOUTS = ("auto", "afnc", "plain")

# The AFNC open-data export (antifakenewscenter.com "Opendata export"): 9 Thai columns.
AFNC_PUBLISHED, AFNC_LINK, AFNC_TITLE, AFNC_BODY = "วันและเวลาที่เผยแพร่", "ลิงค์ข่าว", "หัวข้อข่าว", "เนื้อหาข่าว"
AFNC_META = {"verifying_agency": "หน่วยงานที่ตรวจสอบ", "post_type": "ประเภทข่าว", "topic": "หมวดหมู่ของข่าว"}
AFNC_HASHTAGS = "Hashtag"
AFNC_REQUIRED = (AFNC_PUBLISHED, AFNC_LINK, AFNC_TITLE, AFNC_BODY)
PLAIN_REQUIRED = ("text",)


@dataclass
class Record:
    line: int                      # physical line where the row starts (1-based, header included)
    data: dict[str, Any] | None
    error: str | None = None


class _DecodedLines:
    """Decode a binary file line by line, remembering the lines that are not UTF-8 (csv reads from this)."""

    def __init__(self, fh: IO[bytes]):
        self.fh, self.lineno = fh, 0
        self.bad: set[int] = set()

    def __iter__(self) -> _DecodedLines:
        return self

    def __next__(self) -> str:
        raw = next(self.fh)
        self.lineno += 1
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            self.bad.add(self.lineno)
            text = raw.decode("utf-8", errors="replace")
        return text.removeprefix("\ufeff") if self.lineno == 1 else text


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    with path.open("rb") as fh:
        head = fh.read(4096).removeprefix(b"\xef\xbb\xbf").lstrip()
    return "jsonl" if head.startswith(b"{") else "csv"


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str] | None, str | None]]:
    csv.field_size_limit(2**31 - 1)  # oversized texts become invalid rows later, not a csv.Error here
    with path.open("rb") as fh:
        lines = _DecodedLines(fh)
        reader = csv.reader(lines)
        while True:
            start = lines.lineno + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield start, None, f"malformed CSV: {exc}"
                continue
            if not row:
                continue
            if any(n in lines.bad for n in range(start, lines.lineno + 1)):
                yield start, None, "not valid UTF-8"
                continue
            yield start, row, None


def _csv_records(path: Path) -> Iterator[Record]:
    header: list[str] | None = None
    for line, row, error in _csv_rows(path):
        if header is None:
            header = [h.strip() for h in row or []]
            continue
        yield Record(line, None, error) if row is None else Record(line, dict(zip(header, row, strict=False)))


def _jsonl_records(path: Path) -> Iterator[Record]:
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                yield Record(lineno, None, "not valid UTF-8")
                continue
            text = text.removeprefix("\ufeff") if lineno == 1 else text
            if not text.strip():
                continue
            try:
                obj = json.loads(text)
            except ValueError:
                yield Record(lineno, None, "not valid JSON")
                continue
            yield Record(lineno, obj) if isinstance(obj, dict) else Record(lineno, None, "not a JSON object")


def read_records(path: Path, fmt: str) -> Iterator[Record]:
    return _jsonl_records(path) if fmt == "jsonl" else _csv_records(path)


def columns(path: Path, fmt: str) -> list[str]:
    if fmt == "csv":
        for _line, row, _error in _csv_rows(path):
            return [h.strip() for h in row or []]
        return []
    for record in _jsonl_records(path):
        if record.data is not None:
            return [str(k) for k in record.data]
    return []


def resolve_layout(requested: str, columns: list[str], filename: str) -> str:
    """The layout to use: the requested one if its columns are there, or the one the columns show."""
    present = set(columns)
    wanted = {"afnc": AFNC_REQUIRED, "plain": PLAIN_REQUIRED}
    if requested not in LAYOUTS:
        raise Invalid(f"unknown layout {requested!r}; use one of {', '.join(LAYOUTS)}")
    if requested != "auto":
        missing = [c for c in wanted[requested] if c not in present]
        if missing:
            raise Invalid(f"{filename} does not have the {requested} layout: missing {', '.join(missing)}")
        return requested
    for layout, required in wanted.items():
        if all(c in present for c in required):
            return layout
    shown = ", ".join(columns[:12]) or "(none: the file is empty)"
    raise Invalid(f"cannot tell the layout of {filename}: its columns are {shown}. Expected the AFNC "
                  f"open-data export ({', '.join(AFNC_REQUIRED)}, …) or plain text,url,received_at")
