#!/usr/bin/env python3
"""Verify a khaojing evidence package (standard library only). Usage: python3 verify_package.py [PACKAGE_DIR]

Checks every file's SHA-256 against manifest.json, every item's record hash, and the chain of custody in
custody.jsonl (each entry's hash and its link to the previous one). Ed25519 signatures are checked only when the
`cryptography` package happens to be installed; the output says whether they were. Exit 0 = intact, 1 = not.
"""
import base64
import hashlib
import json
import sys
from pathlib import Path

try:
    from cryptography.hazmat.primitives.serialization import load_pem_public_key
except ImportError:  # signatures cannot be checked; hashes and links still are
    load_pem_public_key = None


def canonical(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def signed(key, message, signature):
    try:
        key.verify(base64.b64decode(signature), message)
        return True
    except Exception:  # noqa: BLE001 - any failure means the signature does not hold
        return False


def verify(root):
    problems = []
    manifest_bytes = (root / "manifest.json").read_bytes()
    manifest = json.loads(manifest_bytes)
    key = load_pem_public_key(manifest["public_key"].encode("ascii")) if load_pem_public_key else None
    # packages made after a key change carry every key that signed their items; the current one signs the manifest
    keys = {kid: load_pem_public_key(pem.encode("ascii")) for kid, pem in manifest.get("keys", {}).items()} \
        if key is not None else {}
    if key is not None:
        sig_file = root / "manifest.json.sig"
        if not sig_file.is_file() or not signed(key, manifest_bytes, sig_file.read_text().strip()):
            problems.append("manifest.json: the center's signature over the manifest does not verify")
    heads = {}
    for item in manifest["items"]:
        st, eid = item["statement"], item["statement"]["evidence_id"]
        body = canonical(st)
        if hashlib.sha256(body).hexdigest() != item["record_hash"]:
            problems.append(f"manifest.json: entry for evidence {eid} was changed (its record hash differs)")
        elif key is not None and not signed(keys.get(item.get("key_id"), key), body, item["signature"]):
            problems.append(f"manifest.json: entry for evidence {eid} has a signature that does not verify")
        heads[eid] = item["record_hash"]
        for f in st["files"]:
            rel = f"{item['dir']}/{f['name']}"
            path = root / rel
            if not path.is_file():
                problems.append(f"file {rel}: missing")
            elif sha256_file(path) != f["sha256"]:
                problems.append(f"file {rel}: content changed (SHA-256 does not match manifest.json)")
    summary = manifest.get("summary")
    if summary and (not (root / summary["path"]).is_file() or sha256_file(root / summary["path"]) != summary["sha256"]):
        problems.append(f"file {summary['path']}: missing or changed (SHA-256 does not match manifest.json)")
    seen = {eid: 0 for eid in heads}
    lines = (root / manifest["custody_log"]).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        e = json.loads(line)
        eid, where = e["evidence_id"], f"custody.jsonl line {number} (entry {e['id']}, evidence {e['evidence_id']})"
        if eid not in heads:
            problems.append(f"{where}: belongs to no item of the manifest")
            continue
        if e["prev_hash"] != heads[eid]:
            problems.append(f"{where}: link broken (an entry before it was removed, added or reordered)")
        body = canonical({k: e[k] for k in ("evidence_id", "at", "actor", "action", "data")} | {"prev": e["prev_hash"]})
        if hashlib.sha256(body).hexdigest() != e["hash"]:
            problems.append(f"{where}: content changed after it was written")
        elif key is not None and not any(signed(k, e["hash"].encode("ascii"), e["signature"])
                                         for k in [key, *keys.values()]):
            problems.append(f"{where}: signature does not verify")
        heads[eid], seen[eid] = e["hash"], seen[eid] + 1
    if manifest.get("custody_heads") and manifest["custody_heads"] != {str(k): v for k, v in heads.items()}:
        problems.append("custody.jsonl: does not end where manifest.json says (entries removed at the end?)")
    problems += [f"custody.jsonl: no entries for evidence {eid}" for eid, n in seen.items() if n == 0]
    return problems, len(manifest["items"]), len(lines), key is not None


def main(argv):
    root = Path(argv[1] if len(argv) > 1 else Path(__file__).parent)
    try:
        problems, items, entries, with_signatures = verify(root)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"FAILED: the package cannot be read ({type(exc).__name__}: {exc})")
        return 1
    if with_signatures:
        print("signatures: checked (Ed25519, with the public key in manifest.json)")
    else:
        print("signatures: NOT checked - the Python package 'cryptography' is not installed here; "
              "hashes and the custody chain were checked with hashlib only")
    if problems:
        print(f"FAILED: {len(problems)} problem(s)")
        for p in problems:
            print(f"  - {p}")
        return 1
    print(f"OK: {items} evidence item(s), {entries} custody entries, every file and link intact")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
