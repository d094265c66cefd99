"""The agency directory: edit agencies (two named liaison officers before routing), list them with what each has
answered, seed from AFNC."""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import String, Subquery, and_, cast, func, literal, or_, select, union, union_all
from sqlalchemy.orm import Session

from khaojing.accounts.models import Agency, User
from khaojing.audit import service as audit
from khaojing.cases.mail import valid_address
from khaojing.cases.models import AgencyAnswer, AgencyRequest, Case
from khaojing.cases.requests import ANSWERED
from khaojing.cases.routing import topic_keys
from khaojing.claims.models import Claim, Verdict
from khaojing.errors import Conflict, Invalid, NotFound
from khaojing.settings import Settings
from khaojing.thai.dates import parse_be_datetime

LIAISONS_NEEDED = 2
CONTACT_KINDS = ("email", "phone", "line", "website", "address")
MAX_FIELD = 300
AFNC_FOLDER = "afnc-2025"
AFNC_ORIGIN = "afnc-2025"
VERDICT_ORIGIN = "verdict"  # an AgencyAnswer written when a verdict naming the agency is published (ref verdict:<id>)


@dataclass
class AgencyIn:
    name_th: str
    name_en: str | None = None
    parent_ministry: str | None = None
    topics: list[str] = field(default_factory=list)
    contact: dict[str, str] = field(default_factory=dict)
    liaisons: list[dict[str, str]] = field(default_factory=list)
    active: bool = False


def _field_key(name: str) -> str:
    """The label key of a form field: 'liaison2_email' -> 'field.liaison_email'."""
    return "field." + "".join(ch for ch in name if not ch.isdigit())


def _short(value: str | None, name: str, *, required: bool = False) -> str | None:
    text = " ".join((value or "").replace("\x00", "").split())
    if required and not text:
        raise Invalid(f"the {name} is required", key="err.field_required", params={"field_key": _field_key(name)},
                      fields=[{"field": name, "message": "required"}])
    if len(text) > MAX_FIELD:
        raise Invalid(f"the {name} is too long", key="err.field_long", params={"field_key": _field_key(name)},
                      fields=[{"field": name, "message": "long"}])
    return text or None


def _liaisons(people: list[dict[str, str]]) -> list[dict[str, str]]:
    out = []
    for i, person in enumerate(people, 1):
        cleaned = {k: _short(person.get(k), f"liaison{i}_{k}") for k in ("name", "position", "email", "phone")}
        if not any(cleaned.values()):
            continue
        if cleaned["email"] and not valid_address(cleaned["email"]):
            raise Invalid(f"liaison {i}: not an e-mail address", key="err.liaison_email", params={"n": i},
                          fields=[{"field": f"liaison{i}_email", "message": "invalid"}])
        out.append({k: v for k, v in cleaned.items() if v})
    return out


def liaison_problems(liaisons: list[dict]) -> list[str]:
    """Why these liaisons are not enough to route requests to the agency (empty: they are)."""
    ready = [p for p in liaisons if p.get("name") and (p.get("email") or p.get("phone"))]
    if len(ready) >= LIAISONS_NEEDED:
        return []
    return [f"an agency needs {LIAISONS_NEEDED} named liaison officers, each with an e-mail or a phone number, "
            f"before requests can be routed to it ({len(ready)} recorded)"]


class NeedsLiaisons(Invalid):
    key = "err.needs_liaisons"
    message_th = "ต้องมีเจ้าหน้าที่ประสานงาน 2 คน (ชื่อ และอีเมลหรือโทรศัพท์) ก่อนเปิดรับเรื่อง"
    message_en = "Two named liaison officers (with an e-mail or phone) are needed before routing"


