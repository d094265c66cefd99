"""AFNC/Cofact/Sure And Share data as matching corpora: headlines with their verdict words stripped, gold pairs."""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

SUBDIR = "afnc-cofact-sure-2022"
_VERDICT = r"(?:ข่าวปลอม|ข่าวบิดเบือน|ข่าวจริง|ข่าวลวง|ข่าวลอม)"
_WARNING = r"(?:อย่าแชร์|อย่างแชร์|หยุดแชร์|แชร์ว่อน|ไม่ควรแชร์ต่อ|อย่าหลงเชื่อ|สร้างความ\S*)"
_END = r"(?=[\s!.:]|สร้าง|$)"
_LEAD = re.compile(r"^[\s\"'“”‘’]*(?:(?:อย่าหลงเชื่อ|อย่าเชื่อ)\s*)?(?:" + _VERDICT + "|" + _WARNING + ")" + _END +
                   r"\s*[!.:]*\s*")
_TAIL = re.compile(r"\s+(?:" + _VERDICT + "|" + _WARNING + ")" + _END + r"[^\n]{0,70}$")
_TAIL_CUE = re.compile(r"แชร์|หลงเชื่อ|ระวัง|ต้องรู้|ปั่นป่วน|เข้าใจผิด|แตกแยก|อันตราย|เสียหาย|หวาดกลัว|สรรพคุณ|!\s*$")
_SURE = re.compile(r"^\s*ชัวร์ก่อนแชร์\s*(?:FACTSHEET|FACT\s*CHECK|LIVE)?\s*:?\s*", re.IGNORECASE)
VERDICT_WORDS = {"ข่าวปลอม": "fake", "ข่าวบิดเบือน": "distorted", "ข่าวจริง": "true"}


def strip_verdict_words(headline: str) -> str:
    """ "ข่าวปลอม อย่าแชร์! X" -> "X"; "X ข่าวปลอม!! สร้างความปั่นป่วน อย่าแชร์" -> "X" (the text is kept if nothing is left)."""
    text = " ".join((headline or "").split())
    stripped = text
    for _ in range(3):  # "อย่าแชร์! ข่าวปลอม แชร์ว่อน!! X"
        stripped = _LEAD.sub("", stripped)
    tail = _TAIL.search(stripped)
    if tail and tail.start() > 0 and _TAIL_CUE.search(tail.group()):
        stripped = stripped[:tail.start()]
    stripped = stripped.strip(" .!")
    return stripped or text


def strip_sure_label(headline: str) -> str:
    """ "ชัวร์ก่อนแชร์ : X จริงหรือ?" -> "X จริงหรือ?" (the programme's name, not part of the claim)."""
    text = " ".join((headline or "").split())
    return _SURE.sub("", text).strip() or text


@dataclass(frozen=True)
class Headline:
    key: int
    text: str
    link: str
    verdict: str | None
    source: str  # afnc | sure


@dataclass(frozen=True)
class GoldPair:
    claim: str
    link: str
    header: str


def load_headlines(data_dir: Path) -> list[Headline]:
    """Every AFNC headline (verdict words stripped) then every Sure And Share headline (distractors)."""
    folder = data_dir / SUBDIR
    items: list[Headline] = []
    with (folder / "anti_thread.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            text = strip_verdict_words(row.get("header") or "")
            if text:
                items.append(Headline(len(items), text, (row.get("link") or "").strip(),
                                      VERDICT_WORDS.get((row.get("category") or "").strip()), "afnc"))
    sure = folder / "sure_thread.csv"
    if sure.is_file():
        with sure.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                text = strip_sure_label(row.get("header") or "")
                if text:
                    items.append(Headline(len(items), text, (row.get("link") or "").strip(), None, "sure"))
    return items


def load_pairs(path: Path) -> list[GoldPair]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [GoldPair((r.get("cofact_claim") or "").strip(), (r.get("afnc_link") or "").strip(),
                         (r.get("afnc_header") or "").strip())
                for r in csv.DictReader(fh) if (r.get("cofact_claim") or "").strip()]


def is_training_pair(pair: GoldPair, train_share: float = 0.6) -> bool:
    """A fixed split of the dev pairs by a hash of the claim: fusion weights and thresholds are fitted on the
    training part only; the rest stays untouched for the final numbers."""
    digest = hashlib.sha256(("khaojing-split|" + pair.claim).encode("utf-8")).digest()
    return digest[0] / 256 < train_share
