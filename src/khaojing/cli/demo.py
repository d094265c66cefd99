"""`khaojing demo load`: demo agencies, users, partner, reports and verdicts (dev mode only)."""

from __future__ import annotations

import typer
from rich.table import Table

from khaojing.cli.common import actor, console, err_console, expected_errors, open_db
from khaojing.demo.loader import DEMO_PARTNER, DemoSummary, load_demo

app = typer.Typer(help="Demo data for trying khaojing out.", no_args_is_help=True)


def _credentials(summary: DemoSummary, base_url: str) -> Table:
    table = Table("user", "password", "role", "agency", title=f"Demo logins — {base_url}/console/login")
    for user in summary.users:
        table.add_row(user.username, user.password, user.role.value, user.agency or "")
    return table


@app.command()
@expected_errors
def load() -> None:
    """Load the demo data (a second run changes nothing), then run the queued jobs."""
    with open_db() as db:
        summary = load_demo(db, actor=actor())
        base_url = db.settings.base_url.rstrip("/")
    made = ", ".join(f"{n} {kind}" for kind, n in summary.created.items())
    console.print(f"demo data from {summary.origin}: " + (f"created {made}" if summary.changed
                                                           else "already loaded, nothing changed"))
    console.print(f"ran {summary.jobs_run} jobs")
    if summary.workflow:
        console.print("workflow: " + ", ".join(f"{n} {kind}" for kind, n in summary.workflow.items()))
    if summary.partner_key:
        err_console.print(f"API key of the demo partner {DEMO_PARTNER!r} (shown only this once):")
        typer.echo(summary.partner_key)
    console.print(_credentials(summary, base_url))
    with open_db() as db:
        roles = [r.strip() for r in db.settings.require_2fa_roles.split(",") if r.strip()]
    if roles:
        console.print(f"{', '.join(roles)}: two-factor login is required — the first login asks to scan a QR code "
                      "with an authenticator app (KHAOJING_REQUIRE_2FA_ROLES= turns the requirement off for a demo).")
