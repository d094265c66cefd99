"""Partner API: reports are stored once, answered only after commit, and bad input writes nothing."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from sqlalchemy import func, select

from helpers import image_bytes
from khaojing.audit.models import AuditEvent
from khaojing.intake import partners
from khaojing.intake.models import ContactPoint, Media, Report, Requester
from khaojing.jobs.models import Job
from khaojing.messages import size_text

THAI = "ด่วน! กินกระเทียมสดวันละ 3 กลีบ รักษามะเร็งได้ แชร์ต่อด้วย"


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _counts(env) -> dict[str, int]:  # noqa: ANN001
    with env.db.unit_of_work(readonly=True) as session:
        counts = {m.__tablename__: session.scalar(select(func.count()).select_from(m))
                  for m in (Report, Media, Job, Requester, ContactPoint)}
        counts["audit_report"] = session.scalar(select(func.count(AuditEvent.id))
                                                .where(AuditEvent.action == "report.accepted"))
    media_dir: Path = env.settings.media_dir
    counts["files"] = sum(1 for p in media_dir.rglob("*") if p.is_file()) if media_dir.exists() else 0
    return counts


@pytest.fixture
def key(env) -> str:  # noqa: ANN001
    return env.partner_key("moph")


def test_a_report_is_stored_with_media_requester_and_a_triage_job(env, key) -> None:  # noqa: ANN001
    png = base64.b64encode(image_bytes()).decode()
    body = {"text": THAI, "urls": ["https://example.com/p/1"], "external_id": "moph-1",
            "received_at": "2026-11-26T08:30:00+07:00", "images": [{"content_base64": png, "filename": "a.png"}],
            "requester": {"kind": "phone", "value": "+66 81 234 5678"},
            "contact": {"kind": "phone", "value": "081-234-5678"}, "meta": {"district": "บางรัก"}}
    r = env.client.post("/api/v1/reports", json=body, headers=_auth(key))
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["text"] == THAI and out["status"] == "new" and out["tracking_code"].startswith("KJ-")
    assert out["received_at"] == "2026-11-26T01:30:00Z"
    assert out["media"][0]["content_type"] == "image/png"
    assert r.headers["location"] == f"/api/v1/reports/{out['id']}"
    with env.db.unit_of_work(readonly=True) as session:
        report = session.get(Report, out["id"])
        requester = session.get(Requester, report.requester_id)
        assert "812345678" not in requester.key_hash and len(requester.key_hash) == 64
        contact = session.scalars(select(ContactPoint)).one()
        assert contact.value == "0812345678" and contact.expires_at > report.created_at
        job = session.scalars(select(Job)).one()
        assert job.name == "triage.report" and job.payload == {"report_id": out["id"]}
    assert env.run_jobs() == 1
    again = env.client.get(f"/api/v1/reports/{out['id']}", headers=_auth(key))
    assert again.json()["status"] == "grouped"  # screened as a claim and grouped (a new claim of its own)
    assert again.json()["claim_id"] is not None


def test_the_same_phone_written_two_ways_is_one_requester(env, key) -> None:  # noqa: ANN001
    for i, phone in enumerate(["+66812345678", "081-234-5678"]):
        env.client.post("/api/v1/reports", json={"text": f"{THAI} {i}", "requester": {"kind": "phone",
                        "value": phone}}, headers=_auth(key))
    assert _counts(env)["requesters"] == 1


def test_repeats_return_the_original_report(env, key) -> None:  # noqa: ANN001
    body = {"text": THAI, "external_id": "moph-7"}
    first = env.client.post("/api/v1/reports", json=body, headers={**_auth(key), "Idempotency-Key": "abc"})
    by_key = env.client.post("/api/v1/reports", json=body, headers={**_auth(key), "Idempotency-Key": "abc"})
    by_external_id = env.client.post("/api/v1/reports", json=body, headers=_auth(key))
    assert first.status_code == 201
    for repeat in (by_key, by_external_id):
        assert repeat.status_code == 200 and repeat.headers["idempotent-replayed"] == "true"
        assert repeat.json() == first.json()
    assert _counts(env)["reports"] == 1 and _counts(env)["jobs"] == 1


def test_an_idempotency_key_reused_for_another_body_is_a_conflict(env, key) -> None:  # noqa: ANN001
    env.client.post("/api/v1/reports", json={"text": THAI}, headers={**_auth(key), "Idempotency-Key": "k"})
    r = env.client.post("/api/v1/reports", json={"text": "อีกเรื่องหนึ่ง"},
                        headers={**_auth(key), "Idempotency-Key": "k"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "conflict"
    assert _counts(env)["reports"] == 1


def test_external_ids_are_scoped_to_each_partner(env, key) -> None:  # noqa: ANN001
    other = env.partner_key("dsi")
    a = env.client.post("/api/v1/reports", json={"text": THAI, "external_id": "1"}, headers=_auth(key))
    b = env.client.post("/api/v1/reports", json={"text": THAI, "external_id": "1"}, headers=_auth(other))
    assert a.status_code == b.status_code == 201 and a.json()["id"] != b.json()["id"]
    assert env.client.get(f"/api/v1/reports/{a.json()['id']}", headers=_auth(other)).status_code == 404


BAD_INPUT = [
    ("malformed json", {"content": b'{"text": "abc"', "headers": {"Content-Type": "application/json"}}, 422),
    ("wrong field type", {"json": {"text": 5}}, 422),
    ("unknown field", {"json": {"text": "x", "colour": "red"}}, 422),
    ("naive received_at", {"json": {"text": "x", "received_at": "2026-11-26T08:30:00"}}, 422),
    ("bad url", {"json": {"text": "x", "urls": ["not a url"]}}, 422),
    ("empty report", {"json": {"text": "   "}}, 422),
    ("text over 1 MB", {"json": {"text": "ก" * 400_000}}, 413),
    ("wrong content type", {"content": "text=hello", "headers": {"Content-Type":
                                                                 "application/x-www-form-urlencoded"}}, 415),
    ("no content type", {"content": b'{"text": "x"}', "headers": {"Content-Type": ""}}, 415),
    ("not an image", {"json": {"text": "x", "images": [{"content_base64":
                                                        base64.b64encode(b"GIF89a not really").decode()}]}}, 422),
    ("a gif", {"json": {"text": "x", "images": [{"content_base64":
                                                 base64.b64encode(image_bytes("GIF")).decode()}]}}, 422),
    ("bad base64", {"json": {"text": "x", "images": [{"content_base64": "@@@"}]}}, 422),
    ("image over 10 MB", {"json": {"text": "x", "images": [{"content_base64": "A" * 13_400_000}]}}, 413),
]


THAI_REASON = {  # a Thai developer reads the specific reason, not only "ข้อมูลไม่ถูกต้อง"
    "malformed json": "ไม่ใช่ JSON ตามรูปแบบ", "empty report": "ต้องมีข้อความ ลิงก์ หรือรูปภาพ",
    "text over 1 MB": "เกินกำหนด", "wrong content type": "Content-Type: application/json",
    "not an image": "ไม่ใช่รูปภาพ JPEG, PNG หรือ WebP", "a gif": "ไม่รับรูปภาพแบบ GIF",
    "bad base64": "images[0].content_base64 ไม่ใช่ base64", "image over 10 MB": "images[0] ใหญ่เกิน",
}


@pytest.mark.parametrize(("case", "request_kw", "status"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input_is_refused_and_writes_nothing(env, key, case, request_kw, status) -> None:  # noqa: ANN001
    before = _counts(env)
    kw = dict(request_kw)
    kw["headers"] = {**_auth(key), **kw.get("headers", {})}
    r = env.client.post("/api/v1/reports", **kw)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert error["message"] and error["message_th"]
    if case in THAI_REASON:
        assert THAI_REASON[case] in error["message_th"], error
    if status == 422 and case in ("wrong field type", "unknown field", "bad url"):
        assert error["fields"], "422 lists the field errors"
    assert _counts(env) == before


def test_a_body_over_the_request_limit_is_refused_before_reading(env, key) -> None:  # noqa: ANN001
    r = env.client.post("/api/v1/reports", content=b"x" * (env.settings.max_request_bytes + 1),
                        headers={**_auth(key), "Content-Type": "application/json"})
    assert r.status_code == 413
    limit_mb = size_text(env.settings.max_request_bytes)  # "60 MB": as the form pages write a limit
    assert limit_mb in r.json()["error"]["message_th"] and "เกิน" in r.json()["error"]["message_th"]


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nonsense", "Bearer kj_dead_beef", "Basic abc"])
def test_missing_or_unknown_keys_are_401(env, key, header) -> None:  # noqa: ANN001
    headers = {"Authorization": header} if header else {}
    r = env.client.post("/api/v1/reports", json={"text": THAI}, headers=headers)
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    assert _counts(env)["reports"] == 0


def test_a_revoked_key_is_401(env, key) -> None:  # noqa: ANN001
    assert env.client.post("/api/v1/reports", json={"text": THAI}, headers=_auth(key)).status_code == 201
    with env.db.unit_of_work() as session:
        partners.revoke_partner(session, name="moph", actor="system")
    r = env.client.post("/api/v1/reports", json={"text": THAI + " 2"}, headers=_auth(key))
    assert r.status_code == 401 and "revoked" in r.json()["error"]["message"]
    assert "ถูกยกเลิกแล้ว" in r.json()["error"]["message_th"]
    assert _counts(env)["reports"] == 1


def test_openapi_documents_the_report_body_and_docs_are_served_without_a_cdn(env) -> None:  # noqa: ANN001
    spec = env.client.get("/api/openapi.json").json()
    op = spec["paths"]["/api/v1/reports"]["post"]
    assert op["requestBody"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/ReportIn"
    assert "text" in spec["components"]["schemas"]["ReportIn"]["properties"]
    assert {"401", "413", "415", "422"} <= set(op["responses"])
    page = env.client.get("/api/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    assert env.client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
