"""The import service: AFNC and plain layouts, CSV and JSONL, invalid rows, duplicates, resuming."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from khaojing.audit.models import AuditEvent
from khaojing.errors import Invalid
from khaojing.intake import importer
from khaojing.intake.importer import service as import_service
from khaojing.intake.models import ImportRun, Report
from khaojing.jobs.models import Job

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
AFNC_EXPORT = SHARED_DATA / "afnc-opendata-export" / "AFNC_Opendata_export_20250728184932.csv"
needs_afnc_export = pytest.mark.skipif(not AFNC_EXPORT.is_file(),
                                       reason=f"{AFNC_EXPORT} is absent (no ../shared/data in a fresh clone)")


def _count(db, model, *where) -> int:  # noqa: ANN001
    with db.unit_of_work(readonly=True) as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _write(path: Path, text: str, bom: bool = False) -> Path:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


@pytest.mark.shared_data
@needs_afnc_export
def test_the_afnc_open_data_export_imports_once(db) -> None:
    result = importer.import_file(db, AFNC_EXPORT)
    assert (result.plan.layout, result.plan.rows_total) == ("afnc", 291)
    assert (result.created, result.skipped, result.invalid) == (291, 0, 0)
    assert _count(db, Report, Report.channel == "import") == 291
    assert _count(db, Job, Job.name == "triage.report") == 291
    assert _count(db, AuditEvent, AuditEvent.action == "report.accepted") == 291

    with db.unit_of_work(readonly=True) as session:
        report = session.scalar(select(Report).where(Report.external_id
                                                     == "https://www.antifakenewscenter.com/?p=74850"))
        assert report.received_at == dt.datetime(2025, 7, 27, 3, 57, 49, tzinfo=dt.UTC)  # 10:57:49 Bangkok
        assert report.text.startswith("กษัตริย์ไทยสั่งยิงปราสาทพระวิหาร\n")
        assert report.urls == ["https://www.antifakenewscenter.com/?p=74850"]
        assert report.meta["verifying_agency"] == "เพจกองทัพบก Royal Thai Army"
        assert report.meta["post_type"] == "ข่าวปลอม"
        assert report.meta["topic"] == "ความสงบและความมั่นคง"
        assert "ปราสาทพระวิหาร" in report.meta["hashtags"]

    again = importer.import_file(db, AFNC_EXPORT)
    assert again.plan.finished and again.processed == 0
    assert _count(db, Report) == 291


def test_plain_csv_counts_malformed_rows_with_their_line_numbers(db, tmp_path: Path) -> None:
    path = _write(tmp_path / "plain.csv", "text,url,received_at\n"
                  "ยาสมุนไพรรักษาโควิดได้,https://example.com/a,2026-01-05T10:00:00+07:00\n"
                  "วันที่ผิดรูปแบบ,,05/01/2569\n"
                  ",https://example.com/b,\n"
                  "\"ข้อความ\nหลายบรรทัด\",,2026-01-06\n"
                  "ไม่มีวันที่,,\n", bom=True)
    result = importer.import_file(db, path)
    assert (result.created, result.skipped, result.invalid) == (3, 0, 2)
    assert [line for line, _ in result.invalid_lines] == [3, 4]
    assert "bad date" in result.invalid_lines[0][1] and "empty text" in result.invalid_lines[1][1]
    with db.unit_of_work(readonly=True) as session:
        texts = dict(session.execute(select(Report.text, Report.received_at)).all())
    assert texts["ยาสมุนไพรรักษาโควิดได้"] == dt.datetime(2026, 1, 5, 3, 0, tzinfo=dt.UTC)
    assert texts["ข้อความ\nหลายบรรทัด"] == dt.datetime(2026, 1, 5, 17, 0, tzinfo=dt.UTC)  # local midnight
    assert abs(texts["ไม่มีวันที่"] - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)


def test_undecodable_oversized_and_future_rows_are_invalid_not_fatal(db, tmp_path: Path) -> None:
    db.settings.max_text_bytes = 1000
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"text,url,received_at\n"
                     b"\xff\xfe not utf-8,,\n"
                     + ("ก" * 400).encode() + b",,\n"
                     b"Buddhist year in ISO,,2569-01-05T10:00:00+07:00\n"
                     b"fine,ftp://not-http,\n"
                     b"last row,,\n")
    result = importer.import_file(db, path)
    assert result.created == 1 and result.invalid == 4
    reasons = dict(result.invalid_lines)
    assert reasons[2] == "not valid UTF-8"
    assert "limit is 1000 bytes" in reasons[3]
    assert "in the future" in reasons[4]
    assert "not an http(s) link" in reasons[5]


def test_jsonl_rows_and_duplicates(db, tmp_path: Path) -> None:
    rows = [{"text": "ธนาคารแจกเงิน 5,000 บาท", "urls": ["https://example.com/x"],
             "received_at": "2026-02-01T00:00:00Z", "language": "th"},
            {"text": "ธนาคารแจกเงิน 5,000 บาท", "urls": ["https://example.com/x"],
             "received_at": "2026-02-01T07:00:00+07:00"},  # the same row, written differently
            {"text": "Free money from the bank", "language": "en"}]
    lines = [json.dumps(r, ensure_ascii=False) for r in rows] + ["", "{broken", "[1, 2]"]
    result = importer.import_file(db, _write(tmp_path / "a.jsonl", "\n".join(lines) + "\n"))
    assert (result.created, result.skipped, result.invalid) == (2, 1, 2)
    assert result.invalid_lines == [(5, "not valid JSON"), (6, "not a JSON object")]
    # the same rows in another file are known already
    second = importer.import_file(db, _write(tmp_path / "b.jsonl", lines[2] + "\n" + lines[0] + "\n"))
    assert (second.created, second.skipped) == (0, 2)
    with db.unit_of_work(readonly=True) as session:
        assert session.scalar(select(Report.language).where(Report.text.startswith("Free"))) == "en"


def test_unknown_and_mismatched_layouts_are_clear_errors(db, tmp_path: Path) -> None:
    path = _write(tmp_path / "other.csv", "headline,body\nx,y\n")
    with pytest.raises(Invalid, match="cannot tell the layout of other.csv: its columns are headline, body"):
        importer.prepare_import(db, path)
    plain = _write(tmp_path / "plain.csv", "text\nสวัสดี\n")
    with pytest.raises(Invalid, match="missing วันและเวลาที่เผยแพร่"):
        importer.prepare_import(db, plain, layout="afnc")
    assert _count(db, ImportRun) == 0


def test_an_interrupted_import_resumes_after_its_checkpoint(db, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [f"ข่าวลือหมายเลข {i},https://example.com/{i},2026-03-01T{i:02d}:00:00+07:00" for i in range(23)]
    path = _write(tmp_path / "big.csv", "text,url,received_at\n" + "\n".join(lines) + "\n")
    real = import_service.accept_report
    calls = {"n": 0}

    def crash_after_12(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls["n"] += 1
        if calls["n"] > 12:
            raise OSError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(import_service, "accept_report", crash_after_12)
    plan = importer.prepare_import(db, path)
    with pytest.raises(OSError):
        importer.run_import(db, plan, batch=5)
    assert importer.checkpoint(db, plan) == 10  # two committed batches; the third rolled back
    assert _count(db, Report) == 10

    monkeypatch.setattr(import_service, "accept_report", real)
    resumed = importer.import_file(db, path, batch=5)
    assert resumed.plan.rows_done == 23 and resumed.plan.finished
    assert (resumed.created, resumed.skipped, resumed.invalid) == (13, 0, 0)  # nothing done twice
    assert resumed.totals == {"rows": 23, "done": 23, "created": 23, "skipped": 0, "invalid": 0}
    with db.unit_of_work(readonly=True) as session:
        texts = session.scalars(select(Report.text)).all()
    assert sorted(texts) == sorted(line.split(",")[0] for line in lines)  # every row exactly once
    assert _count(db, Job, Job.name == "triage.report") == 23
    assert _count(db, AuditEvent, AuditEvent.action == "report.accepted") == 23
    assert _count(db, AuditEvent, AuditEvent.action == "import.finished") == 1


def test_buddhist_era_dates() -> None:
    bangkok = dt.timezone(dt.timedelta(hours=7))
    assert importer.parse_be_datetime("27/07/2568 10:57:49", bangkok) == dt.datetime(2025, 7, 27, 3, 57, 49,
                                                                                     tzinfo=dt.UTC)
    assert importer.parse_be_datetime("๒๘/๐๖/๒๕๖๘ 00:05", bangkok) == dt.datetime(2025, 6, 27, 17, 5,
                                                                               tzinfo=dt.UTC)
    for bad in ("31/02/2568 10:00:00", "2568-02-30", ""):
        with pytest.raises(importer.RowError, match="bad date"):
            importer.parse_be_datetime(bad, bangkok)
