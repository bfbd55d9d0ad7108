"""A release that fails half way (disk full, crash) leaves earlier versions intact and no half version visible.

The failures are real: a child process runs `baogao release` under a small RLIMIT_FSIZE, so the kernel
refuses the write (EFBIG, as a full disk would) or, with SIGXFSZ at its default, kills the process mid-write.
Two inputs fail at two moments: a huge text while the texts are parked on disk (before any version folder
exists), and a report with thousands of sources while documents.parquet is written (its texts park easily).
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import resource
import signal
import string
import subprocess
import sys
from pathlib import Path

import pytest
from test_release_data import first_records, publish, record

from corpus.release.manifest import verify
from corpus.release.versions import ReleaseError, list_versions

LIMIT = 100_000  # bytes any one file may grow to in the child
CHILD = """
import signal, sys
if sys.argv[1] == "crash":
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)  # Python ignores it by default; now the kernel kills us
sys.argv = ["baogao", *sys.argv[2:]]
from baogao.cli import main
main()
"""


def big_records() -> list[dict]:
    """v1's reports plus one long report whose text cannot fit under LIMIT (random CJK barely compresses)."""
    rng = random.Random(7)
    noise = "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(150_000))
    return [*first_records(), record("huge", "某县政府工作报告\n" + noise)]


def wide_records() -> list[dict]:
    """v1's first report (with its copy) plus a short one found on 5,000 pages: tiny texts, but its sources cannot fit under LIMIT."""
    rng = random.Random(7)
    pages = tuple("".join(rng.choices(string.ascii_lowercase + string.digits, k=24)) for _ in range(5000))
    return [*first_records()[:2], record("wide", "某县政府工作报告\n全文见各转载页。", copies=pages)]


INPUTS = {"big": big_records, "wide": wide_records}


def release_in_child(tmp_path: Path, corpus: Path, mode: str, inputs: str) -> subprocess.CompletedProcess:
    source = tmp_path / "dedup.jsonl"
    source.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in INPUTS[inputs]()), encoding="utf-8"
    )

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))

    return subprocess.run(
        [sys.executable, "-c", CHILD, mode, "release", "--from", str(source), "--corpus", str(corpus)],
        preexec_fn=limit_file_size,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        cwd=Path(__file__).parents[2],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("inputs", ["big", "wide"])  # fails parking the texts / writing documents.parquet
def test_full_disk_mid_release_keeps_v1_and_publishes_nothing(tmp_path, inputs):
    corpus = tmp_path / "corpus"
    publish(corpus, first_records())
    v1 = {p.name: p.read_bytes() for p in (corpus / "v1").iterdir()}
    result = release_in_child(tmp_path, corpus, "full", inputs)
    assert result.returncode == 1
    where = {"big": ".tmp-release-texts-", "wide": ".tmp-release-v2-"}[inputs]
    assert "release v2 failed writing" in result.stderr and where in result.stderr
    assert "File too large" in result.stderr and "earlier versions are untouched" in result.stderr
    assert sorted(p.name for p in corpus.iterdir()) == [
        ".lock",
        "README.md",
        "index.json",
        "v1",
    ]  # no temp folder or spill left
    assert {p.name: p.read_bytes() for p in (corpus / "v1").iterdir()} == v1 and verify(corpus / "v1") == []
    assert json.loads((corpus / "index.json").read_text(encoding="utf-8"))["latest"] == "v1"


def test_crash_mid_release_hides_the_half_version_and_the_next_release_cleans_it_up(tmp_path):
    corpus = tmp_path / "corpus"
    publish(corpus, first_records())
    result = release_in_child(tmp_path, corpus, "crash", "wide")
    assert result.returncode == -signal.SIGXFSZ  # killed by the kernel while writing documents.parquet
    leftovers = sorted(p.name for p in corpus.glob(".tmp-release-*"))  # the parked texts and the half version
    assert [name.rsplit("-", 1)[0] for name in leftovers] == [".tmp-release-texts", ".tmp-release-v2"]
    assert [v.version for v in list_versions(corpus)] == ["v1"] and verify(corpus / "v1") == []
    info = publish(corpus, wide_records())
    assert info.version == "v2" and info.added == ["wide"] and info.removed == ["b", "c"]
    assert list(corpus.glob(".tmp-release-*")) == [] and verify(corpus / "v2") == []


def test_a_second_release_while_one_runs_is_refused(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with open(corpus / ".lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        with pytest.raises(ReleaseError, match="another release is running"):
            publish(corpus, first_records())
    assert list_versions(corpus) == []


def test_a_damaged_previous_version_stops_the_release_with_one_line_naming_it(tmp_path):
    corpus = tmp_path / "corpus"
    publish(corpus, first_records())
    documents = corpus / "v1" / "documents.parquet"
    documents.write_bytes(documents.read_bytes()[: documents.stat().st_size // 2])  # truncated by a bad copy
    with pytest.raises(
        ReleaseError, match=r"v1/documents\.parquet: cannot read the previous version"
    ) as caught:
        publish(corpus, first_records()[:2])
    assert "\n" not in str(caught.value)
    assert not (corpus / "v2").exists() and list(corpus.glob(".tmp-release-*")) == []
