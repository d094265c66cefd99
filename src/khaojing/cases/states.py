"""The case workflow: the ONE declared table of allowed state changes, with the roles allowed to make each."""

from __future__ import annotations

from dataclasses import dataclass

from khaojing.accounts.models import Role

NEW, SCREENING, INVESTIGATING, AWAITING_AGENCY = "new", "screening", "investigating", "awaiting_agency"
DRAFTING, IN_REVIEW, PUBLISHED, DISMISSED, REOPENED = "drafting", "in_review", "published", "dismissed", "reopened"

STATES = (NEW, SCREENING, INVESTIGATING, AWAITING_AGENCY, DRAFTING, IN_REVIEW, PUBLISHED, DISMISSED, REOPENED)
# a case in a closed state has closed_at set; every other state is open work
CLOSED_STATES = frozenset({PUBLISHED, DISMISSED})
OPEN_STATES = tuple(s for s in STATES if s not in CLOSED_STATES)

# why a case is dismissed; "duplicate" needs the case it duplicates (the claims are merged)
DISMISS_REASONS = ("not_a_claim", "out_of_scope", "duplicate")

WORKERS = frozenset({Role.analyst, Role.editor})
EDITORS = frozenset({Role.editor})


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    roles: frozenset[Role]
    needs_reason: bool = False
    # done by a dedicated action and its form (send a request, submit, return or publish a verdict, dismiss with
    # a reason code, restore, reopen for a correction), never by the generic "move to" buttons
    via: str | None = None


T = Transition
TRANSITIONS: tuple[Transition, ...] = (
    T(NEW, SCREENING, WORKERS),
    T(SCREENING, INVESTIGATING, WORKERS),
    T(INVESTIGATING, AWAITING_AGENCY, WORKERS, via="request"),
    T(AWAITING_AGENCY, INVESTIGATING, WORKERS),
    T(INVESTIGATING, DRAFTING, WORKERS),
    T(AWAITING_AGENCY, DRAFTING, WORKERS),
    T(DRAFTING, INVESTIGATING, WORKERS),
    T(DRAFTING, IN_REVIEW, WORKERS, via="submit"),
    T(IN_REVIEW, DRAFTING, EDITORS, needs_reason=True, via="return"),  # back to the author with what to change
    T(IN_REVIEW, PUBLISHED, EDITORS, via="publish"),
    # side exits
    *(T(s, DISMISSED, EDITORS, needs_reason=True, via="dismiss")
      for s in (NEW, SCREENING, INVESTIGATING, AWAITING_AGENCY, DRAFTING, IN_REVIEW)),
    T(PUBLISHED, REOPENED, EDITORS, needs_reason=True, via="reopen"),  # a correction of the published verdict
    T(REOPENED, DRAFTING, WORKERS),
    T(DISMISSED, SCREENING, EDITORS, needs_reason=True, via="restore"),  # taken up again (not duplicates)
)

_BY_PAIR = {(t.source, t.target): t for t in TRANSITIONS}


def find(source: str, target: str) -> Transition | None:
    return _BY_PAIR.get((source, target))


def allowed_from(source: str, role: Role | str | None = None, *, manual_only: bool = False) -> list[Transition]:
    """The transitions out of `source` (those a `role` may make, when given), in table order."""
    out = []
    for t in TRANSITIONS:
        if t.source != source or (manual_only and t.via):
            continue
        if role is not None and Role(role) not in t.roles:
            continue
        out.append(t)
    return out
