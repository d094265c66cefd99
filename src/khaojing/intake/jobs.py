"""Intake jobs: purge raw contact data whose retention date has passed (hourly)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from khaojing.audit import service as audit
from khaojing.intake.requesters import purge_expired_contacts
from khaojing.jobs.registry import every, handler


@handler("intake.purge_contacts")
def purge_contacts(*, session: Session) -> None:
    removed = purge_expired_contacts(session)
    if removed:
        audit.record(session, actor=audit.SYSTEM, action="contacts.purged", object_type="contact_point",
                     data={"removed": removed})


every(3600, "intake.purge_contacts")
