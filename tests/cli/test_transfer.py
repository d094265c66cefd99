"""`khaojing import` and `khaojing export` as a user runs them."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from khaojing.intake.models import Report
from khaojing.intake.service import Submission, accept_report, get_or_create_source
from khaojing.publication import opendata
from publication.pub_helpers import CLAIM, T0, correct, publish

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
AFNC_EXPORT = SHARED_DATA / "afnc-opendata-export" / "AFNC_Opendata_export_20250728184932.csv"
SECRET_EMAIL = "somchai.private@example.com"


def _reports(db) -> int:  # noqa: ANN001
    with db.unit_of_work(readonly=True) as session:
        return session.scalar(select(func.count(Report.id)))


@pytest.mark.shared_data
@pytest.mark.skipif(not AFNC_EXPORT.is_file(), reason=f"{AFNC_EXPORT} is absent (no ../shared/data)")
def test_import_the_afnc_export_then_again(cli, db) -> None:
    first = cli("import", str(AFNC_EXPORT), "--batch", "100")
    assert first.exit_code == 0, first.output
    assert "afnc layout, 291 rows" in first.stdout
    assert "291 created" in first.stdout and "0 invalid" in first.stdout
    second = cli("import", str(AFNC_EXPORT))
    assert second.exit_code == 0 and "already imported completely" in second.stdout
    assert _reports(db) == 291


def test_import_reports_invalid_lines_and_export_writes_them_back(cli, db, tmp_path: Path) -> None:
    src = tmp_path / "reports.csv"
    src.write_text("text,url,received_at\nข่าวลือเรื่องวัคซีน,https://example.com/v,2026-04-01T09:00:00+07:00\n"
                   "วันที่ผิด,,ไม่ใช่วันที่\n,,\nอีกข่าว,,2026-04-02\n", encoding="utf-8")
    result = cli("import", str(src), "--layout", "plain")
    assert result.exit_code == 0, result.output
    assert "2 created" in result.stdout and "2 invalid" in result.stdout
    assert "line 3: bad date" in result.stdout and "line 4: empty text" in result.stdout

    out = tmp_path / "out.jsonl"
    exported = cli("export", "--out", str(out), "--since", "2026-04-01", "--until", "2026-04-01")
    assert exported.exit_code == 0 and "exported 1 reports" in exported.stderr
    assert [json.loads(line)["text"] for line in out.read_text(encoding="utf-8").splitlines()] == \
        ["ข่าวลือเรื่องวัคซีน"]
    assert not out.with_name("out.jsonl.part").exists()

    to_stdout = cli("export", "--format", "csv")
    assert to_stdout.exit_code == 0
    assert to_stdout.stdout.startswith("\ufeffid,tracking_code") and "อีกข่าว" in to_stdout.stdout


def test_import_errors_are_one_line(cli, tmp_path: Path) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("headline,body\na,b\n", encoding="utf-8")
    result = cli("import", str(odd))
    assert result.exit_code == 1 and "cannot tell the layout of odd.csv" in result.stderr
    assert "Traceback" not in result.output
    bad_date = cli("export", "--since", "yesterday")
    assert bad_date.exit_code == 1 and "is not a date" in bad_date.stderr


def test_an_interrupted_import_says_how_to_continue(cli, db, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from khaojing.intake.importer import service as import_service

    src = tmp_path / "many.csv"
    src.write_text("text\n" + "".join(f"ข่าวลือที่ {i}\n" for i in range(7)), encoding="utf-8")
    real, calls = import_service.accept_report, []

    def flaky(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(1)
        if len(calls) == 5:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(import_service, "accept_report", flaky)
    stopped = cli("import", str(src), "--batch", "2")
    assert stopped.exit_code == 130
    assert "the first 4 of 7 rows are saved" in stopped.stderr
    resumed = cli("import", str(src), "--batch", "2")
    assert resumed.exit_code == 0, resumed.output
    assert "resuming after row 4 of 7" in resumed.stdout and "3 created" in resumed.stdout
    assert "whole file over every run: 7 created" in resumed.stdout
    assert _reports(db) == 7


def _with_private_data(env) -> int:  # noqa: ANN001
    claim_id = publish(env.db, env.settings)
    with env.db.unit_of_work() as session:
        source = get_or_create_source(session, kind="webform", name="webform")
        report = accept_report(session, settings=env.settings, source=source, actor="system",
                               sub=Submission(text=CLAIM + " ส่งมาจากคุณสมชาย", contact_kind="email",
                                              contact_value=SECRET_EMAIL)).report
        report.claim_id = claim_id
    return claim_id


def test_export_open_data_from_the_cli(cli, env, tmp_path: Path) -> None:  # noqa: ANN001
    claim_id = _with_private_data(env)
    correct(env.db, claim_id)
    publish(env.db, env.settings, title="ข่าวจริงเรื่องวันหยุดราชการ", label="true", topic="policy", reports=1,
            at=T0.replace(day=5))
    out = tmp_path / "od"
    result = cli("export", "open-data", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "khaojing-verdicts.csv 2 rows" in result.stdout
    raw = (out / "khaojing-verdicts.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel opens Thai correctly
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    afnc_header = AFNC_EXPORT.read_text(encoding="utf-8-sig").splitlines()[0].replace('"', "").split(",") \
        if AFNC_EXPORT.is_file() else opendata.AFNC_FIELDS
    assert list(rows[0])[:9] == afnc_header  # the nine public fields of the AFNC, in its order
    first = next(r for r in rows if r["claim_id"] == str(claim_id))
    assert first["ประเภทข่าว"] == "ข่าวบิดเบือน" and first["version"] == "2" and first["หน่วยงานที่ตรวจสอบ"] == "กรมอนามัย"
    assert first["วันและเวลาที่เผยแพร่"] == "05/03/2569 09:00:00"  # Buddhist era, Bangkok time, like the AFNC
    assert first["ลิงค์ข่าว"] == f"http://127.0.0.1:8000/verdicts/{claim_id}"
    jsonl = [json.loads(line) for line in (out / "khaojing-verdicts.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["claim_id"] for r in jsonl} == {int(r["claim_id"]) for r in rows}
    assert isinstance(jsonl[0]["sources"], list)
    claims = [json.loads(line) for line in (out / "khaojing-claims.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {c["claim_id"] for c in claims} == {r["claim_id"] for r in jsonl}
    everything = "".join(p.read_text(encoding="utf-8") for p in out.iterdir())
    assert SECRET_EMAIL not in everything and "คุณสมชาย" not in everything  # no requester data, no report texts
    assert "key_hash" not in everything and "author" not in everything.lower()
    dictionary = (out / "DATA-DICTIONARY.md").read_text(encoding="utf-8")
    assert "พจนานุกรมข้อมูล" in dictionary and "Data dictionary" in dictionary and "หน่วยงานที่ตรวจสอบ" in dictionary
    assert "CC BY 4.0" in (out / "LICENCE.txt").read_text(encoding="utf-8")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        assert hashlib.sha256((out / entry["name"]).read_bytes()).hexdigest() == entry["sha256"]
    assert not list(out.glob("*.part"))
    assert cli("export", "--format", "csv").stdout.startswith("\ufeffid,tracking_code")  # reports: as before
