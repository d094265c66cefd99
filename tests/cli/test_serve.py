"""`khaojing serve`: refuses an insecure configuration, otherwise hands the app to uvicorn."""

from __future__ import annotations

import pytest
import uvicorn

from khaojing.cli import server


def test_serve_refuses_the_default_secret_outside_dev_mode(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHAOJING_DEV_MODE", "false")
    monkeypatch.delenv("KHAOJING_SECRET_KEY")
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: pytest.fail("uvicorn must not start"))
    result = cli("serve")
    assert result.exit_code == 2
    assert "refusing to start" in result.stderr and "KHAOJING_SECRET_KEY" in result.stderr
    assert "Traceback" not in result.output


def test_serve_refuses_a_short_secret_outside_dev_mode(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHAOJING_DEV_MODE", "false")
    monkeypatch.setenv("KHAOJING_SECRET_KEY", "short")
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: pytest.fail("uvicorn must not start"))
    result = cli("serve")
    assert result.exit_code == 2 and "at least 32 characters" in result.stderr


def test_serve_runs_uvicorn_with_the_app_on_the_configured_address(cli, cli_env, monkeypatch) -> None:  # noqa: ANN001
    calls, warmers = [], []
    monkeypatch.setenv("KHAOJING_PORT", "8123")
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    real_warm = server.warm_index
    monkeypatch.setattr(server, "warm_index", lambda db: warmers.append(real_warm(db)) or warmers[-1])
    result = cli("serve")
    # the index warms in a background thread that reads the database: it must end before the next test's setup
    # empties the tables (on PostgreSQL a TRUNCATE racing that read deadlocked)
    for thread in warmers:
        thread.join(timeout=60)
    assert warmers and not any(thread.is_alive() for thread in warmers)
    assert result.exit_code == 0, result.output
    (app, kw), = calls
    assert kw["host"] == "127.0.0.1" and kw["port"] == 8123
    assert app.state.settings.database_url == cli_env["KHAOJING_DATABASE_URL"]
    assert "http://127.0.0.1:8123" in result.stdout


def test_an_invalid_setting_is_one_line(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHAOJING_PORT", "not-a-port")
    result = cli("serve")
    assert result.exit_code == 2 and "KHAOJING_PORT" in result.stderr and "Traceback" not in result.output
