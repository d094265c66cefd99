"""What `khaojing worker` writes to the journal: its own lines, not the libraries' INFO/DEBUG chatter."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from khaojing.intake.models import Report
from khaojing.intake.service import Submission, accept_report, get_or_create_source


def _run_worker_until_screened(env: dict[str, str], db, log_path: Path) -> str:  # noqa: ANN001
    """Start a real worker, give it a report, stop it with SIGTERM once the report is screened; its output."""
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-c", "from khaojing.cli import main; main()", "worker"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 90
        while "claim index built" not in log_path.read_text() and time.monotonic() < deadline:
            assert proc.poll() is None, log_path.read_text()
            time.sleep(0.1)
        with db.unit_of_work() as session:
            source = get_or_create_source(session, kind="import", name="import")
            report_id = accept_report(
                session,
                settings=db.settings,
                source=source,
                actor="test",
                sub=Submission(text="ดื่มน้ำมะนาวผสมโซดาฆ่าเชื้อไวรัสได้"),
            ).report.id
        while time.monotonic() < deadline:
            with db.unit_of_work(readonly=True) as session:
                if session.scalar(select(Report.screened_at).where(Report.id == report_id)) is not None:
                    break
            time.sleep(0.1)
        else:
            pytest.fail("the worker did not screen the report:\n" + log_path.read_text())
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    return log_path.read_text()


@pytest.mark.parametrize("level", ["info", "debug"])
def test_worker_log_has_its_own_lines_and_library_chatter_only_in_debug(
    cli, cli_env, db, tmp_path: Path, level: str
) -> None:
    with db.unit_of_work() as session:  # a claim, so that the worker's claim index is built with bm25s at start
        source = get_or_create_source(session, kind="import", name="import")
        accept_report(
            session,
            settings=db.settings,
            source=source,
            actor="test",
            sub=Submission(text="ข่าวลือเรื่องน้ำท่วมกรุงเทพฯ คืนนี้ เตรียมอพยพด่วน"),
        )
    assert cli("worker", "--once").exit_code == 0
    env = {**os.environ, **cli_env, "PYTHONUNBUFFERED": "1", "KHAOJING_LOG_LEVEL": level}
    output = _run_worker_until_screened(env, db, tmp_path / "worker.log")
    assert "INFO worker " in output and "claim index built" in output and "Traceback" not in output
    chatter = "Building index from IDs"  # bm25s logs this at DEBUG whenever an index is built
    if level == "info":
        assert chatter not in output and " DEBUG " not in output
    else:
        assert chatter in output


def test_pdf_steps_stay_out_of_an_info_log(tmp_path: Path) -> None:
    """WeasyPrint logs every step of a PDF at INFO; a worker building weekly reports would fill the journal."""
    script = (
        "from khaojing.cli.server import configure_worker_logging\n"
        "configure_worker_logging('info')\n"
        "import logging, weasyprint\n"
        "weasyprint.HTML(string='<p>รายงานประจำสัปดาห์</p>').write_pdf()\n"
        "logging.getLogger('khaojing.jobs').info('job done')\n"
        "logging.getLogger('weasyprint').warning('a font is missing')\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "INFO job done" in result.stderr and "WARNING a font is missing" in result.stderr
    assert "Step " not in result.stderr, result.stderr
