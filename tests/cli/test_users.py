"""`khaojing users create`: staff accounts, with the password given or prompted."""

from __future__ import annotations

from sqlalchemy import select

from khaojing.accounts.models import Agency, User


def _user(db, username: str) -> User | None:  # noqa: ANN001
    with db.unit_of_work(readonly=True) as session:
        return session.scalar(select(User).where(User.username == username))


def test_create_with_a_password_then_log_in(cli, env) -> None:
    result = cli("users", "create", "--username", "Somchai", "--role", "editor",
                 "--password", "long-enough-pw", "--display-name", "สมชาย ใจดี")
    assert result.exit_code == 0, result.output
    user = _user(env.db, "somchai")
    assert user is not None and user.role == "editor" and user.display_name == "สมชาย ใจดี"


def test_the_password_is_prompted_twice_when_not_given(cli, db) -> None:
    result = cli("users", "create", "--username", "malee", "--role", "analyst",
                 input="prompted-password\nprompted-password\n")
    assert result.exit_code == 0, result.output
    assert _user(db, "malee") is not None


def test_an_officer_needs_a_known_agency(cli, db) -> None:
    no_agency = cli("users", "create", "--username", "o1", "--role", "agency_officer", "--password", "x" * 12)
    assert no_agency.exit_code == 1 and "belongs to an agency" in no_agency.stderr
    unknown = cli("users", "create", "--username", "o1", "--role", "agency_officer", "--password", "x" * 12,
                  "--agency", "กรมที่ไม่มีอยู่")
    assert unknown.exit_code == 1 and "no agency called" in unknown.stderr
    with db.unit_of_work() as session:
        session.add(Agency(name_th="สำนักงานตำรวจแห่งชาติ", name_en="Royal Thai Police"))
    ok = cli("users", "create", "--username", "o1", "--role", "agency_officer", "--password", "x" * 12,
             "--agency", "royal thai police")
    assert ok.exit_code == 0, ok.output
    assert _user(db, "o1").agency_id is not None


def test_a_short_password_and_a_taken_name_are_refused(cli) -> None:
    short = cli("users", "create", "--username", "a", "--role", "admin", "--password", "short")
    assert short.exit_code == 1 and "at least 10 characters" in short.stderr
    assert cli("users", "create", "--username", "a", "--role", "admin", "--password", "x" * 12).exit_code == 0
    taken = cli("users", "create", "--username", "a", "--role", "admin", "--password", "x" * 12)
    assert taken.exit_code == 1 and "exists" in taken.stderr and "Traceback" not in taken.output
