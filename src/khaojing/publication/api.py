"""Public read API of the published verdicts (no key needed): a paged, filterable list and one verdict."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, BeforeValidator, Field, WithJsonSchema
from sqlalchemy.orm import Session

from khaojing.db.session import Database
from khaojing.publication import claimreview, service
from khaojing.settings import Settings
from khaojing.thai.dates import parse_be_datetime
from khaojing.web.deps import get_db


def _iso_date(value: object) -> object:
    """Only YYYY-MM-DD: pydantic alone reads `since=0` or `20250723` as a Unix time (1970) and `2568-01-01` as the
    year 2568 (the list then silently found nothing). A year from 2400 up is Buddhist era, by the product's one rule
    (khaojing.thai.dates): 2568-07-23 is 2025-07-23."""
    if isinstance(value, str):
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError("a date as YYYY-MM-DD, e.g. 2025-07-23 (or the Buddhist-era 2568-07-23)")
        return parse_be_datetime(value).date()  # ValueError "bad date …" for 2025-02-30
    return value


DATE_FORM = "YYYY-MM-DD; a year from 2400 is Buddhist era"
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date),
                    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"})]

router = APIRouter(tags=["verdicts (public)"],  # limited per client address by web.security.RateLimitMiddleware
                   responses={429: {"description": "over the requests a minute allowed from one address "
                                                   "(settings rate_limit_api_per_minute); see Retry-After"}})


class SourceOut(BaseModel):
    kind: str = Field(description="url | agency_statement | document")
    url: str | None = None
    text: str | None = None


class CorrectionOut(BaseModel):
    version: int
    label: str
    published_at: dt.datetime | None
    reason: str | None = Field(None, description="why this version corrected the previous one")


class VerdictOut(BaseModel):
    claim_id: int
    url: str = Field(description="the public verdict page")
    label: str = Field(description="fake | distorted | true (the public labels of settings.verdict_labels)")
    label_th: str
    label_en: str
    headline: str
    claim_text: str = Field(description="the claim as it circulated")
    explanation: str
    topic: str | None
    agency_th: str | None
    agency_en: str | None
    version: int
    published_at: dt.datetime = Field(description="when the current version was published")
    card_1080: str
    card_1200x630: str


class VerdictDetailOut(VerdictOut):
    first_published_at: dt.datetime
    sources: list[SourceOut]
    appearances: list[str] = Field(description="links where the claim was seen")
    corrections: list[CorrectionOut]
    claim_review: dict = Field(description="schema.org ClaimReview, as embedded in the page")


class VerdictPageOut(BaseModel):
    items: list[VerdictOut]
    total: int = Field(description=f"how many match, counted up to {service.COUNT_CAP}")
    total_is_exact: bool = Field(True, description=f"false when more than {service.COUNT_CAP} match")
    page: int
    per_page: int
    next_page: int | None


def _out(view: service.PublicVerdict, settings: Settings) -> dict:
    url = claimreview.verdict_url(settings, view.claim_id)
    return {"claim_id": view.claim_id, "url": url, "label": view.label, "label_th": view.label_th,
            "label_en": view.label_en, "headline": view.headline, "claim_text": view.claim_text,
            "explanation": view.explanation, "topic": view.topic, "agency_th": view.agency_th,
            "agency_en": view.agency_en, "version": view.version, "published_at": view.published_at,
            "card_1080": f"{url}/card-1080.png", "card_1200x630": f"{url}/card-1200x630.png"}


@router.get("/verdicts", response_model=VerdictPageOut, summary="List published verdicts")
def list_verdicts(request: Request, page: int = Query(1, ge=1, le=100000),
                  per_page: int = Query(20, ge=1, le=service.MAX_PER_PAGE),
                  topic: str | None = Query(None, description="a topic key, e.g. health"),
                  label: str | None = Query(None, description="fake | distorted | true"),
                  q: str | None = Query(None, max_length=200, description="words in the title or headline"),
                  since: IsoDate | None = Query(None, description=f"published on or after ({DATE_FORM})"),
                  until: IsoDate | None = Query(None, description=f"published on or before ({DATE_FORM})"),
                  db: Database = Depends(get_db)) -> dict:
    """Newest first. Unknown topics or labels match nothing."""
    settings: Settings = request.app.state.settings
    if label and label not in service.public_labels(settings):  # a label that is not public lists nothing
        return {"items": [], "total": 0, "page": page, "per_page": per_page, "next_page": None}
    filters = service.Filters(topic=topic, label=label, q=q, since=since, until=until)
    with db.unit_of_work(readonly=True) as session:
        result = service.search(session, settings=settings, filters=filters, page=page, per_page=per_page)
    return {"items": [_out(v, settings) for v in result.items], "total": result.total,
            "total_is_exact": not result.more, "page": result.page,
            "per_page": result.per_page, "next_page": result.page + 1 if result.page < result.pages else None}


@router.get("/verdicts/{claim_id}", response_model=VerdictDetailOut, summary="One published verdict",
            responses={404: {"description": "no published public verdict for this claim"}})
def get_verdict(claim_id: int, request: Request, db: Database = Depends(get_db)) -> dict:
    with db.unit_of_work(readonly=True) as session:
        return verdict_detail(session, claim_id=claim_id, settings=request.app.state.settings)


def verdict_detail(session: Session, *, claim_id: int, settings: Settings) -> dict:
    """One published verdict as the API gives it (webhooks send the same JSON); NotFound when not public."""
    view = service.get_public_verdict(session, claim_id=claim_id, settings=settings)
    return {**_out(view, settings), "first_published_at": view.first_published_at,
            "sources": [vars(s) for s in view.sources], "appearances": view.appearances,
            "corrections": [{"version": h.version, "label": h.label, "published_at": h.published_at,
                             "reason": h.reason} for h in view.history],
            "claim_review": claimreview.claim_review(view, settings)}
