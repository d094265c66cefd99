"""Readers for data laid out like ../shared/data, with its README's clean-ups and a stable hold-out of every file."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from khaojing.settings import TopicDef

NON_VERDICT_TYPES = {"อาชญากรรมออนไลน์", "คลังความรู้", "ข่าวอื่นๆ", "กิจกรรม"}
MAIN_AFNC_TOPICS = ("นโยบายรัฐบาล-ข่าวสาร", "การเงิน-หุ้น", "ความสงบและความมั่นคง", "ผลิตภัณฑ์สุขภาพ", "ภัยพิบัติ")
# column names of afnc_posts_2025 (English) and of AFNC's own open-data export (Thai)
COLUMNS = {"date": ("date", "วันและเวลาที่เผยแพร่"), "title": ("title", "หัวข้อข่าว"),
           "type": ("label", "ประเภทข่าว"), "category": ("category", "หมวดหมู่ของข่าว"),
           "agency": ("author", "หน่วยงานที่ตรวจสอบ")}
_DOUBLED_MARK = re.compile(r"([\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])\1+")
_VERDICT_PREFIX = re.compile(r"^\s*(?:อย่าหลงเชื่อ\s*)?(?:ข่าวปลอม|ข่าวจริง|ข่าวบิดเบือน)\s*"
                             r"(?:(?:อย่าง?แชร์|แชร์ว่อน)\s*!*)?\s*[:：\-–]?\s*")
_SURE_PREFIX = re.compile(r"^\s*ชัวร์ก่อนแชร์\s*(?:[A-Z ]+)?\s*[:：]\s*")
HOLDOUT_PERCENT = 20


def clean_label(label: str) -> str:
    """AFNC labels and categories with their typos mended (ข่่าวปลอม, ข่าวจริิง: doubled Thai marks)."""
    return _DOUBLED_MARK.sub(r"\1", unicodedata.normalize("NFC", label or "")).strip()


def strip_verdict(headline: str) -> str:
    """An AFNC headline without its leading verdict words ("ข่าวปลอม อย่าแชร์! …")."""
    return _VERDICT_PREFIX.sub("", headline or "", count=1).strip()


def is_held_out(text: str, percent: int = HOLDOUT_PERCENT) -> bool:
    """A stable `percent` % of texts (by hash) kept out of training for evaluation, in every file."""
    digest = hashlib.sha256(unicodedata.normalize("NFC", text).strip().encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % 100 < percent


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def parse_be_date(value: str) -> dt.date | None:
    """"23/07/2568" or "23/07/2568 09:00:20" (Buddhist era) -> date; None when unreadable."""
    match = re.match(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})", value or "")
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year - 543 if year > 2400 else year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True)
class AfncPost:
    title: str
    category: str
    type: str | None        # the post type / verdict; None when the file has no such column
    date: dt.date | None
    agency: str = ""


def _column(header: list[str], field: str) -> str | None:
    return next((name for name in COLUMNS[field] if name in header), None)


def read_afnc_posts(path: Path) -> list[AfncPost]:
    """Posts of a CSV laid out like afnc_posts_2025_may_aug.csv (or AFNC's Thai open-data export)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        cols = {field: _column(header, field) for field in COLUMNS}
        if cols["title"] is None or cols["category"] is None:
            raise ValueError(f"{path.name}: needs a title and a category column (like afnc_posts_2025_may_aug.csv)")
        return [AfncPost(title=(row.get(cols["title"]) or "").strip(),
                         category=clean_label(row.get(cols["category"]) or ""),
                         type=clean_label(row.get(cols["type"]) or "") if cols["type"] else None,
                         date=parse_be_date(row.get(cols["date"]) or "") if cols["date"] else None,
                         agency=(row.get(cols["agency"]) or "").strip() if cols["agency"] else "")
                for row in reader]


def afnc_topic_map(topics: list[TopicDef], only: tuple[str, ...] | None = None) -> dict[str, str]:
    """AFNC category -> topic key, from the taxonomy's `afnc` fields (optionally only some categories)."""
    return {clean_label(t.afnc): t.key for t in topics if t.afnc and (only is None or clean_label(t.afnc) in only)}


def topic_examples(posts: list[AfncPost], topic_map: dict[str, str]) -> list[tuple[str, str]]:
    """(title, topic key) for verdict posts whose category is in the map; post types that are not verdicts are
    dropped when the file says the type."""
    return [(p.title, topic_map[p.category]) for p in posts
            if p.title and p.category in topic_map and (p.type is None or p.type not in NON_VERDICT_TYPES)]


def _csv_rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        yield from csv.DictReader(fh)


def anti_thread_headlines(path: Path) -> list[str]:
    return [h for row in _csv_rows(path) if (h := strip_verdict(row.get("header", "")))]


def headlines_2024(path: Path) -> list[str]:
    return [h for row in _csv_rows(path) if (h := strip_verdict(row.get("texts", "")))]


def sure_headlines(path: Path) -> list[str]:
    return [h for row in _csv_rows(path) if (h := _SURE_PREFIX.sub("", row.get("header", "")).strip())]


def cofact_claims(path: Path) -> list[str]:
    """Cofact claim texts as citizens sent them (the content, or the header when there is no content)."""
    return [t for row in _csv_rows(path) if (t := (row.get("content") or row.get("header") or "").strip())]


def limesoda_titles(path: Path) -> list[str]:
    """Titles of LimeSoda documents (pre-tokenised: '' tokens are spaces; the title ends at '|||')."""
    titles = []
    for line in path.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line) if line.strip() else {}
        tokens = doc.get("Title") or doc.get("Text") or []
        if "|||" in tokens:
            tokens = tokens[:tokens.index("|||")]
        title = " ".join("".join(t or " " for t in tokens).split())
        if title:
            titles.append(title)
    return titles


def lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
