"""Security headers (issue 9) on a sample of pages of each area — public site, console, API, static files, errors:
a CSP without 'unsafe-inline' (only the vendored Swagger UI page needs it) that forbids framing, nosniff, a
referrer policy; HSTS and Secure cookies only when the site runs behind TLS (secure_cookies). No template carries
inline script (data blocks of type application/json aside) or inline event handlers, so the CSP costs nothing."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from khaojing.accounts.models import Role
from khaojing.app import create_app
from khaojing.web.templating import TEMPLATES_DIR

PUBLIC = ["/", "/report", "/check", "/track", "/verdicts", "/about", "/open-data", "/subscribe", "/trends",
          "/transparency/takedowns", "/no-such-page", "/verdicts/999999"]
CONSOLE = ["/console/login", "/console/reports", "/console/claims", "/console/cases", "/console/audit",
           "/console/users", "/console/trends", "/console/evidence", "/console/takedowns", "/console/2fa/setup"]
MACHINE = ["/api/v1/verdicts", "/api/v1/reports/1", "/healthz", "/static/console.css", "/feeds/verdicts.atom"]


def _check(response, where: str) -> None:  # noqa: ANN001
    headers = response.headers
    csp = headers["content-security-policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp and "script-src 'self'" in csp, where
    assert headers["x-content-type-options"] == "nosniff", where
    assert headers["x-frame-options"] == "DENY", where
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin", where
    assert "strict-transport-security" not in headers, where  # plain HTTP: HSTS would be meaningless


def test_every_area_sends_the_security_headers(env) -> None:  # noqa: ANN001
    anonymous = TestClient(env.app)
    for path in PUBLIC + MACHINE + ["/console/reports"]:
        response = anonymous.get(path, follow_redirects=False)
        assert response.status_code < 500, path
        _check(response, path)
    admin = env.login(env.user(Role.admin), client=TestClient(env.app))
    for path in CONSOLE:
        response = admin.get(path)
        assert response.status_code == 200, path
        _check(response, path)
    docs = anonymous.get("/api/docs").headers["content-security-policy"]
    assert "frame-ancestors 'none'" in docs  # Swagger UI's inline start-up script is the one exception


def test_behind_tls_hsts_and_secure_cookies(env) -> None:  # noqa: ANN001
    settings = env.settings.model_copy(update={"secure_cookies": True})
    client = TestClient(create_app(settings, db=env.db, start_worker=False), base_url="https://testserver")
    response = client.get("/report")
    assert response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    cookie = response.headers["set-cookie"]
    assert "kj_session=" in cookie and "secure" in cookie.lower() and "samesite=lax" in cookie.lower()
    assert "httponly" in cookie.lower()


def test_no_template_has_inline_script_or_event_handlers() -> None:
    inline_script = re.compile(r"<script(?![^>]*\b(src=|type=\"application/(ld\+)?json\"))[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=", re.I)
    style_attr = re.compile(r"\sstyle\s*=", re.I)
    problems = []
    for path in sorted(TEMPLATES_DIR.rglob("*.html")):
        if "reports" in path.relative_to(TEMPLATES_DIR).parts:  # PDF report templates, never served as pages
            continue
        html = path.read_text()
        for name, pattern in (("inline script", inline_script), ("event handler", handler),
                              ("style attribute", style_attr)):
            if pattern.search(html):
                problems.append(f"{path.name}: {name}")
    assert not problems, problems
