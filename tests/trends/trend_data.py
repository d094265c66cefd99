"""Synthetic trend data for tests: report streams for claims (Poisson, seeded), watch hits, and a claim's whole
life through a case, an agency request and a published verdict."""

from __future__ import annotations

import datetime as dt
import hashlib
import random

from khaojing.accounts.models import Agency
from khaojing.cases.models import AgencyRequest, Case
from khaojing.claims.models import Claim, Verdict
from khaojing.intake.codes import new_tracking_code
from khaojing.intake.models import Report
from khaojing.intake.service import get_or_create_source


def poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method: enough for small rates."""
    limit, k, p = pow(2.718281828459045, -lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def add_reports(session, *, claim: Claim | None, times: list[dt.datetime], channel: str = "line",  # noqa: ANN001
                topic: str | None = "health", is_claim: bool = True) -> list[Report]:
    source = get_or_create_source(session, kind=channel, name=channel)
    rows = []
    for i, at in enumerate(times):
        text = f"{claim.title if claim else 'คุยเล่น'} #{i} {at.isoformat()}"
        rows.append(Report(tracking_code=new_tracking_code(), source_id=source.id, channel=channel, received_at=at,
                           text=text, text_sha256=hashlib.sha256(text.encode()).hexdigest(), status="grouped",
                           claim_id=claim.id if claim else None, topic=topic, is_claim=is_claim, screened_at=at))
    session.add_all(rows)
    session.flush()
    return rows


def hourly_stream(rng: random.Random, *, start: dt.datetime, end: dt.datetime, per_hour: float) -> list[dt.datetime]:
    times, hour = [], start
    while hour < end:
        times += [hour + dt.timedelta(seconds=rng.randrange(3600)) for _ in range(poisson(rng, per_hour))]
        hour += dt.timedelta(hours=1)
    return [t for t in times if t < end]


def claim(session, title: str, *, topic: str = "health", at: dt.datetime) -> Claim:  # noqa: ANN001
    row = Claim(title=title, topic=topic, first_seen_at=at, last_seen_at=at, created_at=at)
    session.add(row)
    session.flush()
    return row


def verified(session, c: Claim, *, opened: dt.datetime, first_action_h: float, sent_h: float,  # noqa: ANN001
             answered_h: float | None, published_h: float | None, agency: str, label: str = "fake",
             headline: str | None = None, explanation: str = "") -> Case:
    """A case on claim `c`: first action, an agency request and its answer, a published verdict (hours after
    `opened`)."""
    ag = session.query(Agency).filter_by(name_th=agency).first()
    if ag is None:
        ag = Agency(name_th=agency, name_en=agency)
        session.add(ag)
        session.flush()
    h = lambda x: opened + dt.timedelta(hours=x)  # noqa: E731
    case = Case(claim_id=c.id, opened_at=opened, state_since=opened, first_action_at=h(first_action_h))
    session.add(case)
    session.flush()
    session.add(AgencyRequest(case_id=case.id, agency_id=ag.id, question="จริงหรือไม่", sent_at=h(sent_h),
                              due_at=h(sent_h + 24), status="answered" if answered_h is not None else "sent",
                              answered_at=h(answered_h) if answered_h is not None else None))
    if published_h is not None:
        session.add(Verdict(claim_id=c.id, case_id=case.id, label=label, headline=headline or f"{label}: {c.title}",
                            explanation=explanation, agency_id=ag.id, published_at=h(published_h)))
        c.status = "verified"
    session.flush()
    return case


SHOWCASE = [  # (title, topic, reports per hour, verdict label or None, agency)
    ("ฉีดวัคซีนโควิดเข็มกระตุ้นแล้วทำให้เป็นหมันถาวร", "health", 1.2, "fake", "กรมควบคุมโรค"),
    ("กระทรวงการคลังแจกเงินเยียวยา 5,000 บาท กดลิงก์ลงทะเบียนด่วน", "finance", 1.6, "fake", "กระทรวงการคลัง"),
    ("ธนาคารแห่งประเทศไทยจะยกเลิกธนบัตรใบละ 1,000 บาทสิ้นปีนี้", "finance", 0.5, "fake", "ธนาคารแห่งประเทศไทย"),
    ("แผ่นดินไหวขนาด 8 จะเกิดที่เชียงใหม่คืนนี้", "disaster", 0.3, "fake", "กรมอุตุนิยมวิทยา"),
    ("ดื่มน้ำมะนาวผสมโซดาทุกเช้ารักษามะเร็งได้", "health", 0.8, "distorted", "กรมการแพทย์"),
    ("รัฐบาลขยายเวลาลงทะเบียนบัตรสวัสดิการแห่งรัฐถึงสิ้นเดือน", "policy", 0.4, "true", "กระทรวงการคลัง"),
    ("น้ำประปาในกรุงเทพปนเปื้อนสารพิษ ห้ามดื่มเด็ดขาด", "health", 0.3, "fake", "การประปานครหลวง"),
    ("ตำรวจเตือนแก๊งคอลเซ็นเตอร์อ้างเป็นเจ้าหน้าที่ไปรษณีย์", "security", 0.6, "true", "สำนักงานตำรวจแห่งชาติ"),
    ("เขื่อนภูมิพลแตก น้ำกำลังไหลท่วมภาคกลาง", "disaster", 0.2, None, "กรมชลประทาน"),
    ("ยาสมุนไพรฟ้าทะลายโจรรักษาไข้หวัดนกได้ 100%", "health", 0.4, None, "สำนักงานคณะกรรมการอาหารและยา"),
]


HEADLINES = {"fake": "ข่าวปลอม อย่าแชร์! ", "distorted": "ข่าวบิดเบือน อย่าแชร์! ", "true": "ข่าวจริง "}
EXPLAIN = {"fake": "ข้อความดังกล่าวไม่เป็นความจริง ไม่มีหลักฐานรองรับ โปรดอย่าหลงเชื่อและอย่าแชร์ต่อ",
           "distorted": "ข้อความบางส่วนถูกบิดเบือนจากข้อเท็จจริง ควรตรวจสอบข้อมูลจากหน่วยงานที่เกี่ยวข้องก่อนแชร์",
           "true": "ข้อมูลดังกล่าวเป็นความจริงตามที่หน่วยงานประกาศ ติดตามรายละเอียดได้จากช่องทางทางการ"}


def showcase(session, *, now: dt.datetime, weeks: int = 4, seed: int = 2569) -> dict[str, int]:  # noqa: ANN001
    """Realistic-looking weeks for screenshots and the example report: listening chatter, claims spreading on
    several channels, cases with agency answers and verdicts, and a burst in the last hour."""
    rng = random.Random(seed)
    start = now - dt.timedelta(weeks=weeks)
    add_reports(session, claim=None, times=hourly_stream(rng, start=start, end=now, per_hour=9.0), channel="feed",
                topic=None, is_claim=False)
    ids = {}
    for i, (title, topic, rate, label, agency) in enumerate(SHOWCASE):
        born = now - dt.timedelta(days=rng.uniform(3.5, 9.5)) if i < 8 else \
            start + dt.timedelta(days=rng.randrange(0, 7 * weeks - 5), hours=rng.randrange(24))
        c = claim(session, title, topic=topic, at=born)
        for channel, share in (("line", 0.6), ("feed", 0.25), ("webform", 0.1), ("api", 0.05)):
            add_reports(session, claim=c, times=hourly_stream(rng, start=born, end=now, per_hour=rate * share),
                        channel=channel, topic=topic)
        answered = rng.uniform(4, 40) if label or i % 2 else None
        verified(session, c, opened=born + dt.timedelta(hours=rng.uniform(0.2, 3)), first_action_h=rng.uniform(0.3, 6),
                 sent_h=rng.uniform(1, 8), answered_h=(8 + answered) if answered else None,
                 published_h=(12 + answered + rng.uniform(2, 20)) if label and answered else None, agency=agency,
                 label=label or "fake", headline=f"{HEADLINES.get(label, '')}{title}",
                 explanation=f"{agency}ตรวจสอบแล้ว: {EXPLAIN.get(label, '')}")
        c.report_count = session.query(Report).filter(Report.claim_id == c.id).count()
        ids[title] = c.id
    burst_claim = session.get(Claim, ids[SHOWCASE[-1][0]])
    add_reports(session, claim=burst_claim, times=[now - dt.timedelta(minutes=3 * k + 1) for k in range(18)],
                channel="line", topic="health")
    return ids
