"""`baogao export`: a version as Parquet, JSON Lines or CSV that pandas reads back with the same documents."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner
from test_release_data import first_records, publish, record, texts

from baogao.cli import main

READERS = {
    "parquet": pd.read_parquet,
    "jsonl": lambda p: pd.read_json(p, lines=True, dtype={"id": str}),
    "csv": lambda p: pd.read_csv(p, dtype={"id": str}, keep_default_na=False),
}


@pytest.mark.parametrize("fmt", ["parquet", "jsonl", "csv"])
def test_export_is_read_back_by_pandas_with_texts_and_sources_intact(tmp_path, fmt):
    corpus = tmp_path / "corpus"
    publish(corpus, first_records())
    out = tmp_path / f"out.{fmt}"
    result = CliRunner().invoke(
        main, ["export", "--corpus", str(corpus), "--version", "v1", "--format", fmt, "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    frame = READERS[fmt](out).set_index("id")
    assert sorted(frame.index) == ["a", "b", "c"]
    assert frame.loc["a", "text"] == texts()[0]  # newlines, full-width punctuation and digits survive
    sources = frame.loc["a", "sources"]
    if fmt == "csv":
        sources = json.loads(sources)
    assert [s["url"] for s in sources] == ["http://site_a.test/a.html", "http://site_b.test/a_copy.html"]
    assert int(frame.loc["a", "year"]) == 2016 and int(frame.loc["a", "cluster_size"]) == 2


def test_export_defaults_to_the_latest_version(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    publish(corpus, first_records())
    t = texts()
    publish(corpus, [record("a", t[0], copies=("a_copy",)), record("d", t[3])])
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["export", "--corpus", str(corpus), "--format", "jsonl"])
    assert result.exit_code == 0 and "corpus-v2.jsonl" in result.output
    assert [
        json.loads(line)["id"]
        for line in (tmp_path / "corpus-v2.jsonl").read_text(encoding="utf-8").splitlines()
    ] == ["a", "d"]


def test_export_refuses_a_damaged_version(tmp_path):
    corpus = tmp_path / "corpus"
    publish(corpus, first_records())
    (corpus / "v1" / "documents.parquet").write_bytes(b"damaged")
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(main, ["export", "--corpus", str(corpus), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 1 and "v1/documents.parquet: size mismatch" in result.output
    assert not out.exists()


def test_export_of_an_unknown_version_names_the_ones_that_exist(tmp_path):
    corpus = tmp_path / "corpus"
    publish(corpus, first_records())
    result = CliRunner().invoke(
        main, ["export", "--corpus", str(corpus), "--version", "v3", "--format", "csv"]
    )
    assert result.exit_code == 1 and "v3: no such version" in result.output and "(have v1)" in result.output
