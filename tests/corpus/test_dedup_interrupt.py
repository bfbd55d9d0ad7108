"""An interrupted dedup (Ctrl-C, or SIGTERM from a scheduler) ends with one line and no traceback from any of its
worker processes, and leaves the previous output as it was."""

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


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dedup_interrupt") / "in.jsonl"
    big_input(path)  # about 200 MB: written once for every case
    return path


def children(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("moment", ["pool starting", "signing"])
def test_an_interrupted_dedup_prints_one_line_and_leaves_the_output_untouched(
    source: Path, tmp_path: Path, sig: signal.Signals, moment: str
):
    out = tmp_path / "out.jsonl"
    out.write_bytes(b'{"id": "previous run"}\n')
    # Ctrl-C as at a terminal: a test run started in the background (`make test &`) passes SIGINT on ignored
    proc = subprocess.Popen([sys.executable, "-m", "baogao.cli", "dedup", str(source), "-o", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # fmt: skip
    deadline = time.monotonic() + 60
    # "pool starting": as soon as the first worker is forked (a signal during a fork was lost, and dedup ran
    # on for minutes); "signing": once both workers are up and at work
    wanted = 1 if moment == "pool starting" else 2
    while len(children(proc.pid)) < wanted:
        if proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail("dedup ended (or started no pool) before it could be interrupted")
        time.sleep(0.001)
    if moment == "signing":
        time.sleep(0.5)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert "Aborted!" in err
    assert "Traceback" not in err and "BrokenPipe" not in err and "KeyboardInterrupt" not in err
    assert out.read_bytes() == b'{"id": "previous run"}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]  # no temp file beside it
