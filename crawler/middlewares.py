"""Downloader middlewares: `StoreCache` makes crawls incremental against the crawl store.

For every spider request (robots.txt and other internal requests pass untouched):
- a URL stored less than the rule's `refresh_hours` ago is answered from the store, no request made
  (unless BAOGAO_FORCE);
- an older one is revalidated with a conditional GET (If-None-Match / If-Modified-Since); a 304 is answered
  with the stored bytes;
- a 200 is stored (raw bytes, headers that matter, encoding); identical bytes are never stored twice.
It sits at 580, inside HttpCompression (590) and Redirect (600), so it sees decompressed bodies of final URLs.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse, Response
from scrapy.utils.defer import maybe_deferred_to_future
from w3lib.url import safe_url_string

from cleaning.extract.decode import decode
from crawler.store import Store, StoredPage, StoreWriteError, age_hours, halt, open_store, response_headers

KIND = "baogao_kind"  # request.meta key the spider sets on its own requests ("list" or "article")


class StoreCache:
    """Answer fresh pages from the store, revalidate stale ones, store what changed."""

    def __init__(self, crawler: Crawler, store_path: str, force: bool) -> None:
        self.crawler = crawler
        self.store_path = store_path
        self.force = force

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoreCache:
        if not crawler.settings.getbool("BAOGAO_STORE_CACHE_ENABLED", True):
            raise NotConfigured
        return cls(crawler, crawler.settings["BAOGAO_STORE"], crawler.settings.getbool("BAOGAO_FORCE"))

    @property
    def store(self) -> Store:
        """Opened on first use, so `scrapy shell` and other spiders never create a store."""
        return open_store(self.store_path)

    @property
    def _rule(self) -> Any:
        return getattr(self.crawler.spider, "rule", None)

    def _inc(self, key: str) -> None:
        self.crawler.stats.inc_value(f"baogao/pages/{key}")

    def process_request(self, request: Request) -> Response | None:
        if KIND not in request.meta or self._rule is None:
            return None
        if self.store.failed:  # the crawl is stopping: fetching more would only lose more pages
            raise StoreFailed(self.store.failed)
        page = self.store.latest_page(request.url)
        if page is None:
            return None
        request.meta["baogao_stored"] = page
        if not self.force and age_hours(page.checked_at) < self._rule.refresh_hours:
            return _from_store(request.url, page, request, "cached")
        if etag := page.headers.get("etag"):
            request.headers.setdefault("If-None-Match", etag)
        if modified := page.headers.get("last-modified"):
            request.headers.setdefault("If-Modified-Since", modified)
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        if KIND not in request.meta or self._rule is None:
            return response
        if "cached" in response.flags:
            self._inc("cached")
            return response
        try:
            return self._store_response(request, response)
        except StoreWriteError as exc:
            halt(self.crawler, exc)
            raise StoreFailed(str(exc)) from None

    def _store_response(self, request: Request, response: Response) -> Response:
        stored = request.meta.get("baogao_stored")
        if response.status == 304 and stored is not None:
            self.store.touch_page(stored.id)
            self._inc("revalidated")
            return _from_store(response.url, stored, request, "revalidated")
        if response.status == 200:
            headers = response_headers(response)
            decoded = decode(response.body, headers, self._rule.encoding)
            _, is_new = self.store.add_page(
                self._rule.name, response.url, 200, headers, response.body, decoded.encoding, decoded.reason
            )
            self._inc("fetched")
            self._inc("stored" if is_new else "same_bytes")
        return response


class RetryBackoff:
    """Wait before a retried request: BAOGAO_RETRY_BACKOFF_BASE × 2^(retry-1) seconds, at most …_MAX.

    Scrapy's RetryMiddleware re-queues a 5xx or timeout at once; this spaces the retries out so a struggling
    server gets room. It reads `retry_times`, which RetryMiddleware sets on the retried request.
    """

    def __init__(self, base: float, cap: float) -> None:
        self.base = base
        self.cap = cap

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryBackoff:
        base = crawler.settings.getfloat("BAOGAO_RETRY_BACKOFF_BASE")
        if base <= 0:
            raise NotConfigured
        return cls(base, crawler.settings.getfloat("BAOGAO_RETRY_BACKOFF_MAX"))

    def delay(self, retry_times: int) -> float:
        """Seconds to wait before the n-th retry (0 for a first attempt)."""
        return 0.0 if retry_times <= 0 else min(self.cap, self.base * 2 ** (retry_times - 1))

    async def process_request(self, request: Request) -> None:
        if wait := self.delay(int(request.meta.get("retry_times", 0))):
            from twisted.internet import reactor
            from twisted.internet.task import deferLater

            await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))


class StoreFailed(IgnoreRequest):
    """The page could not be stored (the crawl store's disk is full); the spider counts `store_write_failed`."""


class RedirectLoop(IgnoreRequest):
    """A redirect leads back to a URL of its own chain (the spider counts it as `redirect_loop`)."""


class RedirectGuard:
    """Stop a redirect loop with a named error (it sits at 610, outside Redirect at 600, so it sees each 3xx first).

    Without it, the loop's second visit to a URL is dropped by Scrapy's duplicate filter without a word, and
    the article is lost with "errors: none" in the run report.
    """

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get("Location")
        if response.status not in (301, 302, 303, 307, 308) or not location:
            return response
        target = safe_url_string(urljoin(request.url, location.decode("latin-1")))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in chain:
            raise RedirectLoop(f"redirect loop: {' -> '.join([*chain, target])}")
        return response


def _from_store(url: str, page: StoredPage, request: Request, flag: str) -> HtmlResponse:
    """A 200 response with a stored page's headers and bytes, flagged with where it came from."""
    return HtmlResponse(url, status=200, headers=page.headers, body=page.body, request=request, flags=[flag])
