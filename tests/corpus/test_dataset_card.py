"""The corpus folder's own dataset card: one `datasets` config per version, the latest the default."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_release_data import first_records, publish, record, texts


@pytest.mark.slow
def test_load_dataset_by_version_name_from_the_corpus_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    datasets = pytest.importorskip("datasets")
    corpus = tmp_path / "corpus"
    publish(corpus, first_records())
    t = texts()
    publish(corpus, [record("a", t[0]), record("d", t[3])])
    v1 = datasets.load_dataset(str(corpus), "v1", split="train")
    v2 = datasets.load_dataset(str(corpus), "v2", split="train")
    latest = datasets.load_dataset(str(corpus), split="train")
    assert sorted(v1["id"]) == ["a", "b", "c"]
    assert sorted(v2["id"]) == sorted(latest["id"]) == ["a", "d"]
    assert os.path.exists(corpus / "README.md") and "| [v2](v2/README.md) |" in (
        corpus / "README.md"
    ).read_text(encoding="utf-8")
