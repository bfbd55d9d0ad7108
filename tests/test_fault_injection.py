"""Fault injection: `crawl`, `clean --store`, `dedup` and `release` are killed with SIGKILL at random moments
(at least KILLS times each), then run to the end; nothing is lost and the result is byte-identical to a run
that was never interrupted (for the crawl, which stamps times: the same documents, each stored once).

Kill times are drawn uniformly from 20-100 % of an uninterrupted run's wall time, so most kills land in the
work, not in start-up. A run that finishes before its kill is started over from the initial state, so every
counted kill hit a live process. The seed is printed; set BAOGAO_FAULT_SEED to replay a sequence.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from crawler.store import Store

sys.path.insert(0, str(Path(__file__).parent / "crawler"))
from crawlrun import crawl_cmd, crawl_env
from minisite import MiniSite

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).parent / "data" / "seeds"
KILLS = 10
SEED = int(os.environ.get("BAOGAO_FAULT_SEED") or time.time_ns() % 100_000)
CREATED = "2026-01-01T00:00:00Z"


def baogao(*args: str) -> list[str]:
    return [sys.executable, "-m", "baogao.cli", *args]


def timed_run(cmd: list[str], env: dict[str, str]) -> float:
    """Run to the end (it must succeed); wall seconds."""
    started = time.monotonic()
    done = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return time.monotonic() - started


def kill_repeatedly(cmd: list[str], env: dict[str, str], seconds: float, reset: Callable[[], None]) -> int:
    """SIGKILL `cmd` at random moments until KILLS kills hit a live process; returns the number of starts."""
    rng = random.Random(f"{SEED}-{cmd[3]}")
    kills = starts = 0
    while kills < KILLS:
        starts += 1
        assert starts <= 4 * KILLS, f"the command kept finishing before its kill (seed {SEED})"
        proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=rng.uniform(0.2, 1.0) * seconds)
            reset()  # it finished first: start the next try from the initial state again
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
    print(f"{cmd[3]}: {kills} kills in {starts} starts (seed {SEED})")
    return starts


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def stored(store: Path) -> dict[str, tuple[int, str]]:
    """url → (number of stored versions, text) of every document in a crawl store."""
    con = sqlite3.connect(store)
    rows = con.execute("SELECT url, COUNT(*), MAX(text) FROM documents GROUP BY url").fetchall()
    con.close()
    return {url: (n, text) for url, n, text in rows}


def test_crawl_killed_at_random_moments_loses_and_duplicates_nothing(tmp_path: Path):
    site = MiniSite(24, delay=0.15).start()
    try:
        site.write_rule(tmp_path / "sites", concurrency=2)
        env = crawl_env(tmp_path / "sites")
        seconds = timed_run(crawl_cmd(tmp_path / "reference.sqlite", "mini"), env)
        store = tmp_path / "crawl.sqlite"

        def reset() -> None:
            for p in tmp_path.glob("crawl.sqlite*"):
                p.unlink()

        kill_repeatedly(crawl_cmd(store, "mini"), env, seconds, reset)
        timed_run(crawl_cmd(store, "mini"), env)
    finally:
        site.stop()
    assert stored(store) == stored(tmp_path / "reference.sqlite")
    assert {n for n, _ in stored(store).values()} == {1} and len(stored(store)) == 24
    db = Store(store)
    assert (
        db.frontier_pending("mini") == [] and db.db.execute("SELECT COUNT(*) FROM locks").fetchone()[0] == 0
    )
    assert all(run.ended for run in db.runs("mini", 100))  # killed runs were closed by the next run


def report(rng: random.Random, lines: list[str], n: int) -> str:
    """A report-like text: a title, a formula opening, shuffled seed paragraphs, template junk between them."""
    body = rng.sample(lines, min(len(lines), 30))
    junk = ["共2页，当前第1页12", "点击下载完整版Word文档", f"本文已被浏览{rng.randrange(100, 999)}次"]
    for j in junk:
        body.insert(rng.randrange(len(body)), j)
    return f"第{n}号县政府工作报告\n各位代表：\n" + "\n".join(body)


@pytest.fixture(scope="module")
def pipeline_inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A crawl store of 600 documents (every third a copy of another on a second site), and the clean, dedup
    outputs made from it by uninterrupted runs: the inputs and references of the later stages."""
    root = tmp_path_factory.mktemp("pipeline")
    lines = [
        ln for f in sorted(SEEDS.glob("*.txt")) for ln in f.read_text("utf-8").splitlines() if len(ln) > 20
    ]
    rng = random.Random(15)
    store = root / "data" / "crawl.sqlite"
    Store(store).close()
    con = sqlite3.connect(store)
    texts = []
    for i in range(600):
        text = texts[i - 1] + "\n谢谢大家。" if i % 3 == 2 else report(rng, lines, i)
        texts.append(text)
        site = "copies" if i % 3 == 2 else "reports"
        con.execute(
            "INSERT INTO documents (site, url, version, title, date, text, page_urls, complete, content_hash, "
            "encoding, first_seen, fetched_at, rule_version) VALUES (?,?,1,?,NULL,?,?,1,?, 'utf-8', ?, ?, 1)",
            (site, f"http://{site}.test/{i}.html", text.split("\n", 1)[0], text,
             json.dumps([f"http://{site}.test/{i}.html"]), f"h{i}", "2026-01-01T00:00:00+00:00",
             "2026-01-01T00:00:00+00:00"),
        )  # fmt: skip
    con.commit()
    con.close()
    env = os.environ | {"BAOGAO_DATA": str(root / "data")}
    clean_seconds = timed_run(baogao("clean", "--store"), env)
    dedup_out = root / "dedup.jsonl"
    dedup_seconds = timed_run(baogao("dedup", "--quiet", str(root / "data" / "clean" / "documents.jsonl"), "-o", str(dedup_out)), env)  # fmt: skip
    return {"root": root, "store": store, "clean": root / "data" / "clean", "dedup": dedup_out,
            "clean_seconds": clean_seconds, "dedup_seconds": dedup_seconds}  # type: ignore[dict-item]  # fmt: skip


