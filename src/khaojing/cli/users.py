"""`khaojing users …`: staff accounts (create, list, deactivate, reactivate, set-role, reset-password, reset-2fa),
every change made and audited by khaojing.accounts.service, the same rules as the console's Users pages."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from khaojing.accounts import service
from khaojing.accounts.models import Agency, Role, User
from khaojing.cli.common import actor, console, err_console, expected_errors, open_db
from khaojing.errors import NotFound
from khaojing.thai.dates import format_datetime

app = typer.Typer(help="Staff accounts.", no_args_is_help=True)

def find_agency(session: Session, name: str) -> Agency:
    """An agency by its id, Thai name or English name (any case)."""
    name = name.strip()
    if name.isdigit() and (by_id := session.get(Agency, int(name))) is not None:
        return by_id
    agency = session.scalar(select(Agency).where(or_(Agency.name_th == name,
                                                     func.lower(Agency.name_en) == name.lower())))
    if agency is None:
        names = session.scalars(select(Agency.name_th).order_by(Agency.name_th).limit(10))
        known = ", ".join(names) or "none yet"
        raise NotFound(f"no agency called {name!r} (known: {known}; `khaojing agencies list` shows the ids)")
    return agency


def find_user(session: Session, username: str) -> User:
    name = username.strip().lower()
    user = session.scalar(select(User).where(User.username == name))
    if user is None:
        raise NotFound(f"no user called {name!r} (`khaojing users list` shows them)")
    return user


def _two_factor_state(session: Session, settings, user: User) -> str | None:  # noqa: ANN001
    """'on', 'off' or 'required, not set up' when the two-factor module (security, issue 9) is installed, else None."""
    try:
        from khaojing.accounts import twofactor
    except ImportError:
        return None
    if twofactor.is_enrolled(session, user.id):
        return "on"
    return "required, not set up" if twofactor.is_required(settings, user) else "off"


@app.command()
@expected_errors
def create(username: str = typer.Option(..., "--username", help="Login name"),
           role: Role = typer.Option(..., "--role", help="What the user may do"),
           password: str = typer.Option(None, "--password", help="Omit to be asked (not kept in history)"),
           agency: str = typer.Option(None, "--agency", help="Agency id or name (Thai or English) of an officer"),
           display_name: str = typer.Option("", "--display-name", help="Name shown in the console"),
           email: str = typer.Option(None, "--email")) -> None:
    """Create a staff user."""
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with open_db() as db, db.unit_of_work() as session:
        agency_id = find_agency(session, agency).id if agency else None
        user = service.create_user(session, username=username, password=password, role=role, agency_id=agency_id,
                                   display_name=display_name, email=email, actor=actor())
        username, role_name = user.username, user.role
    console.print(f"created user [bold]{escape(username)}[/] ({role_name})")


@app.command("list")
@expected_errors
def list_(role: Role = typer.Option(None, "--role", help="Only users with this role"),
          active: bool = typer.Option(None, "--active/--inactive", help="Only active (or only deactivated) users"),
          ) -> None:
    """Staff users, active first, then by user name: role, agency, active, last login, two-factor."""
    table = Table("username", "role", "agency", "active", "last login")
    with open_db() as db, db.unit_of_work(readonly=True) as session:
        for user in service.list_users(session, role=role, active=active, limit=10_000):
            row = [user.username, user.role, user.agency.name_th if user.agency else "",
                   "yes" if user.is_active else "no", format_datetime(user.last_login_at, "en", db.settings.timezone)]
            two_factor = _two_factor_state(session, db.settings, user)
            if two_factor is not None:
                if len(table.columns) == 5:
                    table.add_column("2FA")
                row.append(two_factor)
            table.add_row(*(escape(cell) for cell in row))
    if not table.rows:
        console.print("no users yet: `khaojing users create --username NAME --role admin`")
        return
    # whole names and dates, never cut to fit a narrow terminal or a pipe (rich assumes 80 columns there)
    Console(width=max(console.width, 200), soft_wrap=True, highlight=False).print(table)


def _set_active(username: str, active: bool) -> None:
    with open_db() as db, db.unit_of_work() as session:
        user = find_user(session, username)
        changed = user.is_active != active
        service.set_active(session, user_id=user.id, active=active, actor=actor())
        name = user.username
    if not changed:
        console.print(f"{escape(name)} is already {'active' if active else 'deactivated'}: nothing changed")
    elif active:
        console.print(f"reactivated [bold]{escape(name)}[/]: they can log in again with their password")
    else:
        console.print(f"deactivated [bold]{escape(name)}[/]: their sessions have ended and they cannot log in")


@app.command()
@expected_errors
def deactivate(username: str = typer.Argument(..., help="The user's login name")) -> None:
    """Stop a user from logging in; every session they have ends at once (the last active admin is refused)."""
    _set_active(username, False)


@app.command()
@expected_errors
def reactivate(username: str = typer.Argument(..., help="The user's login name")) -> None:
    """Let a deactivated user log in again."""
    _set_active(username, True)


@app.command("set-role")
@expected_errors
def set_role(username: str = typer.Argument(..., help="The user's login name"),
             role: Role = typer.Argument(..., help="The new role"),
             agency: str = typer.Option(None, "--agency",
                                        help="Agency id (or name) for an agency_officer; default: their current one"),
             ) -> None:
    """Change a user's role (and agency); it applies to their very next page."""
    with open_db() as db, db.unit_of_work() as session:
        user = find_user(session, username)
        agency_id = find_agency(session, agency).id if agency else user.agency_id
        before = (user.role, user.agency_id)
        service.update_user(session, user_id=user.id, role=role, agency_id=agency_id,
                            display_name=user.display_name, email=user.email, actor=actor())
        after = (user.role, user.agency_id)
        name, agency_name = user.username, user.agency.name_th if user.agency_id and user.agency else ""
    if before == after:
        console.print(f"{escape(name)} already has role {role.value}: nothing changed")
        return
    where = f" at {escape(agency_name)}" if agency_name else ""
    console.print(f"[bold]{escape(name)}[/] is now {role.value}{where}")


@app.command("reset-password")
@expected_errors
def reset_password(username: str = typer.Argument(..., help="The user's login name")) -> None:
    """Make the current password unusable, end the user's sessions, and print a one-time set-password link."""
    with open_db() as db, db.unit_of_work() as session:
        user = find_user(session, username)
        user = service.reset_password(session, user_id=user.id, actor=actor())
        link = service.password_link(db.settings, user)
        name, active, hours = user.username, user.is_active, db.settings.password_link_hours
    err_console.print(f"[bold yellow]Give this link to {escape(name)}[/] over a safe channel: it works once, for "
                      f"{hours:g} hours (KHAOJING_PASSWORD_LINK_HOURS), and is not shown again.")
    if not active:
        err_console.print(f"{escape(name)} is deactivated: the link works only after `khaojing users reactivate`.")
    typer.echo(link)


@app.command("reset-2fa")
@expected_errors
def reset_2fa(username: str = typer.Argument(..., help="The user's login name")) -> None:
    """Remove the user's second factor (a lost phone, or every factor after KHAOJING_SECRET_KEY was changed): their
    sessions end and they enrol again at their next login. Audited as the console's reset is."""
    from khaojing.accounts import twofactor

    with open_db() as db, db.unit_of_work() as session:
        user = find_user(session, username)
        had, name = twofactor.reset(session, user_id=user.id, actor=actor()), user.username
    state = "removed" if had else "was not set up; nothing to remove"
    console.print(f"[bold]{escape(name)}[/]: second factor {state}. They enrol again at their next login.")
