"""Public verdicts: the read queries behind the verdict pages, lists, feeds, API and share cards."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from khaojing.accounts.models import Agency
from khaojing.cases.models import VerdictVersion
from khaojing.claims.models import Claim, Verdict
from khaojing.db.base import utcnow
from khaojing.errors import NotFound
from khaojing.intake.models import Report
from khaojing.settings import Settings, VerdictLabelDef
from khaojing.thai.tokenize import words

MAX_APPEARANCES = 20
MAX_PER_PAGE = 100
COUNT_CAP = 1000  # lists count their matches up to this (then say "more than"; the pager goes on while full)
SEARCH_DEPTH = 200  # candidates asked of the matching index for one public search
SEARCH_MIN_SCORE = 0.15  # a result needs this fused score, or a close meaning, or (no embedder) a shared word:
SEARCH_MIN_COSINE = 0.87  # E5 cosines of unrelated Thai texts sit at 0.78-0.82, a short query on its claim at 0.89+
WITHIN_MAX_CHARS = 40  # a longer search text is a phrase: the word index (and its paraphrases) answers it
_PUNCT = " .,:;!?'\"-–()[]"
log = logging.getLogger(__name__)
_OPENERS = " \t\n[(【「『\"'“‘«"  # what may come before a label that opens a headline
COLOURS = {"red": "#c62828", "orange": "#c43e00", "green": "#2e7d32", "grey": "#616161", "gray": "#616161"}


def public_labels(settings: Settings) -> dict[str, VerdictLabelDef]:
    return {label.key: label for label in settings.verdict_labels if label.public}


def colour_hex(label: VerdictLabelDef) -> str:
    return COLOURS.get(label.colour, label.colour)


def starts_with_label(headline: str, label: str) -> bool:
    """Whether a headline opens with the verdict's label (after spaces, brackets or quotes; any case)."""
    opening = headline.lstrip(_OPENERS).casefold()
    return bool(label.strip()) and opening.startswith(label.strip().casefold())


def is_web_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


@dataclass
class Source:
    kind: str  # url | agency_statement | document
    url: str | None = None
    text: str | None = None


@dataclass
class HistoryItem:
    version: int
    label: str
    published_at: dt.datetime | None
    reason: str | None
    current: bool


@dataclass
class PublicVerdict:
    """What the public may see of a published verdict: never authors, approvers, requesters or case notes."""

    claim_id: int
    verdict_id: int
    version: int
    label: str
    label_th: str
    label_en: str
    colour: str  # hex
    headline: str
    claim_text: str
    explanation: str
    topic: str | None
    published_at: dt.datetime  # the current version
    first_published_at: dt.datetime
    first_seen_at: dt.datetime | None
    agency_th: str | None = None
    agency_en: str | None = None
    sources: list[Source] = field(default_factory=list)
    appearances: list[str] = field(default_factory=list)  # report URLs, first seen first
    history: list[HistoryItem] = field(default_factory=list)

    @property
    def corrected(self) -> bool:
        return self.version > 1 or len(self.history) > 1

    def label_text(self, lang: str) -> str:
        return self.label_th if lang == "th" else self.label_en

    def title(self, lang: str) -> str:
        """The page title, og:title and share text: "label: headline", the label once. AFNC headlines often start
        with it ("ข่าวปลอม อย่าแชร์! …"): such a headline is the title as it stands."""
        label = self.label_text(lang)
        return self.headline if starts_with_label(self.headline, label) else f"{label}: {self.headline}"

    def agency(self, lang: str) -> str | None:
        return (self.agency_th if lang == "th" else self.agency_en) or self.agency_th


def _published(settings: Settings) -> Select:
    return (select(Verdict, Claim).join(Claim, Claim.id == Verdict.claim_id)
            .where(Verdict.published_at.is_not(None), Verdict.label.in_(list(public_labels(settings)))))


def _sources(raw: list) -> list[Source]:
    out = []
    for item in raw or ():
        if isinstance(item, str):  # older rows (demo, imports) keep bare links
            item = {"kind": "url", "url": item}
        if not isinstance(item, dict):
            continue
        kind = item.get("kind", "url")
        if kind == "url" and is_web_url(str(item.get("url", ""))):
            out.append(Source("url", url=str(item["url"]), text=unquote(str(item["url"]))))  # text: as people read it
        elif kind == "agency_statement" and item.get("text"):
            out.append(Source("agency_statement", text=str(item["text"])))
        elif kind == "document" and item.get("name"):
            out.append(Source("document", text=str(item["name"])))
    return out


