"""schema.org ClaimReview for a published verdict, and a structural check of it (used by tests and the API)."""

from __future__ import annotations

import json

from markupsafe import Markup

from khaojing.publication.service import PublicVerdict
from khaojing.settings import Settings

BEST, WORST = 5, 1
# numeric ratings on a 1 (false) .. 5 (true) scale, as fact-checkers publish them; other labels sit in the middle
RATINGS = {"fake": 1, "distorted": 2, "unverifiable": 3, "true": 5}


def verdict_url(settings: Settings, claim_id: int) -> str:
    return f"{settings.base_url.rstrip('/')}/verdicts/{claim_id}"


def claim_review(view: PublicVerdict, settings: Settings) -> dict:
    base = settings.base_url.rstrip("/")
    first_seen = view.first_seen_at.date().isoformat() if view.first_seen_at else None
    item: dict = {"@type": "Claim", "name": view.claim_text[:500]}
    if view.appearances:
        item["appearance"] = [{"@type": "CreativeWork", "url": url} for url in view.appearances]
        item["firstAppearance"] = {"@type": "CreativeWork", "url": view.appearances[0]}
        if first_seen:
            item["firstAppearance"]["datePublished"] = first_seen
    elif first_seen:
        item["firstAppearance"] = {"@type": "CreativeWork", "datePublished": first_seen}
    if first_seen:
        item["datePublished"] = first_seen
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": verdict_url(settings, view.claim_id),
        "claimReviewed": view.claim_text,
        "headline": view.headline,
        "datePublished": view.first_published_at.date().isoformat(),
        "dateModified": view.published_at.isoformat(),
        "inLanguage": "th",
        "author": {"@type": "Organization", "name": settings.center_name_th,
                   "alternateName": settings.center_name_en, "url": base + "/"},
        "reviewRating": {"@type": "Rating", "ratingValue": RATINGS.get(view.label, 3), "bestRating": BEST,
                         "worstRating": WORST, "alternateName": view.label_th},
        "itemReviewed": item,
        "image": f"{base}/verdicts/{view.claim_id}/card-1200x630.png",
    }


def json_ld(data: dict) -> Markup:
    """JSON for a <script type="application/ld+json"> block: '<', '>' and '&' escaped so no text can close it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def problems(data: dict) -> list[str]:
    """What makes a ClaimReview incomplete for search engines (an empty list when it is fine)."""
    out = []
    for key in ("@context", "url", "claimReviewed", "datePublished", "author", "reviewRating", "itemReviewed",
                "inLanguage"):
        if not data.get(key):
            out.append(f"missing {key}")
    if data.get("@type") != "ClaimReview":
        out.append("@type is not ClaimReview")
    rating = data.get("reviewRating") or {}
    value, best, worst = rating.get("ratingValue"), rating.get("bestRating"), rating.get("worstRating")
    if not all(isinstance(x, int | float) for x in (value, best, worst)) or not worst <= value <= best:
        out.append("reviewRating needs numeric worstRating <= ratingValue <= bestRating")
    if not rating.get("alternateName"):
        out.append("reviewRating.alternateName is missing")
    author = data.get("author") or {}
    if author.get("@type") != "Organization" or not author.get("name"):
        out.append("author must be an Organization with a name")
    item = data.get("itemReviewed") or {}
    if item.get("@type") != "Claim":
        out.append("itemReviewed must be a Claim")
    for work in [*(item.get("appearance") or []), item.get("firstAppearance") or {}]:
        if work.get("@type") != "CreativeWork":
            out.append("appearance and firstAppearance must be CreativeWork")
            break
    return out
