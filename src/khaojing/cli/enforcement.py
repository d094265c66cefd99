"""`khaojing evidence …` and `khaojing takedowns …` (issue 8); the PDPA data-subject commands live under
`khaojing evidence privacy-export / privacy-erase / retention`."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from khaojing.audit import service as audit
from khaojing.cli.common import actor, console, err_console, expected_errors, fail, load_settings, open_db
from khaojing.enforcement import capture, custody, package, privacy, recheck, states, takedowns
from khaojing.enforcement import service as vault
from khaojing.enforcement.signing import keyring, load_key, retired_dir, rotate_key

evidence_app = typer.Typer(help="The legal evidence vault: capture, verify, export.", no_args_is_help=True)
takedowns_app = typer.Typer(help="Takedown requests to platforms and sources.", no_args_is_help=True)
SHOWN_PROBLEMS = 30


@evidence_app.command()
@expected_errors
def verify() -> None:
    """Check every evidence record's hash and signature, every stored file, every custody link; exit 1 if broken."""
    settings = load_settings()
    with open_db() as db, db.unit_of_work(readonly=True) as session:
        check = custody.verify_vault(session, settings=settings)
    summary = f"{check.items} items, {check.files} files, {check.entries} custody entries"
    if check.ok:
        console.print(f"[green]evidence vault intact[/]: {summary}")
        return
    err_console.print(f"[bold red]evidence vault NOT intact[/]: {len(check.problems)} problem(s) in {summary}")
    for problem in check.problems[:SHOWN_PROBLEMS]:
        err_console.print(f"  {escape(problem)}")
    if len(check.problems) > SHOWN_PROBLEMS:
        err_console.print(f"  … and {len(check.problems) - SHOWN_PROBLEMS} more")
    raise typer.Exit(1)


@evidence_app.command("capture")
@expected_errors
def capture_cmd(url: str, case: int | None = typer.Option(None, help="attach to this case"),
                note: str = typer.Option("", help="a note kept with the item")) -> None:
    """Capture a web page (bytes, headers, text, screenshot when Chromium is installed) as signed evidence."""
    settings = load_settings()
    fetched = capture.fetch(url, settings=settings)
    with open_db() as db, db.unit_of_work() as session:
        ev = vault.record_fetch(session, settings=settings, fetched=fetched, actor=actor(), case_id=case, note=note)
        eid, sha = ev.id, ev.sha256
    console.print(f"evidence {eid}: {escape(fetched.final_url)} HTTP {fetched.status_code} sha256 {sha}")
    console.print(f"  {escape(fetched.screenshot_note)}")


@evidence_app.command("add")
@expected_errors
def add_file(path: Path, case: int | None = typer.Option(None, help="attach to this case"),
             url: str = typer.Option("", help="where the file was found"), note: str = typer.Option("")) -> None:
    """Keep a file (a screenshot, a video, a document someone sent) as signed evidence."""
    settings = load_settings()
    if not path.is_file():
        fail(f"{path} is not a file")
    with open_db() as db, db.unit_of_work() as session:
        ev = vault.record_upload(session, settings=settings, data=path.read_bytes(), filename=path.name,
                                 actor=actor(), case_id=case, note=note, source_url=url or None)
        eid, sha = ev.id, ev.sha256
    console.print(f"evidence {eid}: {escape(path.name)} sha256 {sha}")


@evidence_app.command()
@expected_errors
def handover(evidence_id: int, to: str = typer.Option(..., "--to", help="who received it"),
             note: str = typer.Option("")) -> None:
    """Record that an item was handed over (to the police, to an agency)."""
    settings = load_settings()
    with open_db() as db, db.unit_of_work() as session:
        vault.handover(session, settings=settings, evidence_id=evidence_id, recipient=to, actor=actor(), note=note)
    console.print(f"evidence {evidence_id}: hand-over to {escape(to)} recorded")


@evidence_app.command()
@expected_errors
def export(case_id: int, out: Path = typer.Option(..., "--out", "-o", help="the ZIP file to write")) -> None:
    """Write a case's evidence package (files, manifest, custody log, PDF summary, verify_package.py)."""
    settings = load_settings()
    with open_db() as db, db.unit_of_work() as session:
        data = package.export_case(session, settings=settings, case_id=case_id, actor=actor(), actor_name=actor())
    out.write_bytes(data)
    console.print(f"{out}: {len(data):,} bytes; unzip it and run `python3 verify_package.py` to check it")


@evidence_app.command()
def key() -> None:
    """Print the center's evidence public key (made on first use), its ID, and the earlier keys that still verify."""
    settings = load_settings()
    k = load_key(settings)
    console.print(k.public_pem.strip())
    console.print(f"key id (SHA-256 of the raw public key): {k.key_id}")
    earlier = [kid for kid in keyring(settings) if kid != k.key_id]
    if earlier:
        console.print(f"earlier keys, retired ({retired_dir(settings)}): " + ", ".join(earlier))


