"""The evidence package: captured from a local site, attached to a case, exported, verified by the standalone
verifier in a subprocess; a changed file byte, manifest entry or custody entry makes it fail, naming which."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from case_helpers import make_claim
from package_helpers import run_verifier, unpack

from khaojing.cases import service as cases
from khaojing.enforcement import capture, package
from khaojing.enforcement import service as vault
from khaojing.errors import Invalid


def _export(db, settings, site, staff, tmp_path: Path) -> tuple[Path, int, int]:  # noqa: ANN001
    with db.unit_of_work() as session:
        claim = make_claim(session, settings, "ลงทุนทองคำ กำไร 300% ต่อเดือน ธปท.รับรอง")
        case_id = cases.open_case(session, claim_id=claim.id, actor=staff.analyst, settings=settings).id
    fetched = capture.fetch(site.url + "/scam", settings=settings)
    with db.unit_of_work() as session:
        eid = vault.record_fetch(session, settings=settings, fetched=fetched, actor="user:1", case_id=case_id).id
        vault.handover(session, settings=settings, evidence_id=eid, recipient="บก.ปอท.", actor="user:1")
    with db.unit_of_work() as session:
        data = package.export_case(session, settings=settings, case_id=case_id, actor="user:1",
                                   actor_name="คุณ analyst")
    return unpack(data, tmp_path / "pkg"), case_id, eid


def test_the_exported_package_verifies_and_every_tampering_is_named(db, enf_settings, site, staff,  # noqa: ANN001
                                                                     tmp_path) -> None:
    root, case_id, eid = _export(db, enf_settings, site, staff, tmp_path)
    names = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert names == ["README.txt", "custody.jsonl", f"evidence/{eid}/headers.json", f"evidence/{eid}/raw.html",
                     f"evidence/{eid}/text.txt", "manifest.json", "manifest.json.sig", "public-key.pem",
                     "summary.pdf", "verify_package.py"]
    entries = [json.loads(line) for line in (root / "custody.jsonl").read_text().splitlines()]
    assert [e["action"] for e in entries] == ["capture", "attach", "handover", "export"]
    with db.unit_of_work(readonly=True) as session:  # the export is in the vault's own log too
        assert [e.action for e in vault.custody_log(session, eid)] == ["capture", "attach", "handover", "export"]
    assert (root / "summary.pdf").read_bytes().startswith(b"%PDF-")
    assert len((root / "verify_package.py").read_text().splitlines()) < 130

    ok = run_verifier(root)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "signatures: checked" in ok.stdout and "OK: 1 evidence item(s), 4 custody entries" in ok.stdout
    bare = run_verifier(root, without_crypto=True)
    assert bare.returncode == 0, bare.stdout + bare.stderr
    assert "signatures: NOT checked" in bare.stdout

    raw = root / f"evidence/{eid}/raw.html"  # 1. one byte of the captured page
    original = raw.read_bytes()
    raw.write_bytes(original.replace(b"300%", b"30%!"))
    bad = run_verifier(root)
    assert bad.returncode == 1
    assert f"file evidence/{eid}/raw.html: content changed" in bad.stdout
    raw.write_bytes(original)

    manifest_path = root / "manifest.json"  # 2. a manifest entry (the capture time), hashes left as they were
    manifest_text = manifest_path.read_text()
    manifest = json.loads(manifest_text)
    manifest["items"][0]["statement"]["captured_at"] = "2026-01-01T00:00:00.000000Z"
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    for run in (run_verifier(root), run_verifier(root, without_crypto=True)):
        assert run.returncode == 1
        assert f"manifest.json: entry for evidence {eid} was changed" in run.stdout
    manifest_path.write_text(manifest_text)

    log = root / "custody.jsonl"  # 3. a custody entry (who received it)
    lines = log.read_text().splitlines()
    handover = json.loads(lines[2])
    handover["data"]["to"] = "someone else"
    log.write_text("\n".join([*lines[:2], json.dumps(handover, ensure_ascii=False), lines[3]]) + "\n")
    bad = run_verifier(root)
    assert bad.returncode == 1
    assert f"custody.jsonl line 3 (entry {handover['id']}, evidence {eid}): content changed" in bad.stdout

    log.write_text("\n".join([lines[0], lines[1], lines[3]]) + "\n")  # 4. an entry removed
    bad = run_verifier(root)
    assert "custody.jsonl line 3" in bad.stdout and "link broken" in bad.stdout

    log.write_text("\n".join(lines[:3]) + "\n")  # 5. the last entry cut off: the manifest's heads catch it
    assert "does not end where manifest.json says" in run_verifier(root).stdout
    log.write_text("\n".join(lines) + "\n")
    assert run_verifier(root).returncode == 0


def test_a_case_without_evidence_cannot_be_exported(db, enf_settings, staff) -> None:  # noqa: ANN001
    with db.unit_of_work() as session:
        claim = make_claim(session, enf_settings)
        case_id = cases.open_case(session, claim_id=claim.id, actor=staff.analyst, settings=enf_settings).id
    with pytest.raises(Invalid, match="no evidence"), db.unit_of_work() as session:
        package.export_case(session, settings=enf_settings, case_id=case_id, actor="user:1", actor_name="x")
