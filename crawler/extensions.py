"""`RunRecorder`: writes a run record per site crawl, flags probably broken rules, releases the site lock.

A run row is written when the spider opens (so a killed run shows as unfinished in `baogao runs`) and
completed when it closes: pages, new / changed / unchanged documents, errors by kind (from the
`baogao/errors/*` stats, plus `retried` from Scrapy's retry stats). A run that stored no documents, or
whose documents were mostly empty, gets the flag `probably_broken_rule`. Only a run that finished
normally clears the site's frontier; any other end leaves it for the next run to resume.
"""

from __future__ import annotations

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.store import RunRecord, Store, StoreWriteError, halt, now, open_store

BROKEN = "probably_broken_rule"


def summarize(stats: dict[str, object], run_id: int, site: str, started: str) -> RunRecord:
    """A RunRecord from a crawl's stats (pure, so it is testable without a crawl)."""

    def get(key: str) -> int:
        return int(stats.get(key, 0) or 0)  # type: ignore[call-overload]

    errors = {
        k.removeprefix("baogao/errors/"): int(v)  # type: ignore[call-overload]
        for k, v in stats.items()
        if k.startswith("baogao/errors/")
    }
    if get("retry/count"):
        errors["retried"] = get("retry/count")
    counts = {k: get(f"baogao/pages/{k}") for k in ("fetched", "stored", "revalidated", "cached")}
    record = RunRecord(
        id=run_id,
        site=site,
        started=started,
        ended=now(),
        pages=counts["fetched"] + counts["revalidated"] + counts["cached"],
        page_counts={k: v for k, v in counts.items() if v},
        new=get("baogao/documents/new"),
        changed=get("baogao/documents/changed"),
        unchanged=get("baogao/documents/unchanged"),
        errors=errors,
    )
    empty = errors.get("empty_body", 0)
    # one worker of a shared (Redis) crawl may store nothing because the others took the articles; it is a
    # broken rule only if its list pages showed no articles
    none_expected = "baogao/redis/run" in stats and not errors.get("list_without_articles")
    stopped = "baogao/halted" in stats  # a full store stopped it: the rule is not to blame
    if ((record.documents == 0 and not none_expected) or empty > record.documents) and not stopped:
        record.flags.append(BROKEN)
    if get("baogao/resumed_from"):
        record.flags.append("resumed")
    if "baogao/redis/run" in stats:
        record.flags.append("shared")  # one worker's share of a distributed crawl (crawler/distributed.py)
    return record


class RunRecorder:
    """Record each run in the store's `runs` table and release the site's lock when the spider closes."""

    def __init__(self, crawler: Crawler, store_path: str) -> None:
        self.crawler = crawler
        self.store_path = store_path
        self.run_id = 0
        self.started = ""

    @property
    def store(self) -> Store:
        return open_store(self.store_path)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunRecorder:
        if not crawler.settings.getbool("BAOGAO_RUNS_ENABLED", True):
            raise NotConfigured
        ext = cls(crawler, crawler.settings["BAOGAO_STORE"])
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        if not hasattr(spider, "rule"):  # not a SiteSpider (e.g. `scrapy shell`): nothing to record
            return
        self.started = now()
        try:
            self.run_id = self.store.start_run(
                spider.name, close_earlier=not getattr(spider, "shared", False)
            )
        except StoreWriteError as exc:
            halt(self.crawler, exc)
            return
        self.crawler.stats.set_value("baogao/run_id", self.run_id)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if not self.run_id:
            return
        record = summarize(self.crawler.stats.get_stats(), self.run_id, spider.name, self.started)
        if reason != "finished":
            record.flags.append(f"stopped_{reason}")
        try:
            self.store.finish_run(record)
            if reason == "finished":
                self.store.frontier_clear(spider.name)
            self.store.release_lock(spider.name)
        except StoreWriteError as exc:  # the next run closes this record as interrupted and takes the lock
            spider.logger.error("run %d not closed: %s", record.id, exc)
        spider.logger.info("run %d: %s", record.id, record)
