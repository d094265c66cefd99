"""`khaojing feeds add|list|fetch|watch` and `khaojing report weekly|monthly` against the test's database and a
local feed server."""

from __future__ import annotations

import os

import pytest
from feed_server import rss
from typer.testing import CliRunner

from khaojing.settings import Settings, get_settings


@pytest.fixture
def cli(settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path):  # noqa: ANN001, ANN201
    for name in list(os.environ):
        if name.startswith("KHAOJING_") and name != "KHAOJING_TEST_DATABASE_URL":
            monkeypatch.delenv(name)
    env = {"KHAOJING_DATABASE_URL": settings.database_url, "KHAOJING_DATA_DIR": str(settings.data_dir),
           "KHAOJING_DEV_MODE": "true", "KHAOJING_SECRET_KEY": settings.secret_key,
           "KHAOJING_INPROCESS_WORKER": "false", "KHAOJING_FEED_ALLOW_PRIVATE_ADDRESSES": "true",
           "KHAOJING_FEED_TIMEOUT_SECONDS": "2"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    from khaojing.cli import app

    def invoke(*args: str):  # noqa: ANN202
        get_settings.cache_clear()
        return CliRunner().invoke(app, list(args))

    yield invoke
    get_settings.cache_clear()


def test_feeds_add_fetch_and_list_show_health(cli, feed_server) -> None:  # noqa: ANN001
    good = feed_server.add("/ok.xml", body=rss([("1", "ข่าวลือแจกเงินดิจิทัล"), ("2", "กินกระเทียมรักษามะเร็ง")]))
    bad = feed_server.add("/bad.xml", body=b"<html><body>not here</body></html>", content_type="text/html")
    assert cli("feeds", "add", "ok", good, "--every", "10").exit_code == 0
    assert cli("feeds", "add", "bad", bad).exit_code == 0
    duplicate = cli("feeds", "add", "ok", good)
    assert duplicate.exit_code == 1 and "exists" in duplicate.output
    assert cli("feeds", "add", "x", "ftp://files.example/feed", "--kind", "rss").exit_code == 1
    watch = cli("feeds", "watch", "เงินดิจิทัล", "-p", "เงินดิจิทัล", "--topic", "finance", "--boost", "8")
    assert watch.exit_code == 0, watch.output
    fetched = cli("feeds", "fetch")
    assert fetched.exit_code == 1  # one source failed
    assert "ok: fetched, 2 items, 2 new" in fetched.output and "bad: failed: not a feed" in fetched.output
    again = cli("feeds", "fetch", "ok")
    assert again.exit_code == 0 and "0 new, 2 already collected" in again.output
    listing = cli("feeds", "list").output
    assert "failing" in listing and "not a feed" in listing and " ok " in listing


def test_report_commands_check_their_period(cli) -> None:  # noqa: ANN001
    bad = cli("report", "weekly", "--week", "2026-47")
    assert bad.exit_code == 2 and "ISO week" in bad.output
    assert cli("report", "monthly", "--month", "2026-13").exit_code == 2
    built = cli("report", "monthly", "--month", "2026-11")
    assert built.exit_code == 0, built.output
    assert "monthly-2026-11.pdf" in built.output
