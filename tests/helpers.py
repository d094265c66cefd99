"""Helpers for tests: a TestEnv with the app and client, users, logins, partner keys, job runs, images."""

from __future__ import annotations

import io
import re

from fastapi.testclient import TestClient
from PIL import Image

from khaojing.accounts.models import Role, User
from khaojing.accounts.service import create_user
from khaojing.app import create_app
from khaojing.db.session import Database
from khaojing.intake import partners
from khaojing.jobs.worker import Worker
from khaojing.settings import Settings

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "correct-horse-battery"


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (64, 48), color: str = "red") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, fmt)
    return buf.getvalue()


class TestEnv:
    __test__ = False

    def __init__(self, settings: Settings, db: Database):
        self.settings, self.db = settings, db
        self.app = create_app(settings, db=db, start_worker=False)
        # entered: the client keeps one event loop and its thread pool for the whole test, as a real server does.
        # Not entered, it starts a new loop, portal thread and worker thread for every request (3-8 ms each).
        self.client = TestClient(self.app).__enter__()

    def close(self) -> None:
        self.client.__exit__(None, None, None)

    def user(self, role: Role | str = Role.analyst, username: str | None = None,
             agency_id: int | None = None) -> User:
        role = Role(role)
        with self.db.unit_of_work() as session:
            if role == Role.agency_officer and agency_id is None:
                from khaojing.accounts.models import Agency
                agency = Agency(name_th="กระทรวงสาธารณสุข", name_en="Ministry of Public Health")
                session.add(agency)
                session.flush()
                agency_id = agency.id
            return create_user(session, username=username or f"{role.value}1", password=PASSWORD, role=role,
                               display_name=f"Test {role.value}", agency_id=agency_id)

    def login(self, user: User, client: TestClient | None = None) -> TestClient:
        client = client or self.client
        self.totp_code(user)  # enrols editors and administrators: the password step then asks for the code
        page = client.get("/console/login")
        response = client.post("/console/login", data={"username": user.username, "password": PASSWORD,
                                                       "csrf_token": csrf_from(page.text)},
                               follow_redirects=False)
        assert response.status_code == 303, response.text
        if response.headers["location"] == "/console/login/code":
            code = self.totp_code(user)
            page = client.get("/console/login/code")
            response = client.post("/console/login/code", data={"code": code, "csrf_token": csrf_from(page.text)},
                                   follow_redirects=False)
            assert response.status_code == 303, response.text
        return client

    def totp_code(self, user: User) -> str:
        """A fresh TOTP code for `user`, enrolling them first (security, issue 9): editors and administrators log
        in with a second factor. The last used time step is forgotten so several logins in one 30 s window work."""
        import pyotp

        from khaojing.accounts import twofactor

        with self.db.unit_of_work() as session:
            person = session.get(User, user.id)
            if twofactor.is_required(self.settings, person) and not twofactor.is_enrolled(session, person.id):
                twofactor.enrol_now(session, settings=self.settings, user=person)
            row = twofactor.get(session, person.id)
            if row is None:
                return ""
            row.last_step = None
            return pyotp.TOTP(twofactor._decrypt(self.settings, row.secret_enc)).now()

    def partner_key(self, name: str = "moph") -> str:
        with self.db.unit_of_work() as session:
            return partners.create_partner(session, name=name, actor="system").key

    def run_jobs(self) -> int:
        return Worker(self.db).run_until_empty()
