"""`khaojing demo load`: dev mode only, idempotent, real statuses; the shipped fixture and its attribution."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy import func, select

from khaojing.accounts.models import Agency, User
from khaojing.accounts.service import authenticate
from khaojing.audit.models import AuditEvent
from khaojing.claims.models import Claim, Verdict
from khaojing.demo.data import from_fixture, strip_verdict
from khaojing.demo.loader import DEMO_USERS, load_demo
from khaojing.errors import Forbidden
from khaojing.intake.models import Report, Source
from khaojing.jobs.models import Job

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
TABLES = (Agency, User, Source, Report, Claim, Verdict, Job, AuditEvent)


def _counts(db) -> dict[str, int]:  # noqa: ANN001
    with db.unit_of_work(readonly=True) as session:
        return {m.__tablename__: session.scalar(select(func.count()).select_from(m)) for m in TABLES}


def _statuses(db) -> set[str]:  # noqa: ANN001
    with db.unit_of_work(readonly=True) as session:
        return set(session.scalars(select(Report.status).distinct()))


@pytest.fixture
def fixture_only(settings, tmp_path: Path):  # noqa: ANN001, ANN201
    settings.demo_data_dir = tmp_path / "no-shared-data"
    return settings


def test_loading_twice_changes_nothing(db, fixture_only) -> None:  # noqa: ANN001
    first = load_demo(db)
    assert first.origin == "the fixture shipped with khaojing"
    assert first.created == {"agencies": 6, "users": 4, "partners": 1, "reports": 110, "claims": 40}
    assert first.partner_key and first.jobs_run == 110
    counts = _counts(db)
    second = load_demo(db)
    assert not second.changed and second.partner_key is None and second.jobs_run == 0
    assert _counts(db) == counts
    assert _statuses(db) <= {"grouped", "rejected", "answered"}  # the triage jobs ran on every report


def test_demo_users_log_in_and_reports_use_three_channels(db, fixture_only) -> None:  # noqa: ANN001
    load_demo(db)
    with db.unit_of_work() as session:
        for demo in DEMO_USERS:
            user = authenticate(session, settings=db.settings, username=demo.username, password=demo.password,
                                ip=None)
            assert user.role == demo.role.value
            assert (user.agency is not None) == (demo.agency is not None)
        channels = dict(session.execute(select(Report.channel, func.count()).group_by(Report.channel)).all())
        labels = set(session.scalars(select(Verdict.label)))
    assert set(channels) == {"webform", "api", "import"} and channels["webform"] > channels["import"]
    assert labels == {"fake", "true", "distorted"}


def test_demo_load_refuses_outside_dev_mode(db) -> None:  # noqa: ANN001
    db.settings.dev_mode = False
    with pytest.raises(Forbidden, match="KHAOJING_DEV_MODE=true"):
        load_demo(db)
    assert _counts(db)["users"] == 0


@pytest.mark.shared_data
@pytest.mark.skipif(not (SHARED_DATA / "afnc-cofact-sure-2022").is_dir(), reason="../shared/data is absent")
def test_the_shared_data_gives_a_few_hundred_items(db, settings) -> None:  # noqa: ANN001
    settings.demo_data_dir = SHARED_DATA
    summary = load_demo(db)
    assert summary.origin.startswith("shared data")
    assert 200 <= summary.created["reports"] <= 300 and 100 <= summary.created["claims"] <= 150
    counts = _counts(db)
    assert not load_demo(db).changed and _counts(db) == counts
    with db.unit_of_work(readonly=True) as session:
        # the verified claims' titles lose the verdict word (citizens' own texts become claims as they came)
        titles = session.scalars(select(Claim.title).join(Verdict, Verdict.claim_id == Claim.id)).all()
    assert titles and not [t for t in titles if t.startswith(("ข่าวปลอม", "ข่าวบิดเบือน"))]


def test_the_fixture_is_complete_and_attributed() -> None:
    items = from_fixture()
    assert len(items.reports) + len(items.claims) == 150
    assert all(r.text.strip() and r.ref.startswith("demo:") for r in items.reports)
    assert {c.label for c in items.claims} <= {"fake", "true", "distorted"}
    raw = resources.files("khaojing.demo").joinpath("fixture.jsonl").read_text("utf-8").splitlines()
    assert all(json.loads(line)["kind"] in ("report", "claim") for line in raw)
    attribution = resources.files("khaojing.demo").joinpath("ATTRIBUTION.md").read_text("utf-8")
    for needle in ("PPjaisri/Senior-project", "09addef7ba0badfe384178fac5631cd815b3d8f6", "MIT",
                   "PyThaiNLP/wisesight-sentiment", "c1d063649abc3a6870b5fd1aae26cd1c64bdde7b", "CC0"):
        assert needle in attribution


def test_verdict_words_are_stripped_from_claim_titles() -> None:
    assert strip_verdict("ข่าวปลอม อย่าแชร์! ยาพาราเซตามอลปนเปื้อนเชื้อไวรัส") == "ยาพาราเซตามอลปนเปื้อนเชื้อไวรัส"
    assert strip_verdict("ข่าวบิดเบือน ธ.ออมสิน ให้กู้ 50,000 บาท") == "ธ.ออมสิน ให้กู้ 50,000 บาท"
    assert strip_verdict("นายกฯ ประกาศเคอร์ฟิว ข่าวปลอม !! อย่าแชร์") == "นายกฯ ประกาศเคอร์ฟิว"
    assert strip_verdict("ครม. อนุมัติงบกลาง") == "ครม. อนุมัติงบกลาง"


def test_an_analyst_can_route_a_demo_claim_to_every_demo_agency(db, fixture_only) -> None:  # noqa: ANN001
    """On a fresh demo the verification journey does not dead-end: every agency has its two liaison officers."""
    from khaojing.cases import requests
    from khaojing.cases.service import open_case, transition

    load_demo(db)
    with db.unit_of_work() as session:
        analyst = session.scalar(select(User).where(User.username == "analyst"))
        claim = session.scalar(select(Claim).where(~Claim.id.in_(select(Verdict.claim_id))).order_by(Claim.id))
        case = open_case(session, claim_id=claim.id, actor=analyst, settings=db.settings)
        for state in ("screening", "investigating"):
            transition(session, case_id=case.id, to_state=state, actor=analyst)
        agencies = list(session.scalars(select(Agency)))
        made = requests.send_requests(session, case_id=case.id, actor=analyst, settings=db.settings,
                                      data=requests.RequestIn(agency_ids=[a.id for a in agencies],
                                                              question="ข้อความนี้จริงหรือไม่"))
        assert len(made) == len(agencies) == 6
        assert all(len(a.liaisons) == 2 and a.active for a in agencies)


def test_demo_claims_use_topic_keys_and_the_dashboards_count_its_weeks(db, fixture_only) -> None:  # noqa: ANN001
    """The topic filter, the 'change topic' box and routing read topic keys ('health'); the dashboards read the
    daily counts, which the demo's four weeks of reports must fill."""
    from khaojing.trends.models import DailyCount

    load_demo(db)
    keys = {t.key for t in db.settings.topics}
    with db.unit_of_work(readonly=True) as session:
        claim_topics = set(session.scalars(select(Claim.topic).where(Claim.topic.is_not(None))))
        agency_topics = {t for a in session.scalars(select(Agency)) for t in a.topics}
        collected = session.scalar(select(func.sum(DailyCount.n)).where(DailyCount.metric == "collected"))
        days = session.scalar(select(func.count(func.distinct(DailyCount.day))))
        verdict_agencies = session.scalar(select(func.count(Verdict.id)).where(Verdict.agency_id.is_not(None)))
    assert claim_topics and claim_topics <= keys
    assert agency_topics <= keys
    assert collected == 110 and days >= 20  # every demo report, spread over four weeks
    assert verdict_agencies > 0
