"""Fixtures for the LINE channel tests: a fake LINE API and the app configured to use it."""

from __future__ import annotations

import pytest

import khaojing.handlers  # noqa: F401  (every job handler known, also to Databases made in tests)
from khaojing.settings import Settings
from line_fake import FakeLine, line_api, line_settings_update, webhook  # noqa: F401


@pytest.fixture
def settings(settings: Settings, line_api: FakeLine) -> Settings:  # noqa: F811
    """The test settings plus the LINE channel, pointed at the fake LINE API."""
    return settings.model_copy(update=line_settings_update(line_api))
