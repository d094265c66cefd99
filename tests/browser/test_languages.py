"""Every main page in Thai and in English, read as a person reads it (headless Chromium, desktop width): no raw
catalogue key anywhere, no Thai in the interface of an English page (headings, labels, buttons, table headers,
navigation, badges), no English interface words, Python values or Christian-era dates on a Thai page.

Data stays as it is: claim and verdict titles, people's and agencies' names, report texts are Thai in both languages,
so the checks remove the demo's data strings from an element's text before they look at it.
KHAOJING_SHOTS_DIR=/some/dir keeps a full-page screenshot of every page in both languages (none are taken without
it: nothing looks at them, and they cost a third of the test's time)."""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from browser_support import CHROMIUM, LAUNCH_ARGS, need_chromium
from khaojing.accounts.models import Agency, User
from khaojing.cases import requests as agency_requests
from khaojing.cases import service as cases
from khaojing.claims.models import Claim, Verdict
from khaojing.demo.loader import DEMO_USERS, load_demo
from khaojing.enforcement import takedowns
from khaojing.intake.models import Report
from khaojing.web.i18n import MESSAGES

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 900}
CONTEXTS_AT_ONCE, PAGES_PER_CONTEXT = 4, 6  # Chromium renders some pages while the app serves others
THAI = re.compile(r"[\u0E00-\u0E7F]")
# interface elements: what a person reads as the page's own words, not its data
INTERFACE = ("h1, h2, h3, h4, th, label, button, legend, summary, nav a, header a, .badge, .tabs a, dt, "
             "input[type=submit], .page-head a.button")
# elements that hold data although they look like interface: row headers (a setting's name, a person), code, the
# report's extra metadata, the table of configured labels and topics on the settings page
DATA_FILTER = ("els => els.filter(e => !e.closest('tbody th[scope=row], .mono, code, dl.meta, .settings-list tbody'))"
               ".map(e => e.innerText)")
# Latin words that are names or formats in Thai interface text as well (LINE, URL, PDF...)
LATIN_OK = {"LINE", "URL", "API", "PDF", "ZIP", "JSON", "SHA", "ISO", "HTTP", "HTML", "Atom", "Feed", "RSS", "JPEG",
            "PNG", "WebP", "MB", "KB", "SLA", "SMTP", "CC", "BY", "TikTok", "Facebook", "YouTube", "Twitter",
            "Instagram", "English", "ID", "OCR", "AFNC", "TOTP", "QR", "CSV", "Ed", "IP"}
MONTHS_TH = ("มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|ธันวาคม|"
             r"ม\.ค\.|ก\.พ\.|มี\.ค\.|เม\.ย\.|พ\.ค\.|มิ\.ย\.|ก\.ค\.|ส\.ค\.|ก\.ย\.|ต\.ค\.|พ\.ย\.|ธ\.ค\.")
CHRISTIAN_YEAR_TH = re.compile(rf"(?:{MONTHS_TH})\s*20[0-4]\d\b")
ENGLISH_DATE = re.compile(r"\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}\b")
PY_REPR = re.compile(r"=(?:True|False|None)\b|\{'|': |\['|^(?:True|False|None)$", re.M)
PASSWORDS = {u.username: u.password for u in DEMO_USERS}


def _world(env) -> dict:  # noqa: ANN001
    """The demo, plus a case whose agency answered, a second one waiting, and a takedown request."""
    load_demo(env.db)
    settings = env.settings
    with env.db.unit_of_work() as session:
        users = {u.username: u for u in session.scalars(select(User))}
        analyst, editor, officer = users["analyst"], users["editor"], users["officer"]
        agency = session.get(Agency, officer.agency_id)
        agency.liaisons = [{"name": "สมชาย ใจดี", "position": "นักวิชาการ", "email": "a@moph.example", "phone": "02"},
                           {"name": "สมหญิง ดีใจ", "position": "ผู้อำนวยการ", "email": "b@moph.example", "phone": "02"}]
        agency.active = True
        session.flush()
        claims = list(session.scalars(select(Claim).where(Claim.status == "open").order_by(Claim.id).limit(2)))
        case = cases.open_case(session, claim_id=claims[0].id, actor=analyst, settings=settings)
        cases.assign(session, case_id=case.id, assignee_id=analyst.id, actor=analyst)
        for state in ("screening", "investigating"):
            cases.transition(session, case_id=case.id, to_state=state, actor=analyst)
        sent = agency_requests.send_requests(session, case_id=case.id, actor=analyst, settings=settings,
                                             data=agency_requests.RequestIn(agency_ids=[agency.id],
                                                                            question="ขอข้อเท็จจริงจากหน่วยงาน"))
        agency_requests.answer(session, request_id=sent[0].id, officer=officer, text="ไม่เป็นความจริง",
                               proposed_label="fake", files=[], settings=settings)
        waiting = cases.open_case(session, claim_id=claims[1].id, actor=editor, settings=settings)
        takedown = takedowns.create(session, url="https://www.facebook.com/share/p/scam", reason="scam",
                                    actor=analyst, case_id=case.id)
        report = session.scalars(select(Report).where(Report.claim_id.is_not(None)).order_by(Report.id)).first()
        verdict = session.scalars(select(Verdict).order_by(Verdict.id)).first()
        data = [c.title for c in session.scalars(select(Claim))]
        data += [t for v in session.scalars(select(Verdict)) for t in (v.headline, v.claim_text)]
        data += [u.display_name for u in users.values()] + [u.username for u in users.values()]
        for a in session.scalars(select(Agency)):
            data += [a.name_th, a.name_en or "", a.parent_ministry or ""]
        data += [r.text for r in session.scalars(select(Report))] + ["ขอข้อเท็จจริงจากหน่วยงาน", "ไม่เป็นความจริง"]
        return {"case": case.id, "waiting": waiting.id, "request": sent[0].id, "takedown": takedown.id,
                "report": report.id, "claim": report.claim_id, "code": report.tracking_code,
                "verdict": verdict.claim_id, "agency": agency.id,
                "data": sorted({" ".join(d.split()) for d in data if d and len(d.strip()) >= 2}, key=len, reverse=True)}


