"""A drop folder of CSV and JSONL files (what external monitoring tools export): read new rows as listening items.

Progress is kept per file (its SHA-256 and rows read), so a file is read once, a grown file from where it stopped,
and a replaced file (new content under the same name) again from the start."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from khaojing.channels.feeds.fetch import FeedError
from khaojing.channels.feeds.parse import Item, item_from_row
from khaojing.intake.importer.files import detect_format, read_records

PATTERNS = ("*.csv", "*.jsonl", "*.ndjson")


@dataclass
class FolderRead:
    items: list[Item]
    files: dict[str, dict]  # name -> {"sha256": .., "rows": rows read}
    bad_rows: int = 0
    errors: list[str] = field(default_factory=list)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_folder(folder: str, *, seen: dict[str, dict], fields: dict, max_items: int,
                max_file_bytes: int) -> FolderRead:
    """New items of the folder's files; `seen` is the progress of the previous read (not modified)."""
    root = Path(folder)
    if not root.is_dir():
        raise FeedError(f"drop folder not found: {folder}")
    files = {name: dict(info) for name, info in seen.items()}
    out = FolderRead(items=[], files=files)
    paths = sorted({p for pattern in PATTERNS for p in root.glob(pattern) if p.is_file()})
    for path in paths:
        if len(out.items) >= max_items:
            break
        if path.stat().st_size > max_file_bytes:
            out.errors.append(f"{path.name}: over {max_file_bytes:,} bytes, skipped")
            continue
        sha = _sha256(path)
        progress = files.get(path.name, {})
        if progress.get("sha256") == sha and progress.get("complete"):
            continue
        # the same content: go on where the last read stopped; changed content: read again (ids deduplicate)
        start = progress.get("rows", 0) if progress.get("sha256") == sha else 0
        rows = 0
        complete = True
        for record in read_records(path, detect_format(path)):
            rows += 1
            if rows <= start:
                continue
            if len(out.items) >= max_items:
                rows -= 1
                complete = False
                break
            item = item_from_row(record.data, fields) if record.data and not record.error else None
            if item is None:
                out.bad_rows += 1
                continue
            item.meta["file"] = path.name
            out.items.append(item)
        files[path.name] = {"sha256": sha, "rows": rows, "complete": complete}
    return out