def _view(verdict: Verdict, claim: Claim, settings: Settings, agency: Agency | None = None) -> PublicVerdict:
    label = public_labels(settings)[verdict.label]
    return PublicVerdict(
        claim_id=claim.id, verdict_id=verdict.id, version=verdict.version or 1, label=label.key,
        label_th=label.th, label_en=label.en, colour=colour_hex(label), headline=verdict.headline,
        claim_text=(verdict.claim_text or "").strip() or claim.title, explanation=verdict.explanation or "",
        topic=claim.topic, published_at=verdict.published_at, first_published_at=verdict.published_at,
        first_seen_at=claim.first_seen_at, agency_th=agency.name_th if agency else None,
        agency_en=agency.name_en if agency else None, sources=_sources(verdict.sources))


def get_public_verdict(session: Session, *, claim_id: int, settings: Settings, full: bool = True) -> PublicVerdict:
    """The published verdict of a claim; NotFound when there is none or its label is not public."""
    row = session.execute(_published(settings).where(Verdict.claim_id == claim_id)).first()
    if row is None:
        raise NotFound(f"no published verdict for claim {claim_id}")
    verdict, claim = row
    agency = session.get(Agency, verdict.agency_id) if verdict.agency_id else None
    view = _view(verdict, claim, settings, agency)
    if full:
        view.history = _history(session, verdict)
        view.first_published_at = min((h.published_at for h in view.history if h.published_at),
                                      default=verdict.published_at)
        view.appearances = appearances(session, claim_id=claim_id)
    return view


def _history(session: Session, verdict: Verdict) -> list[HistoryItem]:
    rows = session.scalars(select(VerdictVersion).where(
        VerdictVersion.verdict_id == verdict.id, VerdictVersion.status.in_(("published", "superseded")))
        .order_by(VerdictVersion.version.desc()))
    return [HistoryItem(version=v.version, label=v.label, published_at=v.published_at, reason=v.reason,
                        current=v.version == verdict.version)
            for v in rows]


def appearances(session: Session, *, claim_id: int) -> list[str]:
    """Where the claim was seen: the links people reported with it, the earliest first."""
    seen: dict[str, None] = {}
    rows = session.scalars(select(Report.urls).where(Report.claim_id == claim_id)
                           .order_by(Report.received_at).limit(200))
    for urls in rows:
        for url in urls or ():
            if isinstance(url, str) and is_web_url(url) and len(seen) < MAX_APPEARANCES:
                seen.setdefault(url, None)
    return list(seen)


@dataclass
class Filters:
    topic: str | None = None
    label: str | None = None
    q: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass
