"""`khaojing demo load`: agencies, users with fixed passwords, a partner, real Thai reports and verdicts.

Dev mode only (the demo passwords are published). Idempotent: each item is looked up by a natural key (agency
name, user name, source name, report external id, claim title) before it is created, so a second load changes
nothing. The triage jobs run at the end, so report statuses are real; then cases in every stage, agency requests,
evidence and takedowns are made on the claims they produced, through the services (workflow.py), once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Engine, event, select, update
from sqlalchemy.orm import Session

from khaojing.accounts.models import Agency, Role, User
from khaojing.accounts.service import create_user
from khaojing.audit import service as audit
from khaojing.audit.models import AuditEvent
from khaojing.claims.models import Claim, Verdict
from khaojing.db.base import utcnow
from khaojing.db.session import Database
from khaojing.demo import workflow
from khaojing.demo.data import DemoClaim, DemoReport, demo_items
from khaojing.errors import Forbidden
from khaojing.intake import partners
from khaojing.intake.models import Report, Source
from khaojing.intake.service import Submission, accept_report, get_or_create_source
from khaojing.settings import Settings

DEMO_PARTNER = "demo-partner"
AGENCIES = [  # name_th, name_en, parent ministry, topic keys (settings.AFNC_TOPICS)
    ("กระทรวงสาธารณสุข", "Ministry of Public Health", None, ["health"]),
    ("สำนักงานคณะกรรมการอาหารและยา", "Food and Drug Administration", "กระทรวงสาธารณสุข", ["health"]),
    ("กรมป้องกันและบรรเทาสาธารณภัย", "Department of Disaster Prevention and Mitigation", "กระทรวงมหาดไทย",
     ["disaster"]),
    ("สำนักงานคณะกรรมการกำกับหลักทรัพย์และตลาดหลักทรัพย์", "Securities and Exchange Commission, Thailand",
     "กระทรวงการคลัง", ["finance"]),
    ("สำนักงานตำรวจแห่งชาติ", "Royal Thai Police", "สำนักนายกรัฐมนตรี", ["security", "drugs"]),
    ("กรมประชาสัมพันธ์", "Government Public Relations Department", "สำนักนายกรัฐมนตรี", ["policy"]),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    password: str
    display_name: str
    agency: str | None = None


DEMO_USERS = [
    DemoUser("admin", Role.admin, "demo-admin-2569", "ผู้ดูแลระบบ (เดโม)"),
    DemoUser("editor", Role.editor, "demo-editor-2569", "บรรณาธิการ (เดโม)"),
    DemoUser("analyst", Role.analyst, "demo-analyst-2569", "นักวิเคราะห์ (เดโม)"),
    DemoUser("officer", Role.agency_officer, "demo-officer-2569", "เจ้าหน้าที่ สธ. (เดโม)", "กระทรวงสาธารณสุข"),
]
# Most citizen reports arrive by the web form, some through partner agencies' API, a few by bulk import.
CHANNELS = ("webform",) * 5 + ("api",) * 3 + ("import",) * 2
SPREAD_MINUTES = 28 * 24 * 60


@dataclass
class DemoSummary:
    origin: str
    created: dict[str, int] = field(default_factory=dict)
    partner_key: str | None = None
    jobs_run: int = 0
    users: list[DemoUser] = field(default_factory=lambda: list(DEMO_USERS))
    workflow: dict[str, int] = field(default_factory=dict)  # cases, evidence, takedowns (and the jobs they queued)

    @property
    def changed(self) -> bool:
        return any(self.created.values())


class StoryClock:
    """The audit rows the demo writes carry the story's time, not the loading's.

    audit.record stamps the wall clock and takes no time of its own. So, while the demo loads, each new audit row of
    this database is given, as it is flushed, the time of the workflow step being told (`set`), or, outside the steps
    (reports, triage and publication jobs), the time of the report or claim it is about: received, first seen, its
    verdict published. Its hash is computed again over that time by the chain's own formula (audit.hash_of), so the
    chain verifies. Only the demo does this (an audit row of real work says when it was written); other demo rows
    (agencies, users, partner) keep the wall clock."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.at = engine, None

    def set(self, at: dt.datetime | None) -> None:
        self.at = at

    def __enter__(self) -> StoryClock:
        event.listen(Session, "before_flush", self._stamp)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(Session, "before_flush", self._stamp)

    @staticmethod
    def _about(session: Session, row: AuditEvent) -> dt.datetime | None:
        oid = int(row.object_id) if (row.object_id or "").isdigit() else None
        if oid is not None and row.object_type == "report":
            return session.scalar(select(Report.received_at).where(Report.id == oid))
        if oid is not None and row.object_type == "claim" and row.action.startswith("verdict."):
            return session.scalar(select(Verdict.published_at).where(Verdict.claim_id == oid))
        if oid is not None and row.object_type == "claim":
            return session.scalar(select(Claim.first_seen_at).where(Claim.id == oid))
        return None

    def _stamp(self, session: Session, _context: object, _instances: object) -> None:
        if session.bind is not self.engine:
            return
        pending = {row.hash: row for row in session.new if isinstance(row, AuditEvent)}  # one, as record flushes
        renamed: dict[str, str] = {}
        with session.no_autoflush:
            while pending:  # oldest first: the row whose predecessor is not pending
                row = pending.pop(next(h for h, r in pending.items() if r.prev_hash not in pending))
                row.prev_hash = renamed.get(row.prev_hash, row.prev_hash)
                row.at = self.at or self._about(session, row) or row.at
                new_hash = audit.hash_of(row)
                renamed[row.hash], row.hash = new_hash, new_hash


