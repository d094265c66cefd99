"""What a partner agency's developer meets when following docs/partners/api.md and docs/publication.md: the read
API's dates, the feeds' topics, the OpenAPI description, the open-data dictionary and manifest, and the docs' own
webhook signature check run against a real signed delivery."""

from __future__ import annotations

import hashlib
import json
import re
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from pub_helpers import T0, publish

from khaojing.jobs import queue
from khaojing.publication import opendata, opendata_docs, webhooks
from khaojing.publication.jobs import OPEN_DATA_JOB

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_list_dates_must_be_common_era_iso_not_unix_time_or_buddhist_era(env) -> None:  # noqa: ANN001
    claim = publish(env.db, env.settings, at=T0)  # 2 March 2026
    found = env.client.get("/api/v1/verdicts?since=2026-03-02&until=2026-03-02").json()
    assert [i["claim_id"] for i in found["items"]] == [claim]
    for value in ("0", "20260302", "2/3/2026", ""):  # pydantic alone read "0" and "20260302" as a Unix time (1970)
        r = env.client.get(f"/api/v1/verdicts?since={value}")
        assert r.status_code == 422, (value, r.text)
        error = r.json()["error"]
        assert error["message_th"] and error["fields"][0]["field"] == "query.since"
        assert "YYYY-MM-DD" in error["fields"][0]["message"]
    buddhist = env.client.get("/api/v1/verdicts?since=2569-03-02&until=2569-03-02")  # was silently empty
    assert [i["claim_id"] for i in buddhist.json()["items"]] == [claim]  # 2569 BE = 2026 CE, the product's rule
    assert env.client.get("/api/v1/verdicts?since=2026-02-30").status_code == 422
    spec = env.client.get("/api/openapi.json").json()
    since = next(p for p in spec["paths"]["/api/v1/verdicts"]["get"]["parameters"] if p["name"] == "since")
    date = next(x for x in since["schema"]["anyOf"] if x.get("format") == "date")
    assert re.match(date["pattern"], "2568-01-01") and not re.match(date["pattern"], "20250101")


def test_a_feed_for_an_unknown_topic_is_404_not_every_verdict(env) -> None:  # noqa: ANN001
    publish(env.db, env.settings, topic="health")
    for path in ("/feeds/verdicts.atom", "/feeds/verdicts.json"):
        assert env.client.get(f"{path}?topic=heath").status_code == 404  # a typo: was the feed of all topics
        assert env.client.get(f"{path}?topic=health").status_code == 200
        assert env.client.get(f"{path}?topic=").status_code == 200  # empty: all topics
    assert len(env.client.get("/feeds/verdicts.json?topic=").json()["items"]) == 1
    page = env.client.get("/verdicts?topic=heath").text  # the list page does not link a feed that would be 404
    assert "verdicts.atom?topic=heath" not in page and 'href="/feeds/verdicts.atom"' in page


def test_openapi_describes_the_rate_limit_and_empty_images(env) -> None:  # noqa: ANN001
    spec = env.client.get("/api/openapi.json").json()
    post = spec["paths"]["/api/v1/reports"]["post"]["responses"]
    get = spec["paths"]["/api/v1/reports/{report_id}"]["get"]["responses"]
    for responses in (post, get):
        assert "Retry-After" in responses["429"]["headers"]
        assert (
            "message_th"
            in responses["429"]["content"]["application/json"]["schema"]["properties"]["error"]["properties"]
        )
    image = spec["components"]["schemas"]["ImageIn"]["properties"]["content_base64"]
    assert image["minLength"] == 1  # schemathesis: '' was schema-valid yet refused
    key = env.partner_key("moph")
    r = env.client.post(
        "/api/v1/reports", json={"images": [{"content_base64": ""}]}, headers={"Authorization": f"Bearer {key}"}
    )
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "images.0.content_base64"