@evidence_app.command("rotate-key")
@expected_errors
def rotate_key_cmd(yes: bool = typer.Option(False, "--yes", help="do not ask for confirmation")) -> None:
    """Retire the evidence signing key and make a new one (a suspected leak, a staff change, a schedule). What was
    signed before still verifies with the retired public key; the old private key is destroyed."""
    settings = load_settings()
    if not yes and not typer.confirm("Retire the evidence signing key and make a new one?"):
        raise typer.Exit(1)
    old, new = rotate_key(settings)
    with open_db() as db, db.unit_of_work() as session:
        audit.record(session, actor=actor(), action="evidence.key_rotated", object_type="evidence_key",
                     object_id=None, data={"retired": old, "new": new})
    console.print(f"retired key {old} (public half kept in {retired_dir(settings)})")
    console.print(f"new key     {new}")
    console.print("Publish the new public key where partners and prosecutors look for it (it is served at "
                  f"{package.KEY_PATH}; the takedown transparency page lists the earlier keys too).")


def _subject(session, settings, email: str, phone: str, line_user_id: str, tracking_code: str):  # noqa: ANN001, ANN202
    for kind, value in (("email", email), ("phone", phone), ("line_user_id", line_user_id)):
        if value:
            return privacy.find_requester(session, settings=settings, kind=kind, value=value)
    return privacy.find_requester(session, settings=settings, tracking_code=tracking_code or None)


@evidence_app.command("privacy-export")
@expected_errors
def privacy_export(email: str = typer.Option(""), phone: str = typer.Option(""),
                   line_user_id: str = typer.Option(""), tracking_code: str = typer.Option("")) -> None:
    """PDPA access request: print (as JSON) everything held about one requester."""
    settings = load_settings()
    with open_db() as db, db.unit_of_work() as session:
        data = privacy.export_subject(session, requester=_subject(session, settings, email, phone, line_user_id,
                                                                    tracking_code), actor=actor())
    print(json.dumps(data, ensure_ascii=False, indent=2))


@evidence_app.command("privacy-erase")
@expected_errors
def privacy_erase(email: str = typer.Option(""), phone: str = typer.Option(""),
                  line_user_id: str = typer.Option(""), tracking_code: str = typer.Option(""),
                  reason: str = typer.Option("data subject request"),
                  yes: bool = typer.Option(False, "--yes", help="do not ask")) -> None:
    """PDPA erasure: remove a requester's contacts and identifier; reports, cases and evidence stay (audited)."""
    settings = load_settings()
    if not yes and not typer.confirm("Erase this requester's personal data? This cannot be undone"):
        raise typer.Exit(1)
    with open_db() as db, db.unit_of_work() as session:
        requester = _subject(session, settings, email, phone, line_user_id, tracking_code)
        rid = requester.id
        counts = privacy.erase_subject(session, requester=requester, actor=actor(), reason=reason)
    console.print(f"requester {rid} erased: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@evidence_app.command()
@expected_errors
def retention() -> None:
    """Apply the retention periods now (the worker also does it daily)."""
    settings = load_settings()
    with open_db() as db, db.unit_of_work() as session:
        result = privacy.apply_retention(session, settings=settings)
    console.print(f"requesters erased {result.requesters}, re-check results removed {result.checks}, "
                  f"evidence items disposed {result.evidence} (kept for open cases: {len(result.kept_evidence)})")


@takedowns_app.command("list")
@expected_errors
def list_cmd(status: str = typer.Option("", help=f"one of: {', '.join(states.STATUSES)}")) -> None:
    """Takedown requests, newest first."""
    with open_db() as db, db.unit_of_work(readonly=True) as session:
        items = takedowns.list_takedowns(session, status=status or None)
        rows = [(str(t.id), t.status, t.platform, t.reason + (" [political]" if t.political else ""),
                 t.last_check or "-", t.url) for t in items]
    table = Table("id", "status", "platform", "reason", "last check", "url")
    for row in rows:
        table.add_row(*map(escape, row))
    console.print(table)


@takedowns_app.command()
@expected_errors
def stats() -> None:
    """Outcomes per platform and per reason (drafts included)."""
    with open_db() as db, db.unit_of_work(readonly=True) as session:
        result = takedowns.stats(session, include_drafts=True)
    console.print(f"total {result.total}, political or lèse-majesté {result.political}")
    for title, groups in (("platform", result.by_platform), ("reason", result.by_reason)):
        table = Table(title, *states.STATUSES, "removal rate")
        for name, counts in sorted(groups.items()):
            rate = result.rate(counts)
            table.add_row(name, *(str(counts[s] or "") for s in states.STATUSES), "-" if rate is None else f"{rate}%")
        console.print(table)


@takedowns_app.command("recheck")
@expected_errors
def recheck_cmd(takedown_id: int | None = typer.Argument(None, help="one takedown; default: all that are due")) -> None:
    """Re-check takedown URLs now (still up? compared with the captured evidence)."""
    settings = load_settings()
    with open_db() as db:
        with db.unit_of_work(readonly=True) as session:
            ids = [takedown_id] if takedown_id else recheck.due(session)
        for tid in ids:
            with db.unit_of_work() as session:
                result = recheck.recheck(session, settings=settings, takedown_id=tid)
                status = takedowns.get(session, tid).status
            console.print(f"takedown {tid}: {result} (status {status})")
