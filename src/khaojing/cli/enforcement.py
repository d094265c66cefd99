"""`khaojing evidence …` and `khaojing takedowns …` (issue 8)."""

from __future__ import annotations

import typer

evidence_app = typer.Typer(help="The legal evidence vault: capture, verify, export.", no_args_is_help=True)
takedowns_app = typer.Typer(help="Takedown requests to platforms and sources.", no_args_is_help=True)