def test_data_dictionary_tables_keep_three_columns_and_the_manifest_downloads(env) -> None:  # noqa: ANN001
    text = opendata_docs.data_dictionary(env.settings)
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(rows) == 2 + len(opendata_docs.VERDICT_COLUMNS) + len(opendata_docs.CLAIM_COLUMNS)
    for row in rows:  # a bare '|' in a cell (the sources column's ' | ') split it into four columns
        assert len(re.findall(r"(?<!\\)\|", row)) == 4, row
    assert env.client.get("/open-data/manifest.json").status_code == 404  # before the first run
    publish(env.db, env.settings)
    with env.db.unit_of_work() as session:
        queue.enqueue(session, OPEN_DATA_JOB, {})
    assert env.run_jobs() >= 1
    r = env.client.get("/open-data/manifest.json")
    assert r.status_code == 200 and r.json() == opendata.manifest(env.settings)
    for entry in r.json()["files"]:
        download = env.client.get(f"/open-data/{entry['name']}")
        assert hashlib.sha256(download.content).hexdigest() == entry["sha256"] == download.headers["x-checksum-sha256"]


def _docs_verify():  # noqa: ANN202
    """The `verify` function exactly as docs/partners/api.md prints it."""
    text = (DOCS / "partners" / "api.md").read_text(encoding="utf-8")
    code = next(block for block in re.findall(r"```python\n(.*?)```", text, re.S) if "def verify" in block)
    scope: dict = {}
    exec(compile(code, "docs/partners/api.md", "exec"), scope)  # noqa: S102
    return scope["verify"]


def test_the_docs_webhook_check_accepts_a_real_signature_and_refuses_tampering(env) -> None:  # noqa: ANN001
    verify = _docs_verify()
    secret = "whsec_" + "k" * 43
    body = json.dumps({"claim_id": 1, "label": "fake"}, ensure_ascii=False).encode()
    now = str(int(time.time()))
    headers = {"X-Khaojing-Timestamp": now, "X-Khaojing-Signature": webhooks.sign(secret, now, body)}
    assert verify(secret, headers, body)
    assert not verify(secret, headers, body.replace(b"fake", b"true"))
    assert not verify("whsec_other", headers, body)
    old = str(int(time.time()) - 301)
    assert not verify(
        secret, {"X-Khaojing-Timestamp": old, "X-Khaojing-Signature": webhooks.sign(secret, old, body)}, body
    )
    lower = {k.lower(): v for k, v in headers.items()}  # how many frameworks hand the headers over
    assert verify(secret, lower, body), "the docs' verify() must not depend on the headers' case"


def test_the_docs_retry_client_waits_out_a_429_and_repeats_with_the_same_key(env) -> None:  # noqa: ANN001
    text = (DOCS / "partners" / "api.md").read_text(encoding="utf-8")
    code = next(block for block in re.findall(r"```python\n(.*?)```", text, re.S) if "def send" in block)
    scope: dict = {}
    exec(compile(code, "docs/partners/api.md", "exec"), scope)  # noqa: S102
    waits: list[float] = []
    scope["time"] = SimpleNamespace(sleep=waits.append)  # the sample's own `time`: no real waiting
    try:
        env.settings.rate_limit_enabled, env.settings.rate_limit_api_per_minute = True, 1
        env.client.headers["Authorization"] = f"Bearer {env.partner_key('moph')}"
        report = {"text": "ดื่มน้ำมะนาวผสมโซดาฆ่าเชื้อไวรัสได้", "external_id": "moph-9"}
        first = scope["send"](env.client, report, "moph-9")
        assert first.status_code == 201 and waits == []
        with pytest.raises(RuntimeError, match="same Idempotency-Key"):  # 429 five times, then gives up
            scope["send"](env.client, report, "moph-9")
        assert len(waits) == 5 and all(w >= 1 for w in waits)  # each wait is the answer's Retry-After
        env.settings.rate_limit_enabled = False
        again = scope["send"](env.client, report, "moph-9")
        assert again.status_code == 200 and again.headers["idempotent-replayed"] == "true"
        assert again.json()["id"] == first.json()["id"]
    finally:
        env.settings.rate_limit_enabled = False