def _demo_liaisons(name_en: str) -> list[dict[str, str]]:
    """Two made-up liaison officers (example.org addresses: e-mail is off in the demo), so that requests can be
    routed to the demo agencies at once, as to a real one that an administrator has set up."""
    code = "".join(word[0] for word in name_en.replace(",", "").split() if word[0].isupper()).lower()
    return [{"name": f"{person} (เดโม)", "position": position, "email": f"{code}.liaison{i}@example.org"}
            for i, (person, position) in enumerate([("สมใจ ใจดี", "เจ้าหน้าที่ประสานงานหลัก"),
                                                     ("วิชัย รักษ์ข่าว", "เจ้าหน้าที่ประสานงานสำรอง")], 1)]


def _agencies(session: Session, actor: str) -> tuple[dict[str, Agency], int]:
    existing = {a.name_th: a for a in session.scalars(select(Agency))}
    made = 0
    for name_th, name_en, ministry, topics in AGENCIES:
        agency = existing.get(name_th)
        if agency is None:
            agency = Agency(name_th=name_th, name_en=name_en, parent_ministry=ministry, topics=topics,
                            liaisons=_demo_liaisons(name_en), active=True)
            session.add(agency)
            session.flush()
            audit.record(session, actor=actor, action="agency.created", object_type="agency",
                         object_id=agency.id, data={"name_th": name_th, "demo": True, "liaisons": 2})
            existing[name_th], made = agency, made + 1
        elif not agency.liaisons and not agency.active:  # loaded by an older demo: nobody to route requests to
            agency.liaisons, agency.active = _demo_liaisons(name_en), True
            audit.record(session, actor=actor, action="agency.updated", object_type="agency",
                         object_id=agency.id, data={"name_th": name_th, "demo": True, "liaisons": 2})
    return existing, made


def _users(session: Session, agencies: dict[str, Agency], actor: str) -> tuple[dict[str, User], int]:
    users, made = {}, 0
    for demo in DEMO_USERS:
        user = session.scalar(select(User).where(User.username == demo.username))
        if user is None:
            agency_id = agencies[demo.agency].id if demo.agency else None
            user = create_user(session, username=demo.username, password=demo.password, role=demo.role,
                               display_name=demo.display_name, agency_id=agency_id, actor=actor)
            made += 1
        users[demo.username] = user
    return users, made


def _sources(session: Session, actor: str) -> tuple[dict[str, Source], str | None]:
    key = None
    partner = session.scalar(select(Source).where(Source.name == f"api:{DEMO_PARTNER}"))
    if partner is None:
        issued = partners.create_partner(session, name=DEMO_PARTNER, actor=actor)
        partner, key = issued.source, issued.key
    return {"webform": get_or_create_source(session, kind="webform", name="webform"), "api": partner,
            "import": get_or_create_source(session, kind="import", name="import")}, key


def _reports(session: Session, db: Database, items: list[DemoReport], sources: dict[str, Source],
             now: dt.datetime) -> int:
    made = 0
    for i, item in enumerate(items):
        source = sources[CHANNELS[i % len(CHANNELS)]]
        received = now - dt.timedelta(minutes=(i * 7919) % SPREAD_MINUTES)
        sub = Submission(text=item.text, urls=item.urls, external_id=item.ref, received_at=received,
                         meta={"demo": True, "origin": item.origin})
        accepted = accept_report(session, settings=db.settings, source=source, sub=sub,
                                 actor=audit.source_actor(source.id))
        made += int(accepted.created)
    return made


def _verdict_agency(claim: DemoClaim, agencies: dict[str, Agency]) -> int | None:
    for name_th, _en, _ministry, topics in AGENCIES:
        if claim.topic in topics:
            return agencies[name_th].id
    return None


