"""The takedown workflow: the ONE declared table of allowed status changes, and the reasons a takedown is asked for."""

from __future__ import annotations

from dataclasses import dataclass

from khaojing.accounts.models import Role

DRAFT, SENT, ACKNOWLEDGED, REMOVED, REFUSED = "draft", "sent", "acknowledged", "removed", "refused"
COURT_REQUESTED, GRANTED, RESTORED = "court_order_requested", "granted", "restored"
STATUSES = (DRAFT, SENT, ACKNOWLEDGED, REMOVED, REFUSED, COURT_REQUESTED, GRANTED, RESTORED)
# waiting for someone else: the platform (due date, reminders) or the court
WAITING = frozenset({SENT, ACKNOWLEDGED, COURT_REQUESTED, GRANTED})
# outcomes in the statistics and the transparency report
OUTCOMES = (REMOVED, REFUSED, RESTORED)
# the URL is re-checked while the request is out or after removal (did it come back?)
CHECKED = frozenset({SENT, ACKNOWLEDGED, COURT_REQUESTED, GRANTED, REMOVED})

# Why a takedown is requested. Political and lèse-majesté requests are their own, explicitly labelled group:
# they are counted separately in the transparency report, never mixed with false content or scams.
REASONS: dict[str, str] = {
    "false_content_s14": "general",  # Computer-Related Crime Act s.14(2): false data likely to harm the public
    "scam": "general",
    "dangerous_product": "general",
    "health_misinformation": "general",
    "impersonation": "general",
    "personal_data": "general",
    "other": "general",
    "political": "political",
    "lese_majeste": "political",
}
PLATFORMS = ("facebook", "tiktok", "youtube", "x", "line", "instagram", "website", "other")

WORKERS = frozenset({Role.analyst, Role.editor})
EDITORS = frozenset({Role.editor})
SYSTEM = "system"  # the re-check job


def is_political(reason: str) -> bool:
    return REASONS.get(reason) == "political"


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    roles: frozenset[Role]
    by_check: bool = False  # the re-check job may make it on its own (the page is gone / is back)


T = Transition
TRANSITIONS: tuple[Transition, ...] = (
    T(DRAFT, SENT, WORKERS),
    T(SENT, ACKNOWLEDGED, WORKERS),
    T(SENT, REMOVED, WORKERS, by_check=True),
    T(SENT, REFUSED, WORKERS),
    T(ACKNOWLEDGED, REMOVED, WORKERS, by_check=True),
    T(ACKNOWLEDGED, REFUSED, WORKERS),
    # a court order under s.20 is asked for by an editor (with the owning ministry's officer)
    T(REFUSED, COURT_REQUESTED, EDITORS),
    T(SENT, COURT_REQUESTED, EDITORS),
    T(ACKNOWLEDGED, COURT_REQUESTED, EDITORS),
    T(RESTORED, COURT_REQUESTED, EDITORS),
    T(COURT_REQUESTED, GRANTED, EDITORS),
    T(COURT_REQUESTED, REFUSED, EDITORS),  # the court did not grant it
    T(GRANTED, REMOVED, WORKERS, by_check=True),
    T(REMOVED, RESTORED, WORKERS, by_check=True),  # the content came back
    T(RESTORED, SENT, WORKERS),  # asked again
)
_BY_PAIR = {(t.source, t.target): t for t in TRANSITIONS}


def find(source: str, target: str) -> Transition | None:
    return _BY_PAIR.get((source, target))


def allowed_from(source: str, role: Role | str | None = None) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == source and (role is None or Role(role) in t.roles)]
