"""TOTP two-factor login for staff (issue 9) as staff meet it: enrolment forced on editors and administrators, the
code step after the password, replayed codes refused, recovery codes used once, brute force throttled, the
administrator's reset, the roles setting, and a secret that is not stored in plain text."""

from __future__ import annotations

import re
import time

import pyotp
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from helpers import PASSWORD, csrf_from
from khaojing.accounts import twofactor
from khaojing.accounts.models import Role, StaffTwoFactor
from khaojing.audit.models import AuditEvent

SECRET_RE = re.compile(r'id="tf-secret">([A-Z2-7]+)<')
CODE_RE = re.compile(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>")


def _password(client: TestClient, username: str, next_url: str = ""):  # noqa: ANN202
    page = client.get("/console/login")
    data = {"username": username, "password": PASSWORD, "csrf_token": csrf_from(page.text)}
    if next_url:
        data["next"] = next_url
    return client.post("/console/login", data=data, follow_redirects=False)


def _code(client: TestClient, code: str):  # noqa: ANN202
    page = client.get("/console/login/code")
    assert page.status_code == 200, page.text[:200]
    return client.post("/console/login/code", data={"code": code, "csrf_token": csrf_from(page.text)},
                       follow_redirects=False)


def _actions(env) -> list[str]:  # noqa: ANN001
    with env.db.unit_of_work(readonly=True) as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def _enrol_through_pages(client: TestClient) -> tuple[str, list[str]]:
    page = client.get("/console/2fa/setup")
    assert page.status_code == 200 and 'src="data:image/svg+xml;base64,' in page.text
    secret = SECRET_RE.search(page.text).group(1)
    again = client.get("/console/2fa/setup")
    assert SECRET_RE.search(again.text).group(1) == secret  # a reload shows the same QR code
    wrong = client.post("/console/2fa/setup", data={"code": "000000", "csrf_token": csrf_from(again.text)})
    assert wrong.status_code == 422 and "รหัสไม่ถูกต้อง" in wrong.text
    done = client.post("/console/2fa/setup", data={"code": pyotp.TOTP(secret).now(),
                                                   "csrf_token": csrf_from(again.text)})
    assert done.status_code == 200 and done.headers["cache-control"] == "no-store"
    codes = CODE_RE.findall(done.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    return secret, codes


def test_an_editor_without_a_second_factor_must_enrol_before_anything_else(env) -> None:  # noqa: ANN001
    editor = env.user(Role.editor)
    client = TestClient(env.app)
    response = _password(client, editor.username)
    assert response.status_code == 303 and response.headers["location"] == "/console/2fa/setup"
    for path in ("/console/reports", "/console/cases", "/console/audit", "/console"):
        blocked = client.get(path, follow_redirects=False)
        assert blocked.status_code == 303 and blocked.headers["location"] == "/console/2fa/setup", path
    page = client.get("/console/reports")  # followed: the enrolment page, in Thai, with the reason
    assert "ตั้งค่าการยืนยันตัวตนสองขั้นตอน" in page.text and "บทบาทของคุณต้องใช้" in page.text
    secret, codes = _enrol_through_pages(client)
    assert client.get("/console/reports").status_code == 200  # this session is now complete
    assert client.get("/console/2fa/setup").text.count("เปิดใช้การยืนยันตัวตนสองขั้นตอนแล้ว") == 1
    assert "user.2fa_enrolled" in _actions(env)
    with env.db.unit_of_work(readonly=True) as session:
        row = session.get(StaffTwoFactor, editor.id)
        stored = session.execute(text("SELECT secret_enc, recovery_hashes FROM staff_two_factor")).one()
        assert secret not in str(stored) and not any(c in str(stored) for c in codes)
        assert row.confirmed_at is not None and len(row.recovery_hashes) == 10


def test_login_asks_for_the_code_and_refuses_a_replayed_one(env) -> None:  # noqa: ANN001
    admin = env.user(Role.admin)
    with env.db.unit_of_work() as session:
        secret, _codes = twofactor.enrol_now(session, settings=env.settings, user=session.merge(admin))
    client = TestClient(env.app)
    response = _password(client, admin.username, next_url="/console/audit")
    assert response.status_code == 303 and response.headers["location"] == "/console/login/code"
    half = client.get("/console/audit", follow_redirects=False)  # the password alone is not a login
    assert half.status_code == 303 and half.headers["location"].startswith("/console/login?next=")
    assert _code(client, "123456").status_code == 401
    totp = pyotp.TOTP(secret)
    code = totp.at(time.time() + totp.interval)  # the next code: the one used at enrolment is spent already
    response = _code(client, code)
    assert response.status_code == 303 and response.headers["location"] == "/console/audit"
    assert client.get("/console/audit").status_code == 200
    other = TestClient(env.app)
    assert _password(other, admin.username).headers["location"] == "/console/login/code"
    replay = _code(other, code)
    assert replay.status_code == 401 and "ถูกใช้ไปแล้ว" in replay.text
    assert other.get("/console/reports", follow_redirects=False).status_code == 303
    actions = _actions(env)
    assert actions.count("auth.2fa_ok") == 1 and actions.count("auth.2fa_failed") == 2


def test_a_recovery_code_works_once(env) -> None:  # noqa: ANN001
    editor = env.user(Role.editor)
    with env.db.unit_of_work() as session:
        _secret, codes = twofactor.enrol_now(session, settings=env.settings, user=session.merge(editor))
    client = TestClient(env.app)
    _password(client, editor.username)
    assert _code(client, codes[3].upper().replace("-", " ")).status_code == 303  # typed loosely still works
    assert client.get("/console/cases").status_code == 200
    again = TestClient(env.app)
    _password(again, editor.username)
    assert _code(again, codes[3]).status_code == 401
    with env.db.unit_of_work(readonly=True) as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.2fa_ok"))
        assert event.data["method"] == "recovery" and event.data["recovery_codes_left"] == 9


def test_guessing_codes_is_throttled_like_the_password(env) -> None:  # noqa: ANN001
    editor = env.user(Role.editor)
    with env.db.unit_of_work() as session:
        secret, _codes = twofactor.enrol_now(session, settings=env.settings, user=session.merge(editor))
    client = TestClient(env.app)
    _password(client, editor.username)
    for guess in range(env.settings.login_max_failures):
        assert _code(client, f"{guess:06d}").status_code == 401
    totp = pyotp.TOTP(secret)
    locked = _code(client, totp.at(time.time() + totp.interval))  # even the right code waits
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0
    assert "กรุณารอ" in locked.text
    assert "auth.2fa_throttled" in _actions(env)


def test_an_admin_resets_a_lost_second_factor_and_it_is_audited(env) -> None:  # noqa: ANN001
    editor = env.user(Role.editor, username="somchai")
    theirs = env.login(editor, client=TestClient(env.app))
    assert theirs.get("/console/cases").status_code == 200
    admin = env.login(env.user(Role.admin), client=TestClient(env.app))
    page = admin.get(f"/console/users/{editor.id}")
    assert "เปิดใช้งานแล้ว" in page.text
    response = admin.post(f"/console/users/{editor.id}/2fa/reset", data={"csrf_token": csrf_from(page.text)},
                          follow_redirects=False)
    assert response.status_code == 303
    assert "รีเซ็ตการยืนยันสองขั้นตอนของ somchai แล้ว" in admin.get(response.headers["location"]).text
    gone = theirs.get("/console/cases", follow_redirects=False)  # their sessions ended
    assert gone.status_code == 303 and gone.headers["location"].startswith("/console/login")
    assert _password(TestClient(env.app), "somchai").headers["location"] == "/console/2fa/setup"
    with env.db.unit_of_work(readonly=True) as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "user.2fa_reset"))
        assert event.actor == f"user:{admin_id(env)}" and event.data["was_enrolled"] is True


