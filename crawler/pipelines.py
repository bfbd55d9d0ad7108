"""Item pipelines: `RequireText` refuses empty documents with a reason; `StoreDocuments` writes the rest.

Both read the store path in from_crawler and work on plain `RawDocument`s in process_item.
"""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.statscollectors import StatsCollector

from crawler.items import RawDocument
from crawler.store import Store, open_store


class RequireText:
    """Drop a document whose body selector matched no text (counted as errors/empty_body)."""

    def __init__(self, store: Store, stats: StatsCollector) -> None:
        self.store = store
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RequireText:
        if not crawler.settings.getbool("BAOGAO_REQUIRE_TEXT_ENABLED", True):
            raise NotConfigured
        return cls(open_store(crawler.settings["BAOGAO_STORE"]), crawler.stats)

    def process_item(self, item: RawDocument) -> RawDocument:
        if item.text.strip():
            return item
        self.stats.inc_value("baogao/errors/empty_body")
        if item.frontier_url:
            self.store.frontier_done(item.site, item.frontier_url)
        raise DropItem(f"{item.url}: empty body (article.body matched no text)")


class StoreDocuments:
    """Write the document (a new version only when its text changed) and mark its frontier row done."""

    def __init__(self, store: Store, stats: StatsCollector) -> None:
        self.store = store
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoreDocuments:
        return cls(open_store(crawler.settings["BAOGAO_STORE"]), crawler.stats)

    def process_item(self, item: RawDocument) -> RawDocument:
        page_ids = [self.store.page_id(u, h) for u, h in zip(item.page_urls, item.page_hashes, strict=True)]
        state = self.store.save_document(item.to_record(), page_ids, item.frontier_url)
        self.stats.inc_value(f"baogao/documents/{state}")
        if item.fffd:
            self.stats.inc_value("baogao/errors/encoding_fffd", item.fffd)
        if not item.complete:
            self.stats.inc_value("baogao/documents/incomplete")
        return item
