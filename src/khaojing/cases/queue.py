"""The case queue (claim priority, then age), claims still waiting for a case, and each analyst's workload.

An agency's reply (an answer, or a refusal) does not move a case: the analyst reads it and moves the case on. Until
then the case has a reply waiting (`reply_waiting`, the one rule for it), which the queue shows and filters by."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Select, and_, func, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session

from khaojing.accounts.models import Agency, Role, User
from khaojing.cases import states
from khaojing.cases.models import AgencyRequest, Case
from khaojing.cases.requests import ANSWERED, DECLINED
from khaojing.claims.models import Claim

UNASSIGNED = "none"
MINE = "me"


@dataclass
class CaseFilter:
    state: str | None = None  # one state, "open" (every open state, the default) or "all"
    assignee: str | None = None  # "me", "none", or a user id
    topic: str | None = None
    overdue: bool = False
    replied: bool = False  # only cases with an agency's reply waiting for the analyst
    q: str | None = None


@dataclass
class Reply:
    """The latest agency reply a case has waiting: answered or declined, when, by which agency."""

    status: str
    at: dt.datetime
    agency: Agency
    count: int = 1


@dataclass
class QueueRow:
    case: Case
    claim: Claim
    assignee: str | None
    waiting_requests: int = 0
    overdue_requests: int = 0
    reply: Reply | None = None


@dataclass
class QueuePage:
    rows: list[QueueRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def reply_waiting():  # noqa: ANN201 - a SQL condition on AgencyRequest and Case
    """An agency answered or declined a request of this open case after the case entered its current state: nobody
    has moved the case on since the reply came (moving it is how the analyst acts on a reply)."""
    return and_(AgencyRequest.case_id == Case.id, AgencyRequest.status.in_((ANSWERED, DECLINED)),
                AgencyRequest.answered_at >= Case.state_since, Case.closed_at.is_(None))


def _filtered(stmt: Select, f: CaseFilter, *, user_id: int, now: dt.datetime) -> Select:
    if f.state in (None, "open"):
        stmt = stmt.where(Case.closed_at.is_(None))
    elif f.state != "all":
        stmt = stmt.where(Case.state == f.state)
    if f.assignee == MINE:
        stmt = stmt.where(Case.assignee_id == user_id)
    elif f.assignee == UNASSIGNED:
        stmt = stmt.where(Case.assignee_id.is_(None))
    elif f.assignee and f.assignee.isdigit():
        stmt = stmt.where(Case.assignee_id == int(f.assignee))
    if f.topic:
        stmt = stmt.where(Claim.topic == f.topic)
    if f.overdue:
        late_request = select(AgencyRequest.id).where(AgencyRequest.case_id == Case.id, AgencyRequest.status == "sent",
                                                      AgencyRequest.due_at <= now).exists()
        stmt = stmt.where((and_(Case.state == states.NEW, Case.first_action_at.is_(None), Case.due_at <= now))
                          | late_request)
    if f.replied:
        stmt = stmt.where(select(AgencyRequest.id).where(reply_waiting()).exists())
    if f.q:
        stmt = stmt.where(Claim.title.ilike(f"%{f.q}%"))
    return stmt


def replies_waiting(session: Session) -> int:
    """How many open cases have an agency's reply waiting for the analyst."""
    return session.scalar(select(func.count(Case.id)).where(select(AgencyRequest.id).where(reply_waiting())
                                                            .exists())) or 0


def case_queue(session: Session, *, filters: CaseFilter, user_id: int, now: dt.datetime, page: int = 1,
               per_page: int = 50) -> QueuePage:
    """Open cases by their claim's priority (highest first), then by age (oldest first)."""
    page = max(1, page)
    base = select(Case, Claim).join(Claim, Claim.id == Case.claim_id)
    total = session.scalar(_filtered(select(func.count(Case.id)).join(Claim, Claim.id == Case.claim_id), filters,
                                     user_id=user_id, now=now)) or 0
    rows = session.execute(_filtered(base, filters, user_id=user_id, now=now)
                           .order_by(Claim.priority.desc(), Case.opened_at, Case.id)
                           .offset((page - 1) * per_page).limit(per_page)).all()
    names = dict(session.execute(select(User.id, User.display_name).where(
        User.id.in_({c.assignee_id for c, _ in rows if c.assignee_id}))).all()) if rows else {}
    out = [QueueRow(case=c, claim=cl, assignee=names.get(c.assignee_id)) for c, cl in rows]
    _add_request_counts(session, out, now)
    _add_replies(session, out)
    return QueuePage(rows=out, total=total, page=page, per_page=per_page)


