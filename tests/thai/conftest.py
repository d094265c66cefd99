"""Fixtures of real Thai texts from ../shared/data for the thai/ tests (absent in a fresh clone: those tests skip)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
AFNC_2025 = SHARED_DATA / "afnc-2025" / "afnc_posts_2025_may_aug.csv"
ANTI_THREAD = SHARED_DATA / "afnc-cofact-sure-2022" / "anti_thread.csv"
SURE_THREAD = SHARED_DATA / "afnc-cofact-sure-2022" / "sure_thread.csv"
COFACT = SHARED_DATA / "afnc-cofact-sure-2022" / "cofact_info.csv"


def column(path: Path, name: str) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [row[name].strip() for row in csv.DictReader(fh) if (row.get(name) or "").strip()]


def _needs_shared_data() -> None:
    if not AFNC_2025.is_file():
        pytest.skip(f"{SHARED_DATA} is absent (a fresh clone has no ../shared/data)")


@pytest.fixture(scope="session")
def real_titles() -> list[str]:
    """AFNC 2025, AFNC 2020–22 and Sure And Share headlines (about 5,400)."""
    _needs_shared_data()
    return column(AFNC_2025, "title") + column(ANTI_THREAD, "header") + column(SURE_THREAD, "header")


@pytest.fixture(scope="session")
def real_bodies() -> list[str]:
    """AFNC 2025 post bodies and Cofact claims: longer, more informal text."""
    _needs_shared_data()
    return column(AFNC_2025, "content") + column(COFACT, "content")