def _pages(w: dict) -> dict[str | None, list[str]]:
    """The pages to read, by who reads them (None: a visitor)."""
    return {
        None: ["/", "/verdicts", f"/verdicts/{w['verdict']}", "/check", "/report", "/track", f"/track/{w['code']}",
               "/trends", "/about", "/open-data", "/subscribe", "/transparency/takedowns", "/no-such-page"],
        "editor": ["/console", f"/console/reports/{w['report']}", "/console/claims", f"/console/claims/{w['claim']}",
                   "/console/cases", f"/console/cases/{w['case']}", f"/console/cases/{w['waiting']}",
                   "/console/cases/mine", "/console/cases/workload", "/console/agencies",
                   f"/console/agencies/{w['agency']}", "/console/notices", "/console/trends",
                   "/console/trends/sources", "/console/trends/reports", "/console/evidence", "/console/takedowns",
                   f"/console/takedowns/{w['takedown']}", "/console/takedowns/stats", "/console/line/blocklist",
                   "/console/line/preview"],
        "analyst": ["/console/notices", f"/console/cases/{w['case']}"],
        "admin": ["/console/users", "/console/users/new", "/console/settings", "/console/audit",
                  f"/console/agencies/{w['agency']}/edit", "/console/agency"],
        "officer": ["/console/agency", f"/console/agency/requests/{w['request']}"],
    }


def _without_data(text: str, data: list[str]) -> str:
    """The text with the demo's data strings taken out; a title cut short with "…" counts as its data too."""
    text = " ".join(text.split())
    for item in data:
        if item in text:
            text = text.replace(item, " ")
    if "…" in text:
        parts = text.split("…")
        heads = [re.sub(r"^.*#\d+\s*", "", part).strip() for part in parts[:-1]]
        text = " ".join([" " if head and any(d.startswith(head) for d in data) else part
                         for head, part in zip(heads, parts, strict=False)] + parts[-1:])
    return text


def _key_pattern() -> re.Pattern:
    namespaces = sorted({key.split(".")[0] for key in MESSAGES}, key=len, reverse=True)
    return re.compile(rf"(?<![\w@/.-])(?:{'|'.join(namespaces)})\.[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*(?![\w/-])")


# what the checks read from a page, in one round trip: its lang attribute, its text, its interface elements' texts
READ_PAGE = ("() => ({lang: document.documentElement.getAttribute('lang'), body: document.body.innerText, "
             f"texts: ({DATA_FILTER})([...document.querySelectorAll({INTERFACE!r})])}})")


