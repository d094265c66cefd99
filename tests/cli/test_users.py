"""`khaojing users …`: create (password given or prompted), list, deactivate/reactivate, set-role and
reset-password, each checked by what the user then can or cannot do in the console, and in the audit log."""

from __future__ import annotations

import datetime as dt
import html
import importlib.util
import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from helpers import PASSWORD, csrf_from
from khaojing.accounts.models import Agency, User
from khaojing.audit.models import AuditEvent


def _user(db, username: str) -> User | None:  # noqa: ANN001
    with db.unit_of_work(readonly=True) as session:
        return session.scalar(select(User).where(User.username == username))


def test_create_with_a_password_then_log_in(cli, env) -> None:
    result = cli("users", "create", "--username", "Somchai", "--role", "editor",
                 "--password", "long-enough-pw", "--display-name", "สมชาย ใจดี")
    assert result.exit_code == 0, result.output
    user = _user(env.db, "somchai")
    assert user is not None and user.role == "editor" and user.display_name == "สมชาย ใจดี"


def test_the_password_is_prompted_twice_when_not_given(cli, db) -> None:
    result = cli("users", "create", "--username", "malee", "--role", "analyst",
                 input="prompted-password\nprompted-password\n")
    assert result.exit_code == 0, result.output
    assert _user(db, "malee") is not None


def test_an_officer_needs_a_known_agency(cli, db) -> None:
    no_agency = cli("users", "create", "--username", "o1", "--role", "agency_officer", "--password", "x" * 12)
    assert no_agency.exit_code == 1 and "belongs to an agency" in no_agency.stderr
    unknown = cli("users", "create", "--username", "o1", "--role", "agency_officer", "--password", "x" * 12,
                  "--agency", "กรมที่ไม่มีอยู่")
    assert unknown.exit_code == 1 and "no agency called" in unknown.stderr
    with db.unit_of_work() as session:
        session.add(Agency(name_th="สำนักงานตำรวจแห่งชาติ", name_en="Royal Thai Police"))
    ok = cli("users", "create", "--username", "o1", "--role", "agency_officer", "--password", "x" * 12,
             "--agency", "royal thai police")
    assert ok.exit_code == 0, ok.output
    assert _user(db, "o1").agency_id is not None


def test_a_short_password_and_a_taken_name_are_refused(cli) -> None:
    short = cli("users", "create", "--username", "a", "--role", "admin", "--password", "short")
    assert short.exit_code == 1 and "at least 10 characters" in short.stderr
    assert cli("users", "create", "--username", "a", "--role", "admin", "--password", "x" * 12).exit_code == 0
    taken = cli("users", "create", "--username", "a", "--role", "admin", "--password", "x" * 12)
    assert taken.exit_code == 1 and "exists" in taken.stderr and "Traceback" not in taken.output


# --- list, deactivate, reactivate, set-role, reset-password (audited through khaojing.accounts.service) ---

def _actions(db, username: str) -> list[tuple[str, str]]:  # noqa: ANN001
    """(action, actor) of the audit events about one user, oldest first."""
    from khaojing.audit.models import AuditEvent

    with db.unit_of_work(readonly=True) as session:
        user_id = session.scalar(select(User.id).where(User.username == username))
        rows = session.execute(select(AuditEvent.action, AuditEvent.actor).where(
            AuditEvent.object_type == "user", AuditEvent.object_id == str(user_id)).order_by(AuditEvent.id))
        return [tuple(row) for row in rows]


def _login_status(env, username: str, password: str = PASSWORD) -> int:  # noqa: ANN001
    client = TestClient(env.app)
    token = csrf_from(client.get("/console/login").text)
    return client.post("/console/login", data={"username": username, "password": password, "csrf_token": token},
                       follow_redirects=False).status_code


def test_list_shows_role_agency_state_and_last_login(cli, env) -> None:
    env.user("admin", username="boss")
    officer = env.user("agency_officer", username="officer1")
    env.login(officer)
    assert cli("users", "deactivate", "boss").exit_code == 1  # the last admin: refused, still listed as active
    shown = cli("users", "list")
    assert shown.exit_code == 0, shown.output
    lines = {line.split("│")[1].strip(): line for line in shown.stdout.splitlines() if line.count("│") > 3}
    assert "กระทรวงสาธารณสุข" in lines["officer1"] and "agency_officer" in lines["officer1"]
    assert "yes" in lines["boss"] and "–" in lines["boss"]  # never logged in
    assert str(dt.date.today().year) in lines["officer1"]  # logged in just now
    if importlib.util.find_spec("khaojing.accounts.twofactor"):  # security (issue 9): the 2FA column
        assert "required, not set up" in lines["boss"] and "off" in lines["officer1"]
    only_admins = cli("users", "list", "--role", "admin")
    assert "boss" in only_admins.stdout and "officer1" not in only_admins.stdout
    assert "officer1" not in cli("users", "list", "--inactive").stdout


def test_deactivate_ends_sessions_and_reactivate_lets_them_back(cli, env) -> None:
    env.user("admin", username="boss")
    analyst = env.user("analyst", username="somsri")
    client = env.login(analyst)
    assert client.get("/console/reports").status_code == 200
    done = cli("users", "deactivate", "Somsri")
    assert done.exit_code == 0 and "deactivated" in done.stdout, done.output
    assert client.get("/console/reports", follow_redirects=False).status_code in (303, 401)  # session ended
    assert _login_status(env, "somsri") == 401
    assert "already deactivated" in cli("users", "deactivate", "somsri").stdout
    assert "no" in [line for line in cli("users", "list").stdout.splitlines() if "somsri" in line][0]
    back = cli("users", "reactivate", "somsri")
    assert back.exit_code == 0 and "reactivated" in back.stdout
    assert _login_status(env, "somsri") == 303
    actions = _actions(env.db, "somsri")
    assert [a for a, _ in actions if a.startswith("user.")] == ["user.created", "user.deactivated",
                                                                 "user.reactivated"]
    assert all(who.startswith("cli:") for a, who in actions if a in ("user.deactivated", "user.reactivated"))


