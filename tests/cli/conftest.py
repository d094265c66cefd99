"""CLI test fixtures: run `khaojing …` in-process (CliRunner) against the test's own database."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from khaojing.settings import Settings, get_settings


def settings_env(settings: Settings) -> dict[str, str]:
    """KHAOJING_* variables that make a fresh Settings() equal to the test's settings."""
    return {"KHAOJING_DATABASE_URL": settings.database_url, "KHAOJING_DATA_DIR": str(settings.data_dir),
            "KHAOJING_DEV_MODE": "true" if settings.dev_mode else "false",
            "KHAOJING_SECRET_KEY": settings.secret_key, "KHAOJING_INPROCESS_WORKER": "false",
            "KHAOJING_JOB_BACKOFF_SECONDS": "0", "KHAOJING_DEMO_DATA_DIR": str(settings.demo_data_dir)}


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[dict[str, str]]:
    """A CLI run's environment: only the test's KHAOJING_* variables, no .env file, a fresh get_settings."""
    for name in list(os.environ):
        if name.startswith("KHAOJING_") and name != "KHAOJING_TEST_DATABASE_URL":
            monkeypatch.delenv(name)
    env = settings_env(settings)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)  # a developer's .env in the repo must not leak into the tests
    get_settings.cache_clear()
    yield env
    get_settings.cache_clear()


@pytest.fixture
def cli(cli_env: dict[str, str]) -> Callable[..., Result]:
    """cli("partners", "create", "moph") -> click Result (exit_code, stdout, stderr, output)."""
    from khaojing.cli import app

    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:  # noqa: A002
        get_settings.cache_clear()
        return runner.invoke(app, list(args), input=input)

    return invoke

