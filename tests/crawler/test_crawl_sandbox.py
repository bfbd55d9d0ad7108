"""The real spider crawls all four sandbox sites (the rules in crawler/sites/) through `baogao crawl`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from crawlrun import REPO, crawl_env, last_run, run_crawl

from crawler.store import Store
from tests.sandbox.server import Sandbox

pytestmark = pytest.mark.slow
SITES = ["sandbox_essay", "sandbox_wenku", "sandbox_notes", "sandbox_blog"]
DROPPED = [
    "【广告】",
    "热门标签：",
    "分享到：",
    "免责声明：",
    "上一篇：",
    "共3页：",
]  # addressable junk the rules drop


def by_path(store: Path, sb: Sandbox) -> dict[str, dict]:
    return {d["url"].removeprefix(sb.url): d for d in Store(store).latest_documents()}


def test_first_crawl_of_the_sandbox(fresh_sandbox: Sandbox, tmp_path: Path):
    store = tmp_path / "crawl.sqlite"
    result = run_crawl(store, *SITES, env=crawl_env())
    assert result.returncode == 0, result.stderr
    docs = by_path(store, fresh_sandbox)
    hits = fresh_sandbox.hits

    essay = [d for p, d in docs.items() if p.startswith("/essay/")]
    assert len(essay) == 7 and all(d["complete"] for d in essay)
    assert docs["/essay/article/12.html"]["page_urls"] == [
        f"{fresh_sandbox.url}/essay/article/12{s}.html" for s in ("", "_2", "_3")
    ]
    assert sum(len(d["page_urls"]) > 1 for d in essay) == 6
    assert all(
        d["text"] and "\ufffd" not in d["text"] and "\ufffd" not in (d["title"] or "") for d in docs.values()
    )
    assert all(s not in d["text"] for d in docs.values() for s in DROPPED)
    assert any("各位代表" in d["text"] for d in essay)

    reasons = dict(Store(store).db.execute("SELECT url, encoding_reason FROM pages").fetchall())
    assert reasons[fresh_sandbox.url + "/essay/article/12_2.html"].startswith("header utf-8 failed to decode")
    assert reasons[fresh_sandbox.url + "/notes/view/2.html"] == "no charset declared; detected gb18030"

    assert [p for p in hits if p.startswith("/wenku/vip/")] == []  # robots.txt obeyed
    assert hits["/blog/2024/02/removed-post.html"] == 1  # 404 not retried
    assert (
        hits["/blog/2024/03/hecheng-report.html"] == 2 and "/blog/2024/03/hecheng-report.html" in docs
    )  # 500 retried
    assert (
        hits["/blog/archives/88.html"] == 1 and "/blog/2024/04/futian-report.html" in docs
    )  # redirect followed
    assert "/blog/archives/88.html" not in docs

    runs = {s: last_run(store, s) for s in SITES}
    assert all(r.flags == [] and r.new > 0 and "encoding_fffd" not in r.errors for r in runs.values())
    assert runs["sandbox_wenku"].errors.get("robots") == 2
    assert runs["sandbox_blog"].errors == {"http_404": 1, "retried": 1}
    assert sum(r.new for r in runs.values()) == len(docs)


def test_rerun_is_all_unchanged_and_a_new_edition_is_exactly_one_changed_document(
    fresh_sandbox: Sandbox, tmp_path: Path
):
    store, env = tmp_path / "crawl.sqlite", crawl_env()
    assert run_crawl(store, *SITES, env=env).returncode == 0
    total = len(Store(store).latest_documents())
    fresh_sandbox.hits.clear()

    assert run_crawl(store, *SITES, env=env).returncode == 0  # younger than refresh_hours: from the store
    # only what the store cannot answer: robots.txt, the 301 (not a page) and the 404
    assert set(fresh_sandbox.hits) == {
        "/robots.txt",
        "/blog/archives/88.html",
        "/blog/2024/02/removed-post.html",
    }
    assert sum(last_run(store, s).unchanged for s in SITES) == total
    assert all(set(last_run(store, s).page_counts) == {"cached"} for s in SITES)
    assert sum(last_run(store, s).new + last_run(store, s).changed for s in SITES) == 0

    fresh_sandbox.new_edition("hedong")
    assert run_crawl(store, *SITES, "--force", env=env).returncode == 0  # revalidate: 304 except one page
    runs = [last_run(store, s) for s in SITES]
    assert [(r.site, r.changed) for r in runs if r.changed] == [("sandbox_notes", 1)]
    assert sum(r.unchanged for r in runs) == total - 1 and sum(r.new for r in runs) == 0
    counts = {r.site: r.page_counts for r in runs}
    assert counts["sandbox_notes"]["fetched"] == counts["sandbox_notes"]["stored"] == 1  # the one new page
    assert all("fetched" not in c for s, c in counts.items() if s != "sandbox_notes")  # the rest: 304s
    assert all(c["revalidated"] > 0 for c in counts.values())
    (doc,) = [d for d in Store(store).latest_documents() if d["version"] == 2]
    assert doc["url"] == fresh_sandbox.url + "/notes/view/1.html"
    assert Store(store).db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == total + 1


def test_scrapy_crawl_site_works_like_baogao_crawl(sandbox: Sandbox, tmp_path: Path):
    store = tmp_path / "crawl.sqlite"
    cmd = [
        str(Path(sys.executable).with_name("scrapy")),
        "crawl",
        "site",
        "-a",
        "name=sandbox_notes",
        "-s",
        f"BAOGAO_STORE={store}",
        "-s",
        "LOG_LEVEL=WARNING",
    ]
    result = subprocess.run(cmd, env=crawl_env(), cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert len(Store(store).latest_documents("sandbox_notes")) == 3
    assert last_run(store, "sandbox_notes").new == 3
