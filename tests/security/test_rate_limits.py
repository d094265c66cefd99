"""Rate limits (issue 9): public form posts per client IP and the APIs per partner key (or per IP without one) answer
429 with Retry-After and a Thai and English message once over the limit; other clients and keys are not affected;
the window slides; staff login posts are limited per client IP whatever the user name (the per-account lockout is
covered in tests/accounts: database-backed, per user name)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from helpers import csrf_from
from khaojing.web.security import RateLimiter


def _on(env, forms: int = 3, api: int = 4, login: int = 30) -> None:  # noqa: ANN001
    env.settings.rate_limit_enabled = True  # tests run in dev mode, where limits are off by default
    env.settings.rate_limit_forms_per_minute = forms
    env.settings.rate_limit_api_per_minute = api
    env.settings.rate_limit_login_per_minute = login


def test_one_address_cannot_spray_passwords_over_many_accounts(env) -> None:  # noqa: ANN001
    _on(env, login=4)
    analyst = env.user("analyst", username="somchai")
    sprayer = TestClient(env.app, client=("203.0.113.50", 40000))
    token = csrf_from(sprayer.get("/console/login").text)
    for name in ("anong", "boonmee", "chaiya", "darunee"):  # one guess per account: no account is locked
        answer = sprayer.post("/console/login", data={"username": name, "password": "Password1234",
                                                      "csrf_token": token}, follow_redirects=False)
        assert answer.status_code != 429
    refused = sprayer.post("/console/login", data={"username": analyst.username, "password": "helpers-password",
                                                   "csrf_token": token}, follow_redirects=False)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert "ลองใหม่ในอีก" in refused.text and "try again in" not in refused.text  # the page's language only
    assert sprayer.get("/console/login").status_code == 200  # the page itself still opens
    colleague = TestClient(env.app, client=("198.51.100.20", 40000))  # another address logs in as usual
    assert env.login(analyst, colleague).get("/console").status_code == 200


def test_public_forms_are_limited_per_client_ip(env) -> None:  # noqa: ANN001
    _on(env, forms=3)
    one = TestClient(env.app, client=("203.0.113.7", 40000))
    token = csrf_from(one.get("/report").text)
    for _ in range(3):
        assert one.post("/report", data={"csrf_token": token, "text": ""}).status_code != 429
    refused = one.post("/report", data={"csrf_token": token, "text": "ข่าวลือ"})
    assert refused.status_code == 429 and 1 <= int(refused.headers["retry-after"]) <= 61
    assert "ลองใหม่ในอีก" in refused.text and "try again in" not in refused.text  # the page's language only
    english = one.post("/report?lang=en", data={"csrf_token": token, "text": "rumour"})
    assert english.status_code == 429 and "Please try again in" in english.text and "ลองใหม่" not in english.text
    assert refused.headers["content-security-policy"]  # the refusal is a normal page, with the headers
    assert one.post("/subscribe", data={"csrf_token": token, "email": "a@example.com"}).status_code == 429
    assert one.get("/report").status_code == 200  # reading pages is not limited
    other = TestClient(env.app, client=("198.51.100.9", 40000))
    assert other.post("/check", data={"csrf_token": csrf_from(other.get("/check").text),
                                      "text": "ดื่มน้ำร้อนฆ่าไวรัส"}).status_code == 200


def test_the_partner_api_is_limited_per_key_and_the_public_api_per_ip(env) -> None:  # noqa: ANN001
    _on(env, api=4)
    first, second = env.partner_key("moph"), env.partner_key("dga")
    client = TestClient(env.app)
    answers = [client.get("/api/v1/reports/999", headers={"Authorization": f"Bearer {first}"}) for _ in range(4)]
    assert [a.status_code for a in answers] == [404] * 4  # errors count too, and say what is left
    assert [a.headers["x-ratelimit-remaining"] for a in answers] == ["3", "2", "1", "0"]
    assert {a.headers["x-ratelimit-limit"] for a in answers} == {"4"}
    assert all(1 <= int(a.headers["x-ratelimit-reset"]) <= 61 for a in answers)
    refused = client.get("/api/v1/reports/999", headers={"Authorization": f"Bearer {first}"})
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert refused.headers["x-ratelimit-remaining"] == "0"
    assert refused.headers["x-ratelimit-reset"] == refused.headers["retry-after"]
    body = refused.json()["error"]
    assert body["code"] == "too_many_requests" and "try again in" in body["message"]
    assert f"ลองใหม่ในอีก {refused.headers['retry-after']} วินาที" in body["message_th"]
    assert client.get("/api/v1/reports/999", headers={"Authorization": f"Bearer {second}"}).status_code == 404
    public = TestClient(env.app, client=("192.0.2.1", 1))
    assert [public.get("/api/v1/verdicts").status_code for _ in range(5)] == [200, 200, 200, 200, 429]
    assert client.post("/line/webhook", content=b"{}").status_code != 429  # LINE is limited per user elsewhere
    form = TestClient(env.app, client=("192.0.2.2", 1)).get("/report")
    assert "x-ratelimit-limit" not in form.headers  # pages are not API calls: no counters shown


def test_limits_are_off_in_dev_mode_unless_switched_on(env) -> None:  # noqa: ANN001
    env.settings.rate_limit_forms_per_minute = 1
    assert env.settings.rate_limit_enabled is None and env.settings.dev_mode
    client = TestClient(env.app)
    token = csrf_from(client.get("/report").text)
    assert all(client.post("/report", data={"csrf_token": token}).status_code != 429 for _ in range(3))


def test_the_window_slides() -> None:
    limiter = RateLimiter(max_keys=3)
    assert [limiter.hit("a", 2, now=t) for t in (0.0, 10.0)] == [0, 0]
    assert limiter.hit("a", 2, now=30.0) == 31  # the first hit leaves the window at 60 s
    assert limiter.hit("a", 2, now=60.5) == 0
    for key in "bcdef":  # more keys than the table holds: stale ones are dropped, memory stays bounded
        limiter.hit(key, 2, now=200.0)
    assert len(limiter._hits) <= 3
