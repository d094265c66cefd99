"""Secrets never logged (issue 9): with every logger at DEBUG, a staff login with a TOTP code (and a wrong password),
partner API calls with a good and a bad bearer key, a signed LINE webhook answered through the (fake) LINE API, and
an SMTP send with a user name and password to a real SMTP server on loopback leave no password, API key, channel
secret or token, TOTP secret, recovery code, SMTP password or secret key in the logs."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

import khaojing.handlers  # noqa: F401  (the LINE reply job)
from helpers import PASSWORD, csrf_from
from khaojing.accounts import twofactor
from khaojing.accounts.models import Role
from khaojing.cases import mail
from khaojing.settings import Settings
from line_fake import ACCESS_TOKEN, CHANNEL_SECRET, FakeLine, line_api, line_settings_update, post_events, user_id  # noqa: F401
from line_fake import webhook as webhook  # noqa: F401,PLC0414

SMTP_PASSWORD = "smtp-pass-Zq81xPw"


@pytest.fixture
def settings(settings: Settings, line_api: FakeLine) -> Settings:  # noqa: F811
    return settings.model_copy(update=line_settings_update(line_api))


@pytest.fixture
def smtp_with_login(settings: Settings):  # noqa: ANN201
    controller_mod = pytest.importorskip("aiosmtpd.controller", reason="pip install aiosmtpd (test extra)")
    from aiosmtpd.smtp import AuthResult

    from cases.case_helpers import Inbox, free_port

    logins: list[tuple[bytes, bytes]] = []

    def authenticator(server, session, envelope, mechanism, auth_data):  # noqa: ANN001, ANN202
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == SMTP_PASSWORD.encode())

    inbox, port = Inbox(), free_port()
    controller = controller_mod.Controller(inbox, hostname="127.0.0.1", port=port, authenticator=authenticator,
                                           auth_require_tls=False, auth_required=True)
    settings.smtp_host, settings.smtp_port, settings.smtp_starttls = "127.0.0.1", port, False
    settings.smtp_from, settings.smtp_username, settings.smtp_password = "afnc@center.example", "afnc", SMTP_PASSWORD
    controller.start()
    yield inbox, logins
    controller.stop()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_no_secret_reaches_the_logs(env, settings, webhook, line_api, smtp_with_login, caplog) -> None:  # noqa: ANN001, F811
    inbox, logins = smtp_with_login
    caplog.set_level(logging.DEBUG)  # every logger, at its most talkative
    editor = env.user(Role.editor)
    client = env.login(editor, client=TestClient(env.app))  # password, then a TOTP code
    with env.db.unit_of_work(readonly=True) as session:
        row = twofactor.get(session, editor.id)
        totp_secret = twofactor._decrypt(settings, row.secret_enc)
    anonymous = TestClient(env.app)
    wrong = anonymous.post("/console/login", data={"username": editor.username, "password": "wrong-Pa55word-xyz",
                                                   "csrf_token": csrf_from(anonymous.get("/console/login").text)})
    assert wrong.status_code == 401 and client.get("/console/cases").status_code == 200

    key = env.partner_key("moph")
    sent = env.client.post("/api/v1/reports", json={"text": "ดื่มน้ำมะนาวรักษามะเร็ง", "external_id": "x-1"},
                           headers={"Authorization": f"Bearer {key}"})
    assert sent.status_code in (200, 201), sent.text
    bad_key = "kj_" + "f" * 40
    assert env.client.get("/api/v1/reports/1", headers={"Authorization": f"Bearer {bad_key}"}).status_code == 401

    assert post_events(env.client, webhook, webhook.text(user_id(), "ดื่มน้ำร้อนฆ่าไวรัสจริงไหม")) \
        .status_code == 200
    env.run_jobs()
    assert line_api.sent(), "the bot answered through the LINE API (with its bearer token)"

    mail.send(settings, to=["citizen@example.com"], subject="ผลการตรวจสอบ", body="สวัสดีครับ")
    assert len(inbox.messages) == 1 and logins == [(b"afnc", SMTP_PASSWORD.encode())]

    logged = caplog.text + "\n".join(repr(r.args) for r in caplog.records)
    assert len(caplog.records) > 5  # there was something to look at
    secrets = {"password": PASSWORD, "wrong password": "wrong-Pa55word-xyz", "API key": key, "bad key": bad_key,
               "channel secret": CHANNEL_SECRET, "channel token": ACCESS_TOKEN, "TOTP secret": totp_secret,
               "SMTP password": SMTP_PASSWORD, "secret key": settings.secret_key}
    leaked = [name for name, value in secrets.items() if value in logged]
    assert not leaked, leaked
