"""Requesters are pseudonymous (keyed hashes); raw contacts are kept only until their retention date."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from khaojing.db.base import utcnow
from khaojing.intake import requesters
from khaojing.intake.models import ContactPoint, Requester
from khaojing.jobs import queue


def test_the_hash_depends_on_the_server_secret_and_normalised_value() -> None:
    a = requesters.keyed_hash("secret-one", "email", "Somchai@Example.com ")
    assert a == requesters.keyed_hash("secret-one", "email", "somchai@example.com")
    assert a != requesters.keyed_hash("secret-two", "email", "somchai@example.com")
    assert "somchai" not in a and len(a) == 64
    assert requesters.keyed_hash("s", "phone", "+66 81 234 5678") == requesters.keyed_hash("s", "phone",
                                                                                            "081-234-5678")


def test_expired_contacts_are_purged_by_the_hourly_job(db) -> None:  # noqa: ANN001
    with db.unit_of_work() as session:
        person = requesters.get_or_create_requester(session, secret_key="k", channel="webform", kind="email",
                                                    value="a@example.com")
        requesters.keep_contact(session, requester=person, kind="email", value="a@example.com",
                                retention_days=90)
        other = requesters.get_or_create_requester(session, secret_key="k", channel="webform", kind="phone",
                                                   value="0812345678")
        old = requesters.keep_contact(session, requester=other, kind="phone", value="0812345678",
                                      retention_days=90)
        old.expires_at = utcnow() - dt.timedelta(days=1)
        queue.enqueue(session, "intake.purge_contacts")
    from khaojing.jobs.worker import Worker

    Worker(db).run_until_empty()
    with db.unit_of_work(readonly=True) as session:
        left = session.scalars(select(ContactPoint)).all()
        assert [c.value for c in left] == ["a@example.com"]
        assert session.scalar(select(func.count(Requester.id))) == 2  # the pseudonym stays, the contact goes


def test_the_worker_schedules_the_purge_once_per_period(db) -> None:  # noqa: ANN001
    from khaojing.jobs.models import Job
    from khaojing.jobs.worker import Worker

    worker_a, worker_b = Worker(db), Worker(db)
    worker_a.enqueue_due_schedules()
    worker_b.enqueue_due_schedules()
    with db.unit_of_work(readonly=True) as session:
        assert session.scalar(select(func.count(Job.id)).where(Job.name == "intake.purge_contacts")) == 1
