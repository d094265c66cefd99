"""The permission matrix, one check per role × route: analysts work cases, requests and drafts; editors also
approve, publish, reassign and dismiss; officers see only their agency's requests and evidence; admins edit the
agency directory. A wrong role gets the 403 page and an "auth.denied" audit event; no session -> the login page."""

from __future__ import annotations

import pytest
from case_helpers import make_claim
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from helpers import csrf_from, image_bytes
from khaojing.audit.models import AuditEvent
from khaojing.cases import collab, requests, service
from khaojing.cases.files import check_file

STAFF, WORKERS, EDITORS = {"admin", "editor", "analyst"}, {"editor", "analyst"}, {"editor"}
ADMINS, OFFICER, EVERYONE = {"admin"}, {"officer"}, {"admin", "editor", "analyst", "officer", "fdaofficer"}
ROLES = ("admin", "editor", "analyst", "officer", "fdaofficer")


def routes(ids: dict) -> list[tuple[str, str, set[str]]]:
    case, req, att, ev, agency = ids["case"], ids["request"], ids["attachment"], ids["evidence"], ids["agency"]
    c = f"/console/cases/{case}"
    return [
        ("GET", "/console/cases", STAFF), ("GET", "/console/cases/mine", STAFF),
        ("GET", "/console/cases/workload", STAFF), ("GET", c, STAFF),
        ("GET", f"/console/cases/attachments/{att}", STAFF), ("GET", "/console/agencies", STAFF),
        ("GET", f"/console/agencies/{agency}", STAFF),
        ("GET", "/console/agencies/new", ADMINS), ("GET", f"/console/agencies/{agency}/edit", ADMINS),
        ("POST", "/console/agencies/new", ADMINS), ("POST", f"/console/agencies/{agency}/edit", ADMINS),
        ("GET", "/console/agency", OFFICER | {"fdaofficer"}), ("GET", f"/console/agency/requests/{req}", OFFICER),
        ("GET", f"/console/agency/attachments/{ev}", OFFICER),
        ("POST", f"/console/agency/requests/{req}/answer", OFFICER),
        ("POST", f"/console/agency/requests/{req}/decline", OFFICER),
        ("POST", f"/console/agency/requests/{req}/forward", OFFICER),
        ("GET", "/console/notices", EVERYONE), ("POST", "/console/notices/read", EVERYONE),
        ("POST", "/console/cases/open", WORKERS), ("POST", f"{c}/move", WORKERS), ("POST", f"{c}/claim", WORKERS),
        ("POST", f"{c}/handover", WORKERS), ("POST", f"{c}/requests", WORKERS),
        ("POST", f"{c}/requests/{req}/withdraw", WORKERS), ("POST", f"{c}/comments", WORKERS),
        ("POST", f"{c}/attachments", WORKERS), ("POST", f"{c}/links", WORKERS), ("POST", f"{c}/verdict", WORKERS),
        ("POST", f"{c}/verdict/submit", WORKERS),
        ("POST", f"{c}/assign", EDITORS), ("POST", f"{c}/dismiss", EDITORS), ("POST", f"{c}/restore", EDITORS),
        ("POST", f"{c}/reopen", EDITORS), ("POST", f"{c}/verdict/return", EDITORS),
        ("POST", f"{c}/verdict/publish", EDITORS),
    ]


