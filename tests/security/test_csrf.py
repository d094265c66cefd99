"""CSRF on every form (issue 9): every POST route of the HTML app (the JSON API and the LINE webhook aside) refuses a
post without the session's token with 403 and changes nothing; a logged-in user's refusal is audited, once a
minute per user and path (no flooding), an anonymous one is only logged."""

from __future__ import annotations

import logging
import re

from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from helpers import csrf_from
from khaojing.accounts.models import Role
from khaojing.audit.models import AuditEvent
from khaojing.db.base import Base
from khaojing.web import security

# Not forms of this site: the partner and public JSON API (bearer keys, no cookies), the LINE webhook (signed by
# LINE) and one-click unsubscribe (RFC 8058 List-Unsubscribe-Post from mail clients; the signed token is the proof).
NOT_FORMS = ("/api/", "/line/")
ONE_CLICK = {"/unsubscribe"}
PARAM_RE = re.compile(r"\{(\w+)(?::\w+)?\}")


def form_routes(app) -> list[str]:  # noqa: ANN001
    paths = set()
    for route in iter_route_contexts(app.routes):
        path = route.path or ""
        if "POST" in (route.methods or ()) and not path.startswith(NOT_FORMS) and path not in ONE_CLICK:
            paths.add(PARAM_RE.sub("1", path))
    return sorted(paths)


def _row_counts(env) -> dict[str, int]:  # noqa: ANN001
    with env.db.unit_of_work(readonly=True) as session:
        counts = {name: session.scalar(select(func.count()).select_from(table))
                  for name, table in Base.metadata.tables.items() if name != "audit_events"}
        counts["audit_events"] = session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action != "auth.csrf_refused"))
        return counts


def _csrf_events(env) -> list[AuditEvent]:  # noqa: ANN001
    with env.db.unit_of_work(readonly=True) as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.csrf_refused")))


def test_every_form_post_without_the_token_is_refused_and_changes_nothing(env) -> None:  # noqa: ANN001
    security._csrf_audited.clear()
    paths = form_routes(env.app)
    assert len(paths) >= 55 and "/report" in paths and "/console/users/new" in paths  # the enumeration is real
    admin = env.login(env.user(Role.admin), client=TestClient(env.app))
    anonymous = TestClient(env.app)
    anonymous.get("/report")  # a session with a token exists; the post just does not carry it
    before = _row_counts(env)
    for path in paths:
        for who, client in (("admin", admin), ("anonymous", anonymous)):
            for data in ({}, {"csrf_token": "forged-token"}):
                response = client.post(path, data={**data, "text": "ข่าวปลอม", "name": "x"}, follow_redirects=False)
                assert response.status_code == 403, (who, path, data, response.status_code)
    assert _row_counts(env) == before
    assert admin.get("/console/reports").status_code == 200  # the refusals did not end the session
    events = _csrf_events(env)  # one per path for the logged-in admin (not per attempt), none for the anonymous
    assert sorted(e.data["path"] for e in events) == paths
    assert all(e.actor.startswith("user:") and e.data["token"] in ("missing", "wrong") for e in events)


def test_a_refused_form_is_audited_once_a_minute_and_anonymous_ones_only_logged(env, caplog) -> None:  # noqa: ANN001
    security._csrf_audited.clear()
    editor = env.login(env.user(Role.editor), client=TestClient(env.app))
    for _ in range(5):
        refused = editor.post("/console/notices/read", data={})
        assert refused.status_code == 403
    assert "แบบฟอร์มนี้หมดอายุ" in refused.text and "ไม่มีสิทธิ์" not in refused.text  # it says what to do, in Thai
    events = _csrf_events(env)
    assert len(events) == 1 and events[0].data["path"] == "/console/notices/read"
    token = csrf_from(editor.get("/console/notices").text)
    assert editor.post("/console/notices/read", data={"csrf_token": token}).status_code == 200
    with caplog.at_level(logging.WARNING, logger="khaojing.web.security"):
        assert TestClient(env.app).post("/subscribe", data={"email": "a@example.com"}).status_code == 403
    assert len(_csrf_events(env)) == 1
    assert any("CSRF refused (anonymous) POST /subscribe" in r.getMessage() for r in caplog.records)
    with env.db.unit_of_work(readonly=True) as session:
        assert session.execute(text("SELECT COUNT(*) FROM pub_subscribers")).scalar() == 0
