"""`khaojing demo load` as a user runs it: the logins are printed; refused outside dev mode."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from khaojing.demo.loader import DEMO_USERS


def test_demo_load_prints_the_logins_and_the_partner_key_once(cli, monkeypatch: pytest.MonkeyPatch,
                                                             tmp_path: Path) -> None:
    monkeypatch.setenv("KHAOJING_DEMO_DATA_DIR", str(tmp_path / "absent"))  # the shipped fixture: quicker
    first = cli("demo", "load")
    assert first.exit_code == 0, first.output
    assert "created 6 agencies, 4 users, 1 partners, 110 reports, 40 claims" in first.stdout
    assert "ran 110 jobs" in first.stdout and "\nkj_" in first.stdout
    assert re.search(r"workflow: 7 cases, 3 evidence, 5 takedowns, [1-9]\d* jobs", first.stdout), first.stdout
    for demo in DEMO_USERS:
        assert demo.username in first.stdout and demo.password in first.stdout
    second = cli("demo", "load")
    assert second.exit_code == 0 and "already loaded, nothing changed" in second.stdout
    assert "workflow:" not in second.stdout
    assert "kj_" not in second.stdout and "demo-admin-2569" in second.stdout


def test_demo_load_refuses_outside_dev_mode(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHAOJING_DEV_MODE", "false")
    result = cli("demo", "load")
    assert result.exit_code == 1 and "KHAOJING_DEV_MODE=true" in result.stderr
    assert "Traceback" not in result.output
