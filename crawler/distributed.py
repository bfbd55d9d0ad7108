"""Distributed mode: with BAOGAO_REDIS_URL set, crawler processes share one crawl through Redis (scrapy-redis).

Two components, both inert when BAOGAO_REDIS_URL is empty (see docs/crawl-store.md, "Distributed mode"):
- `SharedQueue` (an add-on) puts the scheduler queue and the duplicate filter in Redis with scrapy-redis,
  persisted and keyed per site: `baogao:<site>:requests` (a sorted set) and `baogao:<site>:dupefilter`.
- `SharedIdle` (an extension) registers the process as a worker of the site's crawl in `baogao:<site>:workers`,
  polls the shared queue, and closes the spider only when the queue is empty and no worker has been busy for
  BAOGAO_REDIS_IDLE_TIMEOUT seconds. The first worker of a new run (no live worker, empty queue) clears the
  previous run's duplicate filter, so every run revisits the site; a queue left by killed workers is resumed.
Every process keeps writing its own crawl store (one per machine, or one file shared on a machine).
"""

from __future__ import annotations

import os
import socket
import warnings
from typing import Any

import redis
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured, ScrapyDeprecationWarning
from scrapy.settings import BaseSettings
from twisted.internet import task

QUEUE_KEY = "baogao:%(spider)s:requests"
DUPEFILTER_KEY = "baogao:%(spider)s:dupefilter"
WORKERS_KEY = "baogao:%(spider)s:workers"
STALE_SECONDS = 60  # a worker not heard from for this long is dead (killed, or its machine is gone)

# Join a site's crawl, atomically: forget dead workers; with no live one and an empty queue this is a new run,
# so drop the last run's fingerprints. A worker's value is "<last seen> <last busy>" in Redis server time.
JOIN = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
local live = 0
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local seen = tonumber(string.match(all[i + 1], '^(%S+)'))
  if all[i] ~= ARGV[1] and seen and now - seen < tonumber(ARGV[2]) then live = live + 1
  elseif all[i] ~= ARGV[1] then redis.call('HDEL', KEYS[1], all[i]) end
end
local fresh = 0
if live == 0 and redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('DEL', KEYS[3])
  fresh = 1
end
redis.call('HSET', KEYS[1], ARGV[1], string.format('%.3f %.3f', now, now))
return {fresh, live}
"""

# Heartbeat: record this worker as seen (and busy, if ARGV[2] is 1); return whether the queue holds requests
# and how many seconds ago the most recently busy live worker was busy.
BEAT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
local last = now
local mine = redis.call('HGET', KEYS[1], ARGV[1])
if ARGV[2] == '0' and mine then last = tonumber(string.match(mine, ' (%S+)$')) or now end
redis.call('HSET', KEYS[1], ARGV[1], string.format('%.3f %.3f', now, last))
local latest = last
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local seen, busy = string.match(all[i + 1], '^(%S+) (%S+)$')
  if seen and now - tonumber(seen) < tonumber(ARGV[3]) and tonumber(busy) > latest then latest = tonumber(busy) end
end
return {redis.call('EXISTS', KEYS[2]), string.format('%.3f', now - latest)}
"""


class RedisUnavailable(RuntimeError):
    """BAOGAO_REDIS_URL is set but Redis does not answer; the message names the URL and the error."""


def redis_url(settings: BaseSettings) -> str:
    """The Redis URL of distributed mode, or "" when the crawl is local (the default)."""
    return str(settings.get("BAOGAO_REDIS_URL") or "")


def check_redis(url: str) -> None:
    """Raise RedisUnavailable unless a Redis server answers PING at `url` (before any crawl starts)."""
    try:
        redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5).ping()
    except (redis.RedisError, ValueError) as exc:
        raise RedisUnavailable(
            f"{url}: Redis does not answer ({exc}); check BAOGAO_REDIS_URL / --redis"
        ) from None


