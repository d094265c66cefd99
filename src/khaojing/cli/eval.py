"""`khaojing eval …`: the evaluation commands, each printing one JSON object."""

from __future__ import annotations

import typer

from khaojing.cli import eval_matching

app = typer.Typer(help="Evaluate matching and screening on labelled data (prints JSON).", no_args_is_help=True)
app.command("matching")(eval_matching.matching)
