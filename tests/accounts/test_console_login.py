"""Staff login, logout and sessions as users meet them: redirects, errors, throttling, expiry, revocation."""

from __future__ import annotations

import time
from types import SimpleNamespace

from sqlalchemy import select

from helpers import PASSWORD, csrf_from
from khaojing.accounts.models import Role, User
from khaojing.audit.models import AuditEvent
from khaojing.web import deps


def _post_login(env, username: str, password: str, **extra: str):  # noqa: ANN001, ANN202
    page = env.client.get("/console/login")
    data = {"username": username, "password": password, "csrf_token": csrf_from(page.text), **extra}
    return env.client.post("/console/login", data=data, follow_redirects=False)


def _actions(env) -> list[str]:  # noqa: ANN001
    with env.db.unit_of_work(readonly=True) as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_login_page_is_a_form_with_csrf_in_thai(env):
    page = env.client.get("/console/login")
    assert page.status_code == 200
    assert "เข้าสู่ระบบ" in page.text
    assert 'type="password"' in page.text and csrf_from(page.text)


def test_login_goes_to_the_inbox_and_shows_who_is_logged_in(env):
    user = env.user(Role.analyst)  # (editors and administrators have a second step: tests/accounts/test_two_factor.py)
    response = _post_login(env, user.username, PASSWORD)
    assert response.status_code == 303 and response.headers["location"] == "/console/reports"
    inbox = env.client.get("/console/reports")
    assert inbox.status_code == 200
    assert "Test analyst" in inbox.text and "ออกจากระบบ" in inbox.text
    assert "auth.login" in _actions(env)


def test_login_returns_to_a_local_next_page_but_never_to_another_site(env):
    user = env.user(Role.analyst)
    response = _post_login(env, user.username, PASSWORD, next="/console/audit?action=auth.login")
    assert response.headers["location"] == "/console/audit?action=auth.login"
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"):
        env.client.cookies.clear()
        response = _post_login(env, user.username, PASSWORD, next=target)
        assert response.status_code == 303
        assert response.headers["location"] == "/console/reports", target


def test_anonymous_inbox_visit_goes_to_login_and_comes_back_after(env):
    response = env.client.get("/console/reports", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/console/login?next=/console/reports"
    form = env.client.get(response.headers["location"])
    assert 'name="next" value="/console/reports"' in form.text


def test_console_root_sends_staff_to_the_inbox(env):
    env.login(env.user(Role.analyst))
    response = env.client.get("/console", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/console/reports"


def test_logged_in_user_opening_the_login_page_goes_on(env):
    env.login(env.user(Role.analyst))
    response = env.client.get("/console/login", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/console/reports"


def test_wrong_password_shows_the_form_again_with_an_error(env):
    user = env.user(Role.analyst)
    response = _post_login(env, user.username, "not-the-password")
    assert response.status_code == 401
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.text
    assert f'value="{user.username}"' in response.text
    assert env.client.get("/console/reports", follow_redirects=False).status_code == 303


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(env):
    response = _post_login(env, "nobody", "whatever-password")
    assert response.status_code == 401
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.text


def test_sixth_try_is_throttled_even_with_the_right_password_and_both_are_audited(env):
    user = env.user(Role.analyst)
    for _ in range(5):
        assert _post_login(env, user.username, "wrong-password-1").status_code == 401
    response = _post_login(env, user.username, PASSWORD)
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    assert "กรุณารอ" in response.text
    actions = _actions(env)
    assert actions.count("auth.login_failed") == 5
    assert "auth.login_throttled" in actions
    assert "auth.login" not in actions


def test_throttle_message_in_english(env):
    user = env.user(Role.analyst)
    env.client.cookies.set("kj_lang", "en")
    for _ in range(5):
        _post_login(env, user.username, "wrong-password-1")
    response = _post_login(env, user.username, "wrong-password-1")
    assert response.status_code == 429
    assert "Please wait" in response.text


def test_user_name_with_a_nul_byte_is_just_a_wrong_login(env):
    response = _post_login(env, "adm\x00in", "whatever-password")
    assert response.status_code == 401


def test_login_without_csrf_token_is_refused(env):
    user = env.user(Role.analyst)
    env.client.get("/console/login")
    response = env.client.post("/console/login", data={"username": user.username, "password": PASSWORD},
                               follow_redirects=False)
    assert response.status_code == 403
    response = env.client.post("/console/login", data={"username": user.username, "password": PASSWORD,
                                                       "csrf_token": "forged"}, follow_redirects=False)
    assert response.status_code == 403
    assert env.client.get("/console/reports", follow_redirects=False).status_code == 303


def test_logout_ends_the_session(env):
    env.login(env.user(Role.analyst))
    page = env.client.get("/console/reports")
    response = env.client.post("/console/logout", data={"csrf_token": csrf_from(page.text)},
                               follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/console/login")
    assert "ออกจากระบบแล้ว" in env.client.get(response.headers["location"]).text
    assert env.client.get("/console/reports", follow_redirects=False).status_code == 303
    assert "auth.logout" in _actions(env)


def test_logout_without_csrf_is_refused_and_keeps_the_session(env):
    env.login(env.user(Role.analyst))
    assert env.client.post("/console/logout", data={}, follow_redirects=False).status_code == 403
    assert env.client.get("/console/reports").status_code == 200


def test_session_older_than_the_maximum_age_is_rejected(env, monkeypatch):
    env.login(env.user(Role.analyst))
    assert env.client.get("/console/reports").status_code == 200
    later = time.time() + env.settings.session_max_age_seconds + 5
    monkeypatch.setattr(deps, "time", SimpleNamespace(time=lambda: later))
    response = env.client.get("/console/reports", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/console/login")


def test_deactivated_user_is_logged_out(env):
    user = env.user(Role.editor)
    env.login(user)
    with env.db.unit_of_work() as session:
        session.get(User, user.id).is_active = False
    response = env.client.get("/console/reports", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/console/login")


def test_changed_session_version_logs_out_old_sessions(env):
    user = env.user(Role.editor)
    env.login(user)
    with env.db.unit_of_work() as session:
        session.get(User, user.id).session_version += 1
    assert env.client.get("/console/reports", follow_redirects=False).status_code == 303


def test_agency_officer_is_refused_the_inbox_but_can_log_out(env):
    officer = env.user(Role.agency_officer)
    response = _post_login(env, officer.username, PASSWORD)
    assert response.status_code == 303 and response.headers["location"] == "/console"
    home = env.client.get("/console")
    assert home.status_code == 200
    assert "กระทรวงสาธารณสุข" in home.text and 'action="/console/logout"' in home.text
    assert env.client.get("/console/reports").status_code == 403
    assert env.client.get("/console/audit").status_code == 403


def test_a_session_left_idle_ends_but_use_keeps_it_alive(env, monkeypatch):
    env.login(env.user(Role.analyst))
    start = time.time()
    idle = env.settings.session_idle_seconds
    for step in (0.5, 1.0, 1.5):  # a page every half idle period: still logged in well past one idle period
        monkeypatch.setattr(deps, "time", SimpleNamespace(time=lambda s=step: start + s * idle))
        assert env.client.get("/console/reports", follow_redirects=False).status_code == 200
    monkeypatch.setattr(deps, "time", SimpleNamespace(time=lambda: start + 2.6 * idle))
    response = env.client.get("/console/reports", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/console/login")
    with env.db.unit_of_work(readonly=True) as session:
        denied = session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.denied"))
    assert denied is not None and denied.data["reason"] == "session expired or revoked"
