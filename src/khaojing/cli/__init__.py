"""The `khaojing` command: serve, worker, db, users, partners, demo, import, export, audit, jobs."""

from __future__ import annotations

import typer

from khaojing.cli import (
    agencies,
    database,
    demo,
    enforcement,
    eval,
    line,
    ops,
    partners,
    server,
    transfer,
    trends,
    triage,
    users,
)

app = typer.Typer(name="khaojing", help="ข่าวจริง khaojing — run an Anti-Fake-News Center.",
                  no_args_is_help=True, pretty_exceptions_show_locals=False)
app.command()(server.serve)
app.command()(server.worker)
app.add_typer(database.app, name="db")
app.add_typer(users.app, name="users")
app.add_typer(partners.app, name="partners")
app.add_typer(agencies.app, name="agencies")  # cases (issue 5)
app.add_typer(demo.app, name="demo")
app.command("import")(transfer.import_)
app.add_typer(transfer.export_app, name="export")  # reports; `export open-data` (issue 6)
app.add_typer(ops.audit_app, name="audit")
app.add_typer(ops.jobs_app, name="jobs")
app.add_typer(line.app, name="line")
app.add_typer(eval.app, name="eval")
app.add_typer(triage.app, name="triage")  # screening models (issue 3)
app.add_typer(trends.report_app, name="report")  # periodic summaries (issue 7)
app.add_typer(trends.feeds_app, name="feeds")  # social listening (issue 7)
app.add_typer(enforcement.evidence_app, name="evidence")  # evidence vault (issue 8)
app.add_typer(enforcement.takedowns_app, name="takedowns")  # takedowns (issue 8)


def main() -> None:
    app()


__all__ = ["app", "main"]
