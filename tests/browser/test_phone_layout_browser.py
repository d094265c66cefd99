"""Pages as a person sees them on a phone and on a desktop (headless Chromium, the demo data, Thai and English).

On a phone (390 px) no page scrolls sideways: a wide table scrolls inside its own box, with every table view of the
statistics open. The takedown transparency note reads as text (not one letter per line), an open-data file is one
short block with its whole checksum on screen. At 1280 px the console header is one row for every role, the takedown
filter's button is as wide as its word, and the verdict search's choices show their whole text."""

from __future__ import annotations

import re

import pytest

from khaojing.demo.loader import DEMO_USERS, load_demo
from khaojing.jobs import queue
from khaojing.publication.jobs import OPEN_DATA_JOB

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PASSWORDS = {u.username: u.password for u in DEMO_USERS}
PUBLIC = ["/", "/check", "/report", "/track", "/verdicts", "/verdicts?page=2", "/trends", "/open-data", "/about",
          "/transparency/takedowns", "/subscribe"]
CONSOLE = ["/console/cases/workload", "/console/takedowns", "/console/trends"]
# the page's width, and what sticks out of it (for the failure message)
WIDTH = """() => { document.querySelectorAll('details').forEach(d => { d.open = true; });
  const view = document.documentElement.clientWidth, out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect(), parent = el.parentElement.getBoundingClientRect();
    if (r.width && r.right > view + 0.5 && parent.right <= view + 0.5) out.push(el.tagName + '.' + el.className);
  }
  return {page: document.documentElement.scrollWidth, view, out: out.slice(0, 5)}; }"""


@pytest.fixture
def demo(env) -> None:  # noqa: ANN001
    load_demo(env.db)
    with env.db.unit_of_work() as session:
        queue.enqueue(session, OPEN_DATA_JOB, {})
    env.run_jobs()


def _open(browser, live_url: str, lang: str, viewport: dict, who: str | None = None):  # noqa: ANN001, ANN202
    page = browser.new_context(viewport=viewport, locale="th-TH").new_page()
    page.goto(f"{live_url}/lang/{lang}?next=/")
    if who:
        page.goto(f"{live_url}/console/login")
        page.fill("input[name=username]", who)
        page.fill("input[name=password]", PASSWORDS[who])
        page.click("form:has(#password) button[type=submit]")
        page.wait_for_url(re.compile(r"/console(?!/login)"))
    return page


def _fits(page, live_url: str, path: str) -> list[str]:  # noqa: ANN001
    response = page.goto(live_url + path)
    assert response is not None and response.status == 200, path
    page.wait_for_load_state("networkidle")
    seen = page.evaluate(WIDTH)
    return [] if seen["page"] <= seen["view"] else [f"{path} is {seen['page']} px wide: {seen['out']}"]


def test_no_page_scrolls_sideways_on_a_phone(env, live_url, demo, browser) -> None:  # noqa: ANN001
    wide = []
    for lang in ("th", "en"):
        page = _open(browser, live_url, lang, PHONE)
        for path in PUBLIC:
            wide += [f"{lang} {problem}" for problem in _fits(page, live_url, path)]
        page.context.close()
        staff = _open(browser, live_url, lang, PHONE, who="editor")
        for path in CONSOLE:
            wide += [f"{lang} editor {problem}" for problem in _fits(staff, live_url, path)]
        staff.context.close()
    assert wide == []


def test_phone_reads_the_takedown_note_and_the_open_data_files(env, live_url, demo, browser) -> None:  # noqa: ANN001
    for lang in ("th", "en"):
        page = _open(browser, live_url, lang, PHONE)
        page.goto(f"{live_url}/transparency/takedowns")
        note = page.locator("#political-count small")
        box = note.bounding_box()
        line = float(page.evaluate("getComputedStyle(document.querySelector('#political-count small')).lineHeight"
                                   ".replace('px', '')"))
        assert box["width"] >= 100 and box["height"] <= 4 * line, (lang, box)  # words, not a letter per line
        page.goto(f"{live_url}/open-data")
        rows = page.locator("table.open-data tbody tr")
        assert rows.count() >= 4
        for i in range(rows.count()):
            row = rows.nth(i).bounding_box()
            assert row["height"] <= 170, (lang, i, row)
            for cell in rows.nth(i).locator("td").all():  # the size and the whole SHA-256 are on screen
                assert cell.bounding_box()["x"] + cell.bounding_box()["width"] <= PHONE["width"], (lang, i)
        page.context.close()


def test_desktop_console_header_one_row_and_filters_show_their_words(env, live_url, demo, browser) -> None:  # noqa: ANN001
    rows = ("() => { const brand = document.querySelector('.brand').getBoundingClientRect();"
            " const mid = brand.top + brand.height / 2;"
            " return [...document.querySelectorAll('.site-header nav > *')].map(e => {"
            " const r = e.getBoundingClientRect(); return Math.abs(r.top + r.height / 2 - mid); }); }")
    for lang in ("th", "en"):
        for who in ("admin", "editor", "analyst"):
            page = _open(browser, live_url, lang, DESKTOP, who=who)
            page.goto(f"{live_url}/console/takedowns")
            assert max(page.evaluate(rows)) < 12, f"{lang} {who}: the console header wraps"
            button = page.locator("form.filters button[type=submit]")
            text = page.evaluate("b => { const r = document.createRange(); r.selectNodeContents(b);"
                                 " return r.getBoundingClientRect().width; }", button.element_handle())
            assert button.bounding_box()["width"] <= text + 60, f"{lang}: the filter button is stretched"
            page.context.close()
        for viewport in (DESKTOP, PHONE):
            page = _open(browser, live_url, lang, viewport)
            page.goto(f"{live_url}/verdicts")
            clipped = page.evaluate("() => [...document.querySelectorAll('.verdict-search select')].filter(s => {"
                                    " const shown = s.getBoundingClientRect().width; s.style.width = 'auto';"
                                    " const needed = s.getBoundingClientRect().width; s.style.width = '';"
                                    " return shown + 0.5 < needed; }).map(s => s.id)")
            assert clipped == [], f"{lang} {viewport['width']} px: clipped choices in {clipped}"
            page.context.close()
