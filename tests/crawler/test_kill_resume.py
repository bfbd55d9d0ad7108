"""A crawl killed with SIGKILL resumes without losing or duplicating documents; overlapping runs are refused."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from crawlrun import REPO, crawl_cmd, crawl_env, last_run, run_crawl
from minisite import MiniSite

from crawler.store import Store

pytestmark = pytest.mark.slow


def stored_documents(store: Path) -> int:
    if not store.exists():
        return 0
    try:
        return Store(store).db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    except Exception:  # schema not created yet
        return 0


def test_sigkill_mid_crawl_then_rerun_stores_every_article_exactly_once(tmp_path: Path):
    site = MiniSite(20, delay=0.5).start()
    try:
        site.write_rule(tmp_path / "sites", concurrency=1)
        store, env = tmp_path / "crawl.sqlite", crawl_env(tmp_path / "sites")
        first = subprocess.Popen(
            crawl_cmd(store, "mini"), env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while stored_documents(store) < 3 and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.05)
        site.delay = (
            5  # keep the first crawl mid-run however slowly the second process starts on a busy machine
        )

        # meanwhile a second run of the same site (an overlapping cron tick) exits at once
        second = run_crawl(store, "mini", env=env)
        assert second.returncode == 1
        assert f"mini: already being crawled by pid {first.pid}" in second.stderr

        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        before = stored_documents(store)
        assert 3 <= before < 20, "the crawl should have been killed mid-run"
        assert Store(store).frontier_pending("mini"), "the killed run left its frontier"

        site.delay = 0
        resumed = run_crawl(store, "mini", env=env)  # takes over the dead pid's lock
        assert resumed.returncode == 0, resumed.stderr
    finally:
        site.stop()
    db = Store(store)
    rows = db.db.execute(
        "SELECT url, COUNT(*) AS n, MAX(version) AS v FROM documents GROUP BY url"
    ).fetchall()
    assert sorted(r["url"].rsplit("/", 1)[-1] for r in rows) == sorted(f"{k}.html" for k in range(1, 21))
    assert {(r["n"], r["v"]) for r in rows} == {(1, 1)}
    run = last_run(store, "mini")
    assert "resumed" in run.flags and run.new == 20 - before
    assert (
        db.frontier_pending("mini") == [] and db.db.execute("SELECT COUNT(*) FROM locks").fetchone()[0] == 0
    )
    assert site.hits["/list.html"] == 1  # the resumed run did not start over


def test_ctrl_c_stops_cleanly_records_the_run_and_the_next_run_resumes(tmp_path: Path):
    site = MiniSite(20, delay=0.5).start()
    try:
        site.write_rule(tmp_path / "sites", concurrency=1)
        store, env = tmp_path / "crawl.sqlite", crawl_env(tmp_path / "sites")
        first = subprocess.Popen(
            crawl_cmd(store, "mini"), env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while stored_documents(store) < 2 and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.05)
        first.send_signal(signal.SIGINT)
        first.wait(timeout=60)
        db = Store(store)
        stopped = last_run(store, "mini")
        assert stopped.ended is not None and "stopped_shutdown" in stopped.flags
        assert db.db.execute("SELECT COUNT(*) FROM locks").fetchone()[0] == 0  # released on a clean stop
        assert db.frontier_pending("mini")
        site.delay = 0
        assert run_crawl(store, "mini", env=env).returncode == 0
    finally:
        site.stop()
    assert len(Store(store).latest_documents("mini")) == 20
    assert Store(store).db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 20
    assert "resumed" in last_run(store, "mini").flags
