"""The parts of the matcher: claim text, BM25 segments, near-duplicate LSH, vectors, fusion model, change feed."""

from __future__ import annotations

import numpy as np

from khaojing.claims.models import IndexChange
from khaojing.matching import fusion
from khaojing.matching.claimtext import claim_core
from khaojing.matching.lexical import LexicalIndex, content_tokens, tokens
from khaojing.matching.neardup import MinHasher, NearDupIndex, jaccard, shingles
from khaojing.matching.store import ChangeFeed
from khaojing.matching.vectors import VectorIndex

TEXTS = ["ดื่มน้ำมะนาวผสมโซดา รักษามะเร็งได้", "ธนาคารแจกเงินฟรี 5000 บาท ลงทะเบียนผ่านลิงก์",
         "พายุใหญ่จะเข้ากรุงเทพฯ สัปดาห์หน้า", "กินกระเทียมป้องกันโควิด-19", "รัฐบาลเก็บภาษีเงินฝากทุกบัญชี",
         "ไฟฟ้าดับทั่วประเทศ 3 วัน", "วัคซีนทำให้เป็นหมัน", "น้ำมันขึ้นราคาลิตรละ 10 บาท พรุ่งนี้"]


def test_claim_core_drops_reporting_frames_and_question_tags() -> None:
    assert claim_core("มีการแชร์ในโลกออนไลน์ว่า น้ำอัญชัน รักษาภูมิแพ้ได้ จริงหรือคะ") == "น้ำอัญชัน รักษาภูมิแพ้ได้"
    assert claim_core("ตามที่มีการโพสต์ข้อความ เกี่ยวกับประเด็น ผักคาวตองรักษาโรคมะเร็งได้จริงหรือ") == \
        "ผักคาวตองรักษาโรคมะเร็ง"
    assert claim_core("มีสมุนไพรที่รักษามะเร็งได้") == "มีสมุนไพรที่รักษามะเร็งได้"  # "มี" alone is no frame
    assert claim_core("จริงหรือ") == "จริงหรือ"  # nothing would be left: the text stays


def test_stopwords_keep_negation() -> None:
    assert content_tokens(["ยา", "ที่", "ไม่", "ปลอดภัย", "จริง"]) == ["ยา", "ไม่", "ปลอดภัย", "จริง"]
    assert "ที่" not in content_tokens(tokens("ยาที่รักษามะเร็ง"))


def test_recent_additions_score_like_the_rebuilt_segment() -> None:
    index = LexicalIndex(rebuild_min=1000)
    index.add_many((i, tokens(t)) for i, t in enumerate(TEXTS[:6]))
    for i, t in enumerate(TEXTS[6:], start=6):
        index.add(i, tokens(t))
    query = tokens("วัคซีนทำให้เป็นหมัน จริงไหม")
    before = dict(index.search(query, 5))
    index.rebuild()
    after = dict(index.search(query, 5))
    assert next(iter(before)) == next(iter(after)) == 6
    assert abs(before[6] - after[6]) < 1e-4
    index.remove(6)
    assert 6 not in dict(index.search(query, 5))
    index.add(6, tokens("ข้อความใหม่ไม่เกี่ยวกัน"))
    assert 6 not in dict(index.search(query, 5))


def test_lexical_features_agree_with_search_scores() -> None:
    index = LexicalIndex()
    index.add_many((i, tokens(t)) for i, t in enumerate(TEXTS))
    query = tokens("ธนาคารแจกเงินฟรี ลงทะเบียน")
    scores = dict(index.search(query, 3))
    q_cov, d_cov, bm25 = index.features(query, [1, 5])
    assert abs(bm25[0] - scores[1]) < 1e-3 and bm25[1] == 0.0
    assert 0 < q_cov[0] <= 1 and 0 < d_cov[0] < 1 and q_cov[1] == d_cov[1] == 0


def test_near_duplicates_are_candidates_and_removal_sticks() -> None:
    index = NearDupIndex(0.5, rebuild_min=2)
    long = [t * 3 for t in TEXTS]
    index.add_many(enumerate(long))
    edited = long[1].replace("5000", "5001")
    assert 1 in index.candidates(edited)
    assert jaccard(shingles(edited), shingles(long[1])) > 0.7
    index.remove(1)
    assert 1 not in index.candidates(edited)
    index.add(1, long[3])
    index.rebuild()
    assert 1 not in index.candidates(edited) and 1 in index.candidates(long[3]) and len(index) == len(long)


