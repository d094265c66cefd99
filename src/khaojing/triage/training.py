"""Train the screening models from a data folder laid out like ../shared/data, plus analysts' topic corrections."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from khaojing.settings import TopicDef
from khaojing.thai.normalize import for_matching
from khaojing.triage import datasets, lexicon, topic_embedding, topics, worthiness
from khaojing.triage.features import features
from khaojing.triage.fitting import train_linear
from khaojing.triage.linear import LinearModel, data_digest

AFNC_2025 = "afnc-2025/afnc_posts_2025_may_aug.csv"
AFNC_EXPORT = "afnc-opendata-export/AFNC_Opendata_export_20250728184932.csv"
ANTI_THREAD = "afnc-cofact-sure-2022/anti_thread.csv"
HEADLINES_2024 = "afnc-headlines-2024/newsHeadlineDataset.csv"
COFACT = "afnc-cofact-sure-2022/cofact_info.csv"
SURE = "afnc-cofact-sure-2022/sure_thread.csv"
LIMESODA = ("limesoda-sample/val_v1.jsonl", "limesoda-sample/Duplicated_Limesoda.jsonl")
WISESIGHT = tuple(f"wisesight-sentiment/{name}.txt" for name in ("pos", "neg", "neu", "q"))
CORRECTION_WEIGHT = 2.0      # an analyst's correction counts twice as much as a base title
WEAK_LABEL_WEIGHT = 0.5      # titles labelled by cue words only (topics too rare in the labelled data)
WORTHINESS_C, WORTHINESS_MIN_DF, WORTHINESS_PRUNE = 4.0, 5, 0.2


class MissingData(FileNotFoundError):
    """A file the training needs is not in the data folder."""


@dataclass
class TopicData:
    examples: list[tuple[str, str]] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)

    def add(self, pairs: list[tuple[str, str]], weight: float, source: dict) -> None:
        self.examples += pairs
        self.weights += [weight] * len(pairs)
        self.sources.append({**source, "rows": len(pairs)})


def _source(data_dir: Path, rel: str) -> dict:
    return {"name": rel, "sha256": datasets.file_sha256(data_dir / rel)}


def _need(data_dir: Path, rel: str) -> Path:
    path = data_dir / rel
    if not path.is_file():
        raise MissingData(f"{path} is missing (the training data folder is laid out like ../shared/data)")
    return path


def _weak_labels(titles: list[str], key: str, cues: list[str], seen: set[str]) -> list[tuple[str, str]]:
    pairs = []
    for title in titles:
        norm = for_matching(title)
        if norm not in seen and lexicon.matches(features(title), cues):
            seen.add(norm)
            pairs.append((title, key))
    return pairs


def topic_base(data_dir: Path, taxonomy: list[TopicDef]) -> TopicData:
    """AFNC titles with their topic (2025 posts and the open-data export, deduplicated), plus titles of topics too
    rare in them (drugs) picked from older AFNC headlines by the topic's cue words."""
    data, topic_map = TopicData(), datasets.afnc_topic_map(taxonomy)
    pairs = datasets.topic_examples(datasets.read_afnc_posts(_need(data_dir, AFNC_2025)), topic_map)
    data.add(pairs, 1.0, _source(data_dir, AFNC_2025))
    seen = {for_matching(t) for t, _ in pairs}
    if (data_dir / AFNC_EXPORT).is_file():
        extra = [(t, k) for t, k in datasets.topic_examples(datasets.read_afnc_posts(data_dir / AFNC_EXPORT),
                                                            topic_map) if for_matching(t) not in seen]
        data.add(extra, 1.0, _source(data_dir, AFNC_EXPORT))
    counts = {k: sum(1 for _, key in data.examples if key == k) for k in topic_map.values()}
    cues = topics.default_cues()
    for key in [k for k, n in counts.items() if n < topics.MIN_EXAMPLES and cues.get(k)]:
        for rel, reader in ((ANTI_THREAD, datasets.anti_thread_headlines), (HEADLINES_2024, datasets.headlines_2024)):
            if (data_dir / rel).is_file():
                weak = _weak_labels(reader(data_dir / rel), key, cues[key], seen)
                data.add(weak, WEAK_LABEL_WEIGHT, {**_source(data_dir, rel), "weak_labels": key})
    return data


