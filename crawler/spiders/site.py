"""SiteSpider ("site"): one spider for every site, driven by its YAML rule.

    scrapy crawl site -a name=sandbox_essay        # or: baogao crawl sandbox_essay

List pages yield article links (those matching `article.url_pattern`) and the next list page; an article is
followed over its pages (`article.next_page` link or `article.page_url_template`) and merged, in order, into
one Document. Pagination stops on a loop (a page already seen) and at `article.max_pages`. Every URL to
visit is written to the store's frontier first, so a killed run resumes where it stopped. In distributed mode
(BAOGAO_REDIS_URL, crawler/distributed.py) the shared Redis queue and duplicate filter take the frontier's place.
"""

from __future__ import annotations

import os
import pkgutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from corpus.document import Document
from crawler.distributed import redis_url
from crawler.extract import extract, list_links, page_url
from crawler.items import PageResult
from crawler.middlewares import KIND, RedirectLoop, StoreFailed
from crawler.rules import SITES_DIR, SiteRule, check_url, load_rule
from crawler.stitch import stitch
from crawler.store import Store, StoreWriteError, halt, open_store, response_headers


def error_kind(failure: Failure) -> str:
    """A short name for why a request failed: http_404, robots, redirect_loop, body_too_large, timeout, …

    crawler/run.py's PROBLEMS says each in words for the run summary."""
    exc = failure.value
    if isinstance(exc, HttpError):
        return f"http_{exc.response.status}"
    if isinstance(exc, RedirectLoop):
        return "redirect_loop"
    if isinstance(exc, StoreFailed):
        return "store_write_failed"
    message = str(exc).lower()
    if isinstance(exc, IgnoreRequest):
        for phrase, kind in (("robots", "robots"), ("max redirections", "too_many_redirects"),
                             ("during decompression", "decompressed_too_large")):  # fmt: skip
            if phrase in message:
                return kind
    if isinstance(exc, DownloadCancelledError) and "max size" in message:
        return "body_too_large"
    name = type(exc).__name__
    if "Timeout" in name:
        return "timeout"
    if "DNS" in name:
        return "dns"
    if "Connect" in name or "Connection" in name:
        return "connection"
    return name.lower()


def rule_path(sites_dir: str, name: str) -> Path:
    """The rule file of site `name`: in BAOGAO_SITES_DIR if set, else crawler/sites/.

    When the package runs from a zipped egg (scrapyd), crawler/sites/ is not a folder on disk: the packaged
    rule is read with pkgutil and written to a temporary folder, so errors still name a real file.
    """
    if sites_dir or SITES_DIR.is_dir():
        return Path(sites_dir or SITES_DIR) / f"{name}.yaml"
    try:
        data = pkgutil.get_data("crawler", f"sites/{name}.yaml")
    except OSError:
        return SITES_DIR / f"{name}.yaml"  # load_rule says: cannot read
    path = Path(tempfile.mkdtemp(prefix="baogao-sites-")) / f"{name}.yaml"
    path.write_bytes(data or b"")
    return path


