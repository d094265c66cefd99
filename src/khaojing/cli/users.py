"""`khaojing users create`: staff accounts (admin, editor, analyst, agency officer)."""

from __future__ import annotations

import typer
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from khaojing.accounts.models import Agency, Role
from khaojing.accounts.service import create_user
from khaojing.cli.common import actor, console, expected_errors, open_db
from khaojing.errors import NotFound

app = typer.Typer(help="Staff accounts.", no_args_is_help=True)


def find_agency(session: Session, name: str) -> Agency:
    name = name.strip()
    agency = session.scalar(select(Agency).where(or_(Agency.name_th == name,
                                                     func.lower(Agency.name_en) == name.lower())))
    if agency is None:
        names = session.scalars(select(Agency.name_th).order_by(Agency.name_th).limit(10))
        known = ", ".join(names) or "none yet"
        raise NotFound(f"no agency called {name!r} (known: {known})")
    return agency


@app.command()
@expected_errors
def create(username: str = typer.Option(..., "--username", help="Login name"),
           role: Role = typer.Option(..., "--role", help="What the user may do"),
           password: str = typer.Option(None, "--password", help="Omit to be asked (not kept in history)"),
           agency: str = typer.Option(None, "--agency", help="Agency name (Thai or English) of an officer"),
           display_name: str = typer.Option("", "--display-name", help="Name shown in the console"),
           email: str = typer.Option(None, "--email")) -> None:
    """Create a staff user."""
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with open_db() as db, db.unit_of_work() as session:
        agency_id = find_agency(session, agency).id if agency else None
        user = create_user(session, username=username, password=password, role=role, agency_id=agency_id,
                           display_name=display_name, email=email, actor=actor())
        username, role_name = user.username, user.role
    console.print(f"created user [bold]{username}[/] ({role_name})")
