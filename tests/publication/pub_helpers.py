"""Helpers of the publication tests: a claim with reports and a published verdict (with versions), a correction."""

from __future__ import annotations

import datetime as dt

from khaojing.accounts.models import Agency
from khaojing.cases.models import VerdictVersion
from khaojing.claims.models import Claim, Verdict
from khaojing.intake.service import Submission, accept_report, get_or_create_source

T0 = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # 09:00 in Bangkok, 2 March 2569
CLAIM = "ดื่มน้ำมะนาวผสมโซดาทุกเช้าช่วยฆ่าเชื้อไวรัสในลำคอได้"


def publish(db, settings, *, title: str = CLAIM, label: str = "fake", headline: str | None = None,  # noqa: ANN001
            topic: str = "health", at: dt.datetime = T0, urls: tuple[str, ...] = ("https://facebook.com/post/1",),
            reports: int = 2, explanation: str = "กรมอนามัยยืนยันว่าไม่มีหลักฐานทางวิทยาศาสตร์") -> int:
    """A verified claim with `reports` reports and a published verdict v1; returns the claim id."""
    with db.unit_of_work() as session:
        source = get_or_create_source(session, kind="webform", name="webform")
        claim = Claim(title=title, topic=topic, status="verified", first_seen_at=at - dt.timedelta(days=2),
                      last_seen_at=at, report_count=reports)
        session.add(claim)
        agency = session.query(Agency).filter_by(name_th="กรมอนามัย").first()
        if agency is None:
            agency = Agency(name_th="กรมอนามัย", name_en="Department of Health")
            session.add(agency)
            session.flush()
        for i in range(reports):
            sub = Submission(text=f"{title} ({i})", urls=list(urls), received_at=at - dt.timedelta(days=1))
            report = accept_report(session, settings=settings, source=source, sub=sub, actor="system").report
            report.claim_id, report.status = claim.id, "grouped"
        fields = {"label": label, "headline": headline or f"ข่าวปลอม อย่าแชร์! {title}", "claim_text": title,
                  "explanation": explanation, "agency_id": agency.id,
                  "sources": [{"kind": "url", "url": "https://anamai.moph.go.th/news/1"},
                              {"kind": "agency_statement", "text": "ไม่เป็นความจริง"}]}
        verdict = Verdict(claim_id=claim.id, version=1, published_at=at, **fields)
        session.add(verdict)
        session.flush()
        session.add(VerdictVersion(verdict_id=verdict.id, version=1, status="published", published_at=at, **fields))
        return claim.id


def correct(db, claim_id: int, *, label: str = "distorted", reason: str = "หน่วยงานส่งข้อมูลเพิ่มเติม",  # noqa: ANN001
            at: dt.datetime = T0 + dt.timedelta(days=3)) -> int:
    """Publish version 2 of the claim's verdict (as approve_and_publish does); returns the verdict id."""
    with db.unit_of_work() as session:
        verdict = session.query(Verdict).filter_by(claim_id=claim_id).one()
        for old in session.query(VerdictVersion).filter_by(verdict_id=verdict.id):
            old.status = "superseded"
        verdict.version, verdict.label, verdict.published_at = 2, label, at
        verdict.headline = "แก้ไข: " + verdict.headline
        session.add(VerdictVersion(verdict_id=verdict.id, version=2, status="published", published_at=at,
                                   label=label, headline=verdict.headline, claim_text=verdict.claim_text,
                                   explanation=verdict.explanation, reason=reason))
        return verdict.id
