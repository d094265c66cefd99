"""`khaojing worker`: --once runs the ready jobs; a running worker stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from khaojing.db.base import utcnow
from khaojing.intake.models import Report
from khaojing.intake.service import Submission, accept_report, get_or_create_source


def _report(db) -> int:  # noqa: ANN001
    with db.unit_of_work() as session:
        source = get_or_create_source(session, kind="import", name="import")
        accepted = accept_report(session, settings=db.settings, source=source,
                                 sub=Submission(text="ข่าวลือเรื่องน้ำท่วม"), actor="test")
        return accepted.report.id


def test_once_runs_the_ready_jobs_and_exits(cli, db, monkeypatch) -> None:  # noqa: ANN001
    # both runs fall in the same schedule periods (a run that crosses a minute boundary rightly enqueues the
    # 60-second schedules again, which made "ran 0 jobs" fail now and then)
    frozen = utcnow()
    monkeypatch.setattr("khaojing.jobs.worker.utcnow", lambda: frozen)
    report_id = _report(db)
    result = cli("worker", "--once")
    assert result.exit_code == 0, result.output
    assert "ran" in result.stdout
    with db.unit_of_work(readonly=True) as session:
        report = session.get(Report, report_id)
        assert report.screened_at is not None and report.status in ("grouped", "rejected")  # the triage job ran
    assert cli("worker", "--once").stdout.startswith("ran 0 jobs")


def test_sigterm_stops_a_running_worker(cli_env, db, tmp_path: Path) -> None:
    env = {**os.environ, **cli_env, "PYTHONUNBUFFERED": "1"}
    log = (tmp_path / "worker.log").open("w+")
    proc = subprocess.Popen([sys.executable, "-c", "from khaojing.cli import main; main()", "worker"],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while "started" not in Path(log.name).read_text() and time.monotonic() < deadline:
            assert proc.poll() is None, Path(log.name).read_text()
            time.sleep(0.1)
        report_id = _report(db)
        while time.monotonic() < deadline:  # it takes jobs while it runs
            with db.unit_of_work(readonly=True) as session:
                if session.scalar(select(Report.screened_at).where(Report.id == report_id)) is not None:
                    break
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    output = Path(log.name).read_text()
    assert "SIGTERM: stopping" in output and "Traceback" not in output
