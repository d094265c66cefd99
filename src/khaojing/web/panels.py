"""Panels that a later stage adds to an earlier stage's console page (the claim's case on the claim and report
pages), so that the earlier stage need not import the later one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from khaojing.accounts.models import User


@dataclass(frozen=True)
class Panel:
    template: str
    build: Callable[[Session, Any, User], dict | None]


class Panels:
    """Panels that a later stage adds to an earlier stage's page, without the earlier stage importing it.

    Data flows channels → intake → triage → matching → cases → publication and an earlier stage never imports a
    later one, yet the report page (`intake.views.REPORT_PANELS`) and the claim page (`claims.views.CLAIM_PANELS`) show
    their claim's case. So the page owns a `Panels`, and the later stage registers into it when its module is
    imported: `REPORT_PANELS.register("case", "console/_report_case_panel.html", build)` (cases/panels.py; the
    composition root `routes.py` imports every stage before the app serves a page). While the page's read-only
    session is open, each `build(session, obj, user)` runs (obj: the report or the claim); a dict is the panel's
    context, None leaves the panel out. The page template includes `console/_panels.html`, which renders each
    panel's template with that dict as `panel`. Registering a name again replaces the panel (never shown twice).
    """

    def __init__(self) -> None:
        self._panels: dict[str, Panel] = {}

    def register(self, name: str, template: str, build: Callable[[Session, Any, User], dict | None]) -> None:
        self._panels[name] = Panel(template, build)

    def build(self, session: Session, obj: object, user: User) -> list[dict]:
        """[{"template": ..., "panel": context}] of the panels that have something to show, in registration order."""
        out = []
        for item in self._panels.values():
            context = item.build(session, obj, user)
            if context is not None:
                out.append({"template": item.template, "panel": context})
        return out