class SharedQueue:
    """Add-on: with BAOGAO_REDIS_URL set, scrapy-redis's scheduler and dupefilter, persisted, keyed per site."""

    def update_settings(self, settings: BaseSettings) -> None:
        url = redis_url(settings)
        if not url:
            return  # a local crawl: Scrapy's own scheduler and the crawl store's frontier
        # scrapy-redis 0.9.1 still passes spider= to the stats (deprecated since Scrapy 2.14): not the user's concern
        warnings.filterwarnings(
            "ignore",
            message="Passing a 'spider' argument to StatsCollector",
            category=ScrapyDeprecationWarning,
        )
        for name, value in {
            "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            "REDIS_URL": url,
            "SCHEDULER_PERSIST": True,  # one worker leaving must not flush what the others still need
            "SCHEDULER_QUEUE_KEY": QUEUE_KEY,
            "SCHEDULER_DUPEFILTER_KEY": DUPEFILTER_KEY,
        }.items():
            settings.set(name, value, priority="addon")


class SharedIdle:
    """Keep a worker open while the site's shared crawl may still produce work; close it when all is done."""

    def __init__(self, crawler: Crawler, url: str, idle_timeout: float, poll: float) -> None:
        self.crawler = crawler
        self.server = redis.Redis.from_url(url)
        self.idle_timeout = idle_timeout
        self.poll = poll
        self.worker = f"{socket.gethostname()}:{os.getpid()}"
        self.keys: list[str] = []
        self.loop: task.LoopingCall | None = None
        self._join = self.server.register_script(JOIN)
        self._beat = self.server.register_script(BEAT)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedIdle:
        url = redis_url(crawler.settings)
        if not url:
            raise NotConfigured
        ext = cls(
            crawler,
            url,
            crawler.settings.getfloat("BAOGAO_REDIS_IDLE_TIMEOUT"),
            crawler.settings.getfloat("BAOGAO_REDIS_POLL"),
        )
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        site = {"spider": spider.name}
        self.keys = [WORKERS_KEY % site, QUEUE_KEY % site, DUPEFILTER_KEY % site]
        fresh, live = self._join(keys=self.keys, args=[self.worker, STALE_SECONDS])
        self.crawler.stats.set_value("baogao/redis/run", "new" if fresh else "joined")
        spider.logger.info(
            "shared crawl of %s: %s (%d other live workers)",
            spider.name,
            "new run" if fresh else "joined",
            live,
        )
        self.loop = task.LoopingCall(self.heartbeat)
        self.loop.start(self.poll, now=False)

    def beat(self, busy: bool) -> tuple[bool, float]:
        """(shared queue has requests, seconds since any live worker was busy) after recording this worker."""
        queued, quiet = self._beat(keys=self.keys[:2], args=[self.worker, int(busy), STALE_SECONDS])
        return bool(queued), float(quiet)

    def heartbeat(self) -> None:
        engine = self.crawler.engine
        if engine is None or engine.spider is None:
            return
        try:
            self.beat(busy=not engine.spider_is_idle())
        except RuntimeError:  # the engine is closing the spider: nothing left to report
            return
        except redis.RedisError as exc:
            engine.spider.logger.warning("shared crawl heartbeat failed: %s", exc)
        _poke(engine)

    def spider_idle(self, spider: Spider) -> None:
        """Raise DontCloseSpider while requests are queued or another worker was busy recently."""
        queued, quiet = self.beat(busy=False)
        if queued or quiet < self.idle_timeout:
            raise DontCloseSpider
        spider.logger.info("shared queue drained and no worker busy for %.1f s: closing", quiet)

    def spider_closed(self, spider: Spider) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.keys:
            self.server.hdel(self.keys[0], self.worker)


def _poke(engine: Any) -> None:
    """Ask the engine to read the scheduler now, not at its next 5-second heartbeat (an idle worker would
    otherwise notice requests pushed by other workers only that late). Without the private attribute this
    silently falls back to Scrapy's own heartbeat."""
    nextcall = getattr(getattr(engine, "_slot", None), "nextcall", None)
    if nextcall is not None:
        nextcall.schedule()
