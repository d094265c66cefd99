"""The "Case" panels of the claim page and the report page, registered into their pages' hooks
(`claims.views.CLAIM_PANELS`, `intake.views.REPORT_PANELS`: see `web.panels.Panels`) when this module is imported
by cases/views.py. Only the case pages' readers (STAFF of access.py) see a case; an agency officer never does."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from khaojing.accounts.models import Role, User
from khaojing.cases import deadlines, states
from khaojing.cases.access import STAFF, WORKERS
from khaojing.cases.models import Case
from khaojing.claims import service as claims
from khaojing.claims.models import Claim
from khaojing.claims.views import CLAIM_PANELS
from khaojing.db.base import utcnow
from khaojing.intake.models import Report
from khaojing.intake.views import REPORT_PANELS

SHOWN = 5  # the claim page lists at most this many of a claim's cases (open first, then the newest)


@dataclass
class CaseLine:
    """One case as the panels show it: number, state, assignee, the first-action deadline while it runs."""

    case: Case
    assignee: str | None
    due: dt.datetime | None
    overdue: bool

    @property
    def dismiss_reason(self) -> str | None:
        return self.case.close_reason if self.case.close_reason in states.DISMISS_REASONS else None


def _may_read(user: User) -> bool:
    return Role(user.role) in STAFF


def _lines(session: Session, claim_id: int, limit: int) -> tuple[list[CaseLine], int]:
    """The claim's cases, the open one first, then the newest; and how many it has in all."""
    total = session.scalar(select(func.count(Case.id)).where(Case.claim_id == claim_id)) or 0
    if not total:
        return [], 0
    cases = list(
        session.scalars(
            select(Case)
            .where(Case.claim_id == claim_id)
            .order_by(Case.closed_at.is_not(None), Case.id.desc())
            .limit(limit)
        )
    )
    people = {c.assignee_id for c in cases if c.assignee_id}
    names = dict(session.execute(select(User.id, User.display_name).where(User.id.in_(people))).all()) if people else {}
    now = utcnow()
    lines = [
        CaseLine(
            case=c,
            assignee=names.get(c.assignee_id) if c.assignee_id else None,
            due=c.due_at if c.state == states.NEW else None,
            overdue=deadlines.is_overdue(c, now),
        )
        for c in cases
    ]
    return lines, total


def claim_panel(session: Session, claim: Claim, user: User) -> dict | None:
    """The claim's cases, and for an analyst or editor an "Open a case" button when the claim is waiting for one
    (an open claim without an open case: the cases page's "claims without a case" list)."""
    if not _may_read(user):
        return None
    lines, total = _lines(session, claim.id, SHOWN)
    has_open = any(line.case.closed_at is None for line in lines)
    worker = Role(user.role) in WORKERS
    return {
        "claim": claim,
        "lines": lines,
        "more": total - len(lines),
        "worker": worker,
        "can_open": worker and claim.status == claims.OPEN and not has_open,
        "has_open": has_open,
    }


def report_panel(session: Session, report: Report, user: User) -> dict | None:
    """The case of the report's claim (the open one, else the newest), when there is one."""
    if not report.claim_id or not _may_read(user):
        return None
    lines, _ = _lines(session, report.claim_id, 1)
    return {"line": lines[0]} if lines else None


CLAIM_PANELS.register("case", "console/_claim_case_panel.html", claim_panel)
REPORT_PANELS.register("case", "console/_report_case_panel.html", report_panel)
