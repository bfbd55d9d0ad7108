"""An interrupted dedup (Ctrl-C, or SIGTERM from a scheduler) ends with one line and no traceback from any of its
worker processes, and leaves no output behind."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_release_data import texts

pytestmark = pytest.mark.slow


def big_input(path: Path, n: int = 6_000) -> None:
    """Enough records (> 4 MB) that dedup starts its worker pool: the seed texts cut at different places."""
    t = texts()
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            lines = t[i % len(t)].split("\n")
            cut = [*lines[: len(lines) - i % 7], f"第{i}号补充说明。"]
            fh.write(json.dumps({"id": f"r{i}", "text": "\n".join(cut)}, ensure_ascii=False) + "\n")


INTERRUPT_HANG = pytest.mark.xfail(
    reason="known bug, open: in fresh-clone full suites dedup sometimes did not end within 60 s of SIGINT or "
    "SIGTERM sent while its worker pool starts (not reproduced alone); see the stop's closing note",
    strict=False,
)


@pytest.mark.parametrize(
    "sig",
    [pytest.param(signal.SIGINT, marks=INTERRUPT_HANG), pytest.param(signal.SIGTERM, marks=INTERRUPT_HANG)],
)
def test_an_interrupted_dedup_prints_one_line_and_leaves_no_output(tmp_path: Path, sig: signal.Signals):
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    big_input(source)
    proc = subprocess.Popen([sys.executable, "-m", "baogao.cli", "dedup", str(source), "-o", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    deadline = time.monotonic() + 60
    while len(children.read_text().split()) < 2:  # wait until the worker pool is up and signing
        if proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail("dedup ended (or started no pool) before it could be interrupted")
        time.sleep(0.1)
    time.sleep(0.5)  # the workers are signing: the pool has started
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert "Aborted!" in err
    assert "Traceback" not in err and "BrokenPipe" not in err and "KeyboardInterrupt" not in err
    assert not out.exists()
