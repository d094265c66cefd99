"""Settings come from KHAOJING_* variables; a server never runs on the default secret outside dev mode."""

from __future__ import annotations

import pytest

from khaojing.settings import DEFAULT_SECRET_KEY, Settings


def test_defaults_are_the_embedded_sqlite_database(monkeypatch) -> None:  # noqa: ANN001
    for name in ("KHAOJING_DATABASE_URL", "KHAOJING_DEV_MODE", "KHAOJING_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None)
    assert settings.database_url == "sqlite:///./data/khaojing.db"
    assert settings.is_sqlite and settings.run_inprocess_worker


def test_environment_variables_override(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("KHAOJING_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    monkeypatch.setenv("KHAOJING_MAX_TEXT_BYTES", "2048")
    settings = Settings(_env_file=None)
    assert not settings.is_sqlite and not settings.run_inprocess_worker
    assert settings.max_text_bytes == 2048


def test_a_dotenv_file_is_read(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.delenv("KHAOJING_CENTER_NAME_EN", raising=False)
    env_file = tmp_path / ".env"
    env_file.write_text("KHAOJING_CENTER_NAME_EN=Test Center\n")
    assert Settings(_env_file=env_file).center_name_en == "Test Center"


def test_the_default_secret_is_refused_outside_dev_mode() -> None:
    with pytest.raises(RuntimeError, match="KHAOJING_SECRET_KEY"):
        Settings(_env_file=None, secret_key=DEFAULT_SECRET_KEY, dev_mode=False).check_secure()
    with pytest.raises(RuntimeError, match="at least 32"):
        Settings(_env_file=None, secret_key="short", dev_mode=False).check_secure()
    Settings(_env_file=None, secret_key=DEFAULT_SECRET_KEY, dev_mode=True).check_secure()
    Settings(_env_file=None, secret_key="x" * 40, dev_mode=False).check_secure()
