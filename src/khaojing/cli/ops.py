"""`khaojing audit verify`, `khaojing jobs status` and `khaojing jobs retry`: operations checks."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy import select

from khaojing.audit import service as audit
from khaojing.cli.common import actor, console, err_console, expected_errors, open_db
from khaojing.jobs import queue
from khaojing.jobs.models import DEAD, DONE, QUEUED, RUNNING, Job

audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
jobs_app = typer.Typer(help="The job queue.", no_args_is_help=True)
SHOWN_PROBLEMS = 20


@audit_app.command()
@expected_errors
def verify() -> None:
    """Check every audit event's hash and link; exit 1 if the chain is broken."""
    with open_db() as db, db.unit_of_work(readonly=True) as session:
        check = audit.verify_chain(session)
    if check.ok:
        console.print(f"[green]audit chain intact[/]: {check.checked} events")
        return
    err_console.print(f"[bold red]audit chain broken[/]: {len(check.problems)} problem(s) in "
                      f"{check.checked} events")
    for problem in check.problems[:SHOWN_PROBLEMS]:
        err_console.print(f"  {escape(problem)}")
    if len(check.problems) > SHOWN_PROBLEMS:
        err_console.print(f"  … and {len(check.problems) - SHOWN_PROBLEMS} more")
    raise typer.Exit(1)


@jobs_app.command()
@expected_errors
def status() -> None:
    """Jobs by state, and the latest dead-letter jobs (retry one with `jobs retry ID`)."""
    with open_db() as db, db.unit_of_work(readonly=True) as session:
        counts = queue.counts(session)
        dead = session.execute(select(Job.id, Job.name, Job.attempts, Job.last_error)
                               .where(Job.status == DEAD).order_by(Job.id.desc()).limit(SHOWN_PROBLEMS)).all()
    table = Table("state", "jobs")
    for state in (QUEUED, RUNNING, DONE, DEAD, *sorted(set(counts) - {QUEUED, RUNNING, DONE, DEAD})):
        table.add_row(state, str(counts.get(state, 0)))
    console.print(table)
    if dead:
        dead_table = Table("id", "job", "attempts", "last error", title="dead-letter jobs (latest first)")
        for job_id, name, attempts, error in dead:
            dead_table.add_row(str(job_id), name, str(attempts), (error or "").splitlines()[0][:100])
        console.print(dead_table)


@jobs_app.command()
@expected_errors
def retry(job_id: int = typer.Argument(..., metavar="ID")) -> None:
    """Queue a dead-letter job again (its attempts start over)."""
    with open_db() as db, db.unit_of_work() as session:
        job = queue.retry_dead(session, job_id=job_id)
        audit.record(session, actor=actor(), action="job.retried", object_type="job", object_id=job.id,
                     data={"name": job.name})
        name = job.name
    console.print(f"job {job_id} ({name}) queued again")
