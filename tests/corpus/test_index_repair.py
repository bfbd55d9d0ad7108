"""index.json never lags the version folders: a crash after v2's rename but before the index write leaves an
index naming v1; serve answers from the folders, download installs v2, and the next release repairs the file."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.request import urlopen

from click.testing import CliRunner
from test_release_data import first_records, publish, record, serving, texts

from baogao.cli import main


def crashed_after_rename(corpus: Path) -> bytes:
    """v1 and v2 published, index.json as it was before v2 (what a crash between rename and index write
    leaves); returns the stale bytes."""
    publish(corpus, first_records())
    stale = (corpus / "index.json").read_bytes()
    t = texts()
    publish(corpus, [record("a", t[0], copies=("a_copy",)), record("c", t[2])])
    (corpus / "index.json").write_bytes(stale)
    return stale


def test_serve_and_download_see_the_version_the_stale_index_misses(tmp_path: Path):
    corpus = tmp_path / "corpus"
    crashed_after_rename(corpus)
    with serving(corpus) as port:
        url = f"http://127.0.0.1:{port}/"
        result = CliRunner().invoke(main, ["download", url, "--to", str(tmp_path / "mirror")])
        index = json.loads(urlopen(url + "index.json").read())
    assert result.exit_code == 0, result.output
    assert index["latest"] == "v2" and [v["version"] for v in index["versions"]] == ["v1", "v2"]
    assert sorted(p.name for p in (tmp_path / "mirror").iterdir()) == ["v2"]


def test_a_release_that_publishes_nothing_still_repairs_the_index(tmp_path: Path):
    corpus = tmp_path / "corpus"
    stale = crashed_after_rename(corpus)
    source = tmp_path / "dedup.jsonl"
    t = texts()
    rows = [record("a", t[0], copies=("a_copy",)), record("c", t[2])]
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    result = CliRunner().invoke(main, ["release", "--from", str(source), "--corpus", str(corpus)])
    assert result.exit_code == 0, result.output
    assert "Nothing changed since v2" in result.output
    repaired = json.loads((corpus / "index.json").read_text(encoding="utf-8"))
    assert (corpus / "index.json").read_bytes() != stale and repaired["latest"] == "v2"
