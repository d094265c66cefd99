"""Job handlers and periodic schedules, registered by name by each domain package."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

Handler = Callable[..., Any]


@dataclass(frozen=True)
class Schedule:
    name: str
    every_seconds: int
    payload: dict[str, Any]


_HANDLERS: dict[str, Handler] = {}
_SCHEDULES: dict[str, Schedule] = {}


def handler(name: str) -> Callable[[Handler], Handler]:
    """Register `fn(session=..., **payload)` (plus `settings=` if it asks) as the handler of jobs called `name`."""

    def register(fn: Handler) -> Handler:
        if name in _HANDLERS and _HANDLERS[name] is not fn:
            raise ValueError(f"job handler {name!r} registered twice")
        _HANDLERS[name] = fn
        return fn

    return register


def every(seconds: int, name: str, **payload: Any) -> None:
    """Run job `name` periodically (once per period across all workers)."""
    _SCHEDULES[name] = Schedule(name, seconds, payload)


def get_handler(name: str) -> Handler | None:
    return _HANDLERS.get(name)


def names() -> list[str]:
    return sorted(_HANDLERS)


def schedules() -> list[Schedule]:
    return list(_SCHEDULES.values())


def run_handler(fn: Handler, session: Session, payload: dict[str, Any], settings: Any = None) -> Any:
    """Call a handler with its session and payload; a handler that declares `settings` gets the worker's."""
    if "settings" in inspect.signature(fn).parameters:
        return fn(session=session, settings=settings, **payload)
    return fn(session=session, **payload)
