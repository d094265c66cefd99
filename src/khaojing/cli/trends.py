"""`khaojing report …` and `khaojing feeds …` (issue 7)."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table

from khaojing.cli.common import actor, console, expected_errors, fail, open_db
from khaojing.thai.dates import format_datetime

report_app = typer.Typer(help="Periodic summaries (weekly, monthly) as HTML and PDF.", no_args_is_help=True)
feeds_app = typer.Typer(help="Social listening sources and watchlists.", no_args_is_help=True)


def _build(kind: str, spec: str, lang: str) -> None:
    from khaojing.trends import aggregates, reports

    try:
        period = reports.period_of(kind, spec)
    except ValueError as exc:
        fail(str(exc), code=2)
    with open_db() as db, db.unit_of_work() as session:
        aggregates.refresh_days(session, settings=db.settings, start=period.start, end=period.end)
        built = reports.build(session, settings=db.settings, kind=kind, period=period, lang=lang, actor=actor())
    console.print(f"{built.kind} report {built.period}:\n  {built.html}\n  {built.pdf}")


@report_app.command()
@expected_errors
def weekly(week: str = typer.Option(..., "--week", help="ISO week, e.g. 2026-W47"),
           lang: str = typer.Option("th", help="th or en")) -> None:
    """Build the weekly summary (funnel, top 10 verdicts with cards, charts, response times) as HTML and PDF."""
    _build("weekly", week, lang)


@report_app.command()
@expected_errors
def monthly(month: str = typer.Option(..., "--month", help="Month, e.g. 2026-11"),
            lang: str = typer.Option("th", help="th or en")) -> None:
    """Build the monthly summary as HTML and PDF."""
    _build("monthly", month, lang)


@feeds_app.command()
@expected_errors
def add(name: str = typer.Argument(..., help="A short name for the source"),
        url: str = typer.Argument(..., help="Feed URL, JSON endpoint URL, or drop folder path"),
        kind: str = typer.Option("rss", help="rss (also Atom) | jsonfeed | json | folder"),
        every: int = typer.Option(15, help="Minutes between fetches"),
        item_path: str = typer.Option("", help="json: dotted path to the list of items, e.g. data.items"),
        topic: str = typer.Option("", help="A topic hint for the source's items")) -> None:
    """Add a listening source (fetched by the worker on its schedule, the first time at once)."""
    from khaojing.trends import listening

    with open_db() as db, db.unit_of_work() as session:
        feed = listening.add_source(session, name=name, kind=kind, url=url, every_minutes=every,
                                    item_path=item_path or None, topic=topic or None, actor=actor())
        console.print(f"added listening source #{feed.id} {escape(feed.name)} ({feed.kind}, every {every} min)")


@feeds_app.command("list")
@expected_errors
def list_() -> None:
    """Listening sources with their health: last success, last error and its reason, next fetch."""
    from khaojing.trends import listening

    table = Table("id", "name", "kind", "health", "items", "last ok", "next fetch", "last error")
    with open_db() as db, db.unit_of_work(readonly=True) as session:
        tz = db.settings.timezone
        for f in listening.list_sources(session):
            table.add_row(str(f.id), escape(f.name), f.kind, listening.health(f), f"{f.items_total:,}",
                          format_datetime(f.last_ok_at, "en", tz), format_datetime(f.next_fetch_at, "en", tz),
                          escape(f.last_error or "") if f.failures else "")
    console.print(table)


@feeds_app.command()
@expected_errors
def fetch(source: str = typer.Argument("", help="Id or name; empty: every active source")) -> None:
    """Fetch now (outside the schedule) and print what came in."""
    from khaojing.trends import listening

    with open_db() as db:
        with db.unit_of_work(readonly=True) as session:
            ids = [listening.find_source(session, source).id] if source else \
                [f.id for f in listening.list_sources(session) if f.active]
        failed = 0
        for source_id in ids:
            with db.unit_of_work() as session:
                out = listening.run_fetch(session, settings=db.settings, source_id=source_id)
                name = listening.get_source(session, source_id).name
            if out.ok:
                console.print(f"{escape(name)}: {out.status}, {out.items} items, {out.new} new, "
                              f"{out.repeated} already collected, {out.invalid} invalid")
            else:
                failed += 1
                console.print(f"{escape(name)}: [red]failed[/]: {escape(out.error or '')}")
    if failed:
        raise typer.Exit(1)


@feeds_app.command("watch")
@expected_errors
def watch_(name: str = typer.Argument(..., help="Watchlist name"),
           phrase: list[str] = typer.Option(..., "--phrase", "-p", help="A keyword or phrase (repeatable)"),
           topic: str = typer.Option("", help="Topic key for matching items"),
           boost: float = typer.Option(0.0, help="Priority points added to claims the matches join")) -> None:
    """Create or replace a watchlist (Thai keywords matched on word boundaries)."""
    from khaojing.trends import watch

    with open_db() as db, db.unit_of_work() as session:
        wl = watch.save_watchlist(session, name=name, phrases=phrase, topic=topic or None, priority_boost=boost,
                                  actor=actor(), valid_topics=[tp.key for tp in db.settings.topics])
        console.print(f"watchlist #{wl.id} {escape(wl.name)}: {len(wl.phrases)} phrase(s)")
