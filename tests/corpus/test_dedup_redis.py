"""Two worker processes sharing a MinHashLSH index in a real redis-server find the same clusters as one process."""

from __future__ import annotations

import json

import numpy as np
import pytest
import redis

from corpus.dedup.merge import DedupError, dedup_file
from corpus.dedup.minhash import MinHashConfig, make_lean
from corpus.dedup.pairs import make_lsh, query_rows
from corpus.dedup.shared_index import storage_config
from tests.corpus.neardup import labelled_records


def clusters(path):
    return {
        r["id"]: (r["cluster"], r["canonical"])
        for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())
    }


@pytest.mark.slow
def test_two_redis_workers_give_the_single_process_clusters(tmp_path, redis_url):
    source = tmp_path / "in.jsonl"
    source.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in labelled_records()), encoding="utf-8"
    )
    dedup_file(source, tmp_path / "single.jsonl", progress=False, workers=1)
    stats = dedup_file(source, tmp_path / "shared.jsonl", redis_url=redis_url, workers=2, progress=False)
    single, shared = clusters(tmp_path / "single.jsonl"), clusters(tmp_path / "shared.jsonl")
    assert shared == single
    assert len(set(c for c, _ in shared.values())) < len(shared)  # something was merged
    assert stats.records == len(shared)
    assert list(redis.Redis.from_url(redis_url).scan_iter(match="baogao-dedup-*")) == []  # the run cleaned up


def test_unreachable_redis_is_one_clear_error(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "报告"}\n', encoding="utf-8")
    with pytest.raises(DedupError, match=r"redis://127\.0\.0\.1:1/0: cannot reach Redis"):
        dedup_file(source, tmp_path / "out.jsonl", redis_url="redis://127.0.0.1:1/0", progress=False)


@pytest.mark.slow
def test_query_rows_in_redis_finds_what_minhashlsh_query_finds(redis_url):
    rng = np.random.default_rng(4)
    config = MinHashConfig()
    lsh = make_lsh(config, storage_config(redis_url, "baogao-dedup-test-query"))
    stored = rng.integers(0, 2**32, size=(50, 128), dtype=np.uint32)
    with lsh.insertion_session() as session:
        for k, row in enumerate(stored):
            session.insert(k, make_lean(row, config))
    rows = stored[[3, 40]].copy()
    rows[:, 60:] = 7
    try:
        assert (
            query_rows(lsh, rows) == set().union(*(lsh.query(make_lean(r, config)) for r in rows)) == {3, 40}
        )
    finally:
        r = redis.Redis.from_url(redis_url)
        r.delete(*r.scan_iter(match="baogao-dedup-test-query*"))


@pytest.mark.slow
def test_command_with_redis_prints_the_summary(tmp_path, redis_url):
    from click.testing import CliRunner

    from baogao.cli import main

    records = [r for r in labelled_records() if r["group"] in {"huzhou", "jinghu"}]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        main, ["dedup", str(source), "-o", str(out), "--redis", redis_url, "--workers", "2", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    assert f"{len(records)} records → 2 clusters" in result.output
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    canonical = {r["group"]: r["id"] for r in written if r["canonical"]}
    assert len(canonical) == 2 and all(r["cluster"] == canonical[r["group"]] for r in written)
