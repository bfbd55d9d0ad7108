"""`scrapy crawl site -a name=X`, Scrapy's own tool: a spider that cannot start exits non-zero, one that
crawls exits 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from crawlrun import REPO, crawl_env
from minisite import MiniSite

pytestmark = pytest.mark.slow
SCRAPY = Path(sys.executable).parent / "scrapy"


def scrapy_crawl(name: str, store: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRAPY), "crawl", "site", "-a", f"name={name}", "-s", f"BAOGAO_STORE={store}"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)  # fmt: skip


def test_a_spider_that_cannot_start_exits_non_zero(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k != "BAOGAO_SANDBOX_URL"}
    result = scrapy_crawl("sandbox_essay", tmp_path / "crawl.sqlite", env)  # its start URL needs the sandbox
    assert result.returncode != 0
    assert "start_error" in result.stderr


def test_a_spider_that_crawls_exits_zero(tmp_path: Path):
    site = MiniSite(2).start()
    try:
        site.write_rule(tmp_path / "sites")
        result = scrapy_crawl("mini", tmp_path / "crawl.sqlite", crawl_env(tmp_path / "sites"))
    finally:
        site.stop()
    assert result.returncode == 0, result.stderr[-2000:]
