"""The evidence page says the screenshot note and a refused capture in its own language: the signed details keep the
English note (the legal record) with its key and parameters beside it, the vault still verifies, and an item stored
before the notes had keys shows its English note as it was."""

from __future__ import annotations

from helpers import csrf_from
from khaojing.enforcement import capture, custody
from khaojing.enforcement import service as vault
from khaojing.enforcement.pinning_proxy import Refusal


def _verify(env, settings) -> custody.VaultCheck:  # noqa: ANN001
    with env.db.unit_of_work(readonly=True) as session:
        return custody.verify_vault(session, settings=settings)


def test_the_screenshot_note_reads_in_the_page_language_and_the_vault_verifies(env, enf_settings, staff,  # noqa: ANN001
                                                                               site) -> None:
    client = env.login(staff.analyst)
    token = csrf_from(client.get("/console/evidence").text)
    made = client.post("/console/evidence/capture", data={"url": site.url + "/scam", "csrf_token": token},
                       follow_redirects=False)
    assert made.status_code == 303, made.text[:500]
    url = made.headers["location"]
    thai = client.get(url, params={"lang": "th"}).text
    assert "ปิดการจับภาพหน้าจอไว้ (KHAOJING_ENFORCEMENT_SCREENSHOTS)" in thai and "turned off" not in thai
    english = client.get(url, params={"lang": "en"}).text
    assert "Screenshots are turned off (KHAOJING_ENFORCEMENT_SCREENSHOTS)." in english
    with env.db.unit_of_work(readonly=True) as session:
        ev = vault.get(session, int(url.rsplit("/", 1)[1]))
        # the legal record keeps its English note; the key rides beside it, machine-readable
        assert ev.details["screenshot_note"] == "screenshots are turned off (KHAOJING_ENFORCEMENT_SCREENSHOTS)"
        assert ev.details["screenshot_notes"] == [{"key": "enf.shot.off", "params": {}}]
    check = _verify(env, enf_settings)
    assert check.ok, check.problems


def test_an_item_stored_with_only_the_english_note_shows_it_as_it_is(env, enf_settings, staff, site) -> None:  # noqa: ANN001
    fetched = capture.fetch(site.url + "/scam", settings=enf_settings)
    fetched.screenshot_note, fetched.screenshot_notes = "no screenshot: an old capture's note", []
    with env.db.unit_of_work() as session:
        eid = vault.record_fetch(session, settings=enf_settings, fetched=fetched, actor="user:1").id
    client = env.login(staff.analyst)
    for lang in ("th", "en"):
        page = client.get(f"/console/evidence/{eid}", params={"lang": lang}).text
        assert "no screenshot: an old capture&#39;s note" in page or "no screenshot: an old capture's note" in page
    assert _verify(env, enf_settings).ok


def test_a_refused_capture_reads_in_the_page_language(env, settings, staff, site) -> None:  # noqa: ANN001
    settings.enforcement_screenshots = False  # private targets are refused, as in production
    client = env.login(staff.analyst)
    for lang, text, other in (
            ("th", "ชี้ไปยังเครือข่ายภายใน (private, loopback หรือ link-local) ระบบจึงไม่ดึงหน้าเว็บนี้", "points to"),
            ("en", "points to a private, loopback or link-local network; it is not fetched.", "เครือข่ายภายใน")):
        token = csrf_from(client.get("/console/evidence", params={"lang": lang}).text)
        refused = client.post("/console/evidence/capture", data={"url": site.url + "/scam", "csrf_token": token})
        assert refused.status_code == 422 and text in refused.text and other not in refused.text
    assert site.hits == []


def test_the_browser_notes_carry_their_keys_beside_the_english_text() -> None:
    taken = capture._note("screenshot by headless Chromium, taken right after the fetch", "enf.shot.taken")
    blocked = [Refusal(f"10.0.0.{i}:80", "private") for i in range(7)]
    note = capture._with_refusals(taken, blocked)
    assert str(note).startswith("screenshot by headless Chromium") and "and 2 more" in note  # the record's text
    assert [p["key"] for p in note.parts] == ["enf.shot.taken", "enf.shot.refused_more"]
    assert note.parts[1]["params"] == {"targets": ", ".join(f"10.0.0.{i}:80" for i in range(5)), "more": "2"}
    assert capture._with_refusals(taken, []) is taken