def test_batch_and_single_signatures_are_the_same() -> None:
    hasher = MinHasher()
    batch = hasher.signatures(TEXTS + ["", "สั้น"])
    assert all((batch[i] == hasher.signature(t)).all() for i, t in enumerate(TEXTS + ["", "สั้น"]))


def test_vector_index_removes_and_switches_to_inverted_lists() -> None:
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(6000, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = VectorIndex(16, large_from=5000, nprobe=64)
    index.add_many(list(range(3000)), vectors[:3000])
    assert index.kind == "flat" and index.search(vectors[7], 1)[0][0] == 7
    assert abs(index.cosines(vectors[3], [3])[3] - 1.0) < 1e-5
    index.add_many(list(range(3000, 6000)), vectors[3000:])
    assert index.kind == "ivf-sq8" and len(index) == 6000
    assert index.search(vectors[5500], 1)[0][0] == 5500 and index.search(vectors[7], 1)[0][0] == 7
    index.remove(5500)
    assert index.search(vectors[5500], 1)[0][0] != 5500 and not index.has(5500)
    assert abs(index.cosines(vectors[3], [3])[3] - 1.0) < 0.02


def test_fusion_model_round_trips(tmp_path) -> None:  # noqa: ANN001
    rows = np.array([[0.9, 0.0, 0.8, 0.5, 0.7, 0.4, 0.5, 0.0], [0.8, -0.1, 0.1, 0.1, 0.2, 0.1, 0.1, -0.7]] * 5)
    model = fusion.fit(rows, np.array([1, 0] * 5), trained_on="test")
    lexical = fusion.fit(rows[:, 2:], np.array([1, 0] * 5), features=fusion.LEXICAL_FEATURES)
    path = tmp_path / "model.py"
    fusion.save_models(model, lexical, path)
    namespace: dict = {}
    exec(path.read_text(encoding="utf-8"), namespace)  # noqa: S102
    loaded = fusion.FusionModel.from_dict(namespace["MODEL"])
    assert np.allclose(loaded.scores(rows), model.scores(rows)) and model.scores(rows)[0] > 0.5
    assert fusion.FusionModel.from_dict(namespace["MODEL_LEXICAL"]).features == fusion.LEXICAL_FEATURES
    assert fusion.default_model().features == fusion.FEATURES


def test_change_feed_rechecks_ids_committed_out_of_order(db) -> None:  # noqa: ANN001
    feed = ChangeFeed()
    with db.unit_of_work() as session:
        session.add(IndexChange(id=5, claim_id=50, op="upsert"))
    with db.unit_of_work(readonly=True) as session:
        assert feed.poll(session) == [(5, 50, "upsert")]
        assert set(feed.gaps) == {1, 2, 3, 4}
    with db.unit_of_work() as session:  # a transaction that took id 3 earlier commits now
        session.add(IndexChange(id=3, claim_id=30, op="upsert"))
    with db.unit_of_work(readonly=True) as session:
        assert feed.poll(session) == [(3, 30, "upsert")]
        assert feed.poll(session) == []
        assert 3 not in feed.gaps and feed.last_id == 5


def test_searches_and_changes_from_many_threads() -> None:
    import threading

    from khaojing.matching.index import ClaimIndex, IndexedClaim, prepare

    index = ClaimIndex(dim=4)

    def claim(i: int) -> IndexedClaim:
        vector = np.random.default_rng(i).normal(size=4).astype(np.float32)
        return IndexedClaim(claim_id=i, match_text=f"{TEXTS[i % len(TEXTS)]} {i}",
                            vector=vector / np.linalg.norm(vector))

    index.upsert(claim(i) for i in range(40))
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(30):
                if n % 2:
                    index.upsert([claim(100 + n * 100 + i)])
                    index.remove([100 + n * 100 + i - 1])
                else:
                    query = prepare(TEXTS[i % len(TEXTS)])
                    query.vector = np.ones(4, dtype=np.float32) / 2
                    assert index.search(query, k=5)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(index) == 40 + 3
