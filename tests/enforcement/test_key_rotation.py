"""Rotating the evidence signing key: what was signed before still verifies (vault, console, package, public page),
the old private key is gone, every process signs with the new key, and a missing retired key is named."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from case_helpers import make_claim
from package_helpers import run_verifier, unpack
from sqlalchemy import select

from khaojing.audit.models import AuditEvent
from khaojing.cases import service as cases
from khaojing.enforcement import capture, custody, package
from khaojing.enforcement import messages as _messages  # noqa: F401  (registers the refusals)
from khaojing.enforcement import service as vault
from khaojing.enforcement.models import Evidence
from khaojing.enforcement.signing import key_path, keyring, load_key, retired_dir, rotate_key
from khaojing.errors import Invalid
from khaojing.messages import t
from khaojing.thai.dates import format_date_short


def _case_with_two_keys(db, settings, site, staff):  # noqa: ANN001, ANN202
    """A case with one item signed before a rotation and one after; the first one handed over after it."""
    with db.unit_of_work() as session:
        claim = make_claim(session, settings, "ลงทุนทองคำ กำไร 300% ต่อเดือน ธปท.รับรอง")
        case_id = cases.open_case(session, claim_id=claim.id, actor=staff.analyst, settings=settings).id
    with db.unit_of_work() as session:
        fetched = capture.fetch(site.url + "/scam", settings=settings)
        first = vault.record_fetch(session, settings=settings, fetched=fetched, actor="user:1", case_id=case_id).id
    old_id, new_id = rotate_key(settings)
    with db.unit_of_work() as session:
        second = vault.record_fetch(session, settings=settings, fetched=capture.fetch(site.url + "/moved",
                                                                                    settings=settings),
                                    actor="user:1", case_id=case_id).id
        vault.handover(session, settings=settings, evidence_id=first, recipient="บก.ปอท.", actor="user:1")
    return case_id, first, second, old_id, new_id


def _check(db, settings) -> custody.VaultCheck:  # noqa: ANN001
    with db.unit_of_work(readonly=True) as session:
        return custody.verify_vault(session, settings=settings)


def test_evidence_signed_before_a_rotation_still_verifies(db, enf_settings, site, staff) -> None:  # noqa: ANN001
    case_id, first, second, old_id, new_id = _case_with_two_keys(db, enf_settings, site, staff)
    assert old_id != new_id and load_key(enf_settings).key_id == new_id
    with db.unit_of_work(readonly=True) as session:
        assert session.get(Evidence, first).key_id == old_id
        assert session.get(Evidence, second).key_id == new_id
    check = _check(db, enf_settings)
    assert check.ok, check.problems
    assert (check.items, check.entries) == (2, 5)  # capture+attach+handover, capture+attach
    # the old private key is gone: only its public half is kept, and nothing in the key folder signs with it
    assert set(keyring(enf_settings)) == {old_id, new_id}
    assert b"PRIVATE" not in (retired_dir(enf_settings) / f"{old_id}.pem").read_bytes()
    assert key_path(enf_settings).read_bytes().count(b"PRIVATE KEY") == 2  # BEGIN and END of the one new key


def test_tampering_is_still_found_after_a_rotation(db, enf_settings, site, staff) -> None:  # noqa: ANN001
    _, first, _, _, _ = _case_with_two_keys(db, enf_settings, site, staff)
    with db.unit_of_work() as session:
        session.get(Evidence, first).title = "แก้ไขภายหลัง"
    check = _check(db, enf_settings)
    assert [p for p in check.problems if p.startswith(f"evidence {first}:")] == [
        f"evidence {first}: record changed after it was signed (hash differs)"]


def test_a_missing_retired_key_is_named_not_ignored(db, enf_settings, site, staff) -> None:  # noqa: ANN001
    case_id, first, _, old_id, _ = _case_with_two_keys(db, enf_settings, site, staff)
    (retired_dir(enf_settings) / f"{old_id}.pem").unlink()
    check = _check(db, enf_settings)
    assert not check.ok
    assert any(p.startswith(f"evidence {first}: signed by a key this center does not know ({old_id[:16]}")
               for p in check.problems)
    with db.unit_of_work() as session:  # an export would carry a signature nobody can check: refused, saying why
        with pytest.raises(Invalid, match=f"signed by keys this center no longer has: {old_id[:16]}$") as refused:
            package.export_case(session, settings=enf_settings, case_id=case_id, actor="user:1", actor_name="x")
    assert refused.value.key == "enf.err.unknown_key"
    assert "retired/" in t("enf.err.unknown_key", "en", **refused.value.params)


def test_a_package_with_items_from_two_keys_verifies_with_its_own_verifier(db, enf_settings, site, staff,  # noqa: ANN001
                                                                            tmp_path) -> None:
    case_id, first, second, old_id, new_id = _case_with_two_keys(db, enf_settings, site, staff)
    with db.unit_of_work() as session:
        data = package.export_case(session, settings=enf_settings, case_id=case_id, actor="user:1", actor_name="x")
    root = unpack(data, tmp_path / "pkg")
    manifest = json.loads((root / "manifest.json").read_text())
    assert manifest["key_id"] == new_id and set(manifest["keys"]) == {old_id, new_id}
    assert {i["statement"]["evidence_id"]: i["key_id"] for i in manifest["items"]} == {first: old_id, second: new_id}
    ok = run_verifier(root)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "signatures: checked" in ok.stdout

    # an item's signature re-pointed at the other key no longer verifies
    for item in manifest["items"]:
        if item["statement"]["evidence_id"] == first:
            item["key_id"] = new_id
    (root / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    bad = run_verifier(root)
    assert bad.returncode == 1
    assert f"entry for evidence {first} has a signature that does not verify" in bad.stdout

    # last, the PDF a prosecutor reads (pdftotext: poppler-utils, installed by `make system-deps`; CI always has it)
    if not shutil.which("pdftotext") and os.environ.get("CI") != "true":
        pytest.skip("pdftotext is missing: the summary PDF's key list was not read (make system-deps)")
    text = subprocess.run(["pdftotext", str(root / "summary.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    text = " ".join(text.split())
    assert new_id in text and old_id in text and "earlier keys of the center" in text


def test_a_running_process_signs_with_the_new_key_after_a_rotation_elsewhere(db, enf_settings, site) -> None:  # noqa: ANN001
    before = load_key(enf_settings).key_id  # this process has the key cached
    path = key_path(enf_settings)
    other_process_key = path.with_name("other.pem")
    # another process rotates: the key file is replaced under this one
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    other_process_key.write_bytes(Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    other_process_key.replace(path)
    with db.unit_of_work() as session:
        eid = vault.record_fetch(session, settings=enf_settings,
                                 fetched=capture.fetch(site.url + "/scam", settings=enf_settings), actor="user:1").id
        assert session.get(Evidence, eid).key_id != before


def test_the_cli_rotates_lists_and_audits(db, enf_settings, site, cli) -> None:  # noqa: ANN001
    with db.unit_of_work() as session:
        vault.record_fetch(session, settings=enf_settings, fetched=capture.fetch(site.url + "/scam",
                                                                              settings=enf_settings), actor="user:1")
    old = load_key(enf_settings).key_id
    refused = cli("evidence", "rotate-key", input="n\n")
    assert refused.exit_code == 1 and load_key(enf_settings).key_id == old
    done = cli("evidence", "rotate-key", "--yes")
    assert done.exit_code == 0, done.output
    new = load_key(enf_settings).key_id
    assert f"retired key {old}" in done.output and f"new key     {new}" in done.output
    listed = cli("evidence", "key")
    assert new in listed.output and "earlier keys, retired" in listed.output and old in listed.output
    verified = cli("evidence", "verify")
    assert verified.exit_code == 0, verified.output
    with db.unit_of_work(readonly=True) as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "evidence.key_rotated")).one()
        assert event.data == {"retired": old, "new": new}


def test_pages_say_which_key_signed_an_item_and_publish_the_earlier_keys(env, enf_settings, staff) -> None:  # noqa: ANN001
    with env.db.unit_of_work() as session:
        before = vault.record_upload(session, settings=enf_settings, data=b"chat export", filename="chat.txt",
                                     actor="user:1").id
    old_id, new_id = rotate_key(enf_settings)
    with env.db.unit_of_work() as session:
        after = vault.record_upload(session, settings=enf_settings, data=b"other", filename="other.txt",
                                    actor="user:1").id
    client = env.login(staff.analyst)
    assert "กุญแจเดิมของศูนย์ (เลิกใช้แล้ว ยังใช้ตรวจสอบได้)" in client.get(f"/console/evidence/{before}").text
    assert "กุญแจปัจจุบันของศูนย์" in client.get(f"/console/evidence/{after}").text
    (retired_dir(enf_settings) / f"{old_id}.pem").unlink()
    assert "not a key this center knows" in client.get(f"/console/evidence/{before}?lang=en").text
    rotate_key(enf_settings)  # the second rotation keeps the first's successor; the lost one stays lost
    rotate_key(enf_settings)  # a key that signed nothing is listed too, after those that did
    public = env.client.get("/transparency/takedowns?lang=en").text
    assert "Earlier keys, retired" in public and new_id in public and old_id not in public
    assert "signed 1 evidence item(s) from" in public and "has signed no evidence item" in public
    assert public.index("signed 1 evidence item(s)") < public.index("has signed no evidence item")
    thai = env.client.get("/transparency/takedowns?lang=th").text
    with env.db.unit_of_work(readonly=True) as session:
        signed_at = session.get(Evidence, after).captured_at
    assert f"ลงนามพยานหลักฐาน 1 รายการ ระหว่าง {format_date_short(signed_at, 'th', enf_settings.timezone)}" in thai
    assert format_date_short(signed_at, "th", enf_settings.timezone).endswith(f" {(signed_at.year + 543) % 100}")
