"""Fixtures of the case tests (helpers in case_helpers.py, importable from every test module here)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from case_helpers import Inbox, Staff, free_port, make_claim, make_staff  # noqa: E402

from khaojing.cases import service  # noqa: E402


@pytest.fixture
def staff(db) -> Staff:  # noqa: ANN001
    return make_staff(db)


@pytest.fixture
def smtp(settings):  # noqa: ANN001, ANN201
    """A real SMTP server on 127.0.0.1; the test's settings send mail to it (no STARTTLS on loopback)."""
    aiosmtpd = pytest.importorskip("aiosmtpd.controller", reason="pip install aiosmtpd (test extra)")
    inbox = Inbox()
    port = free_port()
    controller = aiosmtpd.Controller(inbox, hostname="127.0.0.1", port=port)
    settings.smtp_host, settings.smtp_port, settings.smtp_starttls = "127.0.0.1", port, False
    settings.smtp_from = "afnc-noreply@center.example"
    controller.start()
    inbox.controller = controller
    yield inbox
    controller.stop()


@pytest.fixture
def case_id(env, settings, staff) -> int:  # noqa: ANN001
    """A case on a new claim, moved to 'investigating' by the analyst (requests can be sent from there)."""
    with env.db.unit_of_work() as session:
        case = service.open_case(session, claim_id=make_claim(session, settings).id, actor=staff.analyst,
                                 settings=settings)
        for step in ("screening", "investigating"):
            service.transition(session, case_id=case.id, to_state=step, actor=staff.analyst)
        return case.id
