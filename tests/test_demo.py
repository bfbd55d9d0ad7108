"""`baogao demo` end to end, as `make demo` runs it: sandbox → crawl → clean → dedup → a published version."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.sandbox.content import CATALOG, paragraphs
from tests.sandbox.junk import JUNK

pytestmark = pytest.mark.slow

SKELETON = re.compile(r"[\W_]+")


def skeleton(text: str) -> str:
    """Text without punctuation width, spaces or line breaks: how a copy is recognised whatever its wrapper."""
    return SKELETON.sub("", unicodedata.normalize("NFKC", text))


def run_demo(data: Path, port: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BAOGAO_DATA": str(data)}
    return subprocess.run([sys.executable, "-m", "baogao.cli", "demo", "--quiet", "--port", str(port)],
                          env=env, capture_output=True, text=True, timeout=300)  # fmt: skip


@pytest.fixture(scope="module")
def demo_runs(
    tmp_path_factory: pytest.TempPathFactory, port_factory
) -> tuple[Path, subprocess.CompletedProcess, subprocess.CompletedProcess]:
    data = tmp_path_factory.mktemp("data")
    port = port_factory()
    return data, run_demo(data, port), run_demo(data, port)


def released(data: Path) -> list[dict]:
    return pq.read_table(data / "corpus" / "v1" / "documents.parquet").to_pylist()


def test_demo_publishes_v1_and_says_so(demo_runs):
    data, first, _ = demo_runs
    assert first.returncode == 0, first.stderr[-2000:]
    assert "v1 published" in first.stdout
    assert (data / "corpus" / "v1" / "manifest.json").is_file()


def test_every_sample_document_is_released_exactly_once(demo_runs):
    data = demo_runs[0]
    docs = [skeleton(d["text"]) for d in released(data)]
    for sample in CATALOG:
        longest = sorted(paragraphs(sample["id"]), key=len, reverse=True)[:3]
        holders = [i for i, text in enumerate(docs) if sum(skeleton(p) in text for p in longest) >= 2]
        assert len(holders) == 1, (
            f"{sample['id']} ({sample['title']}) is in {len(holders)} released documents"
        )
    assert len(docs) == len(CATALOG)


def test_no_sandbox_junk_survives_in_the_release(demo_runs):
    data = demo_runs[0]
    texts = [d["text"] for d in released(data)]
    leaked = sorted({junk for junk in JUNK for text in texts if junk in text})
    assert leaked == []


def test_released_reports_carry_their_own_region(demo_runs):
    data = demo_runs[0]
    by_region = {d["region"] for d in released(data) if d["genre"] == "report"}
    expected = {s["region"] for s in CATALOG if s["kind"] == "report"}
    assert by_region == expected


def test_second_demo_stores_nothing_new_and_publishes_no_version(demo_runs):
    data, _, second = demo_runs
    assert second.returncode == 0, second.stderr[-2000:]
    assert "0 new, 0 changed" in second.stdout
    assert " 0 new or changed and stored" in second.stdout  # every page answered 304 or from the store
    assert "nothing changed: v1" in second.stdout
    assert not (data / "corpus" / "v2").exists()


def test_provenance_set_at_crawl_time_arrives_unchanged_in_the_release(demo_runs):
    import json
    import sqlite3
    from datetime import datetime

    def when(stamp: str) -> datetime:
        return datetime.fromisoformat(stamp)

    data = demo_runs[0]
    con = sqlite3.connect(data / "crawl.sqlite")
    con.row_factory = sqlite3.Row
    crawled = {(r["site"], r["url"]): r for r in con.execute("SELECT * FROM latest_documents")}
    con.close()
    rows = released(data)
    assert rows and any(row["date"] for row in rows), "the sandbox pages carry dates"
    for row in rows:
        store = crawled[(row["site"], row["url"])]
        assert row["pages"] == json.loads(store["page_urls"])
        assert (row["date"], row["fetched_at"], row["rule_version"], row["encoding"], row["encoding_reason"]) == (
            store["date"], when(store["fetched_at"]), store["rule_version"], store["encoding"], store["encoding_reason"]
        )  # fmt: skip
        assert row["rule"] == row["site"]
        for source in row["sources"]:  # every copy's own first sighting, as the crawl stored it
            assert source["first_seen"] == when(crawled[(source["site"], source["url"])]["first_seen"])
        assert row["first_seen"] == min(s["first_seen"] for s in row["sources"])
