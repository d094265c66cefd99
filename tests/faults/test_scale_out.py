"""Scale-out on one database: two web processes and two workers share a stream; no job runs twice, no report is
screened twice, copies of one rumour end in one claim whichever worker took them, and both web processes give
the same claims (their in-process indexes follow the same change log). The workers start only once the whole stream
is queued, so that both take copies of the same new rumour at the same moment."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from khaojing.audit.models import AuditEvent
from khaojing.claims.models import Claim
from khaojing.intake.models import Report
from khaojing.jobs import registry
from khaojing.jobs.models import DONE, Job
from servers import start_worker, stop, wait_until, web_servers

RUMOURS = [
    "ธนาคารออมสินแจกเงินกู้ฉุกเฉิน 50,000 บาท ไม่ต้องค้ำประกัน กดลิงก์ลงทะเบียนด่วน",
    "ดื่มน้ำมะพร้าวผสมเกลือทุกเช้ารักษาโรคเบาหวานให้หายขาดได้ภายในหนึ่งเดือน",
    "กรมอุตุนิยมวิทยาเตือนพายุใหญ่จะถล่มกรุงเทพฯ คืนนี้ ให้ทุกบ้านกักตุนน้ำและอาหาร",
    "ตำรวจประกาศจับกุมผู้ใช้รถจักรยานยนต์ที่ไม่สวมหมวกกันน็อก ปรับคนละ 20,000 บาท ตั้งแต่พรุ่งนี้",
    "วัคซีนไข้หวัดใหญ่ล็อตใหม่มีสารทำให้เป็นหมัน กระทรวงสาธารณสุขปิดข่าว",
    "รัฐบาลจะยกเลิกบัตรสวัสดิการแห่งรัฐทั้งหมดในเดือนหน้า ผู้ถือบัตรต้องไปยืนยันสิทธิ์ที่อำเภอ",
]
COPIES = 8  # each rumour arrives 8 times, alternating web processes, with trivial differences


@pytest.mark.timeout(300)
def test_two_web_processes_and_two_workers_share_the_load(env, tmp_path: Path) -> None:  # noqa: ANN001
    if env.db.dialect != "postgresql":
        pytest.skip("scale-out is a PostgreSQL deployment (SQLite runs one web process with its worker)")
    key = env.partner_key("scale")
    fast = {"KHAOJING_WORKER_POLL_SECONDS": "0.05", "KHAOJING_JOB_BACKOFF_SECONDS": "0"}
    with web_servers(env.settings, [tmp_path / "a.log", tmp_path / "b.log"], **fast) as [(a, _), (b, _)]:
        workers = []
        try:
            failures: list[str] = []

            def send(base: str, items: list[tuple[int, str]]) -> None:
                with httpx.Client(timeout=30) as client:
                    for n, text in items:
                        r = client.post(f"{base}/api/v1/reports", json={"text": text},
                                        headers={"Authorization": f"Bearer {key}", "Idempotency-Key": f"s-{n}"})
                        if r.status_code != 201:
                            failures.append(f"{r.status_code} {r.text[:200]}")

            items = [(i * COPIES + c, ("ส่งต่อ! " if c % 2 else "") + text + ("🙏" * (c % 3)))
                     for i, text in enumerate(RUMOURS) for c in range(COPIES)]  # copies side by side
            threads = [threading.Thread(target=send, args=(base, items[k::2])) for k, base in enumerate((a, b))]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert failures == []
            workers = [start_worker(env.settings, tmp_path / f"worker{i}.log", **fast) for i in (1, 2)]
            scheduled = {s.name for s in registry.schedules()}

            def settled() -> bool:
                with env.db.unit_of_work(readonly=True) as session:
                    return not session.scalar(select(func.count(Job.id)).where(
                        Job.status != DONE, Job.name.not_in(scheduled)))
            assert wait_until(settled, 180, 0.5), "the two workers did not finish the stream"
        finally:
            for w in workers:
                stop(w)

    with env.db.unit_of_work(readonly=True) as session:
        reports = session.scalar(select(func.count(Report.id)))
        screened = session.execute(select(AuditEvent.object_id, func.count(AuditEvent.id))
                                   .where(AuditEvent.action == "report.screened")
                                   .group_by(AuditEvent.object_id)).all()
        claims = session.scalar(select(func.count(Claim.id)).where(Claim.status != "merged"))
        per_claim = session.execute(select(Report.claim_id, func.count(Report.id)).group_by(Report.claim_id)).all()
        workers_used = session.scalar(select(func.count(func.distinct(Job.locked_by))).where(
            Job.name == "triage.report"))
        attempts = session.execute(select(Job.attempts, func.count(Job.id)).where(Job.name == "triage.report")
                                   .group_by(Job.attempts)).all()
    counts = {"reports": reports, "screened_once": sum(1 for _, n in screened if n == 1),
              "screened_twice_or_more": sum(1 for _, n in screened if n > 1), "claims": claims,
              "reports_per_claim": sorted(n for _, n in per_claim), "workers_used": workers_used,
              "triage_job_attempts": dict(attempts)}
    print("\n" + json.dumps(counts, ensure_ascii=False))
    assert reports == len(RUMOURS) * COPIES
    assert counts["screened_once"] == reports and counts["screened_twice_or_more"] == 0
    assert workers_used == 2  # both workers took a share
    assert claims == len(RUMOURS), counts  # every copy of a rumour joined its claim, whichever worker took it
