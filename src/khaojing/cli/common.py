"""CLI plumbing: settings, the database, console output, and expected errors as one-line messages."""

from __future__ import annotations

import functools
import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from sqlalchemy.exc import OperationalError, ProgrammingError

from khaojing import settings as settings_module
from khaojing.db.session import Database
from khaojing.errors import DomainError

console = Console(soft_wrap=True, highlight=False)
err_console = Console(stderr=True, soft_wrap=True, highlight=False)
F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int = 1) -> NoReturn:
    err_console.print(f"[bold red]error:[/] {escape(message)}")
    raise typer.Exit(code)


def load_settings() -> settings_module.Settings:
    try:
        return settings_module.get_settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        fail(f"invalid setting KHAOJING_{str(first['loc'][0]).upper()}: {first['msg']}", code=2)


@contextmanager
def open_db() -> Iterator[Database]:
    db = Database(load_settings())
    try:
        yield db
    finally:
        db.dispose()


def actor() -> str:
    """Who ran the command, for the audit log."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "unknown"
    return f"cli:{name}"[:120]


def _database_hint(exc: Exception) -> str:
    text = str(getattr(exc, "orig", None) or exc).splitlines()[0]
    if "no such table" in text or "does not exist" in text:
        return f"{text} (is the database migrated? run `khaojing db upgrade`)"
    return text


def expected_errors(fn: F) -> F:
    """Domain errors and an unreachable or unmigrated database print one line and exit 1 (no stack trace)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except DomainError as exc:
            fail(exc.detail)
        except (OperationalError, ProgrammingError) as exc:
            fail(f"database error: {_database_hint(exc)}")

    return wrapper  # type: ignore[return-value]
