"""A real crawl of a small loopback site: merged pages, robots, 404s, and incremental reruns."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from crawlrun import crawl_env, last_run, run_crawl
from minisite import MiniSite

from crawler.store import Store

pytestmark = pytest.mark.slow


@pytest.fixture
def site(tmp_path: Path) -> Iterator[MiniSite]:
    s = MiniSite(6).start()
    s.write_rule(tmp_path / "sites")
    yield s
    s.stop()


def docs(store: Path) -> dict[str, dict]:
    return {d["url"].rsplit("/", 1)[-1]: d for d in Store(store).latest_documents("mini")}


def test_crawl_merges_pages_obeys_robots_and_does_not_retry_404(site: MiniSite, tmp_path: Path):
    store, env = tmp_path / "crawl.sqlite", crawl_env(tmp_path / "sites")
    result = run_crawl(store, "mini", env=env)
    assert result.returncode == 0, result.stderr
    assert (
        "mini: 10 pages (10 downloaded, 0 not modified, 0 fresh in store); documents 6 new, 0 changed, 0 unchanged; errors: http_404 1, robots 1"
        in result.stdout  # --quiet: the summary goes to stdout (cron's log), stderr is for alerts
    )
    assert result.stderr == ""
    got = docs(store)
    assert sorted(got) == [f"{k}.html" for k in range(1, 7)]
    two = got["2.html"]
    assert two["page_urls"] == [f"{site.url}/a/2.html", f"{site.url}/a/2_2.html", f"{site.url}/a/2_3.html"]
    assert two["complete"] == 1
    assert two["text"].splitlines() == [
        "各位代表：现在，我代表2号政府，向大会报告政府工作，请予审议。",
        "一、过去一年工作回顾",
        "二、今年工作安排",
        "坚持稳中求进。",
        "三、加强政府自身建设",
        "谢谢大家。",
    ]
    assert all("广告" not in d["text"] and "\ufffd" not in d["text"] for d in got.values())
    assert {d["encoding"] for d in got.values()} == {"gb18030"}
    assert site.hits["/private/9.html"] == 0 and site.hits["/a/404.html"] == 1
    run = last_run(store, "mini")
    assert (run.new, run.changed, run.unchanged, run.flags) == (6, 0, 0, [])
    assert run.errors == {"http_404": 1, "robots": 1}
    reasons = {
        r[0] for r in Store(store).db.execute("SELECT encoding_reason FROM pages WHERE url LIKE '%/a/1.html'")
    }
    assert reasons == {"header utf-8 failed to decode; meta gb18030 decodes cleanly"}


def test_second_run_refetches_nothing_fresh_and_revalidates_with_304_when_forced(
    site: MiniSite, tmp_path: Path
):
    store, env = tmp_path / "crawl.sqlite", crawl_env(tmp_path / "sites")
    assert run_crawl(store, "mini", env=env).returncode == 0
    pages_before = Store(store).db.execute("SELECT COUNT(*) FROM pages").fetchone()[0]
    site.hits.clear()

    assert run_crawl(store, "mini", env=env).returncode == 0  # within refresh_hours: answered from the store
    assert [p for p in site.hits if p.startswith("/a/") and p != "/a/404.html"] == []
    run = last_run(store, "mini")
    assert (run.new, run.changed, run.unchanged) == (0, 0, 6)
    assert run.page_counts == {"cached": 10}

    assert run_crawl(store, "mini", "--force", env=env).returncode == 0  # conditional GETs, all 304
    assert site.not_modified["/a/1.html"] == 1 and site.not_modified["/a/2_3.html"] == 1
    run = last_run(store, "mini")
    assert (run.new, run.changed, run.unchanged) == (0, 0, 6)
    assert run.page_counts == {"revalidated": 10}
    assert Store(store).db.execute("SELECT COUNT(*) FROM pages").fetchone()[0] == pages_before
    assert Store(store).db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 6


def test_a_changed_article_gets_exactly_one_new_version(site: MiniSite, tmp_path: Path):
    store, env = tmp_path / "crawl.sqlite", crawl_env(tmp_path / "sites")
    assert run_crawl(store, "mini", env=env).returncode == 0
    site.edition[3] = 2
    assert run_crawl(store, "mini", "--force", env=env).returncode == 0
    run = last_run(store, "mini")
    assert (run.new, run.changed, run.unchanged) == (0, 1, 5)
    versions = Store(store).db.execute("SELECT url, version FROM documents WHERE version > 1").fetchall()
    assert [(r["url"].rsplit("/", 1)[-1], r["version"]) for r in versions] == [("3.html", 2)]
    assert "（修订）" in docs(store)["3.html"]["text"]


def test_a_rule_whose_body_selector_matches_nothing_is_flagged_and_strict_exits_1(
    site: MiniSite, tmp_path: Path
):
    rule = tmp_path / "sites" / "mini.yaml"
    rule.write_text(
        rule.read_text(encoding="utf-8").replace('body: "div.content"', 'body: "div.gone"'), encoding="utf-8"
    )
    store, env = tmp_path / "crawl.sqlite", crawl_env(tmp_path / "sites")
    result = run_crawl(store, "mini", "--strict", env=env)
    assert result.returncode == 1
    assert "probably broken rule: mini" in result.stderr
    run = last_run(store, "mini")
    assert "probably_broken_rule" in run.flags and run.errors["empty_body"] == 6


def test_unknown_site_fails_before_any_request(site: MiniSite, tmp_path: Path):
    result = run_crawl(tmp_path / "crawl.sqlite", "nosuch", env=crawl_env(tmp_path / "sites"))
    assert result.returncode == 1 and "nosuch: no rule" in result.stderr and "known: mini" in result.stderr
    assert sum(site.hits.values()) == 0


def test_all_crawls_every_enabled_rule_with_a_progress_display(site: MiniSite, tmp_path: Path):
    off = site.write_rule(tmp_path / "sites", name="mini_off")
    off.write_text(off.read_text(encoding="utf-8") + "enabled: false\n", encoding="utf-8")
    store = tmp_path / "crawl.sqlite"
    result = run_crawl(store, "--all", env=crawl_env(tmp_path / "sites"), quiet=False)
    assert result.returncode == 0, result.stderr
    assert (
        "mini: 10 pages (10 downloaded, 0 not modified, 0 fresh in store); documents 6 new" in result.stderr
        and "mini_off" not in result.stderr
    )
    assert [r.site for r in Store(store).runs()] == ["mini"]
    # the log shares the bars' console: each warning is a line of its own
    assert any(
        line.startswith("WARNING") and line.rstrip().endswith("robots") for line in result.stderr.splitlines()
    )


def test_crawl_needs_names_or_all(tmp_path: Path):
    result = run_crawl(tmp_path / "crawl.sqlite", env=crawl_env(tmp_path))
    assert result.returncode == 1 and "name the sites to crawl, or pass --all" in result.stderr


def test_replacement_characters_are_counted_in_the_run_record(site: MiniSite, tmp_path: Path):
    rule = tmp_path / "sites" / "mini.yaml"
    rule.write_text(
        rule.read_text(encoding="utf-8") + "encoding: utf-8\n", encoding="utf-8"
    )  # wrong for GBK pages
    store = tmp_path / "crawl.sqlite"
    assert run_crawl(store, "mini", env=crawl_env(tmp_path / "sites")).returncode == 0
    run = last_run(store, "mini")
    stored = sum(d["text"].count("\ufffd") for d in Store(store).latest_documents("mini"))
    assert stored > 0 and run.errors["encoding_fffd"] >= stored
