"""Watchlists: Thai keyword and phrase rules matched on word tokens, with a topic and a priority boost.

A phrase matches where it starts and ends on a word boundary. Boundaries are newmm's token boundaries, plus the
joints inside a compound token that splits into dictionary words ("ฉีดวัคซีน" = ฉีด|วัคซีน) for keywords of 4 or
more characters: "วัคซีน" matches in an unspaced sentence, while "ตา" (not inside "ตาย") and "วัค" (not inside
"วัคซีน") must be whole tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from khaojing.audit import service as audit
from khaojing.errors import Conflict, Invalid, NotFound
from khaojing.thai.tokenize import segment
from khaojing.trends import messages_refusals as _refusals  # noqa: F401  (the refusals' Thai texts)
from khaojing.trends.models import Watchlist

MAX_PHRASES = 200
MAX_PHRASE_CHARS = 200
MIN_INNER_CHARS = 4  # shorter keywords ("ตา", "วัค") must be whole tokens; longer ones may sit inside compounds
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    from pythainlp.corpus import thai_words

    return frozenset(thai_words())


@lru_cache(maxsize=20_000)
def _is_words(piece: str) -> bool:
    """True when `piece` is one dictionary word or splits into dictionary words (and Latin/digit runs)."""
    words = _dictionary()
    if piece in words:
        return True
    parts = [p for p in segment(piece) if p.strip()]
    return len(parts) > 1 and all(p in words or not re.search("[\u0e01-\u0e4e]", p) for p in parts)


def _key(text: str) -> str:
    return _SPACE.sub("", text).lower()


@dataclass
class Tokens:
    """A text as joined tokens (no spaces, lower case) and the offsets where tokens start and end."""

    joined: str
    spans: list[tuple[int, int]]
    bounds: set[int]

    @classmethod
    def of(cls, text: str) -> Tokens:
        joined, spans = [], []
        pos = 0
        for token in segment(text or ""):
            piece = _key(token)
            if not piece:
                continue
            spans.append((pos, pos + len(piece)))
            joined.append(piece)
            pos += len(piece)
        bounds = {a for a, _ in spans} | {b for _, b in spans}
        return cls("".join(joined), spans, bounds)

    def is_boundary(self, pos: int, *, inner: bool = True) -> bool:
        if pos in self.bounds:
            return True
        if not inner:
            return False
        for a, b in self.spans:  # inside a compound token: both sides must be words
            if a < pos < b:
                return _is_words(self.joined[a:pos]) and _is_words(self.joined[pos:b])
        return False

    def contains(self, phrase: str) -> bool:
        key = _key(phrase)
        if not key:
            return False
        inner = len(key) >= MIN_INNER_CHARS
        start = self.joined.find(key)
        while start != -1:
            if self.is_boundary(start, inner=inner) and self.is_boundary(start + len(key), inner=inner):
                return True
            start = self.joined.find(key, start + 1)
        return False


@dataclass(frozen=True)
class Rule:
    watchlist_id: int
    name: str
    phrases: tuple[str, ...]
    topic: str | None
    boost: float


def active_rules(session: Session) -> list[Rule]:
    rows = session.scalars(select(Watchlist).where(Watchlist.active.is_(True)).order_by(Watchlist.id))
    return [Rule(w.id, w.name, tuple(w.phrases or ()), w.topic, w.priority_boost) for w in rows]


def match(rules: list[Rule], text: str) -> list[tuple[Rule, str]]:
    """The rules whose phrases occur in `text` (each rule once, with the first phrase that matched)."""
    if not rules or not text:
        return []
    tokens = Tokens.of(text[:20_000])
    hits = []
    for rule in rules:
        phrase = next((p for p in rule.phrases if tokens.contains(p)), None)
        if phrase is not None:
            hits.append((rule, phrase))
    return hits


def _clean_phrases(phrases: list[str]) -> list[str]:
    out = list(dict.fromkeys(p.strip() for p in phrases if p and p.strip()))
    if not out:
        raise Invalid("a watchlist needs at least one keyword or phrase", key="trends.err.no_phrases")
    if len(out) > MAX_PHRASES or any(len(p) > MAX_PHRASE_CHARS for p in out):
        raise Invalid(f"at most {MAX_PHRASES} phrases of at most {MAX_PHRASE_CHARS} characters",
                      key="trends.err.phrases", params={"n": MAX_PHRASES, "chars": MAX_PHRASE_CHARS})
    return out


def save_watchlist(session: Session, *, name: str, phrases: list[str], topic: str | None, priority_boost: float,
                   actor: str, valid_topics: list[str], active: bool = True) -> Watchlist:
    """Create the watchlist `name`, or replace its phrases, topic and boost."""
    name = name.strip()[:200]
    if not name:
        raise Invalid("a watchlist needs a name", key="trends.err.watch_name")
    if topic and topic not in valid_topics:
        raise Invalid(f"unknown topic {topic!r}; one of {', '.join(valid_topics)}", key="trends.err.topic",
                      params={"topic": topic})
    if not 0 <= priority_boost <= 50:
        raise Invalid("the priority boost is between 0 and 50 points", key="trends.err.boost")
    clean = _clean_phrases(phrases)
    watchlist = session.scalar(select(Watchlist).where(Watchlist.name == name))
    if watchlist is None:
        watchlist = Watchlist(name=name)
        session.add(watchlist)
    watchlist.phrases, watchlist.topic, watchlist.priority_boost = clean, topic or None, float(priority_boost)
    watchlist.active = active
    session.flush()
    audit.record(session, actor=actor, action="watchlist.saved", object_type="watchlist", object_id=watchlist.id,
                 data={"name": name, "phrases": len(clean), "topic": topic, "boost": priority_boost,
                       "active": active})
    return watchlist


def get_watchlist(session: Session, watchlist_id: int) -> Watchlist:
    watchlist = session.get(Watchlist, watchlist_id)
    if watchlist is None:
        raise NotFound(f"watchlist {watchlist_id} not found", key="trends.err.no_watchlist",
                       params={"id": watchlist_id})
    return watchlist


def list_watchlists(session: Session) -> list[Watchlist]:
    return list(session.scalars(select(Watchlist).order_by(Watchlist.name)))


def ensure_unique_name(session: Session, name: str) -> None:
    if session.scalar(select(Watchlist.id).where(Watchlist.name == name)) is not None:
        raise Conflict(f"a watchlist named {name!r} exists", key="trends.err.watch_exists", params={"name": name})
