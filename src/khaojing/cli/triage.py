"""`khaojing triage retrain` (topic model from base data + analysts' corrections) and `khaojing triage screen`."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.markup import escape

from khaojing.cli.common import console, err_console, expected_errors, fail, load_settings, open_db

app = typer.Typer(help="Screening models: topic, claim-worthiness, harm.", no_args_is_help=True)


def _corrections() -> list[tuple[str, str]]:
    """Analysts' topic corrections from the database (the CLI composes claims -> triage; triage never reads claims)."""
    from khaojing.claims.service import analyst_topics

    with open_db() as db, db.unit_of_work(readonly=True) as session:
        return analyst_topics(session)


def _describe(label: str, meta: dict) -> str:
    training = meta.get("training", {})
    per_class = ", ".join(f"{k} {n}" for k, n in training.get("per_class", {}).items())
    return f"{label}: {meta.get('version', 'unversioned')} — {training.get('examples', '?')} titles ({per_class})"


@app.command()
@expected_errors
def retrain(from_corrections: bool = typer.Option(False, "--from-corrections",
                                                  help="add the topics analysts set on claims"),
            out: Path | None = typer.Option(None, "--out", help="where to write (default: KHAOJING_MODEL_DIR, "
                                                                "else DATA_DIR/models)"),
            data_dir: Path | None = typer.Option(None, "--data-dir", help="base data laid out like ../shared/data "
                                                                          "(default: KHAOJING_DEMO_DATA_DIR)")) -> None:
    """Retrain the topic model and write a new versioned model file; prints the old and new versions."""
    from khaojing.triage import linear, service, training

    settings = load_settings()
    target = out or settings.model_dir or settings.data_dir / "models"
    try:
        before = service.load_model("topics", settings).meta
    except linear.ModelFileError:
        before = {}
    corrections = _corrections() if from_corrections else []
    try:
        model, used = training.train_topic_model(data_dir or settings.demo_data_dir, settings.topics, corrections)
    except (training.MissingData, ValueError) as exc:
        fail(str(exc))
    linear.save(model, Path(target))
    service.clear_cache()
    console.print(_describe("before", before) if before else "before: no topic model")
    console.print(_describe("after ", model.meta))
    if from_corrections:
        console.print(f"analysts' corrections: {len(corrections)} read, {used} used "
                      "(unknown topics and empty titles skipped; a correction replaces the same base title)")
    console.print(f"written to {escape(str(target))}")
    if settings.model_dir is None or Path(settings.model_dir).resolve() != Path(target).resolve():
        err_console.print(f"[yellow]note:[/] screening reads KHAOJING_MODEL_DIR; set it to {escape(str(target))} "
                          "to use this model")


@app.command()
def screen(text: str = typer.Argument(..., help="the text of a report")) -> None:
    """Screen one text and print the result as JSON (claim-worthiness, topic, harm and their reasons)."""
    from khaojing.thai.normalize import clean
    from khaojing.triage.service import screen as run

    print(json.dumps(run(clean(text), settings=load_settings()).to_json(), ensure_ascii=False, indent=1))
