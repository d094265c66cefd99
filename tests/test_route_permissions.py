"""The console's permission matrix, route by route: every /console route of the app must have a row in EXPECTED (a
new route without one fails), and each row is checked for anonymous visitors, analysts, editors, agency officers
and administrators. A refused role gets the 403 page and exactly one "auth.denied" audit event naming who, the route
and the roles it needs; no session goes to the login page unaudited; officers never see a citizen's identity."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from helpers import csrf_from, image_bytes
from khaojing.audit.models import AuditEvent
from khaojing.cases import collab, requests, service
from khaojing.cases.files import check_file
from khaojing.messages import t

sys.path.insert(0, str(Path(__file__).parent / "cases"))
from case_helpers import make_claim, make_staff  # noqa: E402

ANALYST, EDITOR, OFFICER, ADMIN = "analyst", "editor", "agency_officer", "admin"
ROLES = (ANALYST, EDITOR, OFFICER, ADMIN)
PUBLIC = "public"  # anyone, logged in or not
ANY = frozenset(ROLES)  # any logged-in user
STAFF = frozenset({ADMIN, EDITOR, ANALYST})
WORKERS = frozenset({ANALYST, EDITOR})
EDITORS = frozenset({EDITOR})
LEADS = frozenset({ADMIN, EDITOR})  # editors and administrators (audit log, sources, blocklist)
ADMINS = frozenset({ADMIN})
OFFICERS = frozenset({OFFICER})

# (method, route path) -> who may use it. Keep in step with the routes: the test fails on a missing or stale row.
EXPECTED: dict[tuple[str, str], frozenset[str] | str] = {
    # log in and out, set a password through a one-time link, the front door (accounts)
    ("GET", "/console/login"): PUBLIC, ("POST", "/console/login"): PUBLIC, ("POST", "/console/logout"): PUBLIC,
    ("GET", "/console/set-password"): PUBLIC, ("POST", "/console/set-password"): PUBLIC,
    ("GET", "/console"): ANY,
    # two-factor login (issue 9): the code step follows the password; anyone logged in may set up a second factor
    ("GET", "/console/login/code"): PUBLIC, ("POST", "/console/login/code"): PUBLIC,
    ("GET", "/console/2fa/setup"): ANY, ("POST", "/console/2fa/setup"): ANY,
    ("POST", "/console/users/{user_id:int}/2fa/reset"): ADMINS,
    # administration (accounts/admin.py)
    ("GET", "/console/users"): ADMINS, ("GET", "/console/users/new"): ADMINS, ("POST", "/console/users/new"): ADMINS,
    ("GET", "/console/users/{user_id:int}"): ADMINS, ("POST", "/console/users/{user_id:int}/edit"): ADMINS,
    ("POST", "/console/users/{user_id:int}/deactivate"): ADMINS,
    ("POST", "/console/users/{user_id:int}/reactivate"): ADMINS,
    ("POST", "/console/users/{user_id:int}/password"): ADMINS, ("GET", "/console/settings"): ADMINS,
    # reports, claims, audit log
    ("GET", "/console/reports"): STAFF, ("GET", "/console/reports/{report_id:int}"): STAFF,
    ("GET", "/console/media/{media_id:int}"): STAFF, ("GET", "/console/audit"): LEADS,
    ("GET", "/console/claims"): STAFF, ("GET", "/console/claims/{claim_id:int}"): STAFF,
    ("POST", "/console/claims/{claim_id:int}/topic"): STAFF, ("POST", "/console/claims/{claim_id:int}/merge"): STAFF,
    ("POST", "/console/claims/{claim_id:int}/split"): STAFF,
    # cases: analysts work cases, requests and drafts; editors also assign, dismiss, reopen, approve and publish
    ("GET", "/console/cases"): STAFF, ("GET", "/console/cases/mine"): STAFF, ("GET", "/console/cases/workload"): STAFF,
    ("GET", "/console/cases/{case_id:int}"): STAFF, ("GET", "/console/cases/attachments/{attachment_id:int}"): STAFF,
    ("POST", "/console/cases/open"): WORKERS, ("POST", "/console/cases/{case_id:int}/move"): WORKERS,
    ("POST", "/console/cases/{case_id:int}/claim"): WORKERS, ("POST", "/console/cases/{case_id:int}/handover"): WORKERS,
    ("POST", "/console/cases/{case_id:int}/requests"): WORKERS,
    ("POST", "/console/cases/{case_id:int}/requests/{request_id:int}/withdraw"): WORKERS,
    ("POST", "/console/cases/{case_id:int}/comments"): WORKERS,
    ("POST", "/console/cases/{case_id:int}/attachments"): WORKERS,
    ("POST", "/console/cases/{case_id:int}/links"): WORKERS, ("POST", "/console/cases/{case_id:int}/verdict"): WORKERS,
    ("POST", "/console/cases/{case_id:int}/verdict/submit"): WORKERS,
    ("POST", "/console/cases/{case_id:int}/assign"): EDITORS, ("POST", "/console/cases/{case_id:int}/dismiss"): EDITORS,
    ("POST", "/console/cases/{case_id:int}/restore"): EDITORS, ("POST", "/console/cases/{case_id:int}/reopen"): EDITORS,
    ("POST", "/console/cases/{case_id:int}/verdict/return"): EDITORS,
    ("POST", "/console/cases/{case_id:int}/verdict/publish"): EDITORS,
    ("GET", "/console/notices"): ANY, ("POST", "/console/notices/read"): ANY,
    # the agency directory (administrators edit it) and the agency portal (officers only)
    ("GET", "/console/agencies"): STAFF, ("GET", "/console/agencies/{agency_id:int}"): STAFF,
    ("GET", "/console/agencies/new"): ADMINS, ("POST", "/console/agencies/new"): ADMINS,
    ("GET", "/console/agencies/{agency_id:int}/edit"): ADMINS,
    ("POST", "/console/agencies/{agency_id:int}/edit"): ADMINS,
    ("GET", "/console/agency"): OFFICERS, ("GET", "/console/agency/requests/{request_id:int}"): OFFICERS,
    ("POST", "/console/agency/requests/{request_id:int}/answer"): OFFICERS,
    ("POST", "/console/agency/requests/{request_id:int}/decline"): OFFICERS,
    ("POST", "/console/agency/requests/{request_id:int}/forward"): OFFICERS,
    ("GET", "/console/agency/attachments/{attachment_id:int}"): OFFICERS,
    # the LINE tipline (issue 4): staff read, editors and administrators change the blocklist
    ("GET", "/console/line/blocklist"): STAFF, ("GET", "/console/line/preview"): STAFF,
    ("POST", "/console/line/blocklist"): LEADS, ("POST", "/console/line/blocklist/{blocked_id:int}/lift"): LEADS,
    # trends and listening (issue 7): staff read, editors and administrators manage sources and watchlists
    ("GET", "/console/trends"): STAFF, ("GET", "/console/trends/sources"): STAFF,
    ("GET", "/console/trends/reports"): STAFF, ("GET", "/console/trends/reports/{filename}"): STAFF,
    ("POST", "/console/trends/reports"): STAFF, ("POST", "/console/trends/sources"): LEADS,
    ("POST", "/console/trends/sources/{source_id}/active"): LEADS,
    ("POST", "/console/trends/sources/{source_id}/fetch"): LEADS, ("POST", "/console/trends/watchlists"): LEADS,
    # enforcement (issue 8): staff read evidence and takedowns, analysts and editors act on them
    ("GET", "/console/evidence"): STAFF, ("GET", "/console/evidence/{evidence_id:int}"): STAFF,
    ("GET", "/console/evidence/{evidence_id:int}/files/{file_id:int}"): STAFF,
    ("POST", "/console/evidence/capture"): WORKERS, ("POST", "/console/evidence/upload"): WORKERS,
    ("POST", "/console/evidence/media"): WORKERS, ("POST", "/console/evidence/package/{case_id:int}"): WORKERS,
    ("POST", "/console/evidence/{evidence_id:int}/attach"): WORKERS,
    ("POST", "/console/evidence/{evidence_id:int}/handover"): WORKERS,
    ("GET", "/console/takedowns"): STAFF, ("GET", "/console/takedowns/stats"): STAFF,
    ("GET", "/console/takedowns/{takedown_id:int}"): STAFF, ("POST", "/console/takedowns"): WORKERS,
    ("POST", "/console/takedowns/{takedown_id:int}/status"): WORKERS,
    ("POST", "/console/takedowns/{takedown_id:int}/contact"): WORKERS,
    ("POST", "/console/takedowns/{takedown_id:int}/recheck"): WORKERS,
}
PARAM_RE = re.compile(r"\{(\w+)(?::\w+)?\}")


def console_routes(app) -> set[tuple[str, str]]:  # noqa: ANN001
    found = set()
    for route in iter_route_contexts(app.routes):
        path = route.path or ""
        if path == "/console" or path.startswith("/console/"):
            found.update((method, path) for method in (route.methods or ()) if method != "HEAD")
    return found


def concrete(path: str, ids: dict[str, int]) -> str:
    """The route path with real ids (an officer's evidence for the portal's attachment route)."""
    def value(match: re.Match) -> str:
        name = match.group(1)
        if name == "attachment_id" and path.startswith("/console/agency/"):
            return str(ids["evidence"])
        return str(ids.get(name, 1))

    return PARAM_RE.sub(value, path)


def test_every_console_route_has_a_rule(env) -> None:  # noqa: ANN001
    routes = console_routes(env.app)
    missing = sorted(routes - set(EXPECTED))
    stale = sorted(set(EXPECTED) - routes)
    assert not missing, f"console routes without a permission rule (add them to EXPECTED): {missing}"
    assert not stale, f"rules for routes that no longer exist (remove them from EXPECTED): {stale}"


@pytest.fixture
def world(env, settings):  # noqa: ANN001, ANN201
    staff = make_staff(env.db)
    with env.db.unit_of_work() as session:
        claim = make_claim(session, settings, who="citizen@example.com")
        case = service.open_case(session, claim_id=claim.id, actor=staff.analyst, settings=settings)
        for state in ("screening", "investigating"):
            service.transition(session, case_id=case.id, to_state=state, actor=staff.analyst)
        png = check_file(image_bytes(), max_bytes=10**6, original_name="post.png")
        [req] = requests.send_requests(session, case_id=case.id, actor=staff.analyst, settings=settings,
                                       data=requests.RequestIn(agency_ids=[staff.agency.id], question="จริงไหม",
                                                               files=[png]))
        attachment = collab.add_attachment(session, case_id=case.id, checked=png, settings=settings, actor="user:1")
        evidence = next(a for a in collab.attachments_of(session, case.id) if a.request_id == req.id)
        ids = {"case_id": case.id, "request_id": req.id, "attachment_id": attachment.id, "evidence": evidence.id,
               "agency_id": staff.agency.id, "claim_id": claim.id, "report_id": claim.id,
               "user_id": staff.analyst2.id}
        from khaojing.intake.models import Report, Requester

        ids["report_id"] = session.scalar(select(Report.id).where(Report.claim_id == claim.id))
        citizen_key = session.scalar(select(Requester.key_hash))
    users = {ANALYST: staff.analyst, EDITOR: staff.editor, OFFICER: staff.officer, ADMIN: staff.admin}
    return ids, users, citizen_key


def _denials(env) -> int:  # noqa: ANN001
    with env.db.unit_of_work(readonly=True) as session:
        return session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "auth.denied")) or 0


def _last_denial(env) -> AuditEvent:  # noqa: ANN001
    with env.db.unit_of_work(readonly=True) as session:
        return session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.denied")
                              .order_by(AuditEvent.id.desc()).limit(1))


def _call(client: TestClient, method: str, url: str, token: str):  # noqa: ANN202
    if method == "GET":
        return client.get(url, follow_redirects=False)
    return client.post(url, data={"csrf_token": token}, follow_redirects=False)


def _ordered(rules: dict) -> list[tuple[str, str]]:
    """GETs first, logging out last (it ends the session the other calls need)."""
    return sorted(rules, key=lambda r: (r == ("POST", "/console/logout"), r[0] != "GET", r[1]))


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_table_says(env, world, role: str) -> None:  # noqa: ANN001
    ids, users, citizen_key = world
    user = users[role]
    client = env.login(user, client=TestClient(env.app))
    token = csrf_from(client.get("/console/notices").text)
    for method, path in _ordered(EXPECTED):
        rule = EXPECTED[(method, path)]
        url = concrete(path, ids)
        before = _denials(env)
        response = _call(client, method, url, token)
        where = (role, method, url, response.status_code)
        assert response.status_code < 500, where
        if rule == PUBLIC:  # (logging in with an empty form is a 401 "wrong password" page, not a refusal)
            assert response.status_code != 403 and _denials(env) == before, where
        elif role in rule:
            assert response.status_code not in (401, 403), (*where, response.text[:300])
            assert "/console/login" not in response.headers.get("location", ""), where
            assert _denials(env) == before, where
        else:
            assert response.status_code == 403, where
            assert "ไม่มีสิทธิ์" in response.text, where  # the 403 page, in Thai by default
            assert all(f"“{t(f'role.{r}')}”" in response.text for r in rule), where  # and which roles may
            assert _denials(env) == before + 1, where
            event = _last_denial(env)
            assert event.actor == f"user:{user.id}" and event.data["path"] == url, where
            assert event.data["role"] == role and set(event.data["required"]) == set(rule), where
        if role == OFFICER and method == "GET" and response.status_code == 200:
            body = response.text
            assert "citizen@example.com" not in body and citizen_key not in body and citizen_key[:12] not in body


def test_no_session_goes_to_the_login_page_unaudited(env, world) -> None:  # noqa: ANN001
    ids, _users, _key = world
    anonymous = TestClient(env.app)
    token = csrf_from(anonymous.get("/console/login").text)
    before = _denials(env)
    for method, path in _ordered(EXPECTED):
        url = concrete(path, ids)
        response = _call(anonymous, method, url, token)
        assert response.status_code < 500, (method, url)
        if EXPECTED[(method, path)] == PUBLIC:
            assert response.status_code != 403, (method, url, response.status_code)
        else:
            assert response.status_code == 303, (method, url, response.status_code)
            assert response.headers["location"].startswith("/console/login?next="), (method, url)
    assert _denials(env) == before
