"""Triage test fixtures: the dev split of the real data (skipped when ../shared/data is absent), a CLI runner."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))

from triage_helpers import AFNC_2025, SHARED_DATA, split_afnc_file  # noqa: E402

from khaojing.settings import Settings, get_settings  # noqa: E402


@pytest.fixture(scope="session")
def dev_split(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if not AFNC_2025.is_file():
        pytest.skip(f"{SHARED_DATA} is absent")
    return split_afnc_file(tmp_path_factory.mktemp("afnc-split"))


@pytest.fixture
def triage_cli(settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Callable[..., Result]]:
    """Run `khaojing …` in-process against the test's database, without a developer's .env."""
    for name in list(os.environ):
        if name.startswith("KHAOJING_") and name != "KHAOJING_TEST_DATABASE_URL":
            monkeypatch.delenv(name)
    env = {"KHAOJING_DATABASE_URL": settings.database_url, "KHAOJING_DATA_DIR": str(settings.data_dir),
           "KHAOJING_DEV_MODE": "true", "KHAOJING_SECRET_KEY": settings.secret_key,
           "KHAOJING_INPROCESS_WORKER": "false", "KHAOJING_DEMO_DATA_DIR": str(SHARED_DATA)}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    get_settings.cache_clear()
    from khaojing.cli import app

    runner = CliRunner()

    def invoke(*args: str) -> Result:
        get_settings.cache_clear()
        return runner.invoke(app, list(args))

    yield invoke
    get_settings.cache_clear()
