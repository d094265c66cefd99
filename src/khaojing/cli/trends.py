"""`khaojing report …` and `khaojing feeds …` (issue 7)."""

from __future__ import annotations

import typer

report_app = typer.Typer(help="Periodic summaries (weekly, monthly) as HTML and PDF.", no_args_is_help=True)
feeds_app = typer.Typer(help="Social listening sources and watchlists.", no_args_is_help=True)