@pytest.fixture
def world(env, settings, staff):  # noqa: ANN001, ANN201
    with env.db.unit_of_work() as session:
        case = service.open_case(session, claim_id=make_claim(session, settings, who="citizen@example.com").id,
                                 actor=staff.analyst, settings=settings)
        for state in ("screening", "investigating"):
            service.transition(session, case_id=case.id, to_state=state, actor=staff.analyst)
        png = check_file(image_bytes(), max_bytes=10**6, original_name="post.png")
        [req] = requests.send_requests(session, case_id=case.id, actor=staff.analyst, settings=settings,
                                       data=requests.RequestIn(agency_ids=[staff.agency.id], question="จริงไหม",
                                                               files=[png]))
        att = collab.add_attachment(session, case_id=case.id, checked=png, settings=settings, actor="user:1")
        evidence = next(a for a in collab.attachments_of(session, case.id) if a.request_id == req.id)
        ids = {"case": case.id, "request": req.id, "attachment": att.id, "evidence": evidence.id,
               "agency": staff.agency.id}
    users = {"admin": staff.admin, "editor": staff.editor, "analyst": staff.analyst, "officer": staff.officer,
             "fdaofficer": staff.other_officer}
    clients = {}
    for role, user in users.items():
        client = env.login(user, client=TestClient(env.app))
        landing = "/console/agency" if role.endswith("officer") else "/console/notices"
        clients[role] = (client, csrf_from(client.get(landing).text))
    return ids, clients


def _denials(env) -> int:  # noqa: ANN001
    with env.db.unit_of_work(readonly=True) as session:
        return session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "auth.denied")) or 0


def _call(client: TestClient, method: str, path: str, token: str):  # noqa: ANN202
    if method == "GET":
        return client.get(path, follow_redirects=False)
    return client.post(path, data={"csrf_token": token}, follow_redirects=False)


@pytest.mark.parametrize("role", ROLES)
def test_matrix(env, world, role: str) -> None:  # noqa: ANN001
    ids, clients = world
    client, token = clients[role]
    for method, path, allowed in routes(ids):
        before = _denials(env)
        response = _call(client, method, path, token)
        assert response.status_code != 500, (role, method, path)
        if role in allowed:
            assert response.status_code not in (401, 403), (role, method, path, response.text[:300])
            assert "/console/login" not in response.headers.get("location", ""), (role, method, path)
        else:
            assert response.status_code == 403, (role, method, path, response.status_code)
            assert "ไม่มีสิทธิ์" in response.text or "not allowed" in response.text
            assert _denials(env) == before + 1, (role, method, path)
    with env.db.unit_of_work(readonly=True) as session:
        last = session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.denied")
                              .order_by(AuditEvent.id.desc()).limit(1))
    if last is not None:
        assert last.actor.startswith("user:") and last.data["path"].startswith("/console/")


def test_no_session_goes_to_the_login_page(env, world) -> None:  # noqa: ANN001
    ids, _clients = world
    anonymous = TestClient(env.app)
    token = csrf_from(anonymous.get("/console/login").text)
    before = _denials(env)
    for method, path, _allowed in routes(ids):
        response = _call(anonymous, method, path, token)
        assert response.status_code == 303 and response.headers["location"].startswith("/console/login?next="), \
            (method, path, response.status_code)
    assert _denials(env) == before  # no identity, nothing to audit


def test_an_expired_session_goes_to_the_login_page_and_is_audited(env, world, settings) -> None:  # noqa: ANN001
    ids, clients = world
    client, _token = clients["analyst"]
    before = _denials(env)
    settings.session_max_age_seconds = -1
    response = client.get(f"/console/cases/{ids['case']}", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/console/login")
    assert _denials(env) == before + 1
    assert client.get("/console/cases", follow_redirects=False).status_code == 303
    assert _denials(env) == before + 1  # the cleared session is now simply unknown


def test_officers_never_see_the_citizen(env, world, staff) -> None:  # noqa: ANN001
    ids, clients = world
    client, _token = clients["officer"]
    with env.db.unit_of_work(readonly=True) as session:
        from khaojing.intake.models import Requester

        key = session.scalar(select(Requester.key_hash))
    for path in ("/console/agency", f"/console/agency/requests/{ids['request']}", "/console/notices"):
        page = client.get(path).text
        assert key[:10] not in page and key not in page and "citizen@example.com" not in page
        assert "/console/reports" not in page and "/console/claims" not in page and "/console/cases" not in page
    other, _ = clients["fdaofficer"]
    listing = other.get("/console/agency").text
    assert f"/console/agency/requests/{ids['request']}" not in listing