def save_agency(session: Session, *, data: AgencyIn, settings: Settings, actor: User,
                agency_id: int | None = None) -> Agency:
    """Create or update an agency (administrators). Marking it active for routing needs two liaison officers."""
    name_th = _short(data.name_th, "name_th", required=True)
    liaisons = _liaisons(data.liaisons)
    if data.active:
        problems = liaison_problems(liaisons)
        if problems:
            raise NeedsLiaisons(problems[0], fields=[{"field": "liaisons", "message": problems[0]}])
    contact = {k: v for k, v in ((k, _short(data.contact.get(k), f"contact_{k}")) for k in CONTACT_KINDS) if v}
    if contact.get("email") and not valid_address(contact["email"]):
        raise Invalid("the contact e-mail is not an address", key="err.contact_email",
                      fields=[{"field": "contact_email", "message": "invalid"}])
    known = {t.key for t in settings.topics}
    topics = [t for t in dict.fromkeys(data.topics) if t in known]
    clash = session.scalar(select(Agency.id).where(Agency.name_th == name_th))
    if clash is not None and clash != agency_id:
        raise Conflict(f"an agency called {name_th} exists already", key="err.agency_exists", params={"name": name_th})
    if agency_id is None:
        agency = Agency(name_th=name_th)
        session.add(agency)
    else:
        agency = get_agency(session, agency_id)
    before = {"active": agency.active, "liaisons": len(agency.liaisons or [])}
    agency.name_th, agency.name_en = name_th, _short(data.name_en, "name_en")
    agency.parent_ministry = _short(data.parent_ministry, "parent_ministry")
    agency.topics, agency.contact, agency.liaisons, agency.active = topics, contact, liaisons, data.active
    session.flush()
    audit.record(session, actor=audit.user_actor(actor.id), action="agency.created" if agency_id is None
                 else "agency.updated", object_type="agency", object_id=agency.id,
                 data={"name_th": name_th, "active": data.active, "liaisons": len(liaisons), "before": before})
    return agency


def get_agency(session: Session, agency_id: int) -> Agency:
    agency = session.get(Agency, agency_id) if 0 < agency_id < 2**63 else None
    if agency is None:
        raise NotFound(f"agency {agency_id} not found")
    return agency


def _answered_here() -> Subquery:
    """(agency_id, claim_id): the claims an agency answered through the center, each once — a request it answered
    on a case of the claim, or the claim's published verdict that names it as the verifying agency."""
    by_request = (select(AgencyRequest.agency_id.label("agency_id"), Case.claim_id.label("claim_id"))
                  .join(Case, Case.id == AgencyRequest.case_id).where(AgencyRequest.status == ANSWERED))
    by_verdict = (select(AgencyAnswer.agency_id, Verdict.claim_id)
                  .join(Verdict, AgencyAnswer.ref == literal("verdict:") + cast(Verdict.id, String))
                  .where(AgencyAnswer.origin == VERDICT_ORIGIN))
    return union(by_request, by_verdict).subquery()


def answered_counts() -> Subquery:
    """(agency_id, n): how many claims each agency has answered — before the center (the seeded AFNC history) and
    through it (`_answered_here`). The one count the directory, its detail page and the CLI show."""
    here = _answered_here()
    every = union_all(select(here.c.agency_id), select(AgencyAnswer.agency_id).where(
        AgencyAnswer.origin != VERDICT_ORIGIN)).subquery()
    return select(every.c.agency_id, func.count().label("n")).group_by(every.c.agency_id).subquery()


def answered_count(session: Session, agency_id: int) -> int:
    counts = answered_counts()
    return session.scalar(select(counts.c.n).where(counts.c.agency_id == agency_id)) or 0


def list_agencies(session: Session, *, q: str | None = None, topic: str | None = None,
                  active: bool | None = None, settings: Settings) -> list[tuple[Agency, int]]:
    """Agencies with how many claims each has answered (`answered_counts`), most experienced first."""
    answered = answered_counts()
    stmt = select(Agency, func.coalesce(answered.c.n, 0)).outerjoin(answered, answered.c.agency_id == Agency.id)
    if q:
        like = f"%{q}%"
        stmt = stmt.where(or_(Agency.name_th.ilike(like), Agency.name_en.ilike(like),
                              Agency.parent_ministry.ilike(like)))
    if active is not None:
        stmt = stmt.where(Agency.active.is_(active))
    rows = session.execute(stmt.order_by(func.coalesce(answered.c.n, 0).desc(), Agency.name_th)).all()
    if topic:
        rows = [r for r in rows if topic in topic_keys(r[0].topics, settings.topics)]
    return [(agency, n) for agency, n in rows]


