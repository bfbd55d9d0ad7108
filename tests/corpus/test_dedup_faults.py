"""`baogao dedup` on a full disk or killed mid-write: one line, the previous output untouched, no temp file
left for good, and output files with the mode the umask gives (not mkstemp's 0600).

The failures are real: the child runs under a small RLIMIT_FSIZE, so the kernel refuses the write (EFBIG, as
a full disk would) or, with SIGXFSZ at its default, kills the process mid-write.
"""

from __future__ import annotations

import json
import os
import random
import resource
import stat
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each dedup subprocess starts numba and a pool (~10 s)
LIMIT = 20_000
CHILD = """
import os, signal, sys
os.umask(0o022)
if sys.argv[1] == "crash":
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)  # Python ignores it by default; now the kernel kills us
if sys.argv[1] == "pool":
    import corpus.dedup.merge
    corpus.dedup.merge.SMALL_INPUT = 0  # the pool's processes write the output, even for this small file
sys.argv = ["baogao", *sys.argv[2:]]
from baogao.cli import main
main()
"""


def write_input(path: Path, n: int = 60, length: int = 300) -> None:
    rng = random.Random(3)
    lines = []
    for i in range(n):
        text = "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(length))
        lines.append(
            json.dumps({"id": f"d{i}", "site": "s", "url": f"http://s/{i}", "text": text}, ensure_ascii=False)
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def dedup(tmp_path: Path, mode: str, limit: int | None, workers: int = 1) -> subprocess.CompletedProcess[str]:
    def limit_file_size() -> None:
        if limit:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-c", CHILD, mode, "dedup", "--quiet", "--workers", str(workers), str(tmp_path / "in.jsonl"),
         "-o", str(tmp_path / "out" / "documents.jsonl")],
        preexec_fn=limit_file_size, cwd=Path(__file__).parents[2], capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def leftovers(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "out").iterdir() if p.name != "documents.jsonl")


def test_a_full_disk_is_one_line_and_keeps_the_previous_output(tmp_path: Path):
    write_input(tmp_path / "in.jsonl")
    assert (
        dedup(tmp_path, "full", None).returncode == 0
    )  # numba's kernel cache is written now, not under the limit
    (tmp_path / "out" / "documents.jsonl").write_bytes(b'{"id": "old"}\n')
    result = dedup(tmp_path, "full", LIMIT)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"Error: {tmp_path / 'in.jsonl'}: cannot write {tmp_path / 'out' / 'documents.jsonl'}: File too large; "
        "the previous output is untouched"
    ]
    assert (tmp_path / "out" / "documents.jsonl").read_bytes() == b'{"id": "old"}\n'
    assert leftovers(tmp_path) == []


def test_a_full_disk_while_the_pool_writes_is_one_line_and_keeps_the_previous_output(tmp_path: Path):
    """The pool's processes write the output themselves: their error still comes out as one line."""
    write_input(
        tmp_path / "in.jsonl", length=3000
    )  # 540 kB of output; the scratch files stay under the limit
    assert dedup(tmp_path, "pool", None, workers=2).returncode == 0
    (tmp_path / "out" / "documents.jsonl").write_bytes(b'{"id": "old"}\n')
    result = dedup(tmp_path, "pool", 300_000, workers=2)
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"Error: {tmp_path / 'in.jsonl'}: cannot write {tmp_path / 'out' / 'documents.jsonl'}: File too large; "
        "the previous output is untouched"
    ]
    assert (tmp_path / "out" / "documents.jsonl").read_bytes() == b'{"id": "old"}\n'
    assert leftovers(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out"]  # no scratch folder either


def test_a_run_killed_mid_write_leaves_a_temp_file_the_next_run_removes(tmp_path: Path):
    write_input(tmp_path / "in.jsonl")
    killed = dedup(tmp_path, "crash", LIMIT)
    assert killed.returncode == -25  # SIGXFSZ: killed by the kernel while writing
    assert not (tmp_path / "out" / "documents.jsonl").exists()
    assert len(leftovers(tmp_path)) == 1  # what a kill leaves behind
    rerun = dedup(tmp_path, "full", None)
    assert rerun.returncode == 0, rerun.stderr
    assert leftovers(tmp_path) == []
    out = tmp_path / "out" / "documents.jsonl"
    assert [json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()] == [
        f"d{i}" for i in range(60)
    ]
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o644  # umask 022, like any file the user writes