class Page:
    items: list[PublicVerdict]
    total: int  # at most COUNT_CAP
    page: int
    per_page: int
    more: bool = False  # more than COUNT_CAP matched (total is then COUNT_CAP)

    @property
    def pages(self) -> int:
        known = max(1, -(-self.total // self.per_page))
        return max(known, self.page + 1) if self.more and len(self.items) == self.per_page else known


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search(session: Session, *, settings: Settings, filters: Filters, page: int = 1, per_page: int = 20,
           count: bool = True) -> Page:
    """Published public verdicts, filtered. Text search asks the matching index (Thai word segmentation, paraphrases:
    best match first), then the verdicts containing the text inside longer words (within_words); only when the index
    is unavailable is it a plain LIKE on title, headline and claim text."""
    page, per_page = max(1, page), min(max(1, per_page), MAX_PER_PAGE)
    filters = Filters(**{k: v.replace("\x00", "") if isinstance(v, str) else v  # PostgreSQL refuses NUL
                         for k, v in vars(filters).items()})
    query = _published(settings)
    if filters.label:
        query = query.where(Verdict.label == filters.label)
    if filters.since:
        query = query.where(Verdict.published_at >= _start_of(filters.since, settings))
    if filters.until:
        query = query.where(Verdict.published_at < _start_of(min(filters.until, dt.date(9999, 12, 30))
                                                              + dt.timedelta(days=1), settings))
    text = (filters.q or "").strip()[:200]
    ranked = index_search(session, settings=settings, text=text) if text else None
    if ranked is not None:
        query = query.where(Claim.topic == filters.topic) if filters.topic else query
        if len(ranked) < SEARCH_DEPTH:  # a scan: 8-30 ms at 100k verdicts on SQLite when it finds some, 250 on a miss
            ranked += within_words(session, query, text, known=set(ranked))
        return _ranked_page(session, query, ranked, settings=settings, page=page, per_page=per_page)
    if text:
        query = query.where(_contains(text))
    total = _count(session, query.where(Claim.topic == filters.topic) if filters.topic else query) if count else -1
    if filters.topic:
        query = query.where(_topic_is(session, filters.topic, common=total > COUNT_CAP or not count))
    rows = session.execute(query.order_by(Verdict.published_at.desc(), Verdict.id.desc())
                           .offset((page - 1) * per_page).limit(per_page)).all()
    return Page(items=_with_agencies(session, rows, settings), total=min(total, COUNT_CAP), page=page,
                per_page=per_page, more=total > COUNT_CAP)


def _contains(text: str):  # noqa: ANN202
    """Title, headline or claim text contains the text (any case; ILIKE on PostgreSQL, LIKE on SQLite)."""
    pattern = _like(text)
    return or_(Claim.title.ilike(pattern, escape="\\"), Verdict.headline.ilike(pattern, escape="\\"),
               Verdict.claim_text.ilike(pattern, escape="\\"))


def within_words(session: Session, query: Select, text: str, *, known: set[int]) -> list[int]:
    """Claims the word index did not find whose title, headline or claim text contains the search text, best first.

    Thai has no spaces, so a short word is often the start of a longer one ("ยา" in ยาสีฟัน, ยาฆ่าเชื้อ) or sits
    inside one (โรงพยาบาล): the index, which compares whole words, misses them. Among the newest SEARCH_DEPTH
    verdicts containing the text, those with it as a whole word come first, then those with a word starting with it,
    then the rest (newest first within each)."""
    if not text or len(text) > WITHIN_MAX_CHARS or not text.strip(_PUNCT):
        return []
    if known:
        query = query.where(Claim.id.not_in(known))
    rows = session.execute(query.where(_contains(text))
                           .with_only_columns(Claim.id, Claim.title, Verdict.headline)
                           .order_by(Verdict.published_at.desc(), Verdict.id.desc()).limit(SEARCH_DEPTH)).all()
    needle = text.lower()
    tiers: tuple[list[int], list[int], list[int]] = ([], [], [])
    for claim_id, title, headline in rows:
        tokens = [w.lower() for w in words(f"{title} {headline}")]
        tier = 0 if needle in tokens else 1 if any(w.startswith(needle) for w in tokens) else 2
        tiers[tier].append(claim_id)
    return [*tiers[0], *tiers[1], *tiers[2]]


def _topic_is(session: Session, topic: str, *, common: bool):  # noqa: ANN202
    """The topic condition. SQLite (no table statistics) would take the topic index and sort every verdict of a
    common topic (0.3 s at 100k); for a common topic the newest-first index finds a page after a few rows, so the
    topic index is hidden from it (coalesce) there. A rare topic keeps its index: its few verdicts sort fast."""
    if common and session.get_bind().dialect.name == "sqlite":
        return func.coalesce(Claim.topic, "") == topic
    return Claim.topic == topic


def _count(session: Session, query: Select) -> int:
    """How many rows match, counted up to COUNT_CAP + 1 only: an exact count of 100k verdicts reads the whole table
    (half a second on SQLite) on every list page."""
    capped = query.with_only_columns(Verdict.id).order_by(None).limit(COUNT_CAP + 1).subquery()
    return session.scalar(select(func.count()).select_from(capped)) or 0


def index_search(session: Session, *, settings: Settings, text: str) -> list[int] | None:
    """Claim ids the matching index finds for a search text, best first; None when the index is unavailable."""
    from khaojing.matching import service as matching  # a later stage may import an earlier one

    try:
        with session.begin_nested():  # a failing index query must not spoil the page's transaction
            found = matching.search(session, matching.Query(text=text), settings=settings, k=SEARCH_DEPTH)
    except Exception:  # noqa: BLE001  (any failure of the index: the LIKE search still answers)
        log.exception("matching index unavailable for the public search; falling back to LIKE")
        return None
    return [c.claim_id for c in found if c.score >= SEARCH_MIN_SCORE
            or (c.semantic is not None and c.semantic >= SEARCH_MIN_COSINE)
            or (c.semantic is None and (c.lexical or 0) > 0)]


def _ranked_page(session: Session, query: Select, ranked: list[int], *, settings: Settings, page: int,
                 per_page: int) -> Page:
    """The filtered published verdicts among the index's ids, in the index's order (best match first)."""
    if not ranked:
        return Page(items=[], total=0, page=page, per_page=per_page)
    rows = {c.id: (v, c) for v, c in session.execute(query.where(Claim.id.in_(ranked))).all()}
    ordered = [rows[cid] for cid in ranked if cid in rows]
    chunk = ordered[(page - 1) * per_page:page * per_page]
    return Page(items=_with_agencies(session, chunk, settings), total=len(ordered), page=page, per_page=per_page)


def _start_of(day: dt.date, settings: Settings) -> dt.datetime:
    """Midnight of a day at the center, in UTC (days at the ends of the calendar are clamped, never an error)."""
    day = min(max(day, dt.date(1, 1, 2)), dt.date(9999, 12, 30))
    local = dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(settings.timezone))
    return local.astimezone(dt.UTC)


def _with_agencies(session: Session, rows: list, settings: Settings) -> list[PublicVerdict]:
    ids = {v.agency_id for v, _ in rows if v.agency_id}
    agencies = {a.id: a for a in session.scalars(select(Agency).where(Agency.id.in_(ids)))} if ids else {}
    return [_view(v, c, settings, agencies.get(v.agency_id)) for v, c in rows]


def latest(session: Session, *, settings: Settings, limit: int = 6, topic: str | None = None) -> list[PublicVerdict]:
    return search(session, settings=settings, filters=Filters(topic=topic), per_page=limit, count=False).items


@dataclass
class Asked:
    verdict: PublicVerdict
    reports: int


def most_asked(session: Session, *, settings: Settings, days: int = 7, limit: int = 5,
               now: dt.datetime | None = None) -> list[Asked]:
    """Claims with a public verdict that people asked about most in the last `days` days (reports received).
    Claims still being verified are left out on purpose: the home page must not spread an unchecked rumour."""
    since = (now or utcnow()) - dt.timedelta(days=days)
    counts = (select(Report.claim_id, func.count(Report.id).label("n"))
              .where(Report.claim_id.is_not(None), Report.received_at >= since)
              .group_by(Report.claim_id).subquery())
    rows = session.execute(_published(settings).add_columns(counts.c.n).join(counts, counts.c.claim_id == Claim.id)
                           .order_by(counts.c.n.desc(), Verdict.published_at.desc()).limit(limit)).all()
    views = _with_agencies(session, [(v, c) for v, c, _ in rows], settings)
    return [Asked(view, n) for view, (_, _, n) in zip(views, rows, strict=True)]


def home_context(session: Session, *, settings: Settings) -> dict:
    """What the public home page shows of the published verdicts."""
    return {"latest_verdicts": latest(session, settings=settings, limit=6),
            "most_asked": most_asked(session, settings=settings)}


@dataclass
class Badge:
    claim_id: int
    label: str
    label_th: str
    label_en: str
    colour: str
    headline: str


def badge(session: Session, *, claim_id: int | None, settings: Settings) -> Badge | None:
    """The published verdict of a report's claim, for the tracking page; None when there is none (yet)."""
    if claim_id is None:
        return None
    row = session.execute(_published(settings).where(Verdict.claim_id == claim_id)).first()
    if row is None:
        return None
    view = _view(row[0], row[1], settings)
    return Badge(view.claim_id, view.label, view.label_th, view.label_en, view.colour, view.headline)


def sitemap_entries(session: Session, *, settings: Settings, limit: int = 50000) -> list[tuple[int, dt.datetime]]:
    rows = session.execute(select(Verdict.claim_id, Verdict.published_at)
                           .where(Verdict.published_at.is_not(None),
                                  Verdict.label.in_(list(public_labels(settings))))
                           .order_by(Verdict.published_at.desc()).limit(limit))
    return [(claim_id, when) for claim_id, when in rows]
