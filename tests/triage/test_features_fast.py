"""The fast screening paths give what the plain ones give, on real texts: gram ids instead of string counts for the
linear models, cue-shaped pieces instead of every piece for cue words, boundaries from the segmentation."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest

from khaojing.settings import Settings
from khaojing.thai.tokenize import segment
from khaojing.triage import features as features_module
from khaojing.triage import harm, lexicon, worthiness
from khaojing.triage.features import SYLLABLE_NGRAMS, TextFeatures, features, ngrams, whole_word_pieces
from khaojing.triage.linear import Vectorizer
from khaojing.triage.service import load_model

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
AFNC_2025 = SHARED_DATA / "afnc-2025" / "afnc_posts_2025_may_aug.csv"
COFACT = SHARED_DATA / "afnc-cofact-sure-2022" / "cofact_info.csv"


def _column(path: Path, name: str, limit: int) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [row[name].strip() for row in csv.DictReader(fh) if (row.get(name) or "").strip()][:limit]


@pytest.fixture(scope="module")
def docs() -> list[TextFeatures]:
    if not AFNC_2025.is_file() or not COFACT.is_file():
        pytest.skip(f"{SHARED_DATA} is absent")
    texts = _column(AFNC_2025, "title", 150) + _column(COFACT, "content", 150) + _column(AFNC_2025, "content", 30)
    return [features(t) for t in texts]


def _reference_transform(vectorizer: Vectorizer, doc: TextFeatures) -> dict[int, float]:
    """Vectorizer.transform_one as it was: string n-gram counts looked up in each block's vocabulary."""
    out: dict[int, float] = {}
    for block, counts in doc.counts.items():
        known = vectorizer._blocks.get(block, {})
        grams = sorted(counts.keys() & known.keys())
        if not grams:
            continue
        cols = np.array([known[g] for g in grams], dtype=np.int64)
        vals = (1.0 + np.log(np.array([counts[g] for g in grams], dtype=np.float32))) * vectorizer.idf[cols]
        vals /= float(np.linalg.norm(vals)) or 1.0
        out.update(zip(cols.tolist(), vals.tolist(), strict=True))
    return out


@pytest.mark.parametrize("name", ["worthiness", "topics"])
def test_gram_ids_give_the_string_counts_tf_idf(docs: list[TextFeatures], name: str) -> None:
    model = load_model(name, Settings())
    for doc in docs:
        cols, vals = model.vectorizer.transform_one(doc)
        expected = _reference_transform(model.vectorizer, doc)
        assert sorted(cols.tolist()) == sorted(expected)  # the same grams, each once
        found = dict(zip(cols.tolist(), vals.tolist(), strict=True))
        assert all(math.isclose(found[c], v, rel_tol=1e-6, abs_tol=1e-7) for c, v in expected.items())


def test_a_model_loaded_later_sees_the_grams_it_brings(docs: list[TextFeatures]) -> None:
    doc = docs[0]
    load_model("worthiness", Settings()).vectorizer.transform_one(doc)  # gram ids computed before the new model
    gram = next(iter(doc.counts["c"]))
    fresh = f"c:{gram}"
    newcomer = Vectorizer({fresh: 0, "c:\x00never-seen\x00": 1}, np.ones(2, dtype=np.float32))
    cols, vals = newcomer.transform_one(doc)
    assert cols.tolist() == [0] and vals.tolist() == [1.0]


def _reference_boundaries(doc: TextFeatures) -> frozenset[int]:
    found, pos = {0, len(doc.text)}, 0
    for token in doc.words:
        start = doc.text.find(token, pos)
        found.update((start, start + len(token)))
        pos = start + len(token)
    return frozenset(found)


def _cue_lists() -> list[list[str]]:
    lex, rules = harm.default_lexicon(), worthiness.default_rules()
    lists = [g["cues"] for g in lex.groups] + [rules.advert, rules.opinion]
    lists += [lexicon.cue_list([alt]) for c in lex.combinations for part in c["all_of"] for alt in part.split()
              if alt[0] not in "@#"]
    lists += list(load_model("topics", Settings()).meta.get("cues", {}).values())
    return lists


def test_cue_matches_boundaries_ngrams_and_words_are_unchanged(docs: list[TextFeatures]) -> None:
    lists = _cue_lists()
    hits = 0
    for doc in docs:
        assert doc.boundaries == _reference_boundaries(doc)
        every_piece = whole_word_pieces(doc.text, doc.boundaries)
        assert doc.pieces == every_piece
        for cues in lists:
            found = lexicon.matches(doc, cues)
            assert found == [c for c in cues if c in every_piece]
            hits += len(found)
        syllables = doc.syllables
        assert ngrams(syllables, *SYLLABLE_NGRAMS) == ["\x1f".join(syllables[i:i + n]) for n in (1, 2)
                                                       for i in range(len(syllables) - n + 1)]
        assert doc.words == [t for t in segment(doc.text) if t and not t.isspace()]
    assert hits > 100  # the texts do hold cue words: the comparison is not vacuous


def test_a_cue_list_seen_after_the_pieces_were_made_still_matches(docs: list[TextFeatures]) -> None:
    doc = next(d for d in docs if len(d.words) > 5)
    lexicon.matches(doc, ["ข่าว"])  # the doc's cue pieces are made for the cue shapes known so far
    known = features_module.CUES.lengths
    unseen = sorted(p for p in doc.pieces if len(p) not in known.get(p[:2], ()))
    assert unseen
    assert lexicon.matches(doc, [unseen[0], "\x00no such cue"]) == [unseen[0]]
