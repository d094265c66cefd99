"""Matching tests: no process-wide claim index survives a test; `make_claim` writes claims through the services."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy.orm import Session

from khaojing.claims.models import Claim, Verdict
from khaojing.db.base import utcnow
from khaojing.intake.service import Submission, accept_report, get_or_create_source
from khaojing.matching import service as matching
from khaojing.matching.live import forget_indexes
from khaojing.settings import Settings
from khaojing.thai.normalize import normalize


@pytest.fixture(autouse=True)
def _fresh_indexes() -> Iterator[None]:
    forget_indexes()
    yield
    forget_indexes()


def _make_claim(session: Session, settings: Settings, text: str, *, verdict: str | None = None,
                urls: tuple[str, ...] = ()) -> Claim:
    norm = normalize(text)
    claim = Claim(title=text, match_text=norm.match_text, norm_sha256=norm.sha256,
                  status="verified" if verdict else "open")
    session.add(claim)
    session.flush()
    source = get_or_create_source(session, kind="webform", name="webform")
    report = accept_report(session, settings=settings, source=source, sub=Submission(text=text, urls=urls),
                           actor="system").report
    report.claim_id, report.norm_sha256 = claim.id, norm.sha256
    if verdict:
        session.add(Verdict(claim_id=claim.id, label=verdict, headline=text, published_at=utcnow()))
    session.flush()
    matching.index_claim(session, claim.id, settings=settings)
    return claim


@pytest.fixture
def make_claim(settings: Settings) -> Callable[..., Claim]:
    """make_claim(session, text, verdict=None, urls=()): a claim with its first report, indexed (verified with a
    published verdict when `verdict` is given)."""
    return lambda session, text, **kw: _make_claim(session, settings, text, **kw)
