"""Run `baogao crawl` in a subprocess (Twisted's reactor cannot restart, so each crawl is its own process)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from crawler.store import Store

REPO = Path(__file__).resolve().parents[2]


def crawl_env(sites_dir: Path | None = None, **extra: str) -> dict[str, str]:
    """Environment for a crawl subprocess: no politeness delays on loopback, optional rules folder."""
    env = os.environ | {"BAOGAO_NO_DELAY": "1"} | extra
    if sites_dir is not None:
        env["BAOGAO_SITES_DIR"] = str(sites_dir)
    return env


def crawl_cmd(store: Path, *args: str, quiet: bool = True) -> list[str]:
    return [
        sys.executable,
        "-m",
        "baogao.cli",
        "crawl",
        *(["--quiet"] if quiet else []),
        "--store",
        str(store),
        *args,
    ]


def run_crawl(
    store: Path, *args: str, env: dict[str, str], quiet: bool = True
) -> subprocess.CompletedProcess[str]:
    """`baogao crawl [--quiet] --store STORE ARGS…` to completion; output captured."""
    return subprocess.run(
        crawl_cmd(store, *args, quiet=quiet), env=env, cwd=REPO, capture_output=True, text=True, timeout=120
    )


def last_run(store: Path, site: str):
    return Store(store).runs(site, 1)[0]
