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


def test_webhooks_add_list_remove(cli, env) -> None:  # noqa: ANN001
    from khaojing.publication import webhooks
    from publication.pub_helpers import publish
    from publication.receiver import Receiver

    assert "no webhooks yet" in cli("partners", "webhooks", "list").stdout
    assert cli("partners", "create", "moph").exit_code == 0
    receiver = Receiver()
    try:
        added = cli("partners", "webhooks", "add", "moph", receiver.url, "--partner", "moph")
        assert added.exit_code == 0, added.output
        assert "only this once" in added.stderr and "X-Khaojing-Signature" in added.stderr
        receiver.secret = added.stdout.strip()
        assert receiver.secret.startswith("whsec_")
        bad = cli("partners", "webhooks", "add", "other", "not-a-url")
        assert bad.exit_code == 1 and "not an http(s) URL" in bad.stderr and "Traceback" not in bad.output

        claim_id = publish(env.db, env.settings)
        with env.db.unit_of_work() as session:
            body = {"claim_id": claim_id, "version": 1}
            webhooks.queue_deliveries(session, claim_id=claim_id, verdict_id=1, version=1, body=body)
            webhooks.deliver_due(session, settings=env.settings)
        listed = cli("partners", "webhooks", "list")
        assert listed.exit_code == 0 and f"moph  {receiver.url}" in listed.stdout
        assert "pending 0, delivered 1, dead 0" in listed.stdout
        assert len(receiver.accepted) == 1
        assert cli("partners", "webhooks", "remove", "moph").stdout.startswith("removed webhook moph")
        assert "no webhooks yet" in cli("partners", "webhooks", "list").stdout
        assert cli("partners", "webhooks", "remove", "moph").exit_code == 1
    finally:
        receiver.stop()
