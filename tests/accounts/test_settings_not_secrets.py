"""The settings page masks secrets only: a number whose name contains "password" or "token" (how long a password link
lasts, how long a LINE reply token lives) is a setting an administrator needs to read, not a secret."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from khaojing.accounts.models import Role


def _value_of(html: str, env_name: str) -> str:
    """The text of the value cell in the row of one KHAOJING_* variable."""
    row = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*?{env_name}(?:(?!</tr>).)*</tr>", html, re.S)
    assert row, f"no row for {env_name}"
    return " ".join(re.sub(r"<[^>]+>", " ", row.group(0)).split())


def test_durations_named_after_passwords_and_tokens_are_shown(env) -> None:  # noqa: ANN001
    env.settings.password_link_hours = 48.0
    env.settings.line_reply_token_seconds = 45.0
    env.settings.smtp_password = "smtp-pass-9f8e7d"
    env.settings.line_channel_access_token = "line-token-1a2b3c"
    client = env.login(env.user(Role.admin), client=TestClient(env.app))
    html = client.get("/console/settings").text
    assert "48.0" in _value_of(html, "KHAOJING_PASSWORD_LINK_HOURS")
    assert "45.0" in _value_of(html, "KHAOJING_LINE_REPLY_TOKEN_SECONDS")
    assert "••••••" not in _value_of(html, "KHAOJING_PASSWORD_LINK_HOURS")
    for name, secret in (("KHAOJING_SMTP_PASSWORD", "smtp-pass-9f8e7d"),
                         ("KHAOJING_LINE_CHANNEL_ACCESS_TOKEN", "line-token-1a2b3c")):
        row = _value_of(html, name)
        assert "••••••" in row and secret not in html
    assert "••••••" in _value_of(html, "KHAOJING_SECRET_KEY")
