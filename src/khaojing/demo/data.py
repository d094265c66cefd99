"""Demo items: real Thai reports and verdicts from ../shared/data, or from the small fixture shipped here.

Sources (see ATTRIBUTION.md): Cofact claims (citizen reports) and AFNC headlines with verdicts from
PPjaisri/Senior-project (MIT); Wisesight social-media questions (CC0) as everyday non-claim messages.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path

from khaojing.thai.dates import parse_be_datetime

SHARED_FOLDER = "afnc-cofact-sure-2022"
NOISE_FOLDER = "wisesight-sentiment"
FIXTURE = "fixture.jsonl"
LABELS = {"ข่าวปลอม": "fake", "ข่าวจริง": "true", "ข่าวบิดเบือน": "distorted"}
# "ข่าวปลอม อย่าแชร์! …", "ข่าวบิดเบือน …", "อย่าหลงเชื่อ ข่าวปลอม …": the verdict is not part of the claim.
_VERDICT_PREFIX = re.compile(r"^\s*(?:อย่าหลงเชื่อ\s*)?(?:ข่าวปลอม|ข่าวบิดเบือน|ข่าวจริง)\s*(?:อย่า(?:ง)?แชร์\s*!*)?"
                             r"\s*[:\-–]?\s*")
# "… ข่าวปลอม !! สร้างความปั่นป่วน อย่าแชร์": a verdict tail after the claim.
_VERDICT_TAIL = re.compile(r"\s+(?:ข่าวปลอม|ข่าวบิดเบือน)\W.{0,40}$|\s+(?:ข่าวปลอม|ข่าวบิดเบือน)$")
_URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#@!$&*+,;=%]+[A-Za-z0-9/=_#%-]")
_TOPIC_WORDS = [  # a rough topic (its key in settings.AFNC_TOPICS) for demo claims only (triage classifies real ones)
    ("drugs", ("ยาบ้า", "ยาเสพติด", "กัญชา", "กระท่อม", "ยาไอซ์")),
    ("disaster", ("น้ำท่วม", "แผ่นดินไหว", "พายุ", "ไฟป่า", "สึนามิ", "อุตุ", "ฝนตก", "ภัยแล้ง")),
    ("finance", ("ธนาคาร", "ธ.", "หุ้น", "ลงทุน", "กู้", "ออมสิน", "กรุงไทย", "บัตร", "โอนเงิน", "ดอกเบี้ย")),
    ("security", ("ตำรวจ", "ทหาร", "ชุมนุม", "ระเบิด", "ยิง", "จับกุม", "มิจฉาชีพ")),
    ("health", ("โควิด", "วัคซีน", "มะเร็ง", "สุขภาพ", "โรค", "ไวรัส", "สมุนไพร", "อาหาร", "ยา")),
    ("policy", ("ครม.", "รัฐบาล", "นายกฯ", "กระทรวง", "เยียวยา", "คนละครึ่ง", "กรม")),
]


@dataclass
class DemoReport:
    ref: str             # stable external id, so a second load finds it
    text: str
    urls: list[str] = field(default_factory=list)
    origin: str = "cofact"


@dataclass
class DemoClaim:
    title: str           # the claim, verdict words stripped
    headline: str        # the AFNC headline as published
    label: str           # fake / true / distorted
    link: str
    published_at: str | None = None
    topic: str | None = None


@dataclass
class DemoItems:
    reports: list[DemoReport]
    claims: list[DemoClaim]
    origin: str


def strip_verdict(header: str) -> str:
    claim = _VERDICT_PREFIX.sub("", " ".join(header.split()), count=1)
    return _VERDICT_TAIL.sub("", claim).strip()


def guess_topic(text: str) -> str | None:
    for topic, words in _TOPIC_WORDS:
        if any(word in text for word in words):
            return topic
    return None


def parse_afnc_time(raw: str) -> str | None:
    """'23 มีนาคม 2560  |  07:54 น.' (Bangkok time, Buddhist era) -> ISO 8601 UTC; None when it is not a date."""
    try:
        return parse_be_datetime(raw, "Asia/Bangkok", to_utc=True).isoformat()
    except ValueError:
        return None


def _every(rows: list, n: int) -> list:
    """n rows spread evenly over the list (deterministic)."""
    if len(rows) <= n:
        return rows
    step = len(rows) / n
    return [rows[int(i * step)] for i in range(n)]


def cofact_reports(path: Path, n: int) -> list[DemoReport]:
    seen: set[str] = set()
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            text = " ".join((row.get("content") or "").split())
            if 40 <= len(text) <= 600 and text not in seen and row.get("link"):
                seen.add(text)
                rows.append(DemoReport(ref="demo:cofact:" + row["link"].rstrip("/").rsplit("/", 1)[-1],
                                       text=text, urls=_URL.findall(text)[:5]))
    return _every(rows, n)


def afnc_claims(path: Path, n: int) -> list[DemoClaim]:
    seen: set[str] = set()
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            label, title = LABELS.get(row.get("category", "")), strip_verdict(row.get("header", ""))
            if label and 15 <= len(title) <= 300 and title not in seen:
                seen.add(title)
                rows.append(DemoClaim(title=title, headline=" ".join(row["header"].split()), label=label,
                                      link=row.get("link", ""), topic=guess_topic(title),
                                      published_at=parse_afnc_time(row.get("time", ""))))
    return _every(rows, n)


def wisesight_reports(folder: Path, n: int) -> list[DemoReport]:
    path = folder / "q.txt"
    if not path.is_file():
        return []
    lines = [" ".join(line.split()) for line in path.read_text(encoding="utf-8").splitlines()]
    picked = _every(sorted({line for line in lines if 30 <= len(line) <= 200}), n)
    return [DemoReport(ref=f"demo:wisesight:q:{lines.index(text) + 1}", text=text, origin="wisesight")
            for text in picked]


def from_shared(data_dir: Path, *, reports: int = 200, claims: int = 120, noise: int = 30) -> DemoItems:
    folder = data_dir / SHARED_FOLDER
    items = cofact_reports(folder / "cofact_info.csv", reports)
    items += wisesight_reports(data_dir / NOISE_FOLDER, noise)
    return DemoItems(reports=items, claims=afnc_claims(folder / "anti_thread.csv", claims),
                     origin=f"shared data at {data_dir}")


def from_fixture(text: str | None = None) -> DemoItems:
    text = text if text is not None else resources.files("khaojing.demo").joinpath(FIXTURE).read_text("utf-8")
    reports, claims = [], []
    for line in text.splitlines():
        if line.strip():
            row = json.loads(line)
            if row.pop("kind") == "report":
                reports.append(DemoReport(**row))
            else:
                claims.append(DemoClaim(**row))
    return DemoItems(reports=reports, claims=claims, origin="the fixture shipped with khaojing")


def demo_items(data_dir: Path) -> DemoItems:
    """The shared data when it is there (a few hundred items), the shipped fixture otherwise (~150)."""
    return from_shared(data_dir) if (data_dir / SHARED_FOLDER).is_dir() else from_fixture()


def write_fixture(data_dir: Path, out: Path) -> int:
    """Rebuild fixture.jsonl from the shared data (python -m khaojing.demo.data ../shared/data)."""
    items = from_shared(data_dir, reports=90, claims=40, noise=20)
    rows = [{"kind": "report", **asdict(r)} for r in items.reports]
    rows += [{"kind": "claim", **asdict(c)} for c in items.claims]
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return len(rows)


if __name__ == "__main__":
    import sys

    target = Path(__file__).with_name(FIXTURE)
    print(f"wrote {write_fixture(Path(sys.argv[1]), target)} rows to {target}")
