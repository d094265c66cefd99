"""From a claim (and a report) to its case: the claim page's "Case" panel shows the claim's case (number, state in the
page's language, assignee, first-action deadline, link) or, for analysts and editors, an "Open a case" button; the
report page links to its claim's case. claims/ and intake/ know nothing of cases (the panels are registered)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from case_helpers import make_claim
from fastapi.testclient import TestClient

from helpers import csrf_from
from khaojing.cases import service
from khaojing.cases.models import Case
from khaojing.claims import service as claims
from khaojing.intake.models import Report

SRC = Path(__file__).parents[2] / "src" / "khaojing"


def _panel(html: str) -> str:
    """The claim page's (or report page's) case panel, or "" when the page has none."""
    match = re.search(r'<section class="card case-panel".*?</section>', html, re.S)
    return match.group(0) if match else ""


def _report_of(session, claim_id: int) -> int:  # noqa: ANN001
    return session.query(Report.id).filter(Report.claim_id == claim_id).first()[0]


def test_the_panel_shows_the_claims_case_with_a_link(env, staff) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        claim = make_claim(session, env.settings)
        case = service.open_case(session, claim_id=claim.id, actor=staff.analyst, settings=env.settings)
        service.assign(session, case_id=case.id, assignee_id=staff.analyst2.id, actor=staff.editor)
        claim_id, case_id = claim.id, case.id
    analyst = env.login(staff.analyst, client=TestClient(env.app))

    english = _panel(analyst.get(f"/console/claims/{claim_id}", params={"lang": "en"}).text)
    assert f'<a class="case-link" href="/console/cases/{case_id}">Case #{case_id}</a>' in english
    assert '<span class="badge state-new">New</span>' in english
    assert "คุณ analyst2" in english  # the assignee
    # the first-action deadline runs from when the claim came in (2 March 2026, 09:00 Bangkok) and is long past
    assert re.search(r"<dt>First action due</dt><dd><time [^>]*>[^<]*3 Mar[a-z]* 2026", english), english
    assert "Overdue" in english
    assert "Open a case" not in english and "/console/cases/open" not in english  # the claim has an open case

    thai = _panel(analyst.get(f"/console/claims/{claim_id}", params={"lang": "th"}).text)
    assert f"เรื่องตรวจสอบ #{case_id}</a>" in thai and '<span class="badge state-new">ใหม่</span>' in thai
    assert re.search(r"<dt>ต้องเริ่มดำเนินการภายใน</dt><dd><time [^>]*>3 มีนาคม 2569 09:00", thai)  # Buddhist era
    assert "เลยกำหนด" in thai


def test_the_button_opens_a_case_and_lands_on_it(env, staff) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        claim_id = make_claim(session, env.settings).id
    for who in (staff.analyst, staff.editor):
        with env.db.unit_of_work() as session:
            for case in session.query(Case).filter(Case.claim_id == claim_id):
                session.delete(case)
        client = env.login(who, client=TestClient(env.app))
        page = client.get(f"/console/claims/{claim_id}", params={"lang": "en"}).text
        panel = _panel(page)
        assert "No case has been opened for this claim." in panel
        assert '<form method="post" action="/console/cases/open"' in panel
        assert f'<input type="hidden" name="claim_id" value="{claim_id}">' in panel
        assert '<button type="submit">Open a case</button>' in panel
        opened = client.post(
            "/console/cases/open",
            data={"csrf_token": csrf_from(panel), "claim_id": str(claim_id)},
            params={"lang": "en"},
        )
        assert opened.status_code == 200
        case_id = int(re.search(r"/console/cases/(\d+)$", str(opened.url)).group(1))
        assert f"Case #{case_id}" in opened.text
        with env.db.unit_of_work(readonly=True) as session:
            case = session.get(Case, case_id)
            assert case.claim_id == claim_id and case.state == "new"
        after = _panel(client.get(f"/console/claims/{claim_id}", params={"lang": "en"}).text)
        assert f'href="/console/cases/{case_id}"' in after and "Open a case" not in after


def test_the_button_without_a_csrf_token_opens_nothing(env, staff) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        claim_id = make_claim(session, env.settings).id
    analyst = env.login(staff.analyst, client=TestClient(env.app))
    analyst.get(f"/console/claims/{claim_id}")
    refused = analyst.post("/console/cases/open", data={"claim_id": str(claim_id)}, follow_redirects=False)
    assert refused.status_code == 403
    with env.db.unit_of_work(readonly=True) as session:
        assert session.query(Case).count() == 0


def test_no_button_for_a_merged_claim(env, staff) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        target = make_claim(session, env.settings)
        merged = make_claim(session, env.settings, "กินกระเทียมสดรักษาโควิดได้")
        claims.merge_claims(session, target_id=target.id, source_ids=[merged.id], actor="user:1")
        target_id, merged_id = target.id, merged.id
    analyst = env.login(staff.analyst, client=TestClient(env.app))
    panel = _panel(analyst.get(f"/console/claims/{merged_id}", params={"lang": "en"}).text)
    assert "No case has been opened for this claim." in panel
    assert "/console/cases/open" not in panel
    assert "open a case on the claim it was merged into" in panel
    thai = _panel(analyst.get(f"/console/claims/{merged_id}", params={"lang": "th"}).text)
    assert "เปิดเรื่องที่ประเด็นปลายทาง" in thai and "/console/cases/open" not in thai
    # the claim it was merged into can still be taken up
    assert "/console/cases/open" in _panel(analyst.get(f"/console/claims/{target_id}").text)


def test_a_dismissed_case_shows_as_dismissed_with_its_link_and_no_button(env, staff) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        claim = make_claim(session, env.settings)
        case = service.open_case(session, claim_id=claim.id, actor=staff.analyst, settings=env.settings)
        service.dismiss(session, case_id=case.id, reason_code="out_of_scope", actor=staff.editor)
        claim_id, case_id = claim.id, case.id
    editor = env.login(staff.editor, client=TestClient(env.app))
    panel = _panel(editor.get(f"/console/claims/{claim_id}", params={"lang": "en"}).text)
    assert f'href="/console/cases/{case_id}">Case #{case_id}</a>' in panel
    assert '<span class="badge state-dismissed">Dismissed</span>' in panel and "Out of the center&#39;s scope" in panel
    assert "First action due" not in panel  # a closed case has no deadline running
    assert "/console/cases/open" not in panel and "take its dismissed case up again" in panel
    thai = _panel(editor.get(f"/console/claims/{claim_id}", params={"lang": "th"}).text)
    assert '<span class="badge state-dismissed">ปิดเรื่อง</span>' in thai and "อยู่นอกขอบเขตของศูนย์" in thai


def test_an_earlier_dismissed_case_and_the_open_case_are_both_listed_open_first(env, staff) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        claim = make_claim(session, env.settings)
        first = service.open_case(session, claim_id=claim.id, actor=staff.analyst, settings=env.settings)
        service.dismiss(session, case_id=first.id, reason_code="not_a_claim", actor=staff.editor)
        service.restore(session, case_id=first.id, actor=staff.editor, reason="it is a claim after all")
        service.dismiss(session, case_id=first.id, reason_code="not_a_claim", actor=staff.editor)
        claim.status = claims.OPEN  # a claim opened again (e.g. new reports) gets a second case
        second = service.open_case(session, claim_id=claim.id, actor=staff.analyst, settings=env.settings)
        claim_id, first_id, second_id = claim.id, first.id, second.id
    analyst = env.login(staff.analyst, client=TestClient(env.app))
    panel = _panel(analyst.get(f"/console/claims/{claim_id}", params={"lang": "en"}).text)
    assert panel.index(f'data-case="{second_id}"') < panel.index(f'data-case="{first_id}"')
    assert "/console/cases/open" not in panel


def test_roles_that_cannot_open_cases_see_the_link_only(env, staff) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        waiting = make_claim(session, env.settings)
        taken = make_claim(session, env.settings, "กินกระเทียมสดรักษาโควิดได้")
        case_id = service.open_case(session, claim_id=taken.id, actor=staff.analyst, settings=env.settings).id
        waiting_id, taken_id = waiting.id, taken.id
    admin = env.login(staff.admin, client=TestClient(env.app))
    panel = _panel(admin.get(f"/console/claims/{waiting_id}", params={"lang": "en"}).text)
    assert "No case has been opened for this claim." in panel and "/console/cases/open" not in panel
    panel = _panel(admin.get(f"/console/claims/{taken_id}", params={"lang": "en"}).text)
    assert f'href="/console/cases/{case_id}"' in panel and "Open a case" not in panel
    # and the form's address refuses them too
    token = csrf_from(admin.get(f"/console/claims/{waiting_id}").text)
    assert (
        admin.post(
            "/console/cases/open", data={"csrf_token": token, "claim_id": str(waiting_id)}, follow_redirects=False
        ).status_code
        == 403
    )


def test_an_agency_officer_sees_no_case(env, staff) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        claim = make_claim(session, env.settings)
        case_id = service.open_case(session, claim_id=claim.id, actor=staff.analyst, settings=env.settings).id
        claim_id, report_id = claim.id, _report_of(session, claim.id)
    officer = env.login(staff.officer, client=TestClient(env.app))
    for path in (f"/console/claims/{claim_id}", f"/console/reports/{report_id}", f"/console/cases/{case_id}"):
        page = officer.get(path, params={"lang": "en"})
        assert page.status_code == 403, path
        assert f'href="/console/cases/{case_id}"' not in page.text and f"Case #{case_id}" not in page.text


def test_the_report_page_links_to_its_claims_case(env, staff) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        claim = make_claim(session, env.settings)
        lone = make_claim(session, env.settings, "กินกระเทียมสดรักษาโควิดได้")
        case = service.open_case(session, claim_id=claim.id, actor=staff.analyst, settings=env.settings)
        service.transition(session, case_id=case.id, to_state="screening", actor=staff.analyst)
        case_id, report_id, lone_report = case.id, _report_of(session, claim.id), _report_of(session, lone.id)
    analyst = env.login(staff.analyst, client=TestClient(env.app))
    english = _panel(analyst.get(f"/console/reports/{report_id}", params={"lang": "en"}).text)
    assert "<h2" in english and ">Case</h2>" in english
    assert f'<a class="case-link" href="/console/cases/{case_id}">Case #{case_id}</a>' in english
    assert '<span class="badge state-screening">Screening</span>' in english
    thai = _panel(analyst.get(f"/console/reports/{report_id}", params={"lang": "th"}).text)
    assert ">เรื่องตรวจสอบ</h2>" in thai and '<span class="badge state-screening">คัดกรอง</span>' in thai
    assert _panel(analyst.get(f"/console/reports/{lone_report}").text) == ""  # its claim has no case: no panel


def test_claims_and_intake_do_not_import_cases() -> None:
    """The layering rule: an earlier stage never imports a later one (the panels are registered by cases)."""
    offenders = []
    for package in ("claims", "intake"):
        for path in (SRC / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                    if isinstance(node, ast.ImportFrom)
                    else []
                )
                offenders += [f"{path.relative_to(SRC)}: {n}" for n in names if n.startswith("khaojing.cases")]
    assert offenders == []


def test_no_button_for_a_claim_that_has_a_verdict(env, staff) -> None:  # noqa: ANN001
    """A verified claim is corrected by reopening its published case, not by a second case (as the cases queue)."""
    with env.db.unit_of_work() as session:
        claim = make_claim(session, env.settings)
        claim.status = claims.VERIFIED
        claim_id = claim.id
    editor = env.login(staff.editor, client=TestClient(env.app))
    panel = _panel(editor.get(f"/console/claims/{claim_id}", params={"lang": "en"}).text)
    assert "/console/cases/open" not in panel and "reopen the published case" in panel
