"""`khaojing import FILE` and `khaojing export [open-data]`: reports in and out in bulk (CSV or JSONL), open data."""

from __future__ import annotations

import datetime as dt
import enum
import os
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from khaojing.cli.common import actor, console, err_console, expected_errors, fail, open_db
from khaojing.db.session import Database
from khaojing.intake import exporter, importer


class Layout(str, enum.Enum):
    auto = "auto"
    afnc = "afnc"
    plain = "plain"


class Format(str, enum.Enum):
    jsonl = "jsonl"
    csv = "csv"


def _summary(result: importer.ImportResult) -> None:
    plan, rate = result.plan, result.processed / result.seconds if result.seconds else 0.0
    console.print(f"{escape(plan.path.name)} ({plan.layout} layout, {plan.rows_total} rows): "
                  f"[green]{result.created} created[/], {result.skipped} skipped (already there), "
                  f"{result.invalid} invalid — {result.seconds:.1f} s, {rate:.0f} rows/s")
    totals = result.totals
    if totals and totals["created"] + totals["skipped"] + totals["invalid"] != result.processed:
        console.print(f"whole file over every run: {totals['created']} created, {totals['skipped']} skipped, "
                      f"{totals['invalid']} invalid")
    if result.invalid_lines:
        console.print(f"invalid rows (first {len(result.invalid_lines)} of this run):")
        for line, reason in result.invalid_lines:
            console.print(f"  line {line}: {escape(reason)}")


def _run(db: Database, plan: importer.ImportPlan, batch: int) -> importer.ImportResult:
    columns = (TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err_console, transient=True) as progress:
        task = progress.add_task("import", total=plan.rows_total, completed=plan.rows_done)
        return importer.run_import(db, plan, batch=batch, actor=actor(),
                                   on_progress=lambda n: progress.advance(task, n))


@expected_errors
def import_(file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True,
                                        help="CSV or JSONL file"),
            layout: Layout = typer.Option(Layout.auto, help="auto: tell from the header / keys"),
            batch: int = typer.Option(500, min=1, max=100_000, help="Rows per commit (checkpoint)")) -> None:
    """Import reports; a re-run of an interrupted file continues after its last checkpoint."""
    with open_db() as db:
        plan = importer.prepare_import(db, file, layout=layout.value, actor=actor())
        if plan.finished:
            console.print(f"{escape(file.name)} was already imported completely (import run {plan.run_id}): "
                          "nothing added")
            return
        if plan.rows_done:
            console.print(f"resuming after row {plan.rows_done} of {plan.rows_total}")
        try:
            result = _run(db, plan, batch)
        except KeyboardInterrupt:
            done = importer.checkpoint(db, plan)
            fail(f"interrupted: the first {done} of {plan.rows_total} rows are saved; run the same command "
                 "again to continue", code=130)
        except Exception as exc:  # the batch in progress was rolled back; earlier batches are saved
            done = importer.checkpoint(db, plan)
            fail(f"import stopped at row {done} of {plan.rows_total} ({type(exc).__name__}: {exc}); the "
                 f"first {done} rows are saved; run the same command again to continue")
    _summary(result)


export_app = typer.Typer(help="Export reports (no subcommand), or the open data (`export open-data`).")


@export_app.callback(invoke_without_command=True)
@expected_errors
def export(ctx: typer.Context,
           fmt: Format = typer.Option(Format.jsonl, "--format", help="jsonl, or csv (UTF-8 with BOM, Excel)"),
           out: str = typer.Option("-", "--out", help="File to write, or - for standard output"),
           since: str = typer.Option(None, help="Received on or after DATE (YYYY-MM-DD, local time) or time"),
           until: str = typer.Option(None, help="Received up to and including DATE")) -> None:
    """Export reports (no requester or contact data)."""
    if ctx.invoked_subcommand is not None:
        return
    with open_db() as db:
        tz = ZoneInfo(db.settings.timezone)
        lower = exporter.parse_bound(since, tz)
        upper = exporter.parse_bound(until, tz, end=True)
        if out == "-":
            n = exporter.export_reports(db, sys.stdout, fmt=fmt.value, since=lower, until=upper)
            sys.stdout.flush()
        else:
            n = _export_to_file(db, Path(out), fmt.value, lower, upper)
    err_console.print(f"exported {n} reports" + ("" if out == "-" else f" to {escape(out)}"))


def _export_to_file(db: Database, path: Path, fmt: str, lower: dt.datetime | None,
                    upper: dt.datetime | None) -> int:
    """Write to FILE.part, then rename: a failed export never leaves a half file under the real name."""
    part = path.with_name(path.name + ".part")
    try:
        with part.open("w", encoding="utf-8", newline="") as fh:
            n = exporter.export_reports(db, fh, fmt=fmt, since=lower, until=upper)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
    return n


@export_app.command("open-data")
@expected_errors
def open_data(out: Path = typer.Option(..., "--out", file_okay=False, help="Directory to write the files into"),
              ) -> None:
    """Published verdicts and their claims, anonymised: CSV (UTF-8 with BOM) and JSONL, data dictionary, licence."""
    from khaojing.publication import opendata

    with open_db() as db, db.unit_of_work(readonly=True) as session:
        files = opendata.export(session, settings=db.settings, out=out)
    for f in files:
        rows = f" {f.rows} rows" if f.name.endswith((".csv", ".jsonl")) else ""
        console.print(f"{escape(f.name)}{rows}  sha256 {f.sha256}")
    err_console.print(f"open data written to {escape(str(out))}")