def test_clean_store_killed_at_random_moments_writes_the_same_bytes(pipeline_inputs, tmp_path: Path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(pipeline_inputs["store"], data / "crawl.sqlite")
    env = os.environ | {"BAOGAO_DATA": str(data)}
    kill_repeatedly(
        baogao("clean", "--store"), env, pipeline_inputs["clean_seconds"],
        lambda: shutil.rmtree(data / "clean", ignore_errors=True),
    )  # fmt: skip
    timed_run(baogao("clean", "--store"), env)
    assert files(data / "clean") == files(pipeline_inputs["clean"])


def test_dedup_killed_at_random_moments_writes_the_same_bytes(pipeline_inputs, tmp_path: Path):
    out = tmp_path / "out" / "dedup.jsonl"
    cmd = baogao("dedup", "--quiet", str(pipeline_inputs["clean"] / "documents.jsonl"), "-o", str(out))
    kill_repeatedly(
        cmd, dict(os.environ), pipeline_inputs["dedup_seconds"], lambda: out.unlink(missing_ok=True)
    )
    timed_run(cmd, dict(os.environ))
    assert files(out.parent) == {"dedup.jsonl": pipeline_inputs["dedup"].read_bytes()}  # no temp file left


def test_release_killed_at_random_moments_publishes_the_same_bytes(pipeline_inputs, tmp_path: Path):
    def release(corpus: Path) -> list[str]:
        return baogao(
            "release", "--from", str(pipeline_inputs["dedup"]), "--corpus", str(corpus), "--created", CREATED
        )

    env = dict(os.environ)
    seconds = timed_run(release(tmp_path / "reference"), env)
    corpus = tmp_path / "corpus"
    kill_repeatedly(release(corpus), env, seconds, lambda: shutil.rmtree(corpus, ignore_errors=True))
    timed_run(release(corpus), env)
    assert not [p.name for p in corpus.iterdir() if p.name.startswith(".tmp")]  # no temp folder left
    assert sorted(p.name for p in corpus.iterdir() if p.is_dir()) == ["v1"]
    assert files(corpus) == files(tmp_path / "reference")
