"""Distributed mode: two `baogao crawl --redis` processes share one crawl through a real redis-server."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from crawlrun import REPO, crawl_cmd, crawl_env, run_crawl
from minisite import MiniSite

from crawler.extensions import BROKEN, summarize
from crawler.store import Store
from tests.sandbox.server import Sandbox

SITES = ["sandbox_essay", "sandbox_wenku", "sandbox_notes", "sandbox_blog"]


def crawl_together(
    stores: list[Path], args: list[str], env: dict[str, str]
) -> list[subprocess.CompletedProcess[str]]:
    """Start one `baogao crawl` per store at the same time; wait for all of them."""
    procs = [
        subprocess.Popen(
            crawl_cmd(store, *args),
            env=env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for store in stores
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return results


def runs_of(store: Path) -> list:
    return Store(store).runs(limit=1000)


@pytest.mark.slow
def test_two_processes_sharing_one_store_fetch_every_page_once_and_store_every_document_once(
    fresh_sandbox: Sandbox, redis_url: str, tmp_path: Path
):
    store = tmp_path / "crawl.sqlite"
    # a worker waits 3 s for more work, so a process that starts late (a loaded machine) still joins this run
    results = crawl_together(
        [store, store], [*SITES, "--redis", redis_url], crawl_env(BAOGAO_REDIS_IDLE_TIMEOUT="3")
    )
    assert [r.returncode for r in results] == [0, 0], [r.stderr[-2000:] for r in results]

    hits = dict(fresh_sandbox.hits)
    robots = hits.pop("/robots.txt")
    assert hits.pop("/blog/2024/03/hecheng-report.html") == 2  # a 500, then the retry: once each
    assert {path: n for path, n in hits.items() if n != 1} == {}  # every other page: one GET in total
    assert 1 <= robots <= 2 * len(SITES)  # robots.txt is per process and site, the only repeat

    db = Store(store)
    assert db.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # concurrent writers wait, then commit
    assert db.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = db.db.execute("SELECT COUNT(*), COUNT(DISTINCT url) FROM documents").fetchone()
    assert rows[0] == rows[1] == 20  # the four sandbox sites hold 20 articles; each stored once
    assert all(d["complete"] for d in db.latest_documents())
    runs = runs_of(store)
    assert len(runs) == 2 * len(SITES)  # one run record per process and site
    assert sum(r.new for r in runs) == 20
    assert all("probably_broken_rule" not in r.flags for r in runs)
    assert db.db.execute("SELECT COUNT(*) FROM frontier").fetchone()[0] == 0  # Redis was the frontier

    # a later run is a new run (the finished run's seen-URL set is dropped): every document revisited
    again = run_crawl(store, *SITES, "--redis", redis_url, env=crawl_env(BAOGAO_REDIS_IDLE_TIMEOUT="0.5"))
    assert again.returncode == 0, again.stderr
    assert sum(r.unchanged for r in runs_of(store)[: len(SITES)]) == 20


@pytest.mark.slow
def test_workers_with_one_store_each_split_the_articles_between_them(redis_url: str, tmp_path: Path):
    site = MiniSite(16, delay=0.3).start()  # slow pages, one at a time per worker: both get a share
    try:
        site.write_rule(tmp_path / "sites", concurrency=1)
        env = crawl_env(tmp_path / "sites", BAOGAO_REDIS_IDLE_TIMEOUT="1", BAOGAO_REDIS_URL=redis_url)
        stores = [tmp_path / "machine1.sqlite", tmp_path / "machine2.sqlite"]
        results = crawl_together(stores, ["mini"], env)
    finally:
        site.stop()
    assert [r.returncode for r in results] == [0, 0], [r.stderr[-2000:] for r in results]
    article_pages = {p: n for p, n in site.hits.items() if p.startswith("/a/") and p != "/a/404.html"}
    assert len(article_pages) == 16 + 2 and set(article_pages.values()) == {1}  # article 2 has 3 pages
    urls = [[d["url"].rsplit("/", 1)[-1] for d in Store(s).latest_documents("mini")] for s in stores]
    assert all(urls), f"each worker should have stored some articles: {urls}"
    assert sorted(urls[0] + urls[1]) == sorted(f"{k}.html" for k in range(1, 17))  # each in one store only


def test_unreachable_redis_fails_at_once_with_one_line(sandbox: Sandbox, tmp_path: Path, port_factory):
    url = f"redis://127.0.0.1:{port_factory()}/0"
    result = run_crawl(tmp_path / "crawl.sqlite", "sandbox_notes", "--redis", url, env=crawl_env())
    assert result.returncode == 1
    assert f"Error: {url}: Redis does not answer" in result.stderr
    assert not (tmp_path / "crawl.sqlite").exists() or not Store(tmp_path / "crawl.sqlite").runs()


def test_a_worker_that_found_no_work_left_is_not_a_broken_rule():
    idle = summarize({"baogao/redis/run": "joined"}, 1, "sandbox_essay", "t")
    assert idle.flags == ["shared"]
    local = summarize({}, 2, "sandbox_essay", "t")  # the same emptiness in a local crawl is an alert
    assert local.flags == [BROKEN]


def test_a_worker_whose_list_pages_showed_no_articles_is_a_broken_rule():
    stats = {"baogao/redis/run": "new", "baogao/pages/fetched": 1, "baogao/errors/list_without_articles": 1}
    assert summarize(stats, 1, "sandbox_essay", "t").flags == [BROKEN, "shared"]
