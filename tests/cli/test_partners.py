"""`khaojing partners …`: the printed key works against the API until it is revoked."""

from __future__ import annotations

import re

KEY_RE = re.compile(r"^kj_[0-9a-f]{8}_\S+$", re.MULTILINE)


def _key(output: str) -> str:
    match = KEY_RE.search(output)
    assert match, output
    return match.group(0)


def _post(env, key: str, text: str = "ดื่มน้ำมะนาวผสมโซดาฆ่าเชื้อไวรัสได้"):  # noqa: ANN001, ANN202
    return env.client.post("/api/v1/reports", json={"text": text},
                           headers={"Authorization": f"Bearer {key}"})


def test_create_prints_a_working_key_and_revoke_stops_it(cli, env) -> None:
    created = cli("partners", "create", "moph")
    assert created.exit_code == 0, created.output
    assert "only this once" in created.stderr
    key = _key(created.stdout)
    assert _post(env, key).status_code == 201

    revoked = cli("partners", "revoke", "moph")
    assert revoked.exit_code == 0 and "revoked 1 key" in revoked.stdout
    assert _post(env, key, "อีกเรื่อง").status_code == 401


def test_rotate_adds_a_key_and_list_shows_both(cli, env) -> None:
    first = _key(cli("partners", "create", "dsi").stdout)
    rotated = cli("partners", "rotate", "dsi")
    second = _key(rotated.stdout)
    assert second != first
    assert _post(env, first).status_code == 201 and _post(env, second, "ข้อความที่สอง").status_code == 201
    listing = cli("partners", "list")
    assert listing.exit_code == 0
    row = next(line for line in listing.stdout.splitlines() if "dsi" in line)
    assert re.search(r"dsi\s*│\s*2\s*│\s*0", row), listing.stdout


def test_expected_errors_are_one_line_without_a_traceback(cli) -> None:
    assert cli("partners", "create", "moph").exit_code == 0
    again = cli("partners", "create", "moph")
    assert again.exit_code == 1
    assert "exists" in again.stderr and "Traceback" not in again.output
    missing = cli("partners", "revoke", "nobody")
    assert missing.exit_code == 1 and "no partner called 'nobody'" in missing.stderr
    assert "no partners yet" not in cli("partners", "list").stdout
