"""Claims gather variants; counts, first/last seen and priority follow merges, splits and new reports."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from khaojing.audit.models import AuditEvent
from khaojing.claims import service as claims
from khaojing.claims.models import Claim, IndexChange
from khaojing.db.base import utcnow
from khaojing.errors import Conflict, Invalid
from khaojing.intake.models import Report
from khaojing.intake.service import Submission, accept_report, get_or_create_source

NOW = utcnow()


def _report(session, text: str, *, hours_ago: float = 0, channel: str = "webform", who: str | None = None):  # noqa: ANN001, ANN202
    source = get_or_create_source(session, kind=channel, name=channel)
    from khaojing.settings import Settings

    settings = Settings(_env_file=None, dev_mode=True, secret_key="k" * 40)
    sub = Submission(text=text, received_at=NOW - dt.timedelta(hours=hours_ago),
                     requester_kind="email" if who else None, requester_value=who)
    return accept_report(session, settings=settings, source=source, sub=sub, actor="system").report


def _claim(session, report: Report, harm: dict | None = None) -> Claim:  # noqa: ANN001
    return claims.create_claim(session, report=report, title=report.text, match_text=report.text,
                               norm_sha256="x", topic="health", topic_confidence=0.9, harm=harm or {})


def test_variants_update_counts_seen_times_and_priority(db) -> None:  # noqa: ANN001
    with db.unit_of_work() as session:
        first = _report(session, "น้ำมะนาวรักษามะเร็ง", hours_ago=30, who="a@x.th")
        claim = _claim(session, first, harm={"life": 0.9, "property": 0.0})
        lone_priority = claim.priority
        for i, (hours, channel, who) in enumerate([(2, "api", "b@x.th"), (1, "line", "c@x.th"),
                                                   (0.5, "webform", "a@x.th"), (0.2, "api", "d@x.th")]):
            claims.attach_report(session, claim=claim, report=_report(session, f"มะนาวรักษามะเร็ง {i}",
                                 hours_ago=hours, channel=channel, who=who), how="near")
        assert claim.report_count == 5 and claim.requester_count == 4 and claim.channel_count == 3
        assert claim.first_seen_at == first.received_at
        assert claim.priority > lone_priority
        keys = [r["key"] for r in claim.priority_reasons]
        assert keys[0] == "harm_life" and {"reports", "requesters", "channels", "growth"} <= set(keys)
        assert abs(sum(r["points"] for r in claim.priority_reasons) - claim.priority) < 0.5
        assert all(r["th"] and r["en"] for r in claim.priority_reasons)


def test_danger_to_life_or_money_ranks_above_harmless_virality(db) -> None:  # noqa: ANN001
    with db.unit_of_work() as session:
        scam = _claim(session, _report(session, "ลงทุน 1000 ได้ 30% ต่อวัน"), harm={"property": 0.9})
        chatter = _claim(session, _report(session, "ดาราคนนี้แต่งงานแล้ว", hours_ago=1), harm={})
        for i in range(6):
            claims.attach_report(session, claim=chatter, report=_report(session, f"ดาราแต่งงาน {i}",
                                 hours_ago=0.1, who=f"p{i}@x.th"), how="exact")
        assert scam.priority > chatter.priority


def test_merge_moves_reports_and_keeps_a_pointer(db) -> None:  # noqa: ANN001
    with db.unit_of_work() as session:
        a = _claim(session, _report(session, "ข่าว ก", hours_ago=5))
        b = _claim(session, _report(session, "ข่าว ก อีกแบบ", hours_ago=10))
        claims.attach_report(session, claim=b, report=_report(session, "ข่าว ก แบบที่สาม"), how="near")
        target = claims.merge_claims(session, target_id=a.id, source_ids=[b.id], actor="user:1")
        assert target.report_count == 3 and target.first_seen_at == NOW - dt.timedelta(hours=10)
        assert b.status == "merged" and b.merged_into_id == a.id
        late = claims.attach_report(session, claim=b, report=_report(session, "ข่าว ก ล่าสุด"), how="exact")
        assert late.id == a.id  # a report that matched the old claim lands in the merged one
        with pytest.raises(Conflict):
            claims.merge_claims(session, target_id=a.id, source_ids=[b.id], actor="user:1")
        ops = session.execute(select(IndexChange.claim_id, IndexChange.op)).all()
        assert (b.id, "delete") in ops
        assert session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "claim.merged")) == 1


def test_split_makes_a_new_claim_and_refuses_to_empty_the_old_one(db) -> None:  # noqa: ANN001
    with db.unit_of_work() as session:
        r1 = _report(session, "วัคซีนทำให้เป็นหมัน", hours_ago=3)
        claim = _claim(session, r1)
        r2 = _report(session, "ประกันสังคมแจกเงิน", hours_ago=1)
        claims.attach_report(session, claim=claim, report=r2, how="semantic")
        new = claims.split_claim(session, claim_id=claim.id, report_ids=[r2.id], actor="user:1")
        assert new.report_count == 1 and claim.report_count == 1 and r2.claim_id == new.id
        with pytest.raises(Invalid):
            claims.split_claim(session, claim_id=claim.id, report_ids=[r1.id], actor="user:1")
        with pytest.raises(Invalid):
            claims.split_claim(session, claim_id=claim.id, report_ids=[r2.id], actor="user:1")


def test_topic_override_is_kept_audited_and_offered_for_retraining(db) -> None:  # noqa: ANN001
    with db.unit_of_work() as session:
        claim = _claim(session, _report(session, "แจกเงินดิจิทัล 10000 บาท"))
        with pytest.raises(Invalid):
            claims.override_topic(session, claim_id=claim.id, topic="sport", valid_topics=["policy"], actor="u")
        claims.override_topic(session, claim_id=claim.id, topic="policy", valid_topics=["policy", "health"],
                              actor="user:2")
        assert (claim.topic, claim.topic_source) == ("policy", "analyst")
        assert claims.analyst_topics(session) == [("แจกเงินดิจิทัล 10000 บาท", "policy")]
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "claim.topic_overridden")).one()
        assert event.data == {"from": "health", "to": "policy"} and event.actor == "user:2"
