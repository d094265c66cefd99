"""`khaojing eval …`: the evaluation commands, each printing one JSON object."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from khaojing.cli import eval_matching
from khaojing.cli.common import fail, load_settings

app = typer.Typer(help="Evaluate matching and screening on labelled data (prints JSON).", no_args_is_help=True)
app.command("matching")(eval_matching.matching)


def _examples(path: Path, topic_map: dict[str, str]) -> list[tuple[str, str]]:
    from khaojing.triage import datasets

    if not path.is_file():
        fail(f"no such file: {path}")
    try:
        return datasets.topic_examples(datasets.read_afnc_posts(path), topic_map)
    except (ValueError, UnicodeDecodeError) as exc:
        fail(f"{path}: {exc}")


@app.command("topics")
def topics(train: Path = typer.Option(..., "--train", help="CSV laid out like afnc_posts_2025_may_aug.csv"),
           test: Path = typer.Option(..., "--test", help="CSV laid out like afnc_posts_2025_may_aug.csv")) -> None:
    """Train the topic classifier on TRAIN's titles and report it on TEST's, over the five main AFNC topics:
    prints {"n", "macro_f1", "accuracy", "per_topic": {topic: precision, recall, f1, support}}. The model measured is
    the one every new claim gets its topic from: text + the sentence embedding of settings.embedding_model (vectors
    cached on disk). When that model cannot load, the screening model (text only, with the teacher-labelled older
    headlines of KHAOJING_DEMO_DATA_DIR when that folder has them)."""
    from khaojing.cli.triage import topic_embedder, topic_teacher
    from khaojing.triage import datasets, evaluation

    settings = load_settings()
    topic_map = datasets.afnc_topic_map(settings.topics, datasets.MAIN_AFNC_TOPICS)
    train_pairs, test_pairs = _examples(train, topic_map), _examples(test, topic_map)
    if len({k for _, k in train_pairs}) < 2:
        fail(f"{train}: fewer than two of the main AFNC topics have titles")
    if not test_pairs:
        fail(f"{test}: no titles with one of the main AFNC topics")
    try:
        embed, _ = topic_embedder(settings.embedding_model)
        if embed is not None:
            report = evaluation.evaluate_topics(train_pairs, test_pairs, embed=embed,
                                                embedding_model=settings.embedding_model)
        else:
            unlabelled, teacher = topic_teacher(settings.demo_data_dir, settings.embedding_model)
            report = evaluation.evaluate_topics(train_pairs, test_pairs, unlabelled=unlabelled, embed=teacher)
    except ValueError as exc:
        fail(f"{train}: {exc}")
    print(json.dumps(report, ensure_ascii=False))