@dataclass
class Answered:
    """One claim an agency answered, as its directory page lists it."""

    title: str
    topic: str | None
    at: dt.datetime | None
    case_id: int | None = None  # answered through a request on this case


_EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)


def recent_answers(session: Session, agency_id: int, *, limit: int = 15) -> list[Answered]:
    """The claims the agency answered most recently, each once (the same claims `answered_counts` counts)."""
    items: list[Answered] = []
    seen: set[int] = set()
    for case_id, at, claim_id, title, topic in session.execute(
            select(AgencyRequest.case_id, AgencyRequest.answered_at, Claim.id, Claim.title, Claim.topic)
            .join(Case, Case.id == AgencyRequest.case_id).join(Claim, Claim.id == Case.claim_id)
            .where(AgencyRequest.agency_id == agency_id, AgencyRequest.status == ANSWERED)
            .order_by(AgencyRequest.answered_at.desc(), AgencyRequest.id.desc()).limit(limit)):
        if claim_id not in seen:
            seen.add(claim_id)
            items.append(Answered(title=title, topic=topic, at=at, case_id=case_id))
    for answer, claim_id in session.execute(
            select(AgencyAnswer, Verdict.claim_id)
            .outerjoin(Verdict, and_(AgencyAnswer.origin == VERDICT_ORIGIN,
                                     AgencyAnswer.ref == literal("verdict:") + cast(Verdict.id, String)))
            .where(AgencyAnswer.agency_id == agency_id)
            .order_by(AgencyAnswer.answered_at.desc().nulls_last(), AgencyAnswer.id.desc()).limit(limit + len(seen))):
        if claim_id is None or claim_id not in seen:  # a verdict on a claim whose request it answered: listed once
            items.append(Answered(title=answer.title, topic=answer.topic, at=answer.answered_at))
    items.sort(key=lambda a: (a.at is not None, a.at or _EARLIEST), reverse=True)
    return items[:limit]


# ---- seeding from the AFNC posts (names, parent ministries, and the topics each agency answered) ----

_SPACE = re.compile(r"\s+")
_PAGE_NOTE = re.compile(r"\s*\((?:เพจ)[^)]*\)")
_ENGLISH_TAIL = re.compile(r"\s([A-Za-z][A-Za-z ,.&'()-]*[A-Za-z.)])$")
_MINISTRY_TAIL = re.compile(r"\s(กระทรวง\S+|สำนักนายกรัฐมนตรี)$")
_NOT_AN_AGENCY = ("", "-", "–")
_LABELS = {"ข่าวปลอม": "fake", "ข่าวจริง": "true", "ข่าวบิดเบือน": "distorted"}


def parse_agency(raw: str) -> tuple[str, str | None, str | None] | None:
    """'กรมอนามัย กระทรวงสาธารณสุข' -> ('กรมอนามัย', None, 'กระทรวงสาธารณสุข'); 'เพจกองทัพบก Royal Thai Army' ->
    ('กองทัพบก', 'Royal Thai Army', None). The center itself and blanks are not agencies (None)."""
    text = _SPACE.sub(" ", unicodedata.normalize("NFC", raw or "")).strip()
    if text in _NOT_AN_AGENCY or text.startswith("ศูนย์ต่อต้านข่าวปลอม"):
        return None
    text = _PAGE_NOTE.sub("", re.sub(r"^เพจ\s*", "", text)).strip()
    name_en = None
    match = _ENGLISH_TAIL.search(text)
    if match and re.search(r"[\u0e00-\u0e7f]", text[:match.start()]):
        name_en, text = match.group(1).strip(" ,"), text[:match.start()].strip(" ,-–")
    ministry = None
    match = _MINISTRY_TAIL.search(text)
    if match and match.start() > 0:
        ministry, text = match.group(1), text[:match.start()].strip()
    return (text, name_en, ministry) if text else None


