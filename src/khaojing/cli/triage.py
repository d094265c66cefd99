"""`khaojing triage retrain` (topic models from base data + analysts' corrections) and `khaojing triage screen`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape

from khaojing.cli.common import console, err_console, expected_errors, fail, load_settings, open_db

if TYPE_CHECKING:
    import numpy as np

app = typer.Typer(help="Screening models: topic, claim-worthiness, harm.", no_args_is_help=True)


def _corrections() -> list[tuple[str, str]]:
    """Analysts' topic corrections from the database (the CLI composes claims -> triage; triage never reads claims)."""
    from khaojing.claims.service import analyst_topics

    with open_db() as db, db.unit_of_work(readonly=True) as session:
        return analyst_topics(session)


def topic_embedder(embedding_model: str) -> tuple[Callable | None, str]:
    """An embedding function for titles, as the matching stage embeds a new claim (its claim core, "query" role), with
    vectors cached on disk; and the embedder's name. (None, "") when the model cannot load (the CLI composes matching
    -> triage; triage never imports matching)."""
    from khaojing.matching.claimtext import claim_core
    from khaojing.matching.semantic import DiskEmbeddingCache, embed_cached, load_embedder
    from khaojing.thai.normalize import normalize

    try:
        embedder, cache = load_embedder(embedding_model), DiskEmbeddingCache()
    except (ValueError, ImportError, OSError) as exc:
        err_console.print(f"[yellow]note:[/] no embedding model for the topic models ({escape(str(exc))})")
        return None, ""

    def embed(texts: list[str]) -> np.ndarray:
        return embed_cached(embedder, [claim_core(normalize(t).match_text) for t in texts], cache)

    return embed, embedder.name


def topic_teacher(data_dir: Path, embedding_model: str) -> tuple[list[str], Callable | None]:
    """What the screening topic model's teacher needs: the unlabelled headlines of the matching corpus in `data_dir`
    (AFNC 2017-22 and Sure And Share, all older than the 2025 titles) and an embedding function over their claim
    cores, cached on disk like the matching evaluation's (so those vectors are usually there already). ([], None)
    when the folder lacks them or the model cannot load."""
    from khaojing.matching.afnc import SUBDIR, load_headlines

    if not (data_dir / SUBDIR / "anti_thread.csv").is_file():
        return [], None
    embed, _ = topic_embedder(embedding_model)
    if embed is None:
        return [], None
    return [h.text for h in load_headlines(data_dir)], embed


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
    """Retrain the topic models and write new versioned model files: the screening model (every report) and the
    text + embedding model (new claims, when the embedding model loads); prints the old and new versions."""
    from khaojing.triage import linear, service, topic_embedding, training

    settings = load_settings()
    target = out or settings.model_dir or settings.data_dir / "models"
    try:
        before = service.load_model("topics", settings).meta
    except linear.ModelFileError:
        before = {}
    corrections = _corrections() if from_corrections else []
    base = data_dir or settings.demo_data_dir
    unlabelled, teacher = topic_teacher(base, settings.embedding_model)
    embed, embedder_name = topic_embedder(settings.embedding_model)
    try:
        model, used = training.train_topic_model(base, settings.topics, corrections, unlabelled=unlabelled,
                                                 embed=teacher)
        claim_model = training.train_topic_embedding_model(
            base, settings.topics, corrections, embed=embed, embedding_model=settings.embedding_model,
            embedder=embedder_name) if embed is not None else None
    except (training.MissingData, ValueError) as exc:
        fail(str(exc))
    linear.save(model, Path(target))
    if claim_model is not None:
        topic_embedding.save(claim_model, Path(target))
    service.clear_cache()
    topic_embedding.clear_cache()
    console.print(_describe("before", before) if before else "before: no topic model")
    console.print(_describe("after ", model.meta))
    if claim_model is not None:
        console.print(_describe("claims", claim_model.meta) + f" + {settings.embedding_model} embeddings")
    else:
        err_console.print("[yellow]note:[/] no text + embedding topic model written: new claims keep the screening "
                          "topic")
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
