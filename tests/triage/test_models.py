"""The model files shipped in the package: readable without pickle, versioned, small, and in step with thai/."""

from __future__ import annotations

import json

import numpy as np
import pytest
from triage_helpers import SHARED_DATA

from khaojing.triage import datasets, linear, service
from khaojing.triage.features import fingerprint

MODELS = ("topics", "worthiness")


@pytest.mark.parametrize("name", MODELS)
def test_shipped_model_files(name: str) -> None:
    directory = service.PACKAGE_MODEL_DIR
    npz, meta_path = directory / f"{name}.npz", directory / f"{name}.json"
    assert npz.stat().st_size < 2_000_000
    with np.load(npz, allow_pickle=False) as data:
        assert data["coef"].dtype == np.float32
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    assert meta["format"] == linear.FORMAT and meta["version"].startswith(f"{name}-")
    assert meta["created"] and meta["training"]["examples"] > 500
    assert all(len(s["sha256"]) == 64 for s in meta["training"]["sources"])
    model = linear.load(directory, name)
    assert model.coef.shape == (len(model.vectorizer.vocab), len(model.classes))


@pytest.mark.parametrize("name", MODELS)
def test_shipped_models_see_the_features_they_were_trained_on(name: str) -> None:
    """A change in thai/ (normalisation, tokenisation) changes the features: retrain with
    `.venv/bin/python scripts/train_triage.py` and commit the new model files."""
    meta = linear.load(service.PACKAGE_MODEL_DIR, name).meta
    assert meta["features_fingerprint"] == fingerprint(), f"{name} model is stale: run scripts/train_triage.py"


@pytest.mark.parametrize("name", MODELS)
def test_shipped_models_were_trained_on_this_data(name: str) -> None:
    meta = linear.load(service.PACKAGE_MODEL_DIR, name).meta
    for source in meta["training"]["sources"]:
        path = SHARED_DATA / source["name"]
        if not path.is_file():
            pytest.skip(f"{path} is absent")
        assert datasets.file_sha256(path) == source["sha256"]
