"""A request body over the server's limit is refused before it is read: an API client gets the JSON error, a person
sending a form (say, a video attached to the report form) the site's error page in their language, naming the limit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from helpers import TestEnv, csrf_from
from khaojing.intake.models import Report

LIMIT = 200_000


@pytest.fixture
def small_env(settings, db) -> Iterator[TestEnv]:  # noqa: ANN001
    settings.max_request_bytes = LIMIT
    env = TestEnv(settings, db)
    yield env
    env.close()


def _reports(env: TestEnv) -> int:
    with env.db.unit_of_work(readonly=True) as session:
        return session.scalar(select(func.count(Report.id)))


@pytest.mark.parametrize(("lang", "said"), [("th", "ข้อมูลที่ส่งมามีขนาดเกิน 200 KB"), ("en", "What was sent is over 200 KB")])
def test_a_person_sending_too_much_gets_the_error_page_in_their_language(small_env, lang, said) -> None:  # noqa: ANN001
    client = small_env.client
    token = csrf_from(client.get("/report", params={"lang": lang}).text)
    refused = client.post("/report", data={"csrf_token": token, "text": "ข่าวลือ"},
                          files={"images": ("video.mp4", b"\0" * (LIMIT + 1), "video/mp4")},
                          headers={"Accept": "text/html"})
    assert refused.status_code == 413 and refused.headers["content-type"].startswith("text/html")
    assert said in refused.text and "<nav" in refused.text  # the site's page, not a JSON body
    assert _reports(small_env) == 0


def test_an_api_client_gets_json(small_env) -> None:  # noqa: ANN001
    refused = small_env.client.post("/api/v1/reports", content=b"x" * (LIMIT + 1),
                                    headers={"Content-Type": "application/json"})
    assert refused.status_code == 413 and refused.json()["error"]["code"] == "too_large"
    assert "200 KB" in refused.json()["error"]["message_th"]