def _label(raw: str) -> str | None:
    return _LABELS.get(re.sub(r"(.)\1+", r"\1", unicodedata.normalize("NFC", raw or "").strip()))


@dataclass
class SeedSummary:
    rows: int = 0
    agencies_created: int = 0
    agencies_updated: int = 0
    answers_added: int = 0
    skipped: int = 0


def afnc_file(data_dir: Path) -> Path:
    folder = data_dir / AFNC_FOLDER if (data_dir / AFNC_FOLDER).is_dir() else data_dir
    files = sorted(folder.glob("afnc_posts_*.csv"))
    if not files:
        raise NotFound(f"no afnc_posts_*.csv in {folder} (give the folder of ../shared/data or of afnc-2025)")
    return files[0]


def seed_from_afnc(session: Session, *, data_dir: Path, settings: Settings, actor: str) -> SeedSummary:
    """Add the AFNC verifying agencies and the claims they answered (a second run changes nothing)."""
    path, summary = afnc_file(data_dir), SeedSummary()
    by_afnc = {t.afnc: t.key for t in settings.topics if t.afnc}
    found: dict[str, dict] = {}
    answers: dict[str, list[tuple[str, str, str, object]]] = defaultdict(list)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            summary.rows += 1
            parsed = parse_agency(row.get("author", ""))
            topic = by_afnc.get((row.get("category") or "").strip())
            if parsed is None or topic is None or _label(row.get("label", "")) is None:
                summary.skipped += 1
                continue
            name, name_en, ministry = parsed
            entry = found.setdefault(name, {"name_en": None, "ministry": None, "topics": []})
            entry["name_en"] = entry["name_en"] or name_en
            entry["ministry"] = entry["ministry"] or ministry
            if topic not in entry["topics"]:
                entry["topics"].append(topic)
            answers[name].append((topic, (row.get("title") or "").strip(), (row.get("link") or "").strip(),
                                  row.get("date", "")))
    existing = {a.name_th: a for a in session.scalars(select(Agency))}
    for name, entry in found.items():
        agency = existing.get(name)
        if agency is None:
            agency = Agency(name_th=name, name_en=entry["name_en"], parent_ministry=entry["ministry"],
                            topics=entry["topics"])
            session.add(agency)
            session.flush()
            audit.record(session, actor=actor, action="agency.created", object_type="agency", object_id=agency.id,
                         data={"name_th": name, "origin": AFNC_ORIGIN})
            summary.agencies_created += 1
        else:
            merged = topic_keys([*(agency.topics or []), *entry["topics"]], settings.topics)
            changed = merged != list(agency.topics or []) or (not agency.name_en and entry["name_en"]) \
                or (not agency.parent_ministry and entry["ministry"])
            agency.topics = merged
            agency.name_en = agency.name_en or entry["name_en"]
            agency.parent_ministry = agency.parent_ministry or entry["ministry"]
            summary.agencies_updated += int(bool(changed))
        summary.answers_added += _seed_answers(session, agency, answers[name], settings)
    return summary


def _seed_answers(session: Session, agency: Agency, rows: list, settings: Settings) -> int:
    refs = set(session.scalars(select(AgencyAnswer.ref).where(AgencyAnswer.agency_id == agency.id)))
    added = 0
    for topic, title, link, raw_date in rows:
        ref = (link or f"{AFNC_ORIGIN}:{title}")[:300]
        if not title or ref in refs:
            continue
        try:
            when = parse_be_datetime(str(raw_date), settings.timezone, to_utc=True)
        except ValueError:
            when = None
        session.add(AgencyAnswer(agency_id=agency.id, topic=topic, title=title[:2000], ref=ref, answered_at=when,
                                 origin=AFNC_ORIGIN))
        refs.add(ref)
        added += 1
    session.flush()
    return added
