"""Item pipelines: `RequireText` refuses empty documents with a reason; `StoreDocuments` writes the rest.

Both read the store path in from_crawler and work on the crawled `Document`s in process_item.
"""

from __future__ import annotations

from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.statscollectors import StatsCollector

from corpus.document import Document
from crawler.store import Store, StoreWriteError, halt, open_store


class _StorePipeline:
    """A pipeline over the crawl store and the crawl's stats; BAOGAO_<SWITCH>_ENABLED can turn it off."""

    switch = ""

    def __init__(self, store_path: str, stats: StatsCollector, crawler: Crawler | None = None) -> None:
        self.store_path = store_path
        self.stats = stats
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if cls.switch and not crawler.settings.getbool(f"BAOGAO_{cls.switch}_ENABLED", True):
            raise NotConfigured
        return cls(crawler.settings["BAOGAO_STORE"], crawler.stats, crawler)

    @property
    def store(self) -> Store:
        """Opened on the first item, so a crawl that yields nothing of ours never creates a store."""
        return open_store(self.store_path)


def refuse(pipeline: _StorePipeline, exc: StoreWriteError) -> DropItem:
    """Stop the crawl and drop the item quietly: halt() has said why, once (not a traceback per item)."""
    halt(pipeline.crawler, exc)
    return DropItem(str(exc), log_level="DEBUG")


class RequireText(_StorePipeline):
    """Drop a document whose body selector matched no text (counted as errors/empty_body)."""

    switch = "REQUIRE_TEXT"

    def process_item(self, item: Document) -> Document:
        if item.text.strip():
            return item
        self.stats.inc_value("baogao/errors/empty_body")
        if item.provenance.frontier_url:
            try:
                self.store.frontier_done(item.site, item.provenance.frontier_url)
            except StoreWriteError as exc:
                raise refuse(self, exc) from None
        raise DropItem(f"{item.url}: empty body (article.body matched no text)")


class StoreDocuments(_StorePipeline):
    """Write the document (a new version only when its text changed) and mark its frontier row done."""

    def process_item(self, item: Document) -> Document:
        p = item.provenance
        page_ids = [self.store.page_id(u, h) for u, h in zip(p.pages, p.page_hashes, strict=True)]
        try:
            state = self.store.save_document(item, page_ids)
        except StoreWriteError as exc:
            raise refuse(self, exc) from None
        self.stats.inc_value(f"baogao/documents/{state}")
        if fffd := item.text.count("\ufffd") + item.title.count("\ufffd"):
            self.stats.inc_value("baogao/errors/encoding_fffd", fffd)
        if not p.complete:
            self.stats.inc_value("baogao/documents/incomplete")
        return item
