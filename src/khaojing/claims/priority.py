"""Priority of a claim: danger to life and to property first, then virality and novelty — each part explained."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from khaojing.claims.models import Claim
from khaojing.db.base import utcnow
from khaojing.intake.models import Report
from khaojing.intake.requesters import people_count

GROWTH_WINDOW = dt.timedelta(hours=6)
NOVELTY_WINDOW = dt.timedelta(hours=48)


@dataclass(frozen=True)
class Part:
    key: str
    points: float
    th: str
    en: str


def _harm_parts(harm: dict) -> list[Part]:
    """Life weighs up to 60 points, property up to 50; the lesser of the two adds a quarter of its points."""
    life, prop = float(harm.get("life", 0.0)), float(harm.get("property", 0.0))
    life_pts, prop_pts = 60 * life, 50 * prop
    if life_pts >= prop_pts:
        prop_pts *= 0.25
    else:
        life_pts *= 0.25
    parts = []
    if life >= 0.05:
        parts.append(Part("harm_life", round(life_pts, 1), f"อันตรายต่อชีวิตหรือสุขภาพ ({life:.0%})",
                          f"danger to life or health ({life:.0%})"))
    if prop >= 0.05:
        parts.append(Part("harm_property", round(prop_pts, 1), f"อันตรายต่อทรัพย์สินหรือเงิน ({prop:.0%})",
                          f"danger to property or money ({prop:.0%})"))
    return parts


def _virality_parts(reports: int, requesters: int, channels: int, recent: int, before: int) -> list[Part]:
    parts = []
    if reports > 1:
        parts.append(Part("reports", round(min(15.0, 5 * math.log2(reports)), 1), f"มีผู้แจ้ง {reports} ครั้ง",
                          f"reported {reports} times"))
    if requesters > 1:
        parts.append(Part("requesters", round(min(8.0, 3 * math.log2(requesters)), 1),
                          f"จากผู้แจ้ง {requesters} คน", f"by {requesters} different people"))
    if channels > 1:
        parts.append(Part("channels", float(min(4, 2 * (channels - 1))), f"พบใน {channels} ช่องทาง",
                          f"seen on {channels} channels"))
    if recent >= 3 and recent > 2 * before:
        growth = recent / max(1, before)
        parts.append(Part("growth", round(min(8.0, 2 * math.log2(1 + growth)), 1),
                          f"เพิ่มขึ้นเร็ว: {recent} ครั้งใน 6 ชั่วโมงล่าสุด (ก่อนหน้า {before})",
                          f"spreading fast: {recent} reports in the last 6 hours (previously {before})"))
    return parts


def _novelty_part(first_seen: dt.datetime, now: dt.datetime) -> list[Part]:
    age = now - first_seen
    if age >= NOVELTY_WINDOW:
        return []
    points = round(10 * (1 - age / NOVELTY_WINDOW), 1)
    return [Part("novelty", points, "เรื่องใหม่ (พบครั้งแรกภายใน 48 ชั่วโมง)", "new (first seen within 48 hours)")]


def recompute(session: Session, claim: Claim, *, now: dt.datetime | None = None) -> Claim:
    """Refresh the claim's counts and priority (0–100) with the reasons that make it up."""
    now = now or utcnow()
    stats = session.execute(select(func.count(Report.id), people_count(), func.count(func.distinct(Report.channel)),
                                   func.min(Report.received_at), func.max(Report.received_at))
                            .where(Report.claim_id == claim.id)).one()
    reports, requesters, channels, first, last = stats
    window = [now - 2 * GROWTH_WINDOW, now - GROWTH_WINDOW]
    recent = session.scalar(select(func.count(Report.id)).where(Report.claim_id == claim.id,
                                                                Report.received_at >= window[1])) or 0
    before = session.scalar(select(func.count(Report.id)).where(
        Report.claim_id == claim.id, Report.received_at >= window[0], Report.received_at < window[1])) or 0
    claim.report_count, claim.requester_count, claim.channel_count = reports, requesters, channels
    if first is not None:
        claim.first_seen_at, claim.last_seen_at = first, last
    parts = _harm_parts(claim.harm or {}) + _virality_parts(reports, requesters, channels, recent, before) \
        + _novelty_part(claim.first_seen_at, now)
    if claim.status in ("verified", "dismissed", "merged"):
        parts = [Part("closed", 0.0, "ตรวจสอบหรือปิดเรื่องแล้ว", "already answered or closed")]
    claim.priority = round(min(100.0, sum(p.points for p in parts)), 1)
    claim.priority_reasons = [asdict(p) for p in sorted(parts, key=lambda p: -p.points)]
    return claim
