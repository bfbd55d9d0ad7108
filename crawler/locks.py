"""Site locks with a lease: one crawl per site at a time, and a lock whose holder is gone expires by itself.

A lock row names its holder (pid, host), when it started and its last `heartbeat`; the holder refreshes the
heartbeat every BAOGAO_LOCK_HEARTBEAT seconds (`LockHeartbeat`). The next run takes the lock over when the
heartbeat is older than the lease (BAOGAO_LOCK_LEASE: another host's crash, a re-created container, a PID the
kernel gave to another process), or at once when the holder's pid is dead on this host. Anything else is
refused with a message saying how to break the lock by hand: `baogao frontier SITE --unlock`
(docs/operations.md).
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

if TYPE_CHECKING:
    from crawler.store import Store

LEASE_SECONDS = 180.0  # a heartbeat older than this means the holder is gone


class SiteLocked(RuntimeError):
    """Another live process is crawling this site; the message says who, since when, and how to break it."""


def pid_alive(pid: int) -> bool:
    """True when `pid` is a running (not zombie) process on this host."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def seconds_since(stamp: str) -> float:
    return (datetime.now(UTC) - datetime.fromisoformat(stamp)).total_seconds()


def holder() -> tuple[int, str]:
    return os.getpid(), socket.gethostname()


def stale_reason(row: Any, lease: float) -> str | None:
    """Why a lock row held by another process may be taken over ("heartbeat 600 s old", "pid 12 is dead"), or None."""
    age = seconds_since(row["heartbeat"] or row["started"])
    if age > lease:
        return f"its heartbeat is {age:.0f} s old (lease {lease:.0f} s)"
    if row["host"] == socket.gethostname() and not pid_alive(row["pid"]):
        return f"pid {row['pid']} is no longer running"
    return None


def acquire(store: Store, site: str, lease: float = LEASE_SECONDS) -> str | None:
    """Take the site's lock, or raise SiteLocked; returns why a previous holder's lock was taken over, if it was."""
    pid, host = holder()
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    with store.tx() as db:
        row = db.execute("SELECT * FROM locks WHERE site = ?", (site,)).fetchone()
        taken_over = None
        if row and (row["pid"], row["host"]) != (pid, host):
            taken_over = stale_reason(row, lease)
            if taken_over is None:
                raise SiteLocked(
                    f"{site}: already being crawled by pid {row['pid']} on {row['host']} since {row['started']} "
                    f"(heartbeat {seconds_since(row['heartbeat'] or row['started']):.0f} s ago); not starting a "
                    f"second run. If that process is gone, wait {lease:.0f} s or run `baogao frontier {site} --unlock`"
                )
            taken_over = f"took over the lock of pid {row['pid']} on {row['host']}: {taken_over}"
        db.execute(
            "INSERT OR REPLACE INTO locks (site, pid, host, started, heartbeat) VALUES (?,?,?,?,?)",
            (site, pid, host, row["started"] if row and not taken_over else stamp, stamp),
        )
        return taken_over


def beat(store: Store, site: str) -> bool:
    """Refresh this process's heartbeat on the site's lock; False when the lock is no longer ours."""
    pid, host = holder()
    with store.tx() as db:
        cur = db.execute(
            "UPDATE locks SET heartbeat = ? WHERE site = ? AND pid = ? AND host = ?",
            (datetime.now(UTC).isoformat(timespec="seconds"), site, pid, host),
        )
        return cur.rowcount == 1


def release(store: Store, site: str) -> None:
    """Drop this process's lock on the site (another holder's lock is left alone)."""
    pid, host = holder()
    with store.tx() as db:
        db.execute("DELETE FROM locks WHERE site = ? AND pid = ? AND host = ?", (site, pid, host))


def current(store: Store, site: str) -> dict[str, Any] | None:
    """The site's lock row with `age` (seconds since its heartbeat), or None when nobody holds it."""
    row = store.db.execute("SELECT * FROM locks WHERE site = ?", (site,)).fetchone()
    return None if row is None else dict(row) | {"age": seconds_since(row["heartbeat"] or row["started"])}


def break_lock(store: Store, site: str) -> dict[str, Any] | None:
    """Remove the site's lock whoever holds it; returns the row removed (None when there was none)."""
    with store.tx() as db:
        row = db.execute("SELECT * FROM locks WHERE site = ?", (site,)).fetchone()
        db.execute("DELETE FROM locks WHERE site = ?", (site,))
        return dict(row) if row else None


class LockHeartbeat:
    """Refresh the site lock's heartbeat while the spider runs; close the spider if the lock was taken away."""

    def __init__(self, crawler: Crawler, store_path: str, interval: float) -> None:
        self.crawler = crawler
        self.store_path = store_path
        self.interval = interval
        self.loop: task.LoopingCall | None = None
        self.site = ""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LockHeartbeat:
        settings = crawler.settings
        if not settings.getbool("BAOGAO_LOCK_ENABLED", True) or settings.get("BAOGAO_REDIS_URL"):
            raise NotConfigured
        ext = cls(crawler, settings["BAOGAO_STORE"], settings.getfloat("BAOGAO_LOCK_HEARTBEAT"))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        if not hasattr(spider, "rule"):
            return
        self.site = spider.name
        self.loop = task.LoopingCall(self.heartbeat)
        self.loop.start(self.interval, now=True)

    def heartbeat(self) -> None:
        from crawler.store import StoreWriteError, halt, open_store

        engine = self.crawler.engine
        try:
            if beat(open_store(self.store_path), self.site) or engine is None or engine.spider is None:
                return
        except StoreWriteError as exc:
            halt(self.crawler, exc)
            return
        engine.spider.logger.error("%s: the site lock was taken by another run; stopping this one", self.site)
        self.crawler.stats.inc_value("baogao/errors/lock_lost")
        if self.loop is not None:
            self.loop.stop()
        deferred_from_coro(engine.close_spider_async(reason="lock_lost"))

    def spider_closed(self, spider: Spider) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
