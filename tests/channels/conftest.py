"""Fixtures for the public web form tests: a form submitter and apps with small intake limits."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select

from helpers import TestEnv, csrf_from, image_bytes
from khaojing.db.session import Database
from khaojing.intake.models import Report
from khaojing.settings import Settings

SUBMISSION_RE = re.compile(r'name="submission_id" value="([^"]+)"')


class FormPage:
    """The report form as a browser got it: its CSRF token and its submission id."""

    def __init__(self, client: TestClient, path: str = "/report"):
        self.client = client
        page = client.get(path)
        assert page.status_code == 200, page.text
        self.html = page.text
        self.csrf = csrf_from(page.text)
        match = SUBMISSION_RE.search(page.text)
        assert match, "the form has no submission_id"
        self.submission_id = match.group(1)

    def submit(self, *, files: list[tuple[str, bytes]] | None = None, action: str = "/report",
               **fields: str) -> Response:
        data = {"csrf_token": self.csrf, "submission_id": self.submission_id, **fields}
        uploads = [("images", (name, content, "image/png")) for name, content in files or []]
        return self.client.post(action, data=data, files=uploads or None, follow_redirects=False)


@pytest.fixture
def form(env: TestEnv) -> Callable[..., FormPage]:
    """Open the report form (GET) in the test client, ready to submit."""
    return lambda path="/report": FormPage(env.client, path)


@pytest.fixture
def png() -> bytes:
    return image_bytes("PNG")


@pytest.fixture
def report_count(db: Database) -> Callable[[], int]:
    def count() -> int:
        with db.unit_of_work(readonly=True) as session:
            return session.scalar(select(func.count(Report.id))) or 0

    return count


@pytest.fixture
def small_limits_env(settings: Settings, db: Database) -> Iterator[TestEnv]:
    """An app that accepts images up to 1000 bytes and texts up to 200 bytes."""
    small = settings.model_copy(update={"max_image_bytes": 1000, "max_text_bytes": 200})
    test_env = TestEnv(small, db)
    yield test_env
    test_env.close()


@pytest.fixture
def small_form(small_limits_env: TestEnv) -> Callable[..., FormPage]:
    """Open the report form of the small-limits app."""
    return lambda path="/report": FormPage(small_limits_env.client, path)
