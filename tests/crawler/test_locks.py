"""Site locks expire: a holder on another host or behind a reused PID stops blocking once its lease runs out,
and an operator can see and break a lock and clear a frontier with `baogao frontier`."""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from crawlrun import REPO, crawl_cmd, crawl_env
from minisite import MiniSite

from baogao.cli import main
from crawler.store import SiteLocked, Store


def stamp(seconds_ago: float) -> str:
    return (datetime.now(UTC) - timedelta(seconds=seconds_ago)).isoformat(timespec="seconds")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "crawl.sqlite")


def hold(store: Store, pid: int, host: str, heartbeat_age: float) -> None:
    store.db.execute(
        "INSERT INTO locks (site, pid, host, started, heartbeat) VALUES ('mini', ?, ?, ?, ?)",
        (pid, host, stamp(3600), stamp(heartbeat_age)),
    )


def holder_pid(store: Store) -> int:
    return store.db.execute("SELECT pid FROM locks WHERE site = 'mini'").fetchone()["pid"]


def test_another_hosts_lock_with_a_fresh_heartbeat_blocks_and_says_how_to_break_it(store: Store):
    hold(store, 4242, "old-container", heartbeat_age=5)
    with pytest.raises(SiteLocked) as err:
        store.acquire_lock("mini")
    assert "mini: already being crawled by pid 4242 on old-container" in str(err.value)
    assert "run `baogao frontier mini --unlock`" in str(err.value)


def test_another_hosts_lock_whose_heartbeat_outlived_the_lease_is_taken_over(store: Store):
    hold(store, 4242, "old-container", heartbeat_age=600)
    reason = store.acquire_lock("mini", lease=180)
    assert re.fullmatch(
        r"took over the lock of pid 4242 on old-container: its heartbeat is 60\d s old \(lease 180 s\)",
        reason,
    )
    assert holder_pid(store) == os.getpid()


def test_a_reused_pid_on_this_host_does_not_hold_the_lock_past_its_lease(store: Store):
    hold(store, os.getppid(), socket.gethostname(), heartbeat_age=600)  # a live process, but not a crawl
    assert store.acquire_lock("mini", lease=180) is not None
    assert holder_pid(store) == os.getpid()


def test_a_store_from_before_leases_opens_and_its_old_lock_expires(tmp_path: Path):
    con = sqlite3.connect(tmp_path / "crawl.sqlite")
    con.execute(
        "CREATE TABLE locks (site TEXT PRIMARY KEY, pid INTEGER NOT NULL, host TEXT NOT NULL, started TEXT NOT NULL)"
    )
    con.execute("INSERT INTO locks VALUES ('mini', 4242, 'gone-host', ?)", (stamp(86400),))
    con.commit()
    con.close()
    assert re.search(r"heartbeat is 864\d\d s old", Store(tmp_path / "crawl.sqlite").acquire_lock("mini"))


def frontier(store: Store, *args: str):
    return CliRunner().invoke(main, ["frontier", "mini", "--store", str(store.path), *args])


def test_frontier_shows_the_lock_and_pending_urls_and_unlock_breaks_the_lock(store: Store):
    hold(store, 4242, "old-container", heartbeat_age=5)
    store.frontier_start("mini", [("not a url", "list", {"n": 1})])
    shown = frontier(store)
    assert shown.exit_code == 0, shown.output
    assert shown.output.splitlines()[0].startswith("mini: locked by pid 4242 on old-container since ")
    assert shown.output.splitlines()[1:] == [
        "mini: 1 URLs pending (the next run resumes from them)",
        "  list\tnot a url",
    ]
    refused = frontier(store, "--clear")
    assert refused.exit_code == 1 and "mini: a crawl holds the lock" in refused.output
    assert store.frontier_pending("mini")
    broken = frontier(store, "--unlock", "--clear")
    assert broken.exit_code == 0, broken.output
    assert broken.output.splitlines()[0].startswith("mini: removed the lock of pid 4242 on old-container")
    assert broken.output.splitlines()[1:] == [
        "mini: not locked",
        "mini: cleared 1 pending URLs; the next run starts from the start URLs",
    ]
    assert store.frontier_pending("mini") == []
    store.acquire_lock("mini")  # nothing blocks the next run


def crawl_in_background(tmp_path: Path, site: MiniSite, heartbeat: str) -> tuple[subprocess.Popen, Path]:
    """`baogao crawl mini` started against `site` with a short heartbeat; (process, store path)."""
    site.write_rule(tmp_path / "sites", concurrency=1)
    db_path, env = tmp_path / "crawl.sqlite", crawl_env(tmp_path / "sites", BAOGAO_LOCK_HEARTBEAT=heartbeat)
    cmd = crawl_cmd(db_path, "mini")
    return subprocess.Popen(
        cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    ), db_path


def query(db_path: Path, sql: str) -> sqlite3.Row | None:
    """One row from the store a running crawl writes, or None while it does not exist yet."""
    try:
        return Store(db_path).db.execute(sql).fetchone() if db_path.exists() else None
    except sqlite3.OperationalError:
        return None


@pytest.mark.slow
def test_a_running_crawl_keeps_its_heartbeat_fresh_and_releases_the_lock(tmp_path: Path):
    site = MiniSite(6, delay=0.7).start()
    try:
        proc, db_path = crawl_in_background(tmp_path, site, "0.5")
        beats = set()
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            if row := query(db_path, "SELECT heartbeat FROM locks WHERE site = 'mini'"):
                beats.add(row["heartbeat"])
            time.sleep(0.2)
        assert proc.wait(timeout=60) == 0
    finally:
        site.stop()
    assert len(beats) >= 3  # one-second stamps: the lease was renewed during a crawl of ~5 s
    assert Store(db_path).db.execute("SELECT COUNT(*) FROM locks").fetchone()[0] == 0


@pytest.mark.slow
def test_a_crawl_whose_lock_is_broken_stops_at_its_next_heartbeat(tmp_path: Path):
    site = MiniSite(20, delay=0.5).start()
    try:
        proc, db_path = crawl_in_background(tmp_path, site, "0.3")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if (row := query(db_path, "SELECT COUNT(*) AS n FROM documents")) and row["n"] >= 2:
                break
            time.sleep(0.1)
        broken = CliRunner().invoke(main, ["frontier", "mini", "--store", str(db_path), "--unlock"])
        assert broken.exit_code == 0 and "removed the lock of pid" in broken.output
        proc.wait(timeout=30)
    finally:
        site.stop()
    run = Store(db_path).runs("mini", 1)[0]
    assert "stopped_lock_lost" in run.flags and run.errors.get("lock_lost") == 1
    assert run.new < 20 and Store(db_path).frontier_pending("mini")  # the next run resumes the rest
