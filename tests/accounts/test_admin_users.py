"""The admin's user pages as an administrator meets them: list and filters, create (with an initial password or a
one-time set-password link), role and agency changes, deactivation that ends sessions at once, password resets,
the last-administrator rule, CSRF, English texts, and refusals for everyone who is not an administrator."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from helpers import PASSWORD, csrf_from
from khaojing.accounts.models import Agency, Role, User
from khaojing.audit.models import AuditEvent

LINK_RE = re.compile(r'id="set-link"[^>]*value="([^"]+)"')


def _actions(env) -> list[str]:  # noqa: ANN001
    with env.db.unit_of_work(readonly=True) as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def _user(env, username: str) -> User | None:  # noqa: ANN001
    with env.db.unit_of_work(readonly=True) as session:
        return session.scalar(select(User).where(User.username == username))


def _agency(env, name: str = "กรมควบคุมโรค") -> int:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        agency = Agency(name_th=name, name_en="Department of Disease Control")
        session.add(agency)
        session.flush()
        return agency.id


def _admin(env) -> tuple[TestClient, str, User]:  # noqa: ANN001
    admin = env.user(Role.admin, username="root")
    client = env.login(admin, client=TestClient(env.app))
    return client, csrf_from(client.get("/console/users").text), admin


def _login(env, username: str, password: str) -> TestClient:  # noqa: ANN001
    client = TestClient(env.app)
    token = csrf_from(client.get("/console/login").text)
    response = client.post("/console/login", data={"username": username, "password": password, "csrf_token": token},
                           follow_redirects=False)
    client.status = response.status_code  # type: ignore[attr-defined]
    return client


def test_list_filters_by_role_agency_status_and_text(env) -> None:  # noqa: ANN001
    client, _token, _admin_user = _admin(env)
    agency_id = _agency(env)
    env.user(Role.analyst, username="malee")
    env.user(Role.agency_officer, username="ddc-officer", agency_id=agency_id)
    env.user(Role.editor, username="old-editor")
    with env.db.unit_of_work() as session:
        session.scalar(select(User).where(User.username == "old-editor")).is_active = False
    page = client.get("/console/users").text
    assert all(name in page for name in ("malee", "ddc-officer", "old-editor", "root"))
    assert "ผู้ใช้งานระบบ" in page and "4 บัญชี" in page
    only_officers = client.get("/console/users?role=agency_officer").text
    assert "ddc-officer" in only_officers and "malee" not in only_officers
    by_agency = client.get(f"/console/users?agency={agency_id}").text
    assert "ddc-officer" in by_agency and "กรมควบคุมโรค" in by_agency and "root" not in by_agency
    inactive = client.get("/console/users?active=0").text
    assert "old-editor" in inactive and "malee" not in inactive and "ระงับแล้ว" in inactive
    assert "malee" in client.get("/console/users?q=MAL").text
    assert "ไม่พบผู้ใช้" in client.get("/console/users?q=nobody-like-this").text
    assert client.get("/console/users?role=king&agency=x&active=maybe").status_code == 200  # odd filters: ignored


def test_create_with_an_initial_password_then_the_user_logs_in(env) -> None:  # noqa: ANN001
    client, token, _admin_user = _admin(env)
    response = client.post("/console/users/new", data={
        "csrf_token": token, "username": "Somchai@Center.example", "display_name": "สมชาย ใจดี", "role": "editor",
        "email": "somchai@center.example", "mode": "password", "password": "a-fine-password"}, follow_redirects=False)
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert "สร้างบัญชี somchai@center.example แล้ว" in page and 'id="set-link"' not in page
    user = _user(env, "somchai@center.example")
    assert user is not None and user.role == "editor" and user.display_name == "สมชาย ใจดี"
    assert _login(env, "somchai@center.example", "a-fine-password").status == 303
    with env.db.unit_of_work(readonly=True) as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "user.created")
                               .order_by(AuditEvent.id.desc()).limit(1))
    assert event.actor.startswith("user:") and event.data["role"] == "editor" and event.data["password"] == "set"


def test_create_refusals_keep_the_form_and_explain(env) -> None:  # noqa: ANN001
    client, token, _admin_user = _admin(env)
    base = {"csrf_token": token, "username": "officer9", "display_name": "เจ้าหน้าที่", "mode": "password",
            "password": "long-enough-pw"}
    no_agency = client.post("/console/users/new", data={**base, "role": "agency_officer"})
    assert no_agency.status_code == 422 and "ต้องสังกัดหน่วยงาน" in no_agency.text
    assert 'value="officer9"' in no_agency.text  # what was typed stays
    short = client.post("/console/users/new", data={**base, "role": "analyst", "password": "short"})
    assert short.status_code == 422 and "อย่างน้อย 10 ตัวอักษร" in short.text
    bad_mail = client.post("/console/users/new", data={**base, "role": "analyst", "email": "not-an-address"})
    assert bad_mail.status_code == 422 and "อีเมลไม่ถูกต้อง" in bad_mail.text
    spaced = client.post("/console/users/new", data={**base, "role": "analyst", "username": "two words"})
    assert spaced.status_code == 422
    taken = client.post("/console/users/new", data={**base, "role": "analyst", "username": "root"})
    assert taken.status_code == 409 and "มีชื่อผู้ใช้นี้แล้ว" in taken.text
    odd_role = client.post("/console/users/new", data={**base, "role": "superuser"})
    assert odd_role.status_code == 422
    assert _user(env, "officer9") is None and _actions(env).count("user.created") == 1  # the admin only
    agency_id = _agency(env)
    ok = client.post("/console/users/new", data={**base, "role": "agency_officer", "agency": str(agency_id)},
                     follow_redirects=False)
    assert ok.status_code == 303 and _user(env, "officer9").agency_id == agency_id


def test_a_one_time_link_sets_the_password_once(env) -> None:  # noqa: ANN001
    client, token, _admin_user = _admin(env)
    response = client.post("/console/users/new", data={"csrf_token": token, "username": "malee",
                                                       "display_name": "มาลี", "role": "analyst", "mode": "link"},
                           follow_redirects=False)
    page = client.get(response.headers["location"]).text
    link = html.unescape(LINK_RE.search(page).group(1))
    assert link.startswith(env.settings.base_url + "/console/set-password?token=")
    assert 'id="set-link"' not in client.get(response.headers["location"]).text  # shown once
    assert _login(env, "malee", PASSWORD).status == 401  # no usable password before the link is used
    person = TestClient(env.app)
    path = link.removeprefix(env.settings.base_url)
    form = person.get(path)
    assert form.status_code == 200 and "malee" in form.text and 'name="again"' in form.text
    tok = html.unescape(re.search(r'name="token" value="([^"]+)"', form.text).group(1))
    mismatch = person.post("/console/set-password", data={"csrf_token": csrf_from(form.text), "token": tok,
                                                          "password": "my-own-password", "again": "different-pw1"})
    assert mismatch.status_code == 422 and "ไม่ตรงกัน" in mismatch.text and 'name="token"' in mismatch.text
    short = person.post("/console/set-password", data={"csrf_token": csrf_from(form.text), "token": tok,
                                                       "password": "short", "again": "short"})
    assert short.status_code == 422 and "อย่างน้อย 10" in short.text
    done = person.post("/console/set-password", data={"csrf_token": csrf_from(form.text), "token": tok,
                                                      "password": "my-own-password", "again": "my-own-password"},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/console/login?pwset=1"
    assert "ตั้งรหัสผ่านแล้ว" in person.get(done.headers["location"]).text
    assert _login(env, "malee", "my-own-password").status == 303
    again = person.get(path)
    assert again.status_code == 400 and "ถูกใช้ไปแล้ว" in again.text and 'name="password"' not in again.text
    reuse = person.post("/console/set-password", data={"csrf_token": csrf_from(person.get("/console/login").text),
                                                       "token": tok,
                                                       "password": "another-password", "again": "another-password"})
    assert reuse.status_code == 422 and _login(env, "malee", "another-password").status == 401
    forged = person.get("/console/set-password?token=" + tok[:-3] + "abc")
    assert forged.status_code == 400
    assert "user.password_set" in _actions(env)


def test_the_link_expires(env) -> None:  # noqa: ANN001
    client, token, _admin_user = _admin(env)
    response = client.post("/console/users/new", data={"csrf_token": token, "username": "late", "role": "analyst",
                                                       "display_name": "", "mode": "link"}, follow_redirects=False)
    link = html.unescape(LINK_RE.search(client.get(response.headers["location"]).text).group(1))
    env.settings.password_link_hours = -1
    assert TestClient(env.app).get(link.removeprefix(env.settings.base_url)).status_code == 400


def test_deactivation_ends_the_users_sessions_at_once_and_reactivation_lets_them_back(env) -> None:  # noqa: ANN001
    client, token, _admin_user = _admin(env)
    editor = env.user(Role.editor, username="somsri")
    theirs = env.login(editor, client=TestClient(env.app))
    assert theirs.get("/console/cases").status_code == 200
    response = client.post(f"/console/users/{editor.id}/deactivate", data={"csrf_token": token},
                           follow_redirects=False)
    assert response.status_code == 303
    assert "ระงับบัญชี somsri แล้ว" in client.get(response.headers["location"]).text
    gone = theirs.get("/console/cases", follow_redirects=False)
    assert gone.status_code == 303 and gone.headers["location"].startswith("/console/login")
    assert _login(env, "somsri", PASSWORD).status == 401
    assert client.post(f"/console/users/{editor.id}/reactivate", data={"csrf_token": token},
                       follow_redirects=False).status_code == 303
    assert _login(env, "somsri", PASSWORD).status == 303
    actions = _actions(env)
    assert "user.deactivated" in actions and "user.reactivated" in actions


def test_role_and_agency_changes_apply_on_the_next_page(env) -> None:  # noqa: ANN001
    client, token, _admin_user = _admin(env)
    analyst = env.user(Role.analyst, username="nok")
    theirs = env.login(analyst, client=TestClient(env.app))
    assert theirs.get("/console/audit").status_code == 403
    base = {"csrf_token": token, "display_name": "นก", "email": ""}
    refused = client.post(f"/console/users/{analyst.id}/edit", data={**base, "role": "agency_officer"})
    assert refused.status_code == 422 and "ต้องสังกัดหน่วยงาน" in refused.text
    assert client.post(f"/console/users/{analyst.id}/edit", data={**base, "role": "editor", "agency": "7"},
                       follow_redirects=False).status_code == 303
    assert theirs.get("/console/audit").status_code == 200
    changed = _user(env, "nok")
    assert changed.role == "editor" and changed.agency_id is None  # center staff have no agency
    agency_id = _agency(env)
    assert client.post(f"/console/users/{analyst.id}/edit", data={**base, "role": "agency_officer",
                                                                  "agency": str(agency_id)},
                       follow_redirects=False).status_code == 303
    assert theirs.get("/console/cases").status_code == 403 and theirs.get("/console/agency").status_code == 200
    with env.db.unit_of_work(readonly=True) as session:
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.action == "user.updated")))
    assert [e.data["changes"]["role"] for e in events] == [["analyst", "editor"], ["editor", "agency_officer"]]
    assert client.get("/console/users/99999").status_code == 404


def test_the_last_active_admin_can_neither_leave_nor_be_demoted(env) -> None:  # noqa: ANN001
    client, token, admin = _admin(env)
    demote = client.post(f"/console/users/{admin.id}/edit", data={"csrf_token": token, "role": "editor",
                                                                 "display_name": "root"})
    assert demote.status_code == 409 and "ผู้ดูแลระบบคนสุดท้าย" in demote.text
    leave = client.post(f"/console/users/{admin.id}/deactivate", data={"csrf_token": token})
    assert leave.status_code == 409
    assert _user(env, "root").role == "admin" and _user(env, "root").is_active
    env.user(Role.admin, username="second")
    assert client.post(f"/console/users/{admin.id}/edit", data={"csrf_token": token, "role": "editor",
                                                               "display_name": "root"},
                       follow_redirects=False).status_code == 303
    assert client.get("/console/users").status_code == 403  # no longer an admin: at once
    assert _user(env, "root").role == "editor"


def test_reset_makes_the_old_password_useless_and_gives_a_link_or_sets_a_new_one(env) -> None:  # noqa: ANN001
    client, token, _admin_user = _admin(env)
    analyst = env.user(Role.analyst, username="kai")
    theirs = env.login(analyst, client=TestClient(env.app))
    response = client.post(f"/console/users/{analyst.id}/password", data={"csrf_token": token},
                           follow_redirects=False)
    page = client.get(response.headers["location"]).text
    assert "รีเซ็ตรหัสผ่านของ kai แล้ว" in page and LINK_RE.search(page)
    assert theirs.get("/console/cases", follow_redirects=False).status_code == 303
    assert _login(env, "kai", PASSWORD).status == 401
    short = client.post(f"/console/users/{analyst.id}/password", data={"csrf_token": token, "password": "short"})
    assert short.status_code == 422
    assert client.post(f"/console/users/{analyst.id}/password", data={"csrf_token": token,
                                                                       "password": "brand-new-password"},
                       follow_redirects=False).status_code == 303
    assert _login(env, "kai", "brand-new-password").status == 303
    assert {"user.password_reset", "user.password_set"} <= set(_actions(env))


def test_forms_without_the_csrf_token_change_nothing(env) -> None:  # noqa: ANN001
    client, _token, admin = _admin(env)
    other = env.user(Role.editor, username="somsak")
    assert client.post("/console/users/new", data={"username": "x1", "role": "analyst", "mode": "link"}
                       ).status_code == 403
    assert client.post(f"/console/users/{other.id}/deactivate", data={"csrf_token": "forged"}).status_code == 403
    assert _user(env, "x1") is None and _user(env, "somsak").is_active


def test_other_roles_are_refused_and_each_refusal_is_audited(env) -> None:  # noqa: ANN001
    target = env.user(Role.analyst, username="target")
    for role in (Role.editor, Role.analyst):
        client = env.login(env.user(role), client=TestClient(env.app))
        token = csrf_from(client.get("/console/notices").text)
        for path in ("/console/users", "/console/users/new", f"/console/users/{target.id}", "/console/settings"):
            page = client.get(path)
            assert page.status_code == 403 and "ไม่มีสิทธิ์" in page.text, (role, path)
        assert client.post(f"/console/users/{target.id}/deactivate", data={"csrf_token": token}).status_code == 403
        assert 'href="/console/users"' not in client.get("/console/cases").text  # not in their navigation
    assert _user(env, "target").is_active
    with env.db.unit_of_work(readonly=True) as session:
        denied = list(session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.denied")))
    assert len(denied) == 10
    assert denied[0].data["required"] == ["admin"] and denied[0].data["path"] == "/console/users"


def test_pages_in_english(env) -> None:  # noqa: ANN001
    client, _token, admin = _admin(env)
    client.cookies.set("kj_lang", "en")
    assert "Add a user" in client.get("/console/users").text
    page = client.get(f"/console/users/{admin.id}").text
    assert "Deactivate" in page and "Reset the password" in page
    assert 'href="/console/users"' in page and 'href="/console/settings"' in page  # admin navigation
    assert "Effective settings" in client.get("/console/settings").text


def test_switching_language_on_the_set_password_page_keeps_the_form(env) -> None:  # noqa: ANN001
    client, token, _admin_user = _admin(env)
    response = client.post("/console/users/new", data={"csrf_token": token, "username": "john", "role": "analyst",
                                                       "display_name": "John", "mode": "link"}, follow_redirects=False)
    link = html.unescape(LINK_RE.search(client.get(response.headers["location"]).text).group(1))
    person = TestClient(env.app)
    first = person.get(link.removeprefix(env.settings.base_url))
    assert first.headers["cache-control"] == "no-store"
    switched = person.get("/lang/en?next=/console/set-password")  # the header's language link drops the query
    assert switched.status_code == 200 and "Set your password" in switched.text and 'name="password"' in switched.text
