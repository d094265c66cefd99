"""Fixtures of the publication tests (helpers in pub_helpers.py, importable from every test module here)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import pytest  # noqa: E402


@pytest.fixture
def smtp(settings):  # noqa: ANN001, ANN201
    """A real SMTP server (aiosmtpd) on 127.0.0.1; the test's settings send mail to it."""
    from cases.case_helpers import Inbox, free_port

    controller_mod = pytest.importorskip("aiosmtpd.controller", reason="pip install aiosmtpd (test extra)")
    inbox, port = Inbox(), free_port()
    controller = controller_mod.Controller(inbox, hostname="127.0.0.1", port=port)
    settings.smtp_host, settings.smtp_port, settings.smtp_starttls = "127.0.0.1", port, False
    settings.smtp_from = "afnc-noreply@center.example"
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture
def fresh_indexes():  # noqa: ANN201
    """The process's in-memory claim indexes forgotten before and after the test (search reads the database anew)."""
    from khaojing.matching.live import forget_indexes

    forget_indexes()
    yield
    forget_indexes()
