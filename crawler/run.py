"""Crawl sites in one process: `crawl(names, store)` runs each site's spider, shows progress, returns run records.

`baogao crawl` and `baogao demo` call this. Twisted's reactor cannot restart within one process, so call
`crawl` once per process (tests run `baogao crawl` in subprocesses). Locks are taken for every site before
any request is made, so an overlapping run fails at once with SiteLocked. With a Redis URL (`redis_url`, or
BAOGAO_REDIS_URL) the processes that crawl the same sites share one crawl instead, and no lock is taken.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.highlighter import NullHighlighter
from rich.logging import RichHandler
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

from crawler.distributed import RedisUnavailable, check_redis
from crawler.extensions import BROKEN
from crawler.rules import SITES_DIR, RuleError, SiteRule, load_rule, load_rules, sites_dir
from crawler.spiders.site import SiteSpider
from crawler.store import RunRecord, SiteLocked, StoreWriteError, open_store

__all__ = [
    "RedisUnavailable",
    "RuleError",
    "SiteLocked",
    "StoreWriteError",
    "crawl",
    "format_run",
    "resolve_rules",
    "sites_dir",
    "summary_line",
]


def resolve_rules(
    names: list[str], sites_dir: Path = SITES_DIR, *, all_sites: bool = False
) -> list[SiteRule]:
    """The rules to crawl: the named ones (all must load), or every enabled rule with `all_sites`."""
    if all_sites:
        return [r for r in load_rules(sites_dir).values() if r.enabled]
    rules = []
    for name in names:
        path = Path(sites_dir) / f"{name}.yaml"
        if not path.exists():
            known = ", ".join(sorted(p.stem for p in Path(sites_dir).glob("*.yaml"))) or "none"
            raise RuleError(f"{name}: no rule {path} (known: {known})")
        rules.append(load_rule(path))
    return rules


def crawl(
    names: list[str],
    store: Path,
    *,
    force: bool = False,
    progress: bool = True,
    settings: dict[str, Any] | None = None,
    redis_url: str | None = None,
) -> list[RunRecord]:
    """Crawl the named sites in one process; print one summary line per site; return their RunRecords.

    `progress` shows a live bar per site (rich) on stderr with the summary lines; without it the summary lines
    go to stdout. Scrapy logs at WARNING unless `settings` say otherwise (LOG_LEVEL).

    `redis_url` (default: BAOGAO_REDIS_URL) shares the crawl with every process started with the same URL.

    Raises RuleError for a missing or malformed rule, SiteLocked when a site is being crawled by another
    live process, RedisUnavailable when Redis does not answer; all before any request is made.
    """
    os.environ.setdefault(
        "SCRAPY_SETTINGS_MODULE", "crawler.settings"
    )  # from any folder, not only the repo's
    project = get_project_settings()
    overrides = {
        "BAOGAO_STORE": str(store),
        "BAOGAO_FORCE": force,
        "LOG_LEVEL": "WARNING",
    }
    if redis_url:
        overrides["BAOGAO_REDIS_URL"] = redis_url
    project.setdict(overrides | (settings or {}), priority="cmdline")
    rules = resolve_rules(names, Path(project.get("BAOGAO_SITES_DIR") or sites_dir()))
    for rule in rules:
        rule.resolved_start_urls()  # fails now, not mid-crawl, when ${BAOGAO_SANDBOX_URL} is unset
    shared = project.get("BAOGAO_REDIS_URL")
    if shared:
        check_redis(shared)
    db = open_store(store)
    console = Console(stderr=True)
    for rule in rules if project.getbool("BAOGAO_LOCK_ENABLED", True) and not shared else []:
        if taken_over := db.acquire_lock(rule.name, project.getfloat("BAOGAO_LOCK_LEASE")):
            console.print(f"{rule.name}: {taken_over}", highlight=False, soft_wrap=True)
    project.set("LOG_INSTALL_ROOT_HANDLER", not progress, priority="cmdline")  # Scrapy >= 2.13; older: below
    process = CrawlerProcess(project)
    if progress:  # logs print above the live bars on the same console, instead of breaking them
        share_console(console, project.get("LOG_LEVEL"))
    crawlers = []
    bar = Progress(
        TextColumn("{task.description:<16}"),
        BarColumn(),
        TextColumn("{task.fields[status]}"),
        TimeElapsedColumn(),
        console=console,
        disable=not progress,
        transient=False,
    )
    try:
        for rule in rules:
            crawler = process.create_crawler(SiteSpider)
            task = bar.add_task(rule.name, total=None, status="starting")
            _connect_progress(crawler, bar, task)
            process.crawl(crawler, name=rule.name)
            crawlers.append(crawler)
        with bar:
            process.start()
    finally:
        for rule in rules:
            try:
                db.release_lock(rule.name)
            except StoreWriteError:
                pass  # the lease runs out; the next run takes the lock over
    if db.failed:
        raise StoreWriteError(f"{db.failed}; free space and run again: the crawl resumes where it stopped")
    records = []
    for rule, crawler in zip(rules, crawlers, strict=True):
        run_id = crawler.stats.get_value("baogao/run_id") if crawler.stats else None
        records.append(db.run(run_id) if run_id else RunRecord(0, rule.name, "", flags=["not_started"]))
    out = (
        console if progress else Console()
    )  # quiet (cron): summaries to stdout, the log; stderr is for alerts
    for record in records:
        out.print(
            summary_line(record),
            style="bold red" if BROKEN in record.flags else None,
            highlight=False,
            soft_wrap=True,
        )
    return records


def share_console(console: Console, level: str) -> None:
    """Route Scrapy's and baogao's logging through `console` (rich), the console the progress bars draw on."""
    handler = RichHandler(console=console, show_path=False, show_time=False, markup=False, rich_tracebacks=False,
                          highlighter=NullHighlighter())  # fmt: skip
    handler.setFormatter(logging.Formatter("[%(name)s] %(message)s"))
    handler.setLevel(level)
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, RichHandler | logging.StreamHandler)]:
        root.removeHandler(old)  # ours from an earlier call, or Scrapy's own (stderr, breaking the bars)
    root.addHandler(handler)
    root.setLevel(level)


def _connect_progress(crawler: Any, bar: Progress, task: Any) -> None:
    counts = {"pages": 0, "docs": 0}

    def update() -> None:
        bar.update(task, status=f"{counts['pages']} pages, {counts['docs']} documents")

    def page(**_: Any) -> None:
        counts["pages"] += 1
        update()

    def doc(**_: Any) -> None:
        counts["docs"] += 1
        update()

    def closed(**_: Any) -> None:
        bar.update(task, total=1, completed=1)

    for handler, signal in (
        (page, signals.response_received),
        (doc, signals.item_scraped),
        (closed, signals.spider_closed),
    ):
        crawler.signals.connect(handler, signal=signal, weak=False)


def format_run(r: RunRecord) -> str:
    """One plain line per run (for `baogao runs`, grep and cron mail)."""
    errors = ",".join(f"{k} {v}" for k, v in sorted(r.errors.items())) or "-"
    flags = ",".join(r.flags) or ("-" if r.ended else "unfinished")
    return (
        f"{r.id}\t{r.site}\t{r.started}\t{r.ended or '-'}\tpages {r.pages}\t"
        f"downloaded {r.page_counts.get('fetched', 0)}\tnot_modified {r.page_counts.get('revalidated', 0)}\t"
        f"from_store {r.page_counts.get('cached', 0)}\tnew {r.new}\t"
        f"changed {r.changed}\tunchanged {r.unchanged}\terrors {errors}\tflags {flags}"
    )


# The run-record error kinds whose short name does not say enough, in words for the summary a person reads
# (crawler/spiders/site.py names them; self-explanatory ones such as http_404 or robots stay as they are)
PROBLEMS = {
    "redirect_loop": "URLs lost in a redirect loop",
    "too_many_redirects": "URLs redirected more than REDIRECT_MAX_TIMES times",
    "list_pages_cut": "list pages not followed (the rule's list.max_pages was reached)",
    "max_pages": "articles cut at the rule's article.max_pages",
    "pagination_loop": "articles whose next-page link led back to an earlier page",
    "body_too_large": "pages over the download size limit (DOWNLOAD_MAXSIZE), not stored",
    "decompressed_too_large": "compressed pages that inflate past the download size limit (a gzip bomb?), not stored",
    "bad_pending_url": "pending URLs an older rule left that are not http(s) URLs, dropped",
    "store_write_failed": "pages or documents not stored: the crawl store could not be written (disk full?)",
}


def describe_errors(errors: dict[str, int]) -> str:
    """Errors by kind in words: "1 URLs lost in a redirect loop (redirect_loop), http_404 2"."""
    parts = [f"{n} {PROBLEMS[k]} ({k})" if k in PROBLEMS else f"{k} {n}" for k, n in sorted(errors.items())]
    return ", ".join(parts) or "none"


def summary_line(r: RunRecord) -> str:
    """What a person reads after a crawl: one line per site."""
    errors = describe_errors(r.errors)
    flags = f"  [{', '.join(r.flags)}]" if r.flags else ""
    c = r.page_counts
    detail = (
        (
            f" ({c.get('fetched', 0)} downloaded, {c.get('revalidated', 0)} not modified, "
            f"{c.get('cached', 0)} fresh in store)"
        )
        if c
        else ""
    )
    return (
        f"{r.site}: {r.pages} pages{detail}; documents {r.new} new, {r.changed} changed, "
        f"{r.unchanged} unchanged; errors: {errors}{flags}"
    )
