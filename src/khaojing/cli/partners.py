"""`khaojing partners …`: API keys of partner agencies (create, list, revoke, rotate)."""

from __future__ import annotations

import typer
from rich.table import Table

from khaojing.cli.common import actor, console, err_console, expected_errors, open_db
from khaojing.intake import partners
from khaojing.thai.dates import format_datetime

app = typer.Typer(help="Partner agencies' API keys.", no_args_is_help=True)


def _show_key(name: str, key: str) -> None:
    err_console.print(f"[bold yellow]Store this key now[/] (a password manager or a secret store): it is "
                      f"shown only this once; khaojing keeps only a hash of it. Partner: {name}")
    typer.echo(key)


@app.command()
@expected_errors
def create(name: str = typer.Argument(..., help="Short name of the partner, e.g. moph")) -> None:
    """Register a partner and print its first API key (once)."""
    with open_db() as db, db.unit_of_work() as session:
        issued = partners.create_partner(session, name=name, actor=actor())
    _show_key(name, issued.key)


@app.command()
@expected_errors
def rotate(name: str) -> None:
    """Issue an additional key; the old keys keep working until `partners revoke`."""
    with open_db() as db, db.unit_of_work() as session:
        issued = partners.rotate_key(session, name=name, actor=actor())
    _show_key(name, issued.key)


@app.command()
@expected_errors
def revoke(name: str) -> None:
    """Revoke every key of a partner (at once: the next request is refused)."""
    with open_db() as db, db.unit_of_work() as session:
        n = partners.revoke_partner(session, name=name, actor=actor())
    console.print(f"revoked {n} key(s) of {name}")


@app.command("list")
@expected_errors
def list_() -> None:
    """Partners with their active and revoked keys."""
    table = Table("partner", "active keys", "revoked keys", "last used", "since")
    with open_db() as db, db.unit_of_work(readonly=True) as session:
        for source in partners.list_partners(session):
            keys = source.api_keys
            used = max((k.last_used_at for k in keys if k.last_used_at), default=None)
            table.add_row(source.name.removeprefix("api:"), str(sum(k.revoked_at is None for k in keys)),
                          str(sum(k.revoked_at is not None for k in keys)),
                          format_datetime(used, "en", db.settings.timezone),
                          format_datetime(source.created_at, "en", db.settings.timezone, with_time=False))
    console.print(table if table.rows else "no partners yet: `khaojing partners create NAME`")
