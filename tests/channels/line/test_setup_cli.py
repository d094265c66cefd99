"""`khaojing line setup`: prints the webhook URL; --rich-menu creates, uploads and sets the menu on (fake) LINE."""

from __future__ import annotations

import io

import pytest
from PIL import Image, features
from typer.testing import CliRunner

import line_spec
from khaojing.channels.line import richmenu
from khaojing.cli import app
from khaojing.cli import line as line_cli
from line_fake import FakeLine


@pytest.fixture
def run(settings, monkeypatch):  # noqa: ANN001, ANN201
    https = settings.model_copy(update={"base_url": "https://khaojing.example.go.th"})
    monkeypatch.setattr(line_cli, "load_settings", lambda: https)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["line", "setup", *args])


def test_setup_prints_the_webhook_url_to_register(run, line_api: FakeLine) -> None:  # noqa: ANN001
    result = run()
    assert result.exit_code == 0, result.output
    assert "https://khaojing.example.go.th/line/webhook" in result.output
    assert line_api.calls == []


def test_setup_with_rich_menu_creates_uploads_and_sets_it_as_default(run, line_api: FakeLine, tmp_path) -> None:  # noqa: ANN001
    result = run("--rich-menu", "--save-image", str(tmp_path / "menu.png"))
    assert result.exit_code == 0, result.output
    [menu_id] = line_api.rich_menus
    assert line_api.default_rich_menu == menu_id and menu_id in result.output
    assert line_api.rich_menu_images[menu_id] == (tmp_path / "menu.png").read_bytes()
    line_spec.messaging().validate(line_api.rich_menus[menu_id], "RichMenuRequest")
    actions = [a["action"]["data"] for a in line_api.rich_menus[menu_id]["areas"]]
    assert actions == ["a=check", "a=latest", "a=howto", "a=notify"]


def test_setup_reports_lines_refusal_in_one_line(run, line_api: FakeLine) -> None:  # noqa: ANN001
    line_api.fail_next(1, 401)
    result = run("--rich-menu")
    assert result.exit_code == 1 and "LINE refused the rich menu" in result.output
    assert "Traceback" not in result.output


def test_the_menu_image_fits_lines_rules_and_uses_a_thai_font() -> None:
    data = richmenu.menu_image()
    assert len(data) <= 1024 * 1024
    with Image.open(io.BytesIO(data)) as img:
        assert img.size == (2500, 843) and img.format == "PNG"
        assert img.width / img.height >= 1.45
    assert richmenu.find_font(richmenu.BOLD_FONTS) is not None, "install Debian fonts-thai-tlwg"
    assert features.check("raqm")
    areas = richmenu.menu_definition()["areas"]
    assert sum(a["bounds"]["width"] for a in areas) == 2500
