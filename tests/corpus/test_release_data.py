"""Inputs for the release, serve, download and export tests: dedup-style records made from the real seed texts.

No tests here; the other test modules import `record`, `texts`, `publish` and `serving`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from corpus.document.io import from_json
from corpus.release.versions import ReleaseInfo, build_release
from corpus.serving.serve import make_server

SEEDS = Path(__file__).parents[1] / "data" / "seeds"
CONFIG = {"dedup": {"threshold": 0.8, "num_perm": 128}, "rules": {"sandbox_paged": "abc123"}}


@cache
def texts() -> tuple[str, ...]:
    """Six distinct report texts: two whole seeds and four parts of the 汇总10篇 compilation."""
    whole = [
        (SEEDS / name).read_text(encoding="utf-8")
        for name in ("000_bccc3ef47fe159cf.txt", "003_3d304c6755830556.txt")
    ]
    compilation = (SEEDS / "001_93c82c73adc1ce94.txt").read_text(encoding="utf-8")
    parts = [p.strip() for p in re.split(r"^## 吉州区政府工作报告篇.*$", compilation, flags=re.M)[1:]]
    return tuple(whole + [p for p in parts if len(p) > 2000][:4])


def record(
    doc_id: str, text: str, *, copies: tuple[str, ...] = (), year: int | None = 2016, **extra: Any
) -> dict[str, Any]:
    """A canonical dedup record; each id in `copies` is a merged copy on another site."""
    site = extra.pop("site", "site_a")
    members = [{"id": doc_id, "site": site, "url": f"http://{site}.test/{doc_id}.html"}]
    members += [{"id": c, "site": "site_b", "url": f"http://site_b.test/{c}.html"} for c in copies]
    return {
        "id": doc_id, "text": text, "title": text.splitlines()[0][:30], "genre": "report", "region": "镜湖区",
        "level": "district", "year": year, "site": site, "url": members[0]["url"],
        "sources": [members[0]["url"]], "first_seen": "2026-03-01T08:00:00Z",
        "quality": {"chars": len(text), "cjk_share": 0.9, "placeholder_year": "20xx" in text},
        "cluster": doc_id, "canonical": True, "members": members, "cluster_size": len(members), **extra,
    }  # fmt: skip


def copy_of(doc_id: str, cluster: str, text: str) -> dict[str, Any]:
    """A non-canonical record merged into `cluster` (never released itself)."""
    return {"id": doc_id, "text": text, "site": "site_b", "url": f"http://site_b.test/{doc_id}.html",
            "cluster": cluster, "canonical": False, "first_seen": "2026-03-02T08:00:00Z"}  # fmt: skip


def first_records() -> list[dict[str, Any]]:
    """v1's input: three reports, the first with a copy on another site."""
    t = texts()
    return [
        record("a", t[0], copies=("a_copy",)),
        copy_of("a_copy", "a", t[0]),
        record("b", t[1]),
        record("c", t[2]),
    ]


def publish(corpus: Path, records: list[dict[str, Any]], **kwargs: Any) -> ReleaseInfo:
    """build_release with the test config, on the records read as Documents (as `baogao release` reads them)."""
    return build_release(
        (from_json(r, f"record {n}") for n, r in enumerate(records, 1)), corpus, config=CONFIG, **kwargs
    )


@contextmanager
def serving(corpus: Path) -> Iterator[int]:
    """`make_server` over `corpus` on a free loopback port, in a thread; yields the port."""
    server = make_server(corpus, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
