"""`khaojing db upgrade` and `khaojing db current`: the schema, through Alembic migrations."""

from __future__ import annotations

import typer

from khaojing.cli.common import console, expected_errors, load_settings, open_db

app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)


@app.command()
@expected_errors
def upgrade(revision: str = typer.Argument("head", help="Target revision")) -> None:
    """Migrate the database to the newest schema (safe to run again)."""
    from khaojing.db.migrate import upgrade as migrate

    settings = load_settings()
    migrate(settings.database_url, revision)
    console.print(f"database is at {revision}")


@app.command()
@expected_errors
def current() -> None:
    """Show the database's schema revision and the newest one; exit 1 when an upgrade is due (for scripts)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from khaojing.db.migrate import alembic_config

    with open_db() as db, db.engine.connect() as conn:
        revision = MigrationContext.configure(conn).get_current_revision()
        head = ScriptDirectory.from_config(alembic_config(db.settings.database_url)).get_current_head()
    state = "up to date" if revision == head else "run `khaojing db upgrade`"
    console.print(f"current: {revision or '(empty database)'}; newest: {head} — {state}")
    if revision != head:
        raise typer.Exit(1)
