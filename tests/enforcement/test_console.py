"""Enforcement console and public pages: who may see and do what, refusals shown on the page, takedown forms,
statistics, the transparency report (political requests counted apart) and the published public key."""

from __future__ import annotations

from case_helpers import make_claim

from helpers import csrf_from
from khaojing.cases import service as cases
from khaojing.enforcement import service as vault
from khaojing.enforcement import takedowns
from khaojing.enforcement.signing import load_key


def test_only_center_staff_see_the_vault_and_only_workers_change_it(env, enf_settings, staff, site) -> None:  # noqa: ANN001
    assert env.client.get("/console/evidence", follow_redirects=False).status_code in (303, 401)
    officer = env.login(staff.officer)
    assert officer.get("/console/evidence").status_code == 403
    assert officer.get("/console/takedowns").status_code == 403
    env.client.cookies.clear()
    admin = env.login(staff.admin)
    page = admin.get("/console/evidence")
    assert page.status_code == 200 and "เก็บหน้าเว็บ" not in page.text  # admins look, workers capture
    refused = admin.post("/console/evidence/capture", data={"url": site.url + "/scam",
                                                            "csrf_token": csrf_from(page.text)})
    assert refused.status_code == 403 and site.hits == []


def test_a_refused_capture_is_shown_on_the_page(env, settings, staff, site) -> None:  # noqa: ANN001
    settings.enforcement_screenshots = False  # private targets are NOT allowed here, as in production
    client = env.login(staff.analyst)
    token = csrf_from(client.get("/console/evidence").text)
    refused = client.post("/console/evidence/capture", data={"url": site.url + "/scam", "case_id": "",
                                                             "csrf_token": token})
    assert refused.status_code == 422 and "ชี้ไปยังเครือข่ายภายใน (private, loopback หรือ link-local)" in refused.text
    assert site.url + "/scam" in refused.text  # the form keeps what was typed
    settings.enforcement_allow_private_targets = True
    no_case = client.post("/console/evidence/capture", data={"url": site.url + "/scam", "case_id": "4242",
                                                            "csrf_token": token})
    assert no_case.status_code == 404
    no_csrf = client.post("/console/evidence/capture", data={"url": site.url + "/scam"})
    assert no_csrf.status_code == 403


def test_takedown_pages_create_move_contact_and_count(env, enf_settings, staff) -> None:  # noqa: ANN001
    client = env.login(staff.analyst)
    listing = client.get("/console/takedowns")
    assert "การเมือง/มาตรา 112" in listing.text  # the political group is labelled in the form
    token = csrf_from(listing.text)
    bad = client.post("/console/takedowns", data={"url": "not a url", "reason": "scam", "csrf_token": token})
    assert bad.status_code == 422 and "http://" in bad.text
    made = client.post("/console/takedowns", data={"url": "https://www.tiktok.com/@shop/video/77", "reason": "scam",
                                                   "contact": "TikTok Law Enforcement portal", "csrf_token": token})
    assert made.status_code == 200 and "บันทึกคำขอแล้ว" in made.text and "TikTok" in made.text
    with env.db.unit_of_work(readonly=True) as session:
        td_id = takedowns.list_takedowns(session)[0].id
    sent = client.post(f"/console/takedowns/{td_id}/status", data={"to_status": "sent", "csrf_token": token})
    assert "ส่งแล้ว" in sent.text
    wrong = client.post(f"/console/takedowns/{td_id}/status", data={"to_status": "granted", "csrf_token": token})
    assert wrong.status_code == 409
    logged = client.post(f"/console/takedowns/{td_id}/contact",
                         data={"channel": "platform_portal", "note": "ส่งคำร้องผ่านระบบของ TikTok แล้ว",
                               "csrf_token": token})
    assert "ส่งคำร้องผ่านระบบของ TikTok แล้ว" in logged.text
    queued = client.post(f"/console/takedowns/{td_id}/recheck", data={"csrf_token": token})
    assert "จะตรวจหน้าเว็บอีกครั้ง" in queued.text
    stats = client.get("/console/takedowns/stats?lang=en")
    assert stats.status_code == 200 and "TikTok" in stats.text and "Scam or fraud" in stats.text


def test_the_transparency_report_and_the_public_key(env, enf_settings, staff) -> None:  # noqa: ANN001
    empty = env.client.get("/transparency/takedowns")
    assert empty.status_code == 200 and "ยังไม่มีคำขอที่ส่งออกไป" in empty.text
    with env.db.unit_of_work() as session:
        for url, reason in (("https://www.facebook.com/a", "scam"), ("https://www.youtube.com/b", "lese_majeste"),
                            ("https://x.com/c", "political")):
            td = takedowns.create(session, url=url, reason=reason, actor=staff.editor)
            takedowns.transition(session, settings=enf_settings, takedown_id=td.id, to_status="sent",
                                 actor=staff.editor)
        takedowns.transition(session, settings=enf_settings, takedown_id=1, to_status="removed", actor=staff.editor)
        takedowns.create(session, url="https://x.com/draft", reason="political", actor=staff.editor)  # never sent
    page = env.client.get("/transparency/takedowns?lang=en")
    assert page.status_code == 200
    assert '<dd id="political-count"><strong>2</strong>' in page.text  # the draft is not counted
    assert "Lèse-majesté (s.112)" in page.text and "Facebook" in page.text and "100%" in page.text
    key = load_key(enf_settings)
    assert key.key_id in page.text
    pem = env.client.get("/.well-known/khaojing-evidence-key.pem")
    assert pem.status_code == 200 and pem.text == key.public_pem and pem.headers["x-key-id"] == key.key_id


def test_the_evidence_list_of_one_case_offers_its_package(env, enf_settings, staff, site) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        case_id = cases.open_case(session, claim_id=make_claim(session, enf_settings).id, actor=staff.analyst,
                                  settings=enf_settings).id
        vault.record_upload(session, settings=enf_settings, data=b"chat export", filename="chat.txt",
                            actor="user:1", case_id=case_id)
        vault.record_upload(session, settings=enf_settings, data=b"other", filename="other.txt", actor="user:1")
    client = env.login(staff.editor)
    page = client.get(f"/console/evidence?case={case_id}")
    assert "chat.txt" in page.text and "other.txt" not in page.text
    assert f'action="/console/evidence/package/{case_id}"' in page.text
    empty = client.post("/console/evidence/package/999", data={"csrf_token": csrf_from(page.text)})
    assert empty.status_code == 404
