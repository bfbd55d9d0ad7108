"""A crawl whose store cannot grow (a full disk) stops with one line, leaves only whole rows, closes its run
record as failed (or the next run does), and the next run with space resumes and stores every article once.

The failure is real: the crawl runs under RLIMIT_FSIZE, so the kernel refuses SQLite's writes (EFBIG). Two
limits fail at two moments: while the run starts (schema, run row, frontier) and mid-crawl.
"""

from __future__ import annotations

import resource
import subprocess
from pathlib import Path

import pytest
from crawlrun import REPO, crawl_cmd, crawl_env, run_crawl
from minisite import MiniSite

from crawler.store import Store

pytestmark = pytest.mark.slow  # real crawls in subprocesses


@pytest.mark.parametrize("limit", [80_000, 120_000])
def test_full_disk_mid_crawl_is_one_line_and_the_next_run_resumes(tmp_path: Path, limit: int):
    site = MiniSite(40).start()
    try:
        site.write_rule(tmp_path / "sites")
        store, env = tmp_path / "crawl.sqlite", crawl_env(tmp_path / "sites")
        full = subprocess.run(
            crawl_cmd(store, "mini"),
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)),
        )
        assert full.returncode == 1
        assert "Traceback" not in full.stderr
        assert (
            full.stderr.strip().splitlines()[-1].startswith(f"Error: cannot write the crawl store {store} (")
        )
        assert full.stderr.strip().endswith("free space and run again: the crawl resumes where it stopped")
        db = Store(store)
        assert db.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] < 40
        db.close()
        again = run_crawl(store, "mini", env=env)
        assert again.returncode == 0, again.stderr
    finally:
        site.stop()
    db = Store(store)
    per_url = db.db.execute("SELECT url, COUNT(*) AS n FROM documents GROUP BY url").fetchall()
    assert len(per_url) == 40 and {r["n"] for r in per_url} == {1}
    runs = db.runs("mini")
    assert all(r.ended for r in runs)  # the failed run was closed, by itself or by the next run
    assert set(runs[-1].flags) & {"stopped_store_write_failed", "interrupted"}
    assert "probably_broken_rule" not in runs[-1].flags
