"""How many people reported a claim: a requester once however many reports, each anonymous report (a web form sent
without contact details) as one person. The queue, the claim's page, its priority and the verdict's "who asked"
count the same people."""

from __future__ import annotations

import re

from sqlalchemy import select

from khaojing.accounts.models import Role
from khaojing.claims import service as claims
from khaojing.claims.models import Claim
from khaojing.intake.service import Submission, accept_report, get_or_create_source
from khaojing.publication.jobs import asked_by_channel


def _report(session, env, text: str, *, channel: str = "webform", who: str | None = None):  # noqa: ANN001, ANN202
    source = get_or_create_source(session, kind=channel, name=channel)
    sub = Submission(text=text, requester_kind="email" if who else None, requester_value=who)
    return accept_report(session, settings=env.settings, source=source, sub=sub, actor="public").report


def _claim(env, reports: list[tuple[str, str | None]]) -> int:  # noqa: ANN001
    """A claim of the given (channel, requester) reports; None is a report sent without contact details."""
    with env.db.unit_of_work() as session:
        first = _report(session, env, "ธนาคารจะปิดทุกสาขาวันจันทร์นี้", channel=reports[0][0], who=reports[0][1])
        claim = claims.create_claim(session, report=first, title=first.text, match_text=first.text,
                                    norm_sha256="x", topic="finance", topic_confidence=0.9, harm={})
        for i, (channel, who) in enumerate(reports[1:]):
            claims.attach_report(session, claim=claim, how="near",
                                 report=_report(session, env, f"ธนาคารปิดทุกสาขา {i}", channel=channel, who=who))
        return claim.id


def _people_on_claim_page(html: str) -> int:
    match = re.search(r"<dt>จำนวนผู้แจ้ง</dt><dd>([\d,]+)</dd>", html)
    assert match, "the claim page has no people count"
    return int(match.group(1).replace(",", ""))


def test_one_anonymous_web_report_is_one_person(env) -> None:  # noqa: ANN001
    claim_id = _claim(env, [("webform", None)])
    analyst = env.login(env.user(Role.analyst))
    queue = analyst.get("/console/claims").text
    assert "<span>แจ้ง 1 ครั้ง</span><span>1 คน</span>" in queue
    assert "<span>0 คน</span>" not in queue
    assert _people_on_claim_page(analyst.get(f"/console/claims/{claim_id}").text) == 1


def test_a_requester_counts_once_and_each_anonymous_report_once(env) -> None:  # noqa: ANN001
    claim_id = _claim(env, [("webform", None), ("line", "a@x.th"), ("line", "a@x.th"), ("webform", None),
                            ("api", "b@x.th")])
    analyst = env.login(env.user(Role.analyst))
    assert _people_on_claim_page(analyst.get(f"/console/claims/{claim_id}").text) == 4  # a, b and two anonymous
    assert "<span>แจ้ง 5 ครั้ง</span><span>4 คน</span>" in analyst.get("/console/claims").text
    with env.db.unit_of_work(readonly=True) as session:
        claim = session.get(Claim, claim_id)
        reasons = {r["key"]: r for r in claim.priority_reasons}
        assert reasons["requesters"]["th"] == "จากผู้แจ้ง 4 คน"
        assert reasons["requesters"]["en"] == "by 4 different people"
        # the publication job's "people who asked" (the case page's "who was told") counts the same people
        assert sum(asked_by_channel(session, claim_id=claim_id).values()) == claim.requester_count == 4


def test_anonymous_reports_alone_raise_the_priority_as_different_people(env) -> None:  # noqa: ANN001
    lone = _claim(env, [("webform", None), ("webform", None), ("webform", None)])
    one_person = _claim(env, [("line", "a@x.th"), ("line", "a@x.th"), ("line", "a@x.th")])
    with env.db.unit_of_work(readonly=True) as session:
        anonymous, same = session.scalars(select(Claim).where(Claim.id.in_([lone, one_person]))
                                          .order_by(Claim.id)).all()
        assert (anonymous.requester_count, same.requester_count) == (3, 1)
        assert anonymous.priority > same.priority
