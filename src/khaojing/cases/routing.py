"""Routing suggestion: which agencies to ask about a claim — by how similar their past claims are to it (TF-IDF over
titles, Thai word tokens without stopwords), by how often they answered its topic, and whether the claim names them."""

from __future__ import annotations

import functools
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from khaojing.accounts.models import Agency
from khaojing.cases.models import AgencyAnswer
from khaojing.claims.models import Claim
from khaojing.settings import Settings, TopicDef

# chosen on the earlier half (by date) of the AFNC 2025 answers; see docs/staff/cases.md for the measurement
TOPIC_WEIGHT, SIMILARITY_WEIGHT, OWNER_BONUS, NAMED_BONUS = 0.1, 0.9, 0.05, 0.3
MIN_NAME = 4  # shorter agency names are not looked for in the claim's text


@dataclass
class Suggestion:
    agency: Agency
    score: float
    topic_answers: int  # past answers on the claim's topic
    similarity: float  # 0..1: the closest past claim this agency answered
    closest_title: str | None
    owns_topic: bool
    named: bool = False  # the claim names the agency (fake news often speaks in an agency's name)


def topic_keys(values: list | None, topics: list[TopicDef]) -> list[str]:
    """An agency's topics as keys, whether stored as keys ('health') or as AFNC names ('ผลิตภัณฑ์สุขภาพ')."""
    by_name = {t.afnc: t.key for t in topics if t.afnc} | {t.th: t.key for t in topics}
    known = {t.key for t in topics}
    out = []
    for value in values or []:
        key = value if value in known else by_name.get(str(value))
        if key and key not in out:
            out.append(key)
    return out


@functools.lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from pythainlp.corpus import thai_stopwords

    return frozenset(thai_stopwords())


def _tokens(text: str) -> list[str]:
    from khaojing.thai.tokenize import words

    stop = _stopwords()
    return [w.lower() for w in words(text) if w.strip() and any(ch.isalnum() for ch in w) and w not in stop]


class _TitleIndex:
    """TF-IDF vectors of every past answer's title; rebuilt when the agency_answers table changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[int, int] | None = None
        self._vectorizer: TfidfVectorizer | None = None
        self._matrix = None
        self._rows: list[tuple[int, str]] = []

    def scores(self, session: Session, text: str) -> dict[int, tuple[float, str]]:
        key = tuple(session.execute(select(func.count(AgencyAnswer.id), func.max(AgencyAnswer.id))).one())
        with self._lock:
            if key != self._key:
                rows = session.execute(select(AgencyAnswer.agency_id, AgencyAnswer.title)
                                       .order_by(AgencyAnswer.id)).all()
                self._rows = [(agency_id, title) for agency_id, title in rows]
                self._vectorizer, self._matrix = None, None
                if self._rows:
                    self._vectorizer = TfidfVectorizer(tokenizer=_tokens, lowercase=False, token_pattern=None,
                                                       sublinear_tf=True)
                    self._matrix = self._vectorizer.fit_transform([title for _a, title in self._rows])
                self._key = key
            if self._vectorizer is None or not text.strip():
                return {}
            query = self._vectorizer.transform([text])
            sims = (self._matrix @ query.T).toarray().ravel()
        best: dict[int, tuple[float, str]] = {}
        for i in np.argsort(-sims)[:200]:
            agency_id, title = self._rows[i]
            if sims[i] <= 0:
                break
            if agency_id not in best:
                best[agency_id] = (float(sims[i]), title)
        return best


_INDEX = _TitleIndex()


def suggest(session: Session, *, claim: Claim, settings: Settings, limit: int = 8) -> list[Suggestion]:
    """Agencies ranked for this claim; each suggestion says why (answers on the topic, closest past claim)."""
    counts: Counter[int] = Counter()
    if claim.topic:
        counts.update(dict(session.execute(select(AgencyAnswer.agency_id, func.count(AgencyAnswer.id))
                                           .where(AgencyAnswer.topic == claim.topic)
                                           .group_by(AgencyAnswer.agency_id)).all()))
    similar = _INDEX.scores(session, claim.title or "")
    owners: dict[int, bool] = defaultdict(bool)
    agencies = {a.id: a for a in session.scalars(select(Agency))}
    for agency in agencies.values():
        owners[agency.id] = bool(claim.topic) and claim.topic in topic_keys(agency.topics, settings.topics)
    title = claim.title or ""
    named = {a.id for a in agencies.values() if len(a.name_th) >= MIN_NAME and a.name_th in title}
    top = max(counts.values(), default=0)
    out = []
    for agency_id in set(counts) | set(similar) | named | {a for a, owns in owners.items() if owns}:
        agency = agencies.get(agency_id)
        if agency is None:
            continue
        share = counts[agency_id] / top if top else 0.0
        sim, closest = similar.get(agency_id, (0.0, None))
        score = TOPIC_WEIGHT * share + SIMILARITY_WEIGHT * sim + (OWNER_BONUS if owners[agency_id] else 0.0) \
            + (NAMED_BONUS if agency_id in named else 0.0)
        out.append(Suggestion(agency=agency, score=round(score, 3), topic_answers=counts[agency_id],
                              similarity=round(sim, 3), closest_title=closest, owns_topic=owners[agency_id],
                              named=agency_id in named))
    out.sort(key=lambda s: (-s.score, -s.topic_answers, s.agency.name_th))
    return out[:limit]
