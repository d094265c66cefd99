"""Passwords at the production cost: the other tests hash with argon2's cheapest parameters (tests/conftest.py);
here the hasher is the one the product ships, and a hash made at a lower cost is upgraded at the next login."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from helpers import PASSWORD, csrf_from
from khaojing.accounts.models import Role, User

pytestmark = pytest.mark.production_argon2
PRODUCTION = "$argon2id$v=19$m=65536,t=3,p=4$"


def _stored(env, user: User) -> str:  # noqa: ANN001
    with env.db.unit_of_work(readonly=True) as session:
        return session.get(User, user.id).password_hash


def test_a_new_password_is_stored_as_argon2id_at_the_production_cost_and_logs_in(env) -> None:  # noqa: ANN001
    user = env.user(Role.analyst)
    stored = _stored(env, user)
    assert stored.startswith(PRODUCTION) and PASSWORD not in stored
    assert env.login(user).get("/console/notices").status_code == 200
    assert _stored(env, user) == stored  # nothing to upgrade


def test_a_cheaper_hash_is_upgraded_at_the_next_login_but_not_by_a_wrong_password(env) -> None:  # noqa: ANN001
    user = env.user(Role.analyst)
    with env.db.unit_of_work() as session:
        session.get(User, user.id).password_hash = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(
            PASSWORD
        )
    page = env.client.get("/console/login")
    wrong = env.client.post(
        "/console/login",
        data={"username": user.username, "password": "not-the-password", "csrf_token": csrf_from(page.text)},
    )
    assert wrong.status_code == 401 and _stored(env, user).startswith("$argon2id$v=19$m=1024,t=1,p=1$")
    env.login(user)
    assert _stored(env, user).startswith(PRODUCTION)
