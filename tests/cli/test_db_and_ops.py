"""`khaojing db …`, `audit verify` and `jobs status / retry`."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from khaojing.audit import service as audit
from khaojing.jobs import queue
from khaojing.jobs.models import DEAD, QUEUED, Job


def test_db_upgrade_creates_the_schema_and_current_reports_it(cli, monkeypatch: pytest.MonkeyPatch,
                                                             tmp_path: Path) -> None:
    monkeypatch.setenv("KHAOJING_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.db'}")
    before = cli("db", "current")
    assert before.exit_code == 1 and "(empty database)" in before.stdout  # behind: a script can tell
    missing = cli("jobs", "status")
    assert missing.exit_code == 1 and "khaojing db upgrade" in missing.stderr
    assert "Traceback" not in missing.output
    assert cli("db", "upgrade").exit_code == 0
    after = cli("db", "current")
    assert after.exit_code == 0 and "up to date" in after.stdout
    assert cli("db", "upgrade").exit_code == 0  # again: nothing to do


def test_audit_verify_passes_then_finds_an_edited_event(cli, db) -> None:
    with db.unit_of_work() as session:
        for i in range(3):
            audit.record(session, actor="test", action="test.event", object_type="thing", object_id=i)
    ok = cli("audit", "verify")
    assert ok.exit_code == 0 and "intact" in ok.stdout and "3 events" in ok.stdout
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET actor = 'mallory' WHERE object_id = '1'"))
    broken = cli("audit", "verify")
    assert broken.exit_code == 1
    assert "broken" in broken.stderr and "content changed" in broken.stderr


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split("│")[1:-1]]


def test_jobs_status_counts_and_retry_requeues_a_dead_job(cli, db) -> None:
    with db.unit_of_work() as session:
        queue.enqueue(session, "system.sleep", {"seconds": 0})
        dead = queue.enqueue(session, "no.such.job")
        dead.status, dead.last_error = DEAD, "PermanentError: no handler registered\ntrace…"
        dead_id = dead.id
    status = cli("jobs", "status")
    assert status.exit_code == 0
    counts = dict(_cells(line)[:2] for line in status.stdout.splitlines() if len(_cells(line)) == 2)
    assert counts["queued"] == "1" and counts["dead"] == "1" and counts["running"] == "0"
    assert "no.such.job" in status.stdout and "PermanentError" in status.stdout

    retried = cli("jobs", "retry", str(dead_id))
    assert retried.exit_code == 0, retried.output
    with db.unit_of_work(readonly=True) as session:
        assert session.get(Job, dead_id).status == QUEUED
    again = cli("jobs", "retry", str(dead_id))
    assert again.exit_code == 1 and "not in the dead-letter state" in again.stderr
