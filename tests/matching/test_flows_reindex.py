"""Merging and splitting claims re-indexes them: links and repeats follow the reports to their new claim."""

from __future__ import annotations

from sqlalchemy import select

from khaojing.claims import service as claims
from khaojing.claims.models import ClaimFingerprint
from khaojing.db.base import utcnow
from khaojing.intake.models import Report
from khaojing.matching import service as matching
from khaojing.thai.normalize import normalize

RUMOUR = "กรมสรรพากรส่งข้อความให้ยืนยันตัวตนผ่านลิงก์เพื่อรับเงินคืนภาษีภายในวันนี้"
OTHER = "ดื่มน้ำต้มใบมะละกอทุกวันรักษาไข้เลือดออกได้ภายในสามวัน"
LINK = "https://rd-refund.example/claim?utm_source=line"


def _send(env, key: str, text: str, **extra) -> int:  # noqa: ANN001, ANN003
    r = env.client.post("/api/v1/reports", json={"text": text, **extra}, headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _claim_of(env, report_id: int) -> int:  # noqa: ANN001
    with env.db.unit_of_work(readonly=True) as session:
        return session.get(Report, report_id).claim_id


def _top(env, query: matching.Query) -> int | None:  # noqa: ANN001
    with env.db.unit_of_work(readonly=True) as session:
        found = matching.search(session, query, settings=env.settings, k=3)
    return found[0].claim_id if found else None


def test_after_a_merge_the_merged_claims_link_finds_the_target(env) -> None:  # noqa: ANN001
    key = env.partner_key("reindex")
    a_report = _send(env, key, RUMOUR)
    env.run_jobs()
    a = _claim_of(env, a_report)
    b_report = _send(env, key, OTHER, urls=[LINK])
    env.run_jobs()
    b = _claim_of(env, b_report)
    assert a and b and a != b
    assert _top(env, matching.Query(urls=[LINK])) == b

    with env.db.unit_of_work() as session:
        claims.merge_claims(session, target_id=a, source_ids=[b], actor="user:1")
    env.run_jobs()  # the re-index job

    assert _top(env, matching.Query(urls=[LINK])) == a
    with env.db.unit_of_work(readonly=True) as session:
        assert session.scalars(select(ClaimFingerprint).where(ClaimFingerprint.claim_id == b)).all() == []
        kinds = {f.kind for f in session.scalars(select(ClaimFingerprint).where(ClaimFingerprint.claim_id == a))}
    assert kinds == {"text", "url"}


def test_after_a_split_a_repeat_of_the_moved_report_joins_the_new_claim(env) -> None:  # noqa: ANN001
    key = env.partner_key("reindex")
    first = _send(env, key, RUMOUR)
    env.run_jobs()
    claim_id = _claim_of(env, first)
    moved = _send(env, key, OTHER)
    with env.db.unit_of_work() as session:  # an analyst grouped it by hand before screening ran
        report = session.get(Report, moved)
        report.screened_at, report.norm_sha256 = utcnow(), normalize(OTHER).sha256
        claims.attach_report(session, claim=claims.get_claim(session, claim_id), report=report, how="analyst")
        claims.reindex_later(session, [claim_id])
    env.run_jobs()
    with env.db.unit_of_work() as session:
        new = claims.split_claim(session, claim_id=claim_id, report_ids=[moved], actor="user:1").id
    env.run_jobs()

    repeat = _send(env, key, OTHER)
    env.run_jobs()
    assert _claim_of(env, repeat) == new
    again = _send(env, key, RUMOUR)
    env.run_jobs()
    assert _claim_of(env, again) == claim_id