def _topics_as_keys(session: Session, settings: Settings) -> None:
    """An older demo stored topic names ('ผลิตภัณฑ์สุขภาพ') where the product keeps keys ('health'): mend them."""
    by_name = {t.th: t.key for t in settings.topics} | {t.afnc: t.key for t in settings.topics if t.afnc}
    for name, key in by_name.items():
        if name != key:
            session.execute(update(Claim).where(Claim.topic == name).values(topic=key))
    for agency in session.scalars(select(Agency)):
        if any(topic in by_name for topic in agency.topics or []):
            agency.topics = list(dict.fromkeys(by_name.get(topic, topic) for topic in agency.topics))


def _claims(session: Session, items: list[DemoClaim], agencies: dict[str, Agency], users: dict[str, User],
            now: dt.datetime, actor: str) -> int:
    titles = set(session.scalars(select(Claim.title).where(Claim.title.in_([c.title for c in items]))))
    made = 0
    for item in items:
        if item.title in titles:
            continue
        published = dt.datetime.fromisoformat(item.published_at) if item.published_at else now
        claim = Claim(title=item.title, topic=item.topic, status="verified", first_seen_at=published,
                      last_seen_at=published)
        session.add(claim)
        session.flush()
        session.add(Verdict(claim_id=claim.id, label=item.label, headline=item.headline,
                            explanation="ข้อมูลสาธิต: หัวข้อข่าวที่ศูนย์ต่อต้านข่าวปลอมเผยแพร่ (ดูแหล่งที่มา)",
                            sources=[item.link] if item.link else [],
                            agency_id=_verdict_agency(item, agencies), author_id=users["editor"].id,
                            approver_id=users["admin"].id, published_at=published, created_at=published))
        audit.record(session, actor=actor, action="verdict.published", object_type="claim",
                     object_id=claim.id, data={"label": item.label, "demo": True})
        titles.add(item.title)
        made += 1
    return made


def load_demo(db: Database, *, actor: str = audit.SYSTEM, now: dt.datetime | None = None) -> DemoSummary:
    """Load the demo data (once; later loads change nothing) and run the queued jobs."""
    if not db.settings.dev_mode:
        raise Forbidden("the demo has fixed, published passwords: `demo load` runs only with "
                        "KHAOJING_DEV_MODE=true")
    items, now = demo_items(db.settings.demo_data_dir), now or utcnow()
    summary = DemoSummary(origin=items.origin)
    with StoryClock(db.engine) as clock:
        with db.unit_of_work() as session:
            agencies, summary.created["agencies"] = _agencies(session, actor)
            users, summary.created["users"] = _users(session, agencies, actor)
            sources, summary.partner_key = _sources(session, actor)
            summary.created["partners"] = int(summary.partner_key is not None)
            summary.created["reports"] = _reports(session, db, items.reports, sources, now)
            summary.created["claims"] = _claims(session, items.claims, agencies, users, now, actor)
            _topics_as_keys(session, db.settings)
        import khaojing.handlers  # noqa: F401  (the triage handler must be registered)
        from khaojing.jobs.worker import Worker

        summary.jobs_run = Worker(db).run_until_empty()
        if summary.jobs_run:
            with db.unit_of_work() as session:
                _as_they_came(session, now)
            _count_for_trends(db, now)
        with db.unit_of_work() as session:  # cases need the claims the triage jobs made
            summary.workflow = workflow.load_workflow(session, settings=db.settings, now=now, clock=clock)
        clock.set(None)  # the jobs' audit rows: the time of the claim they are about
        if summary.workflow:
            summary.workflow["jobs"] = Worker(db).run_until_empty()  # the published verdict tells who asked
    return summary


def _as_they_came(session: Session, now: dt.datetime) -> None:
    """The reports this load made were stored and screened as they came in, weeks ago in the story, not at the load
    (the report page shows when it was stored). Claims keep the load's created_at: the cases' first-action clock
    starts there (cases.deadlines), and the demo's cases are opened a week after their claims were first seen."""
    session.execute(update(Report).where(Report.created_at >= now, Report.screened_at.is_not(None))
                    .values(created_at=Report.received_at, screened_at=Report.received_at,
                            updated_at=Report.received_at))


def _count_for_trends(db: Database, now: dt.datetime) -> None:
    """Count the demo's weeks for the dashboards (the periodic refresh recounts only the last hours)."""
    from khaojing.trends import aggregates, dashboard

    settings = db.settings
    today = aggregates.local_day(now, settings)
    first = aggregates.local_day(now - dt.timedelta(minutes=SPREAD_MINUTES), settings)
    with db.unit_of_work() as session:
        aggregates.refresh_days(session, settings=settings, start=first, end=today + dt.timedelta(days=1))
        dashboard.precompute(session, settings=settings, today=today)
