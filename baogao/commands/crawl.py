"""Crawl commands: `baogao crawl`, `baogao runs`, and `baogao rules list|new|check` (see baogao/cli.py)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from baogao.paths import store_path

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def setting(value: str) -> tuple[str, str]:
    """A `-s KEY=VALUE` Scrapy setting (the same as `scrapy crawl -s`)."""
    key, sep, val = value.partition("=")
    if not sep or not key:
        raise click.BadParameter(f"{value!r}: expected KEY=VALUE, e.g. -s DOWNLOAD_TIMEOUT=30")
    return key, val


@click.command()
@click.argument("names", nargs=-1)
@click.option("--all", "all_sites", is_flag=True, help="Crawl every enabled rule in crawler/sites/.")
@click.option("--force", is_flag=True, help="Revalidate every stored page now, ignoring refresh_hours.")
@click.option("--strict", is_flag=True, help="Exit 1 when a site is flagged probably_broken_rule.")
@click.option(
    "--store", type=click.Path(path_type=Path), default=None, help="Crawl store (default data/crawl.sqlite)."
)
@click.option("--quiet", is_flag=True, help="For cron: no progress display, logs only at ERROR; per-site "
              "summaries on stdout, and on stderr nothing but a short failure summary.")  # fmt: skip
@click.option("-v", "--verbose", count=True, help="More log: -v INFO, -vv DEBUG.")
@click.option("-L", "--log-level", type=click.Choice(LEVELS, case_sensitive=False), default=None,
              help="Scrapy's and baogao's log level (default WARNING; ERROR with --quiet).")  # fmt: skip
@click.option("-s", "--set", "settings", multiple=True, metavar="KEY=VALUE",
              help="A Scrapy setting for this crawl (repeatable), e.g. -s DOWNLOAD_TIMEOUT=30.")  # fmt: skip
@click.option(
    "--redis",
    "redis_url",
    default=None,
    metavar="URL",
    help="Share the crawl with other processes through Redis (default: $BAOGAO_REDIS_URL).",
)
def crawl(
    names: tuple[str, ...],
    all_sites: bool,
    force: bool,
    strict: bool,
    store: Path | None,
    quiet: bool,
    verbose: int,
    log_level: str | None,
    settings: tuple[str, ...],
    redis_url: str | None,
) -> None:
    """Crawl sites by their rules into the crawl store, incrementally, with a progress display.

    Pages stored less than the rule's refresh_hours ago are not refetched; older ones are revalidated
    (ETag / Last-Modified). A killed crawl resumes on the next run. A site already being crawled by another
    process makes this exit 1 at once. Every run is recorded (`baogao runs`). With --all, a malformed rule
    is skipped with its one-line error, the other sites are crawled, and the command exits 1 at the end.

    With --redis (or BAOGAO_REDIS_URL) every process given the same URL, on this machine or others, shares one
    crawl: the queue and the seen URLs live in Redis, each page is fetched once in all, and each process
    exits when the shared queue is drained.

    Example:

    \b
      baogao crawl sandbox_essay sandbox_blog -s DOWNLOAD_TIMEOUT=30
      baogao crawl --all --strict --quiet >> data/cron.log   # cron mails stderr: only a failure summary
      baogao crawl --all --redis redis://10.0.0.5:6379/0   # run the same line on each machine
    """
    from crawler.rules import RuleError, load_rules_lenient
    from crawler.run import RedisUnavailable, sites_dir
    from crawler.run import crawl as run_crawl
    from crawler.store import SiteLocked, StoreWriteError

    if all_sites == bool(names):
        raise click.ClickException("name the sites to crawl, or pass --all (not both)")
    extra = dict(setting(s) for s in settings)
    level = (
        log_level or ("DEBUG" if verbose > 1 else "INFO" if verbose else "ERROR" if quiet else "WARNING")
    ).upper()
    extra.setdefault("LOG_LEVEL", level)
    malformed: dict[str, str] = {}
    try:
        if all_sites:
            found, malformed = load_rules_lenient(sites_dir())
            selected = [n for n, r in found.items() if r.enabled]
            for error in malformed.values():
                click.echo(f"skipped: {error}", err=True)
        else:
            selected = list(names)
        records = run_crawl(
            selected, store or store_path(), force=force, progress=not quiet, redis_url=redis_url, settings=extra
        ) if selected else []  # fmt: skip
    except (RuleError, SiteLocked, RedisUnavailable, StoreWriteError) as exc:
        raise click.ClickException(str(exc)) from None
    broken = [r.site for r in records if "probably_broken_rule" in r.flags]
    failures = []
    if malformed:
        failures.append(f"malformed rule: {', '.join(malformed)} (skipped; `baogao rules list` shows why)")
    if broken:
        failures.append(f"probably broken rule: {', '.join(broken)} (no documents or mostly empty bodies)")
    for line in failures:
        click.echo(line, err=True)
    if malformed or (strict and broken):
        raise SystemExit(1)


@click.command()
@click.option("--site", default=None, help="Only this site's runs.")
@click.option("--limit", default=20, show_default=True, help="How many runs, newest first.")
@click.option(
    "--store", type=click.Path(path_type=Path), default=None, help="Crawl store (default data/crawl.sqlite)."
)
def runs(site: str | None, limit: int, store: Path | None) -> None:
    """List crawl runs, newest first, one tab-separated line each: pages, documents, errors, flags.

    A run still going, or killed, shows `flags unfinished`; a suspicious one `probably_broken_rule`.

    Example:

    \b
      baogao runs --site sandbox_essay --limit 5
    """
    from crawler.run import format_run
    from crawler.store import Store

    path = store or store_path()
    if not path.exists():
        raise click.ClickException(f"{path}: no crawl store yet; run `baogao crawl` first")
    for record in Store(path).runs(site, limit):
        click.echo(format_run(record))


@click.command()
@click.argument("site")
@click.option(
    "--clear", is_flag=True, help="Forget the pending URLs: the next run starts from the start URLs."
)
@click.option(
    "--unlock", is_flag=True, help="Remove the site's lock, whoever holds it (the holder must be gone)."
)
@click.option(
    "--store", type=click.Path(path_type=Path), default=None, help="Crawl store (default data/crawl.sqlite)."
)
def frontier(site: str, clear: bool, unlock: bool, store: Path | None) -> None:
    """Show a site's lock and the URLs a stopped or killed run left to fetch; --clear and --unlock reset them.

    A killed crawl resumes from these URLs on the next run. --clear drops them (say, after fixing a rule
    whose start URL was wrong); it is refused while a live crawl holds the lock. --unlock breaks a lock whose
    holder is gone (another host, a re-created container) without waiting for its lease to run out.

    Example:

    \b
      baogao frontier mysite
      baogao frontier mysite --unlock --clear
    """
    from crawler import locks
    from crawler.store import Store

    path = store or store_path()
    if not path.exists():
        raise click.ClickException(f"{path}: no crawl store yet; run `baogao crawl` first")
    db = Store(path)
    if unlock and (row := locks.break_lock(db, site)):
        click.echo(f"{site}: removed the lock of pid {row['pid']} on {row['host']} (since {row['started']})")
    lock = locks.current(db, site)
    if lock is None:
        click.echo(f"{site}: not locked")
    else:
        click.echo(f"{site}: locked by pid {lock['pid']} on {lock['host']} since {lock['started']}, "
                   f"heartbeat {lock['age']:.0f} s ago")  # fmt: skip
    pending = db.frontier_pending(site)
    if clear and pending:
        if (
            lock is not None
            and locks.stale_reason(lock, float(os.environ.get("BAOGAO_LOCK_LEASE") or locks.LEASE_SECONDS))
            is None
        ):
            raise click.ClickException(
                f"{site}: a crawl holds the lock; stop it (or --unlock if it is gone) first"
            )
        db.frontier_clear(site)
        click.echo(f"{site}: cleared {len(pending)} pending URLs; the next run starts from the start URLs")
        return
    click.echo(
        f"{site}: {len(pending)} URLs pending" + (" (the next run resumes from them)" if pending else "")
    )
    for url, kind, _ in pending:
        click.echo(f"  {kind}\t{url}")


@click.group()
def rules() -> None:
    """Site rules: list them, draft one from a URL with saved fixtures, check them against their fixtures.

    Example:

    \b
      baogao rules new mysite --url https://example.cn/a/123.html
      baogao rules check mysite
    """


@rules.command("list")
def rules_list() -> None:
    """List every site rule: name, version, enabled, start URLs, saved fixture pages (a malformed rule shows as
    BROKEN with its error).

    Example:

    \b
      baogao rules list
    """
    from baogao.fixtures import fixtures_dir
    from crawler.rules import load_rules_lenient
    from crawler.run import sites_dir

    found, broken = load_rules_lenient(sites_dir())
    for name in sorted({*found, *broken}):
        if name in broken:
            click.echo(f"{name}\t-\tBROKEN\t{broken[name]}")
            continue
        rule = found[name]
        pages = len(list((fixtures_dir() / name).glob("*.html")))
        state = "enabled" if rule.enabled else "disabled"
        click.echo(f"{name}\tv{rule.version}\t{state}\t{pages} saved pages\t{' '.join(rule.start_urls)}")


@rules.command("new")
@click.argument("name")
@click.option("--url", "urls", multiple=True, required=True, help="An article page (repeat for more pages).")
@click.option(
    "--list-url", default=None, help="The list page to start crawling from (default: the URL's folder)."
)
def rules_new(name: str, urls: tuple[str, ...], list_url: str | None) -> None:
    """Draft crawler/sites/NAME.yaml from article pages and save them as fixtures in tests/sites/NAME/.

    Pages are saved as raw bytes plus response headers (never re-encoded). If the rule exists already, only
    the pages are added. Read the drafted .txt files, then run `baogao rules check NAME`.

    Example:

    \b
      baogao rules new mysite --url https://example.cn/a/123.html --url https://example.cn/a/123_2.html
    """
    from baogao.fixtures import fixtures_dir
    from baogao.scaffold import new_site
    from crawler.rules import RuleError
    from crawler.run import sites_dir

    try:
        path, drafted, saved = new_site(
            name, list(urls), list_url=list_url, sites_dir=sites_dir(), fixtures_dir=fixtures_dir()
        )
    except (OSError, RuleError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{'drafted' if drafted else 'kept existing'} rule {path}")
    for html in saved:
        click.echo(f"saved {html} (+ .json, .txt): read the .txt, it is the expected body text")


@rules.command("check")
@click.argument("names", nargs=-1)
@click.option(
    "--update", is_flag=True, help="Rewrite expected .json/.txt from the rule's output (review the diff!)."
)
def rules_check(names: tuple[str, ...], update: bool) -> None:
    """Run rules against their saved pages in tests/sites/NAME/ and report pass/fail per field.

    Any U+FFFD in extracted text fails, and so does a site without saved pages. Exit 1 on any failure.

    Example:

    \b
      baogao rules check                 # every rule
      baogao rules check sandbox_wenku --update
    """
    from baogao.fixtures import check_site, fixtures_dir
    from crawler.rules import RuleError, load_rules
    from crawler.run import sites_dir

    try:
        found = load_rules(sites_dir())
    except RuleError as exc:
        raise click.ClickException(str(exc)) from None
    unknown = sorted(set(names) - set(found))
    if unknown:
        raise click.ClickException(f"no rule named {', '.join(unknown)} in crawler/sites/")
    failed = 0
    for name in names or tuple(found):
        for case in check_site(found[name], fixtures_dir() / name, update=update):
            failed += not case.ok
            click.echo(f"{'PASS' if case.ok else 'FAIL'} {name}/{case.page}")
            for field, (ok, want, got) in case.fields.items():
                click.echo(
                    f"  {'ok  ' if ok else 'FAIL'} {field}"
                    + ("" if ok else f": expected {want!r}, got {got!r}")
                )
            for problem in case.problems:
                click.echo(f"  FAIL {problem}")
    if failed:
        raise click.ClickException(f"{failed} saved page(s) failed")


COMMANDS: list[click.Command] = [crawl, runs, frontier, rules]
