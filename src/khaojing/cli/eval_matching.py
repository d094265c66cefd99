"""`khaojing eval matching --pairs PAIRS.csv --data-dir DIR`: matching recall, MRR and speed as one JSON object."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from khaojing.cli.common import fail, load_settings
from khaojing.matching.afnc import SUBDIR


def matching(pairs: Path = typer.Option(..., "--pairs", help="CSV with the columns of cofact_afnc_pairs_dev.csv"),
             data_dir: Path = typer.Option(..., "--data-dir", help="a folder laid out like ../shared/data"),
             cache_dir: Path | None = typer.Option(None, "--cache-dir",
                                                   help="embedding cache (default ~/.cache/khaojing/embeddings)")
             ) -> None:
    """Index every AFNC headline (verdict words stripped) and the Sure And Share headlines, query each Cofact
    claim, print {"n", "recall_at_1", "recall_at_5", "recall_at_10", "mrr", "ms_per_query"}."""
    from khaojing.matching.evaluation import run

    if not pairs.is_file():
        fail(f"no such file: {pairs}")
    if not (data_dir / SUBDIR / "anti_thread.csv").is_file():
        fail(f"{data_dir / SUBDIR / 'anti_thread.csv'} not found")
    settings = load_settings()
    result = run(pairs, data_dir, embedding_model=settings.embedding_model, cache_dir=cache_dir,
                 progress=_progress)
    print(json.dumps(result))


def _progress(done: int, total: int) -> None:
    if done == total or done % 512 < 256:
        print(f"embedding headlines: {done}/{total} new", file=sys.stderr, flush=True)
