"""`khaojing evidence …` and `khaojing takedowns …`; PDPA export and erasure (the case and the evidence stay);
retention applied by the job."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

from case_helpers import make_claim
from sqlalchemy import select, text

from khaojing.audit.models import AuditEvent
from khaojing.cases import service as cases
from khaojing.enforcement import jobs, takedowns
from khaojing.enforcement import service as vault
from khaojing.enforcement.models import Evidence, TakedownEvent
from khaojing.intake.models import ContactPoint, Report, Requester
from khaojing.intake.requesters import keep_contact
from khaojing.jobs import registry


def test_cli_capture_verify_export_and_a_broken_vault(cli, db, settings, site, staff, tmp_path) -> None:  # noqa: ANN001
    with db.unit_of_work() as session:
        claim = make_claim(session, settings)
        case_id = cases.open_case(session, claim_id=claim.id, actor=staff.analyst, settings=settings).id
    done = cli("evidence", "capture", site.url + "/scam", "--case", str(case_id))
    assert done.exit_code == 0, done.output
    assert "evidence 1:" in done.stdout and "HTTP 200" in done.stdout and "turned off" in done.stdout
    (tmp_path / "note.txt").write_text("บันทึกถ้อยคำ")
    assert cli("evidence", "add", str(tmp_path / "note.txt"), "--case", str(case_id)).exit_code == 0
    assert cli("evidence", "handover", "1", "--to", "บก.ปอท.").exit_code == 0
    ok = cli("evidence", "verify")
    assert ok.exit_code == 0 and "intact" in ok.stdout and "2 items, 4 files, 5 custody entries" in ok.stdout
    out = tmp_path / "case.zip"
    assert cli("evidence", "export", str(case_id), "--out", str(out)).exit_code == 0
    assert "manifest.json" in zipfile.ZipFile(out).namelist()
    key = cli("evidence", "key")
    assert "BEGIN PUBLIC KEY" in key.stdout

    with db.engine.begin() as conn:
        conn.execute(text("UPDATE custody_events SET data = :d WHERE action = 'handover'"),
                     {"d": json.dumps({"to": "someone else", "note": ""})})
    broken = cli("evidence", "verify")
    assert broken.exit_code == 1 and "NOT intact" in broken.stderr
    assert "(evidence 1): content changed after it was written" in broken.stderr
    missing = cli("evidence", "export", "999", "--out", str(out))
    assert missing.exit_code == 1 and "case 999 does not exist" in missing.stderr and "Traceback" not in missing.output


def test_cli_takedowns_list_stats_and_recheck(cli, db, settings, site, staff) -> None:  # noqa: ANN001
    with db.unit_of_work() as session:
        td = takedowns.create(session, url=site.url + "/scam", reason="lese_majeste", actor=staff.editor,
                              platform="website")
        takedowns.transition(session, settings=settings, takedown_id=td.id, to_status="sent", actor=staff.editor)
    site.pages.pop("/scam")
    again = cli("takedowns", "recheck")
    assert again.exit_code == 0 and "takedown 1: gone (status removed)" in again.stdout
    listing = cli("takedowns", "list")
    assert "removed" in listing.stdout and "[political]" in listing.stdout
    stats = cli("takedowns", "stats")
    assert "political or lèse-majesté 1" in stats.stdout and "100%" in stats.stdout


def _requester(env, settings) -> tuple[str, int]:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        claim = make_claim(session, settings, who="somchai@example.com")
        report = session.scalar(select(Report).where(Report.claim_id == claim.id))
        keep_contact(session, requester=report.requester, kind="email", value="somchai@example.com",
                     retention_days=90)  # as the web form does when someone asks to be told the answer
        return report.tracking_code, report.requester_id


def test_a_data_subject_export_and_erasure_keep_the_case_and_evidence(cli, env, settings, staff) -> None:  # noqa: ANN001
    code, rid = _requester(env, settings)
    with env.db.unit_of_work() as session:
        report = session.scalar(select(Report).where(Report.tracking_code == code))
        case_id = cases.open_case(session, claim_id=report.claim_id, actor=staff.analyst, settings=settings).id
        vault.record_upload(session, settings=settings, data=b"screenshot bytes", filename="shot.png",
                            actor="user:1", case_id=case_id)
    exported = cli("evidence", "privacy-export", "--email", "Somchai@Example.com")
    assert exported.exit_code == 0, exported.output
    data = json.loads(exported.stdout)
    assert data["contacts"][0]["value"] == "somchai@example.com" and data["reports"][0]["tracking_code"] == code

    erased = cli("evidence", "privacy-erase", "--tracking-code", code, "--yes")
    assert erased.exit_code == 0 and f"requester {rid} erased: contacts 1" in erased.stdout
    with env.db.unit_of_work(readonly=True) as session:
        assert session.scalar(select(ContactPoint).where(ContactPoint.requester_id == rid)) is None
        assert session.get(Requester, rid).key_hash.startswith("erased-")
        report = session.scalar(select(Report).where(Report.tracking_code == code))
        assert report.requester_id is None and report.text  # the report stays, no longer tied to the person
        assert cases.get_case(session, case_id).claim_id == report.claim_id
        assert session.scalar(select(Evidence).where(Evidence.case_id == case_id)) is not None
        logged = session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.erased"))
        assert logged.object_id == str(rid) and "somchai" not in json.dumps(logged.data)
    again = cli("evidence", "privacy-export", "--email", "somchai@example.com")
    assert again.exit_code == 1 and "no requester data" in again.stderr
    assert cli("evidence", "verify").exit_code == 0


def test_the_retention_job_erases_silent_requesters_and_old_checks(env, settings, staff) -> None:  # noqa: ANN001
    _code, rid = _requester(env, settings)
    with env.db.unit_of_work() as session:
        td = takedowns.create(session, url="https://www.facebook.com/x", reason="scam", actor=staff.analyst)
        session.add(TakedownEvent(takedown_id=td.id, actor="system", kind="check", data={"result": "up"},
                                  at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)))
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=settings.retention_requester_days + 1)
    with env.db.unit_of_work() as session:  # the handler the worker runs every day (other queued jobs left alone)
        registry.run_handler(registry.get_handler(jobs.RETENTION), session, {"now": later.isoformat()}, settings)
    with env.db.unit_of_work(readonly=True) as session:
        assert session.get(Requester, rid).key_hash.startswith("erased-")
        assert session.scalar(select(TakedownEvent).where(TakedownEvent.kind == "check")) is None
        assert session.scalar(select(AuditEvent).where(AuditEvent.action == "retention.applied")).data == {
            "requesters": 1, "checks": 1, "evidence": 0}
