"""Two worker processes sharing a MinHashLSH index in a real redis-server find the same clusters as one process."""

from __future__ import annotations

import json

import pytest
import redis

from bench.neardup import labelled_records
from corpus.dedup import DedupError, dedup_file


def clusters(path):
    return {r["id"]: (r["cluster"], r["canonical"]) for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


@pytest.mark.slow
def test_two_redis_workers_give_the_single_process_clusters(tmp_path, redis_url):
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in labelled_records()), encoding="utf-8")
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
    with pytest.raises(DedupError, match="redis://127.0.0.1:1/0: cannot reach Redis"):
        dedup_file(source, tmp_path / "out.jsonl", redis_url="redis://127.0.0.1:1/0", progress=False)
