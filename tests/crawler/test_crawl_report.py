"""Crawl problems an operator must hear about are in the run record and the summary line, in words."""

from __future__ import annotations

from pathlib import Path

import pytest
from crawlrun import crawl_env, last_run, run_crawl
from hostile import HostileSite

pytestmark = pytest.mark.slow  # a real crawl in a subprocess


def test_redirect_loops_cut_list_pages_huge_bodies_and_gzip_bombs_are_named(tmp_path: Path):
    with HostileSite() as site:
        site.write_rule(tmp_path / "sites", max_list_pages=2)
        store = tmp_path / "crawl.sqlite"
        result = run_crawl(store, "hostile", env=crawl_env(tmp_path / "sites"), quiet=False)
    assert result.returncode == 0, result.stderr
    run = last_run(store, "hostile")
    assert run.new == 1
    assert {
        k: run.errors.get(k)
        for k in ("redirect_loop", "list_pages_cut", "body_too_large", "decompressed_too_large")
    } == {
        "redirect_loop": 1,
        "list_pages_cut": 1,
        "body_too_large": 1,
        "decompressed_too_large": 1,
    }
    summary = " ".join(result.stderr.split())
    for words in (
        "1 URLs lost in a redirect loop (redirect_loop)",
        "1 list pages not followed (the rule's list.max_pages was reached) (list_pages_cut)",
        "1 pages over the download size limit (DOWNLOAD_MAXSIZE), not stored (body_too_large)",
        "1 compressed pages that inflate past the download size limit (a gzip bomb?), not stored (decompressed_too_large)",
    ):
        assert words in summary
