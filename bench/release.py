"""Release write and read: seconds and bytes per document for a corpus version.

    python -m bench.release [--quick]

Synthetic canonical records of ~8,000 characters (bench/neardup.py, fixed seed) at 1,000 and 10,000 documents
(1,000 only with --quick). Write = `build_release` into an empty corpus folder (Parquet, manifest with sha256
of every file, changelog, datasheet); read = `pd.read_parquet` of the version's documents.parquet. Each figure
is the median of 3 runs in a fresh process (min–max) with that process's peak RSS.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd

from bench.common import machine, repeat, table
from bench.neardup import synthetic_records
from corpus.release import build_release


def records(n: int) -> list[dict]:
    """Canonical dedup-output records, as `baogao release` reads them."""
    out = []
    for r in synthetic_records(n, seed=3, copies=0.0):
        out.append({**r, "title": "政府工作报告", "genre": "report", "level": "区", "sources": [r["url"]],
                    "quality": {"chars": len(r["text"])}, "first_seen": "2026-01-01T00:00:00Z",
                    "cluster": r["id"], "canonical": True, "cluster_size": 1,
                    "members": [{"id": r["id"], "site": r["site"], "url": r["url"]}]})  # fmt: skip
    return out


def write(n: int, folder: str) -> tuple[float, int]:
    """Publish n records into a fresh corpus folder; (seconds spent in build_release, bytes on disk)."""
    data = records(n)
    target = Path(folder) / f"corpus-{n}"
    shutil.rmtree(target, ignore_errors=True)  # a second release of the same input would be a no-op
    started = time.perf_counter()
    info = build_release(data, target, config={"bench": True}, created="2026-01-01T00:00:00Z")
    seconds = time.perf_counter() - started
    return seconds, sum(p.stat().st_size for p in info.path.iterdir())


def read(n: int, folder: str) -> int:
    return len(pd.read_parquet(Path(folder) / f"corpus-{n}" / "v1" / "documents.parquet"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 documents only")
    args = parser.parse_args(argv)
    sizes = [1_000] if args.quick else [1_000, 10_000]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            writes = repeat(write, n, tmp)
            seconds = sorted(sample.value[0] for sample in writes.samples)
            size = writes.value[1]
            reads = repeat(read, n, tmp)
            rows.append([f"{n:,}", f"{seconds[1]:.2f} s ({seconds[0]:.2f}–{seconds[-1]:.2f})",
                         f"{n / seconds[1]:,.0f}", f"{writes.rss_mb:.0f} MB", reads.timing(),
                         f"{size / n:,.0f}"])  # fmt: skip
    print(f"Machine: {machine()}\n")
    print(table("Release write and read", ["documents", "write (build_release)", "docs/s written",
                                            "peak RSS (write)", "read parquet", "bytes/doc on disk"], rows))  # fmt: skip


if __name__ == "__main__":
    main()
