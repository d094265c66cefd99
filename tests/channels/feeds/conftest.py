"""Listening tests: settings that let the fetcher reach the local feed server, and the server itself."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from khaojing.settings import Settings

sys.path.insert(0, str(Path(__file__).parent))
from feed_server import FeedServer  # noqa: E402


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"feed_allow_private_addresses": True, "feed_timeout_seconds": 2.0,
                                       "feed_max_bytes": 300_000})


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    yield server
    server.close()
