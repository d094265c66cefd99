"""Export: JSONL round trip, CSV for Excel, date filters, keyset paging, and no personal data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

from khaojing.db.migrate import upgrade
from khaojing.db.session import Database
from khaojing.intake import exporter, importer
from khaojing.intake.service import Submission, accept_report, get_or_create_source
from khaojing.jobs.worker import Worker

BANGKOK = dt.timezone(dt.timedelta(hours=7))
ROWS = [
    {"text": "ดื่มน้ำมะนาวโซดารักษามะเร็ง", "urls": ["https://example.com/lemon"],
     "received_at": "2026-01-10T09:00:00+07:00"},
    {"text": "=HYPERLINK(\"http://evil.example\")", "received_at": "2026-01-11T23:30:00+07:00"},
    {"text": "Bank gives 5,000 baht to everyone", "language": "en",
     "received_at": "2026-01-12T00:30:00+07:00"},
    {"text": "แผ่นดินไหว\nกรุงเทพ พรุ่งนี้", "received_at": "2026-01-20T08:00:00+07:00"},
]


def _imported(db, tmp_path: Path, name: str = "in.jsonl") -> Path:  # noqa: ANN001
    path = tmp_path / name
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS), encoding="utf-8")
    assert importer.import_file(db, path).created == len(ROWS)
    Worker(db).run_until_empty()
    return path


def _export(db, fmt: str, **bounds) -> str:  # noqa: ANN001, ANN003
    out = io.StringIO(newline="")
    exporter.export_reports(db, out, fmt=fmt, **bounds)
    return out.getvalue()


def test_jsonl_export_round_trips_into_another_database(db, tmp_path: Path, settings) -> None:  # noqa: ANN001
    _imported(db, tmp_path)
    lines = _export(db, "jsonl").splitlines()
    items = [json.loads(line) for line in lines]
    assert [tuple(item) for item in items] == [exporter.FIELDS] * len(ROWS)
    assert [i["text"] for i in items] == [r["text"] for r in ROWS]
    assert items[0]["urls"] == ["https://example.com/lemon"] and items[2]["language"] == "en"
    assert items[0]["received_at"] == "2026-01-10T02:00:00+00:00"
    assert {i["status"] for i in items} <= {"grouped", "rejected"} and {i["channel"] for i in items} == {"import"}
    assert all(i["tracking_code"].startswith("KJ-") for i in items)

    # the export is itself an importable plain-layout file: the same reports in the same database are known
    exported = tmp_path / "export.jsonl"
    exported.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert (importer.import_file(db, exported).skipped) == len(ROWS)
    # … and a fresh database gets the same reports
    other = Database(settings.model_copy(update={"database_url": f"sqlite:///{tmp_path / 'other.db'}"}))
    upgrade(other.settings.database_url)
    try:
        assert importer.import_file(other, exported).created == len(ROWS)
        copied = [json.loads(line) for line in _export(other, "jsonl").splitlines()]
    finally:
        other.dispose()
    same = ("text", "urls", "received_at", "language")
    assert [[c[k] for k in same] for c in copied] == [[i[k] for k in same] for i in items]


def test_csv_export_has_a_bom_and_defuses_formulas(db, tmp_path: Path) -> None:
    _imported(db, tmp_path)
    text = _export(db, "csv")
    assert text.startswith("\ufeffid,tracking_code,channel,received_at,text,urls,")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    expected = [r["text"] for r in ROWS]
    expected[1] = "'" + expected[1]  # a formula is defused
    assert [r["text"] for r in rows] == expected
    assert rows[0]["urls"] == "https://example.com/lemon" and rows[1]["claim_id"] == ""


def test_date_filters_use_local_days(db, tmp_path: Path) -> None:
    _imported(db, tmp_path)
    since = exporter.parse_bound("2026-01-11", BANGKOK)
    until = exporter.parse_bound("2569-01-12", BANGKOK, end=True)  # Buddhist era is understood
    texts = [json.loads(line)["text"] for line in _export(db, "jsonl", since=since, until=until).splitlines()]
    assert texts == [ROWS[1]["text"], ROWS[2]["text"]]
    noon = dt.datetime(2026, 1, 11, 12, tzinfo=dt.UTC)
    assert exporter.parse_bound("2026-01-11T12:00:00Z", BANGKOK) == noon


def test_keyset_pages_cover_every_report_once(db, tmp_path: Path) -> None:
    _imported(db, tmp_path)
    with db.unit_of_work(readonly=True) as session:
        ids = [item["id"] for item in exporter.iter_reports(session, page_size=3)]
    assert len(ids) == len(ROWS) and ids == sorted(set(ids))


def test_no_requester_or_contact_data_leaves(db) -> None:  # noqa: ANN001
    with db.unit_of_work() as session:
        source = get_or_create_source(session, kind="webform", name="webform")
        accept_report(session, settings=db.settings, source=source, actor="test",
                      sub=Submission(text="มีคนส่งข่าวนี้มา", requester_kind="email",
                                     requester_value="somsri@example.com", contact_kind="phone",
                                     contact_value="081-234-5678", meta={"secret_note": "x"}))
    for fmt in ("jsonl", "csv"):
        text = _export(db, fmt)
        assert "somsri" not in text and "081" not in text and "234-5678" not in text
        assert "requester" not in text and "secret_note" not in text