def _problems(seen: dict, lang: str, url: str, data: list[str], keys: re.Pattern) -> list[str]:
    """What is wrong with a page as READ_PAGE saw it."""
    found = []
    if seen["lang"] != lang:
        found.append("the page's lang attribute is not " + lang)
    body = seen["body"]
    bare = re.sub(r"https?://\S+|\S+@\S+", " ", body)
    if not url.startswith("/console/audit"):  # the audit log lists action codes (case.opened) as they were stored
        found += [f"raw catalogue key {k!r}" for k in sorted(set(keys.findall(bare)))]
    texts = [t.strip() for t in seen["texts"] if t.strip()]
    if lang == "en":
        for text in texts:
            rest = _without_data(text, data)
            if THAI.search(rest) and text != MESSAGES["lang.switch"]["en"]:  # the switch names the other language
                found.append(f"Thai in an English interface element: {text[:80]!r}")
    else:
        for line in (bare.splitlines() if not url.startswith("/console/settings") else []):
            if PY_REPR.search(line.strip()):
                found.append(f"a Python value on a Thai page: {line.strip()[:80]!r}")
        found += [f"Christian-era year on a Thai page: {m!r}" for m in CHRISTIAN_YEAR_TH.findall(body)]
        found += [f"English date on a Thai page: {m!r}" for m in ENGLISH_DATE.findall(body)]
        for text in texts:
            rest = re.sub(r"https?://\S+|\S+@\S+|\b\w+(?:\.\w+)+\b|\bKJ-\w{4}-\w{4}\b", " ",
                          _without_data(text, data))
            words = [w for w in re.findall(r"[A-Za-z]{2,}", rest) if w not in LATIN_OK]
            if words:
                found.append(f"English in a Thai interface element: {text[:80]!r} ({', '.join(words[:4])})")
    return [f"{lang} {url}: {p}" for p in found]


async def _read_all(live_url: str, world: dict, shots: Path | None) -> tuple[list[str], int]:
    """Every page of _pages in both languages, a few browser contexts at a time (each logs its reader in)."""
    from playwright.async_api import async_playwright

    keys = _key_pattern()
    tasks = [(who, lang, urls[i:i + PAGES_PER_CONTEXT]) for who, urls in _pages(world).items()
             for lang in ("en", "th") for i in range(0, len(urls), PAGES_PER_CONTEXT)]
    problems: list[str] = []
    read = 0
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        slots = asyncio.Semaphore(CONTEXTS_AT_ONCE)

        async def walk(who: str | None, lang: str, urls: list[str]) -> None:
            nonlocal read
            async with slots:
                context = await browser.new_context(viewport=DESKTOP, locale="th-TH")
                page = await context.new_page()
                await page.goto(f"{live_url}/lang/{lang}?next=/")
                if who:
                    await page.goto(f"{live_url}/console/login")
                    await page.fill("input[name=username]", who)
                    await page.fill("input[name=password]", PASSWORDS[who])
                    await page.click("button[type=submit]")
                    await page.wait_for_url(re.compile(r"/console(?!/login)"))
                for url in urls:
                    response = await page.goto(live_url + url)
                    assert response is not None and response.status in (200, 403, 404), (url, response and
                                                                                         response.status)
                    problems.extend(_problems(await page.evaluate(READ_PAGE), lang, url, world["data"], keys))
                    if shots:
                        name = f"{lang}-{who or 'visitor'}-{url.strip('/').replace('/', '_')}.png"
                        await page.screenshot(path=str(shots / name), full_page=True)
                    read += 1
                await context.close()

        try:
            failed = [r for r in await asyncio.gather(*(walk(*t) for t in tasks), return_exceptions=True) if r]
        finally:
            await browser.close()
    if failed:
        raise failed[0]
    return sorted(problems), read


def test_every_main_page_reads_in_one_language(env, live_url) -> None:  # noqa: ANN001
    need_chromium()
    world = _world(env)
    shots = Path(os.environ["KHAOJING_SHOTS_DIR"]) if os.environ.get("KHAOJING_SHOTS_DIR") else None
    problems, read = asyncio.run(_read_all(live_url, world, shots))
    assert read == 2 * sum(len(urls) for urls in _pages(world).values()) >= 2 * 40
    assert not problems, "\n".join(problems)


def test_the_checks_catch_a_raw_key_and_thai_in_an_english_heading(browser) -> None:  # noqa: ANN001
    """The checks themselves: a page with the faults they look for fails them; data does not."""
    page = browser.new_page()
    page.set_content('<html lang="en"><body><h1>ผลการตรวจสอบ</h1><h2>Claim: กินยาลดน้ำหนัก</h2>'
                     "<p>status.answered</p><button>Save</button></body></html>")
    found = _problems(page.evaluate(READ_PAGE), "en", "/x", ["กินยาลดน้ำหนัก"], _key_pattern())
    assert any("raw catalogue key 'status.answered'" in p for p in found), found
    assert any("ผลการตรวจสอบ" in p for p in found) and not any("Claim:" in p for p in found), found
    page.set_content('<html lang="th"><body><h1>Save the verdict</h1><button>ส่ง LINE</button>'
                     "<p>claim_id=None</p><p>27 พฤศจิกายน 2026</p></body></html>")
    found = _problems(page.evaluate(READ_PAGE), "th", "/x", [], _key_pattern())
    assert any("English in a Thai interface element: 'Save the verdict'" in p for p in found), found
    assert not any("ส่ง LINE" in p for p in found), found
    assert any("Python value" in p for p in found) and any("Christian-era" in p for p in found), found
    page.close()
