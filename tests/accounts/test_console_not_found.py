"""An unknown /console/... address: staff keep the console's navigation on the "page not found" page (no route ran
its guard, so the page finds the logged-in user itself); a visitor, or an editor before the second step, gets none."""

from __future__ import annotations

from khaojing.accounts.models import Role
from khaojing.web.i18n import MESSAGES


def _nav(html: str) -> str:
    return html[html.index("<header"):html.index("</header>")]


def test_a_console_404_keeps_the_navigation_for_a_logged_in_analyst(env) -> None:  # noqa: ANN001
    client = env.login(env.user(Role.analyst))
    page = client.get("/console/no-such-page", params={"lang": "th"})
    assert page.status_code == 404
    nav = _nav(page.text)
    for href in ("/console/reports", "/console/claims", "/console/cases"):
        assert f'href="{href}"' in nav
    assert MESSAGES["nav.logout"]["th"] in nav and "Test analyst" in nav
    assert "/console/audit" not in nav  # still the analyst's own menu
    assert MESSAGES["error.404"]["th"] in page.text and 'href="/console"' in page.text


def test_a_console_404_shows_no_staff_menu_to_a_visitor(env) -> None:  # noqa: ANN001
    page = env.client.get("/console/no-such-page")
    assert page.status_code == 404
    assert "/console/reports" not in _nav(page.text) and 'action="/console/logout"' not in page.text


def test_an_editor_who_has_not_passed_the_second_step_gets_no_menu(env) -> None:  # noqa: ANN001
    from helpers import PASSWORD, csrf_from

    editor = env.user(Role.editor)
    env.totp_code(editor)  # enrolled: the password alone leads to the code step
    form = env.client.get("/console/login")
    sent = env.client.post("/console/login", data={"username": editor.username, "password": PASSWORD,
                                                   "csrf_token": csrf_from(form.text)}, follow_redirects=False)
    assert sent.headers["location"] == "/console/login/code"
    page = env.client.get("/console/no-such-page")
    assert page.status_code == 404 and "/console/reports" not in _nav(page.text)
