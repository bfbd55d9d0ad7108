"""Scrapy settings for baogao (scrapy.cfg points here): polite defaults and every baogao component in order.

Custom settings (all start with BAOGAO_):
- BAOGAO_STORE: path of the SQLite crawl store; default $BAOGAO_DATA/crawl.sqlite, else ./data/crawl.sqlite.
- BAOGAO_SITES_DIR: folder of site rules (`<name>.yaml`); default $BAOGAO_SITES_DIR, else crawler/sites/.
- BAOGAO_FORCE: revalidate every stored page now (conditional GET), ignoring the rule's refresh_hours.
- BAOGAO_NO_DELAY: ignore the rules' politeness delays and AutoThrottle (tests and bench/ on loopback only);
  also set by the environment variable BAOGAO_NO_DELAY=1.
- BAOGAO_STORE_CACHE_ENABLED: the incremental cache middleware (off = refetch everything, still stored once).
- BAOGAO_REQUIRE_TEXT_ENABLED: drop documents with an empty body (counted as errors/empty_body).
- BAOGAO_RETRY_BACKOFF_BASE / _MAX: seconds before a retry (doubled per retry, capped); 0 turns it off.
- BAOGAO_LOCK_ENABLED: one crawl per site at a time (a lock row in the store); a second run exits at once.
- BAOGAO_LOCK_HEARTBEAT / BAOGAO_LOCK_LEASE: seconds between the lock holder's heartbeats (default 30) and the
  age after which a heartbeat counts as dead and the next run takes the lock over (default 180; the
  environment variables of the same names set them too). A lock is broken by hand with
  `baogao frontier SITE --unlock` (crawler/locks.py, docs/operations.md).
  Not taken in distributed mode (BAOGAO_REDIS_URL), where several processes share one crawl on purpose.
- BAOGAO_RUNS_ENABLED: write run records and release the site lock (off only in unusual embeddings).
- BAOGAO_REDIS_URL: distributed mode (crawler/distributed.py); default $BAOGAO_REDIS_URL, empty = off. Set,
  the request queue and duplicate filter live in Redis (scrapy-redis, persisted, keyed per site) so several
  processes on one or many machines share one crawl; the site lock is skipped (the processes crawl the same
  site on purpose, and Redis, not the lock, keeps them from fetching a page twice) and the store's frontier
  is not used (the Redis queue is what a restarted worker resumes from). Each process still writes to its
  crawl store: one per machine, or one file shared by the processes on a machine (WAL + busy timeout).
- BAOGAO_REDIS_IDLE_TIMEOUT: seconds a worker waits, with the shared queue empty and no worker busy, before
  it exits (default 30, or $BAOGAO_REDIS_IDLE_TIMEOUT); BAOGAO_REDIS_POLL: seconds between a worker's
  heartbeats (and queue polls). A worker takes at most its rule's politeness.concurrency requests from the
  shared queue at a time, so the others find work; politeness is per process (N workers, N times the load).
- BAOGAO_SANDBOX_URL: the sandbox's URL for rules whose start URLs say ${BAOGAO_SANDBOX_URL}, when the
  environment variable of that name cannot be set (scrapyd: `-d setting=BAOGAO_SANDBOX_URL=http://…`).
A rule's politeness (delay, concurrency) overrides DOWNLOAD_DELAY and CONCURRENT_REQUESTS_PER_DOMAIN per
site; AutoThrottle then only slows down from there.
"""

from __future__ import annotations

import os
from pathlib import Path

BOT_NAME = "baogao"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Politeness -------------------------------------------------------------------------------------------
USER_AGENT = "baogao/0.1 (+https://github.com/baogao)"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_DELAY = 1.0  # replaced per site by the rule's politeness.delay
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2  # replaced per site by the rule's politeness.concurrency
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024  # a report page is well under 1 MB; refuse anything huge
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024

# Retries: 5xx and timeouts/connection errors with exponential backoff; never 4xx (a 404 stays a 404).
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524]
BAOGAO_RETRY_BACKOFF_BASE = 1.0  # seconds before the first retry, doubled for each next one (RetryBackoff)
BAOGAO_RETRY_BACKOFF_MAX = 60.0

# Redirects are followed (RedirectMiddleware); the stored page is the final URL.
REDIRECT_ENABLED = True
REDIRECT_MAX_TIMES = 5

# No HTTP cache of Scrapy's own: the crawl store is the cache (StoreCache below).
HTTPCACHE_ENABLED = False
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

# baogao components, with their order ---------------------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    # 580: inside HttpCompression (590) and Redirect (600), outside Retry (550): sees final, decompressed
    # bodies, answers fresh pages from the store and turns 304s into the stored bytes.
    "crawler.middlewares.StoreCache": 580,
    # 560: just outside Retry (550) on the way out, so a retried request waits before it is sent again.
    "crawler.middlewares.RetryBackoff": 560,
    # 610: just outside Redirect (600), so it sees each 3xx first and names a redirect loop (else the
    # duplicate filter silently drops the loop's second visit, and the article with it).
    "crawler.middlewares.RedirectGuard": 610,
}
ITEM_PIPELINES = {
    "crawler.pipelines.RequireText": 100,  # drop empty bodies first, with a reason
    "crawler.pipelines.StoreDocuments": 800,  # then write the document version and close its frontier row
}
EXTENSIONS = {
    "crawler.extensions.RunRecorder": 500,  # run record, broken-rule flag, lock release
    "crawler.distributed.SharedIdle": 510,  # distributed mode only: worker registry, shared idle close
    "crawler.locks.LockHeartbeat": 520,  # keeps the site lock's lease alive while the crawl runs
}
ADDONS = {
    "crawler.distributed.SharedQueue": 100,  # distributed mode only: scrapy-redis scheduler + dupefilter
}

BAOGAO_STORE = str(Path(os.environ.get("BAOGAO_DATA", "data")).resolve() / "crawl.sqlite")
BAOGAO_SITES_DIR = os.environ.get("BAOGAO_SITES_DIR", "")  # empty: crawler/sites/ next to rules.py
BAOGAO_FORCE = False
BAOGAO_NO_DELAY = os.environ.get("BAOGAO_NO_DELAY", "") == "1"
BAOGAO_STORE_CACHE_ENABLED = True
BAOGAO_REQUIRE_TEXT_ENABLED = True
BAOGAO_LOCK_ENABLED = True
BAOGAO_LOCK_HEARTBEAT = float(os.environ.get("BAOGAO_LOCK_HEARTBEAT") or 30)
BAOGAO_LOCK_LEASE = float(os.environ.get("BAOGAO_LOCK_LEASE") or 180)
BAOGAO_RUNS_ENABLED = True
BAOGAO_REDIS_URL = os.environ.get("BAOGAO_REDIS_URL", "")
BAOGAO_REDIS_IDLE_TIMEOUT = float(os.environ.get("BAOGAO_REDIS_IDLE_TIMEOUT") or 30)
BAOGAO_REDIS_POLL = 0.5
BAOGAO_SANDBOX_URL = ""  # empty: the environment variable BAOGAO_SANDBOX_URL

COMMANDS_MODULE = "crawler.commands"  # `scrapy crawl` exits non-zero when a spider fails to start