def test_the_last_active_admin_and_unknown_users_are_refused(cli, env) -> None:
    env.user("admin", username="boss")
    last = cli("users", "deactivate", "boss")
    assert last.exit_code == 1 and "last active administrator" in last.stderr and "Traceback" not in last.output
    demote = cli("users", "set-role", "boss", "editor")
    assert demote.exit_code == 1 and "last active administrator" in demote.stderr
    for command in (("deactivate", "nobody"), ("reactivate", "nobody"), ("set-role", "nobody", "editor"),
                    ("reset-password", "nobody")):
        result = cli("users", *command)
        assert result.exit_code == 1 and "no user called 'nobody'" in result.stderr, command
    assert _login_status(env, "boss") == 303


def test_set_role_changes_what_the_user_may_do(cli, env) -> None:
    env.user("admin", username="boss")
    editor = env.user("editor", username="somsri")
    client = env.login(editor)
    assert client.get("/console/audit").status_code == 200
    demoted = cli("users", "set-role", "somsri", "analyst")
    assert demoted.exit_code == 0 and "now analyst" in demoted.stdout, demoted.output
    assert client.get("/console/audit").status_code == 403  # applies to the very next page
    assert "nothing changed" in cli("users", "set-role", "somsri", "analyst").stdout
    no_agency = cli("users", "set-role", "somsri", "agency_officer")
    assert no_agency.exit_code == 1 and "belongs to an agency" in no_agency.stderr
    unknown = cli("users", "set-role", "somsri", "agency_officer", "--agency", "999")
    assert unknown.exit_code == 1 and "no agency called '999'" in unknown.stderr
    with env.db.unit_of_work() as session:
        agency = Agency(name_th="กรมควบคุมโรค", name_en="Department of Disease Control")
        session.add(agency)
        session.flush()
        agency_id = agency.id
    officer = cli("users", "set-role", "somsri", "agency_officer", "--agency", str(agency_id))
    assert officer.exit_code == 0 and "กรมควบคุมโรค" in officer.stdout, officer.output
    assert _user(env.db, "somsri").agency_id == agency_id
    assert client.get("/console/reports").status_code == 403 and client.get("/console/agency").status_code == 200
    back = cli("users", "set-role", "somsri", "analyst")
    assert back.exit_code == 0 and _user(env.db, "somsri").agency_id is None  # staff belong to no agency
    bad_role = cli("users", "set-role", "somsri", "superuser")
    assert bad_role.exit_code == 2
    updates = [who for action, who in _actions(env.db, "somsri") if action == "user.updated"]
    assert len(updates) == 3 and all(who.startswith("cli:") for who in updates)


def test_reset_password_prints_a_one_time_link(cli, env) -> None:
    env.user("admin", username="boss")
    analyst = env.user("analyst", username="somsri")
    client = env.login(analyst)
    result = cli("users", "reset-password", "somsri")
    assert result.exit_code == 0, result.output
    link = result.stdout.strip()
    assert link.startswith(env.settings.base_url + "/console/set-password?token=") and "\n" not in link
    assert "works once" in result.stderr
    assert client.get("/console/reports", follow_redirects=False).status_code in (303, 401)  # sessions ended
    assert _login_status(env, "somsri") == 401  # the old password no longer works
    person = TestClient(env.app)
    path = link.removeprefix(env.settings.base_url)
    form = person.get(path)
    assert form.status_code == 200 and "somsri" in form.text
    token = re.search(r'name="token" value="([^"]+)"', form.text).group(1)
    done = person.post("/console/set-password", data={"csrf_token": csrf_from(form.text), "token": html.unescape(token),
                                                      "password": "a-new-password", "again": "a-new-password"},
                       follow_redirects=False)
    assert done.status_code == 303
    assert _login_status(env, "somsri", "a-new-password") == 303
    assert person.get(path).status_code == 400  # used once, dead
    actions = _actions(env.db, "somsri")
    assert [a for a, _ in actions if a.startswith("user.password")] == ["user.password_reset", "user.password_set"]
    assert next(who for a, who in actions if a == "user.password_reset").startswith("cli:")


def test_reset_2fa_makes_the_user_enrol_again(cli, env) -> None:
    """The way back after KHAOJING_SECRET_KEY changed (every enrolled factor stops working) or a lost phone."""
    from khaojing.accounts import twofactor

    env.user("admin", username="boss")
    editor = env.user("editor", username="somchai")
    client = env.login(editor)  # enrols the editor's second factor (editors need one)
    with env.db.unit_of_work(readonly=True) as session:
        assert twofactor.is_enrolled(session, editor.id)
    result = cli("users", "reset-2fa", "somchai")
    assert result.exit_code == 0 and "second factor removed" in result.stdout
    with env.db.unit_of_work(readonly=True) as session:
        assert not twofactor.is_enrolled(session, editor.id)
        assert session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc()).limit(1)) == "user.2fa_reset"
    assert client.get("/console/reports", follow_redirects=False).status_code in (303, 401)  # sessions ended
    again = cli("users", "reset-2fa", "somchai")
    assert again.exit_code == 0 and "was not set up" in again.stdout
    assert cli("users", "reset-2fa", "nobody").exit_code == 1