def merge_corrections(data: TopicData, corrections: list[tuple[str, str]], keys: set[str]) -> tuple[TopicData, int]:
    """Analysts' (title, topic) corrections replace base titles with the same normalised text; unknown topics and
    empty titles are skipped. Returns the merged data and how many corrections were used."""
    latest = {for_matching(t): (t, k) for t, k in corrections if t and t.strip() and k in keys}
    merged = TopicData(sources=list(data.sources))
    for (title, key), weight in zip(data.examples, data.weights, strict=True):
        if for_matching(title) not in latest:
            merged.examples.append((title, key))
            merged.weights.append(weight)
    pairs = sorted(latest.values())
    merged.examples += pairs
    merged.weights += [CORRECTION_WEIGHT] * len(pairs)
    if pairs:
        digest = data_digest([f"{t}\t{k}" for t, k in pairs])
        merged.sources.append({"name": "analyst-corrections", "sha256": digest, "rows": len(pairs)})
    return merged, len(pairs)


def train_topic_model(data_dir: Path, taxonomy: list[TopicDef], corrections: list[tuple[str, str]] | None = None, *,
                      unlabelled: list[str] | None = None,
                      embed: topics.Embed | None = None) -> tuple[LinearModel, int]:
    """The topic model from the base data and the corrections (and, given `unlabelled` texts and `embed`, the
    teacher's labels of those texts); returns it and the number of corrections used."""
    data, used = merge_corrections(topic_base(data_dir, taxonomy), corrections or [], {t.key for t in taxonomy})
    if unlabelled and embed is not None:  # the headlines the teacher labels (the matching corpus: anti_thread, Sure)
        data.sources += [{**_source(data_dir, rel), "teacher_labelled": True} for rel in (ANTI_THREAD, SURE)
                         if (data_dir / rel).is_file()]
    model = topics.train_topics(data.examples, weights=data.weights, sources=data.sources, unlabelled=unlabelled,
                                embed=embed)
    model.meta["taxonomy"] = [t.key for t in taxonomy]
    return model, used


def train_topic_embedding_model(data_dir: Path, taxonomy: list[TopicDef], corrections: list[tuple[str, str]] | None,
                                *, embed: topics.Embed, embedding_model: str,
                                embedder: str = "") -> topic_embedding.TopicEmbeddingModel:
    """The topic model of new claims (text + sentence embedding) from the same titles and corrections as the
    screening model (`embed` gives each title's vector, as the matching stage embeds a new claim)."""
    data, _ = merge_corrections(topic_base(data_dir, taxonomy), corrections or [], {t.key for t in taxonomy})
    model = topic_embedding.train(data.examples, embed([t for t, _ in data.examples]), weights=data.weights,
                                  sources=data.sources, embedding_model=embedding_model, embedder=embedder)
    model.meta["taxonomy"] = [t.key for t in taxonomy]
    return model


def _afnc_titles(path: Path) -> list[str]:
    return [p.title for p in datasets.read_afnc_posts(path)
            if p.title and (p.type is None or p.type not in datasets.NON_VERDICT_TYPES)]


def worthiness_sources(data_dir: Path) -> dict[str, tuple[str, list[str]]]:
    """Every file of the folder that the worthiness model learns from: name -> (label, texts)."""
    readers = {AFNC_2025: _afnc_titles, AFNC_EXPORT: _afnc_titles, ANTI_THREAD: datasets.anti_thread_headlines,
               HEADLINES_2024: datasets.headlines_2024, COFACT: datasets.cofact_claims, SURE: datasets.sure_headlines,
               **{rel: datasets.limesoda_titles for rel in LIMESODA}}
    found = {rel: (worthiness.CLAIM, reader(data_dir / rel)) for rel, reader in readers.items()
             if (data_dir / rel).is_file()}
    found |= {rel: (worthiness.CHATTER, datasets.lines(data_dir / rel)) for rel in WISESIGHT
              if (data_dir / rel).is_file()}
    if not any(label == worthiness.CHATTER for label, _ in found.values()) or len(found) < 2:
        raise MissingData(f"{data_dir} lacks the claims and the chat messages (Wisesight) the worthiness model needs")
    return found


def train_worthiness_model(data_dir: Path) -> LinearModel:
    """Claims (AFNC, Cofact, Sure And Share, LimeSoda) versus chat (Wisesight), without each file's held-out part."""
    texts, labels, sources = [], [], []
    for rel, (label, items) in worthiness_sources(data_dir).items():
        kept = [t for t in items if not datasets.is_held_out(t)]
        texts += kept
        labels += [label] * len(kept)
        sources.append({**_source(data_dir, rel), "rows": len(kept), "label": label})
    model = train_linear(worthiness.MODEL_NAME, "logreg", [features(t) for t in texts], labels, c=WORTHINESS_C,
                         sources=sources, min_df=WORTHINESS_MIN_DF, prune=WORTHINESS_PRUNE, calibrate=False,
                         params={"holdout_percent": datasets.HOLDOUT_PERCENT})
    model.meta["threshold"] = worthiness.THRESHOLD
    return model