def _add_request_counts(session: Session, rows: list[QueueRow], now: dt.datetime) -> None:
    ids = [r.case.id for r in rows]
    if not ids:
        return
    counts = session.execute(select(AgencyRequest.case_id, func.count(AgencyRequest.id),
                                    func.sum(sql_case((AgencyRequest.due_at <= now, 1), else_=0)))
                             .where(AgencyRequest.case_id.in_(ids), AgencyRequest.status == "sent")
                             .group_by(AgencyRequest.case_id)).all()
    by_case = {case_id: (n, int(late or 0)) for case_id, n, late in counts}
    for row in rows:
        row.waiting_requests, row.overdue_requests = by_case.get(row.case.id, (0, 0))


def _add_replies(session: Session, rows: list[QueueRow]) -> None:
    latest = replies_of(session, [r.case.id for r in rows])
    for row in rows:
        row.reply = latest.get(row.case.id)


def replies_of(session: Session, case_ids: list[int]) -> dict[int, Reply]:
    """The latest reply waiting on each of these cases (with how many are waiting), by case id."""
    if not case_ids:
        return {}
    replies = session.execute(select(AgencyRequest.case_id, AgencyRequest.status, AgencyRequest.answered_at, Agency)
                              .join(Case, Case.id == AgencyRequest.case_id)
                              .join(Agency, Agency.id == AgencyRequest.agency_id)
                              .where(Case.id.in_(case_ids), reply_waiting())
                              .order_by(AgencyRequest.answered_at, AgencyRequest.id)).all()
    latest: dict[int, Reply] = {}
    for case_id, status, at, agency in replies:  # oldest first: the last one kept is the latest
        before = latest.get(case_id)
        latest[case_id] = Reply(status=status, at=at, agency=agency, count=before.count + 1 if before else 1)
    return latest


def claims_without_case(session: Session, *, limit: int = 20) -> list[Claim]:
    """Open claims that nobody has opened a case for yet, most urgent first, then the longest known first (the
    first-action clock runs from when the center first saw the claim)."""
    has_case = select(Case.id).where(Case.claim_id == Claim.id, Case.closed_at.is_(None)).exists()
    return list(session.scalars(select(Claim).where(Claim.status == "open", ~has_case)
                                .order_by(Claim.priority.desc(), Claim.first_seen_at, Claim.id).limit(limit)))


@dataclass
class Workload:
    user: User
    by_state: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    oldest: dt.datetime | None = None

    @property
    def total(self) -> int:
        return sum(self.by_state.values())


def workloads(session: Session, *, now: dt.datetime) -> list[Workload]:
    """Every active analyst's and editor's open cases, by state, with how many are overdue; lightest first."""
    people = session.scalars(select(User).where(User.is_active.is_(True), User.role.in_(
        (Role.analyst.value, Role.editor.value))).order_by(User.display_name)).all()
    loads = {u.id: Workload(user=u) for u in people}
    rows = session.execute(select(Case.assignee_id, Case.state, func.count(Case.id), func.min(Case.opened_at))
                           .where(Case.closed_at.is_(None), Case.assignee_id.in_(list(loads)))
                           .group_by(Case.assignee_id, Case.state)).all()
    for user_id, state, n, oldest in rows:
        load = loads[user_id]
        load.by_state[state] = n
        load.oldest = min(filter(None, (load.oldest, oldest)), default=None)
    late = session.execute(select(Case.assignee_id, func.count(Case.id)).where(
        Case.closed_at.is_(None), Case.assignee_id.in_(list(loads)), Case.state == states.NEW,
        Case.first_action_at.is_(None), Case.due_at <= now).group_by(Case.assignee_id)).all()
    for user_id, n in late:
        loads[user_id].overdue = n
    return sorted(loads.values(), key=lambda w: (w.total, w.user.display_name))
