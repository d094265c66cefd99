"""`khaojing agencies seed|list`: the agency directory from the AFNC verifying agencies, and a look at it."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from khaojing.cli.common import actor, console, expected_errors, open_db

app = typer.Typer(help="The agency directory (verifying agencies, liaison officers, routing).", no_args_is_help=True)


@app.command()
@expected_errors
def seed(data_dir: Path = typer.Option(None, "--data-dir",
                                       help="../shared/data or its afnc-2025 folder (default: the demo data dir)"),
         ) -> None:
    """Add the AFNC verifying agencies and the claims each answered (idempotent: a second run adds nothing)."""
    from khaojing.cases.agencies import seed_from_afnc

    with open_db() as db:
        folder = data_dir or db.settings.demo_data_dir
        with db.unit_of_work() as session:
            summary = seed_from_afnc(session, data_dir=folder, settings=db.settings, actor=actor())
    console.print(f"read {summary.rows} posts ({summary.skipped} not a verdict or without an agency): "
                  f"{summary.agencies_created} agencies created, {summary.agencies_updated} updated, "
                  f"{summary.answers_added} answered claims added")
    if summary.agencies_created:
        console.print("new agencies are not routable yet: record two liaison officers for each in the console "
                      "(/console/agencies), then mark it active")


@app.command("list")
@expected_errors
def list_(active: bool = typer.Option(False, "--active", help="Only agencies that requests can be sent to")) -> None:
    """The directory, most experienced agencies first."""
    from khaojing.cases.agencies import list_agencies

    with open_db() as db, db.unit_of_work(readonly=True) as session:
        rows = list_agencies(session, active=True if active else None, settings=db.settings)
        table = Table("id", "agency", "ministry", "answered", "liaisons", "active")
        for agency, answered in rows:
            table.add_row(str(agency.id), agency.name_th, agency.parent_ministry or "", str(answered),
                          str(len(agency.liaisons or [])), "yes" if agency.active else "no")
    console.print(table)
