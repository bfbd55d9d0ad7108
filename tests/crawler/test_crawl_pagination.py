"""Following an article over its pages: loops, the page cap, a dead next link, and URL templates."""

from __future__ import annotations

from pathlib import Path

import pytest
from crawlrun import crawl_env, last_run, run_crawl
from minisite import MiniSite

from crawler.store import Store

pytestmark = pytest.mark.slow


def crawl_article_2(tmp_path: Path, site: MiniSite, edit=lambda text: text) -> tuple[dict, object]:
    rule = site.write_rule(tmp_path / "sites")
    rule.write_text(edit(rule.read_text(encoding="utf-8")), encoding="utf-8")
    store = tmp_path / "crawl.sqlite"
    result = run_crawl(store, "mini", env=crawl_env(tmp_path / "sites"))
    assert result.returncode == 0, result.stderr
    (doc,) = [d for d in Store(store).latest_documents("mini") if d["url"].endswith("/a/2.html")]
    return doc, last_run(store, "mini")


def pages(doc: dict) -> list[str]:
    return [u.rsplit("/", 1)[-1] for u in doc["page_urls"]]


def test_a_last_page_linking_back_to_page_one_stops_the_article(tmp_path: Path):
    site = MiniSite(3, last_page_link="/a/2.html").start()
    try:
        doc, run = crawl_article_2(tmp_path, site)
    finally:
        site.stop()
    assert pages(doc) == ["2.html", "2_2.html", "2_3.html"] and doc["complete"] == 1
    assert doc["text"].count("各位代表") == 1  # page 1 not read twice
    assert run.errors["pagination_loop"] == 1 and site.hits["/a/2.html"] == 1


def test_max_pages_caps_an_article_and_marks_it_incomplete(tmp_path: Path):
    site = MiniSite(3).start()
    try:
        doc, run = crawl_article_2(tmp_path, site, lambda t: t.replace("  drop:", "  max_pages: 2\n  drop:"))
    finally:
        site.stop()
    assert pages(doc) == ["2.html", "2_2.html"] and doc["complete"] == 0
    assert run.errors["max_pages"] == 1 and site.hits["/a/2_3.html"] == 0


def test_a_dead_next_page_link_keeps_the_pages_before_it_as_incomplete(tmp_path: Path):
    site = MiniSite(3, last_page_link="/a/2_9.html").start()
    try:
        doc, run = crawl_article_2(tmp_path, site)
    finally:
        site.stop()
    assert pages(doc) == ["2.html", "2_2.html", "2_3.html"] and doc["complete"] == 0
    assert (
        "谢谢大家。" in doc["text"] and run.errors["http_404"] == 2
    )  # the dead page link and the listed /a/404.html


def test_page_url_template_follows_pages_until_one_is_missing(tmp_path: Path):
    site = MiniSite(3).start()
    try:
        doc, run = crawl_article_2(
            tmp_path,
            site,
            lambda t: t.replace('  next_page: "div.pages a.next"', '  page_url_template: "{stem}_{n}.html"'),
        )
    finally:
        site.stop()
    assert pages(doc) == ["2.html", "2_2.html", "2_3.html"] and doc["complete"] == 1
    assert site.hits["/a/2_4.html"] == 1
    assert (
        run.errors["http_404"] == 1
    )  # only the listed dead link /a/404.html: a template running out is no error
    assert run.new == 3