class SiteSpider(scrapy.Spider):
    """Crawl one site with its rule: `-a name=NAME` (or `-a site=NAME`), `-a force=1` to revalidate all."""

    name = "site"
    rule: SiteRule
    store: Store
    shared: bool = (
        False  # distributed mode: Redis holds the queue and the seen URLs, not the store's frontier
    )

    def __init__(self, name: str | None = None, site: str | None = None, **kwargs: Any) -> None:
        site = site or (name if name != "site" else None)
        if not site:
            raise ValueError("which site? scrapy crawl site -a name=NAME (a rule in crawler/sites/)")
        super().__init__(name=site, **kwargs)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SiteSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        path = rule_path(settings.get("BAOGAO_SITES_DIR") or "", spider.name)
        spider.rule = load_rule(path)
        spider.logger.info("rule %s version %d from %s", spider.name, spider.rule.version, path)
        spider.allowed_domains = list(spider.rule.allowed_domains)  # type: ignore[attr-defined]
        if sandbox := settings.get("BAOGAO_SANDBOX_URL"):
            os.environ["BAOGAO_SANDBOX_URL"] = sandbox  # what the rule's ${BAOGAO_SANDBOX_URL} resolves from
        spider.store = open_store(settings["BAOGAO_STORE"])
        spider.shared = bool(redis_url(settings))
        if settings.getbool("BAOGAO_LOCK_ENABLED", True) and not spider.shared:
            # raises SiteLocked before any request is made
            if taken_over := spider.store.acquire_lock(spider.name, settings.getfloat("BAOGAO_LOCK_LEASE")):
                spider.logger.warning("%s: %s", spider.name, taken_over)
        if str(kwargs.get("force", "")).lower() in ("1", "true", "yes"):
            settings.set("BAOGAO_FORCE", True, priority="spider")
        if settings.getbool("BAOGAO_NO_DELAY"):
            settings.set("DOWNLOAD_DELAY", 0, priority="spider")
            settings.set("AUTOTHROTTLE_ENABLED", False, priority="spider")
        else:
            settings.set("DOWNLOAD_DELAY", spider.rule.politeness.delay, priority="spider")
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", spider.rule.politeness.concurrency, priority="spider")
        if spider.shared:  # take from the shared queue only what can be fetched now; leave the rest to others
            settings.set("CONCURRENT_REQUESTS", spider.rule.politeness.concurrency, priority="spider")
        return spider

    # requests --------------------------------------------------------------------------------------------
    def _request(self, url: str, kind: str, meta: dict[str, Any]) -> scrapy.Request:
        if kind == "list":
            return scrapy.Request(
                url, self.parse_list, errback=self.failed, meta={KIND: "list", "frontier_url": url, **meta}
            )
        return scrapy.Request(
            url,
            self.parse_article,
            errback=self.failed,
            meta={KIND: "article", "frontier_url": url, "pages": [], **meta},
        )

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """Resume the unfinished run's frontier, or start a fresh one from the rule's start URLs."""
        if self.shared:  # the Redis queue is the frontier; other workers' start URLs are filtered as seen
            for url in self.rule.resolved_start_urls():
                yield self._request(url, "list", {"n": 1})
            return
        pending = self._valid(self.store.frontier_pending(self.name))
        if pending:
            self.crawler.stats.set_value("baogao/resumed_from", len(pending))
            self.logger.info("resuming %d pending URLs of an unfinished run", len(pending))
        else:
            pending = [(u, "list", {"n": 1}) for u in self.rule.resolved_start_urls()]
            try:
                self.store.frontier_start(self.name, pending)
            except StoreWriteError as exc:
                halt(self.crawler, exc)
                return
        for url, kind, meta in pending:
            yield self._request(url, kind, meta)

    def _valid(self, pending: list[tuple[str, str, dict[str, Any]]]) -> list[tuple[str, str, dict[str, Any]]]:
        """The pending entries whose URL can be fetched; others (left by an older, broken rule) are marked done."""
        good = []
        for url, kind, meta in pending:
            try:
                check_url(url)
                good.append((url, kind, meta))
            except ValueError as exc:
                self.logger.warning("dropping a pending URL an older rule left: %s", exc)
                self.crawler.stats.inc_value("baogao/errors/bad_pending_url")
                self.store.frontier_done(self.name, url)
        return good

    def parse_list(self, response: Response) -> Iterator[scrapy.Request]:
        """Queue the list page's articles and its next list page (in the frontier first, then as requests)."""
        articles, next_list = list_links(self.rule, response.url, response.body, response_headers(response))
        n = response.meta.get("n", 1)
        entries: list[tuple[str, str, dict[str, Any]]] = [(u, "article", {}) for u in articles]
        if next_list and n < self.rule.list.max_pages:
            entries.append((next_list, "list", {"n": n + 1}))
        elif next_list:  # the site has more list pages than the rule lets the crawl follow
            self.crawler.stats.inc_value("baogao/errors/list_pages_cut")
        if not articles:
            self.crawler.stats.inc_value("baogao/errors/list_without_articles")
        if self.shared:  # Redis's duplicate filter drops URLs any worker has queued already
            added = {url for url, _, _ in entries}
        else:
            try:
                added = set(self.store.frontier_advance(self.name, response.meta["frontier_url"], entries))
            except StoreWriteError as exc:
                halt(self.crawler, exc)
                return
        for url, kind, meta in entries:
            if url in added:  # a URL already in this run's frontier is queued or done already
                yield self._request(url, kind, meta)

    def parse_article(self, response: Response) -> Iterator[scrapy.Request | Document]:
        """Read one page of an article; request the next page or emit the merged document."""
        pages: list[PageResult] = [
            *response.meta["pages"],
            extract(self.rule, response.url, response.body, response_headers(response)),
        ]
        page = pages[-1]
        next_url = page.next_url or page_url(self.rule, pages[0].url, len(pages) + 1)
        seen = {p.url for p in pages} | set(response.meta.get("redirect_urls", []))
        if next_url and next_url in seen:
            self.crawler.stats.inc_value("baogao/errors/pagination_loop")
            yield self._document(response.meta, pages, complete=True)
        elif next_url and len(pages) >= self.rule.article.max_pages:
            self.crawler.stats.inc_value("baogao/errors/max_pages")
            # a template only guesses that more pages exist; a next-page link says so
            yield self._document(response.meta, pages, complete=page.next_url is None)
        elif next_url:
            yield scrapy.Request(
                next_url,
                self.parse_article,
                errback=self.failed,
                dont_filter=True,
                meta={
                    KIND: "article",
                    "frontier_url": response.meta["frontier_url"],
                    "pages": pages,
                    "from_template": page.next_url is None,
                },
            )
        else:
            yield self._document(response.meta, pages, complete=True)

    def _document(self, meta: dict[str, Any], pages: list[PageResult], complete: bool) -> Document:
        """The article's Document from its pages; `meta` is the request's (it holds the frontier URL)."""
        return stitch(
            self.name,
            pages,
            complete=complete,
            rule_version=self.rule.version,
            frontier_url=meta["frontier_url"],
        )

    def failed(self, failure: Failure) -> Iterator[Document]:
        """Count the failure by kind; a failed later page still yields the pages before it (incomplete)."""
        request = failure.request  # type: ignore[attr-defined]  # Scrapy sets it on errback failures
        pages = request.meta.get("pages") or []
        kind = error_kind(failure)
        if pages and request.meta.get("from_template") and kind == "http_404":
            yield self._document(request.meta, pages, complete=True)  # the template ran past the last page
            return
        if kind == "store_write_failed":  # counted by halt(); the frontier keeps the URL for the next run
            return
        self.crawler.stats.inc_value(f"baogao/errors/{kind}")
        self.logger.warning("%s: %s", request.url, kind)
        if pages:
            yield stitch(
                self.name,
                pages,
                complete=False,
                rule_version=self.rule.version,
                frontier_url=request.meta["frontier_url"],
            )
        else:
            try:
                self.store.frontier_done(self.name, request.meta.get("frontier_url", request.url))
            except StoreWriteError as exc:
                halt(self.crawler, exc)
