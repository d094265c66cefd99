"""`khaojing partners …`: API keys of partner agencies (create, list, revoke, rotate) and their webhooks."""

from __future__ import annotations

import typer
from rich.markup import escape
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


webhooks_app = typer.Typer(help="Partners' webhooks: signed POSTs of every published and corrected verdict.",
                           no_args_is_help=True)
app.add_typer(webhooks_app, name="webhooks")


@webhooks_app.command("add")
@expected_errors
def webhook_add(name: str = typer.Argument(..., help="Short name, e.g. moph"),
                url: str = typer.Argument(..., help="The partner's https URL that receives the POSTs"),
                partner: str = typer.Option(None, help="The API partner it belongs to (`partners list`)")) -> None:
    """Register a URL and print its signing secret (once)."""
    from khaojing.publication import webhooks

    with open_db() as db, db.unit_of_work() as session:
        registered = webhooks.add_webhook(session, name=name, url=url, actor=actor(), partner=partner)
    err_console.print(f"[bold yellow]Give this signing secret to {name}[/] over a safe channel: it is shown only "
                      "this once. Each POST carries X-Khaojing-Timestamp and X-Khaojing-Signature = "
                      "HMAC-SHA256(secret, timestamp + '.' + body) — see docs/partners/api.md")
    typer.echo(registered.secret)


@webhooks_app.command("list")
@expected_errors
def webhook_list() -> None:
    """Webhooks with their deliveries: pending, delivered, dead (and the last error)."""
    from khaojing.publication import webhooks

    lines = []
    with open_db() as db, db.unit_of_work(readonly=True) as session:
        for status in webhooks.list_webhooks(session):
            hook, counts = status.webhook, status.counts
            since = format_datetime(hook.created_at, "en", db.settings.timezone, with_time=False)
            lines.append(f"{escape(hook.name)}  {escape(hook.url)}  (since {since})\n  pending {counts['pending']}, "
                         f"delivered {counts['delivered']}, dead {counts['dead']}"
                         + (f"; last error: {escape(status.last_error)}" if status.last_error else ""))
    console.print("\n".join(lines) if lines else "no webhooks yet: `khaojing partners webhooks add NAME URL`",
                  soft_wrap=True)


@webhooks_app.command("remove")
@expected_errors
def webhook_remove(name: str) -> None:
    """Stop sending to a webhook (its undelivered posts are dropped, marked dead)."""
    from khaojing.publication import webhooks

    with open_db() as db, db.unit_of_work() as session:
        dropped = webhooks.remove_webhook(session, name=name, actor=actor())
    console.print(f"removed webhook {name}" + (f" ({dropped} undelivered posts dropped)" if dropped else ""))