def admin_id(env) -> int:  # noqa: ANN001
    from khaojing.accounts.models import User

    with env.db.unit_of_work(readonly=True) as session:
        return session.scalar(select(User.id).where(User.role == "admin"))


def test_the_roles_that_need_a_second_factor_are_a_setting(env) -> None:  # noqa: ANN001
    env.settings.require_2fa_roles = "analyst"
    editor, analyst = env.user(Role.editor), env.user(Role.analyst)
    assert _password(TestClient(env.app), editor.username).headers["location"] == "/console/reports"
    client = TestClient(env.app)
    assert _password(client, analyst.username).headers["location"] == "/console/2fa/setup"
    assert client.get("/console/claims", follow_redirects=False).headers["location"] == "/console/2fa/setup"


def test_the_code_step_expires(env) -> None:  # noqa: ANN001
    editor = env.user(Role.editor)
    with env.db.unit_of_work() as session:
        secret, _codes = twofactor.enrol_now(session, settings=env.settings, user=session.merge(editor))
    client = TestClient(env.app)
    _password(client, editor.username)
    token = csrf_from(client.get("/console/login/code").text)
    env.settings.twofactor_pending_seconds = -1
    totp = pyotp.TOTP(secret)
    late = client.post("/console/login/code", data={"code": totp.at(time.time() + 30), "csrf_token": token})
    assert late.status_code == 401 and "หมดเวลายืนยัน" in late.text
    assert client.get("/console/login/code", follow_redirects=False).headers["location"] == "/console/login"


def test_after_a_secret_key_change_the_code_page_says_to_ask_an_administrator(env) -> None:  # noqa: ANN001
    """Every stored factor is unreadable under a new KHAOJING_SECRET_KEY: 'wrong code' sent people retrying in vain."""
    admin = env.user(Role.admin)
    with env.db.unit_of_work() as session:
        secret, _codes = twofactor.enrol_now(session, settings=env.settings, user=session.merge(admin))
    env.settings.secret_key = "a-new-secret-key-after-a-leak-0123456789abcdef"
    client = TestClient(env.app)
    assert _password(client, admin.username).headers["location"] == "/console/login/code"
    totp = pyotp.TOTP(secret)
    refused = _code(client, totp.at(time.time() + totp.interval))
    assert refused.status_code == 401 and "ผู้ดูแลระบบรีเซ็ต" in refused.text and "รหัสไม่ถูกต้อง" not in refused.text
    client.cookies.set("kj_lang", "en")
    english = _code(client, "123456").text
    assert "ask an administrator to reset it" in english and "Wrong or already" not in english
