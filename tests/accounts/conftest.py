"""Fixtures of the account tests: argon2 with its cheapest parameters (the real hasher, a hundredth of the time)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from khaojing.accounts import service


@pytest.fixture(autouse=True)
def quick_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each login and each new user hashes a password; at production cost that is ~0.4 s on a busy CI core."""
    monkeypatch.setattr(service, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
