"""Helpers of the triage tests: where the real data is, a skip mark, and the dev split of the AFNC 2025 posts."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from khaojing.triage import datasets

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
AFNC_2025 = SHARED_DATA / "afnc-2025" / "afnc_posts_2025_may_aug.csv"
needs_shared_data = pytest.mark.skipif(not AFNC_2025.is_file(),
                                       reason=f"{SHARED_DATA} is absent (a fresh clone has no ../shared/data)")
AUGUST = dt.date(2025, 8, 1)


def split_afnc_file(target: Path) -> tuple[Path, Path]:
    """afnc_posts_2025_may_aug.csv cut by its date column: May–Jul (train) and August (test), same layout."""
    with AFNC_2025.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames or [], list(reader)
    paths = (target / "may_jul.csv", target / "aug.csv")
    for path, keep in zip(paths, (lambda d: d < AUGUST, lambda d: AUGUST <= d < dt.date(2025, 9, 1)), strict=True):
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=fields)
            writer.writeheader()
            writer.writerows(r for r in rows if (d := datasets.parse_be_date(r["date"])) and keep(d))
    return paths
