"""Release write and read: seconds, CPU, peak RSS and bytes per document for a corpus version.

    python -m bench.release [--quick | --full]

Synthetic canonical records of ~8,000 characters (tests/corpus/neardup.py, fixed seed) at 1,000 and 10,000 documents
(1,000 only with --quick; --full adds 100,000), written once to a JSONL file as `baogao release --from` reads
it. Write = `build_release(read_jsonl(file))` into an empty corpus folder (texts parked on disk, Parquet,
manifest with sha256 of every file, changelog, datasheet); read = `pd.read_parquet` of the version's
documents.parquet. Each figure is the median of 3 runs in a fresh process (min–max) with that process's
peak RSS and CPU time (user + system: steadier than wall time when other work shares the machine).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from bench.common import fmt_seconds, machine, repeat, table
from corpus.document.io import read_jsonl
from corpus.release.versions import build_release
from tests.corpus.neardup import synthetic_records


def records(n: int) -> Iterator[dict]:
    """Canonical dedup-output records, as `baogao release` reads them."""
    for r in synthetic_records(n, seed=3, copies=0.0):
        yield {**r, "title": "政府工作报告", "genre": "report", "level": "区", "sources": [r["url"]],
               "quality": {"chars": len(r["text"])}, "first_seen": "2026-01-01T00:00:00Z",
               "cluster": r["id"], "canonical": True, "cluster_size": 1,
               "members": [{"id": r["id"], "site": r["site"], "url": r["url"]}]}  # fmt: skip


def write_input(n: int, folder: str) -> Path:
    """The n records as a JSONL file (made once per size, outside the timed runs)."""
    path = Path(folder) / f"input-{n}.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for record in records(n):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def write(n: int, folder: str) -> int:
    """Publish the n-record input into a fresh corpus folder; returns the version's bytes on disk."""
    target = Path(folder) / f"corpus-{n}"
    shutil.rmtree(target, ignore_errors=True)  # a second release of the same input would be a no-op
    info = build_release(read_jsonl(Path(folder) / f"input-{n}.jsonl"), target, config={"bench": True},
                         created="2026-01-01T00:00:00Z")  # fmt: skip
    return sum(p.stat().st_size for p in info.path.iterdir())


def read(n: int, folder: str) -> int:
    return len(pd.read_parquet(Path(folder) / f"corpus-{n}" / "v1" / "documents.parquet"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="1,000 documents only")
    size.add_argument(
        "--full", action="store_true", help="add 100,000 documents (~2.5 GB input, a few minutes)"
    )
    args = parser.parse_args(argv)
    sizes = [1_000] if args.quick else [1_000, 10_000, 100_000] if args.full else [1_000, 10_000]
    rows = []
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            source = write_input(n, tmp)
            writes = repeat(write, n, tmp)
            seconds = writes.median
            reads = repeat(read, n, tmp)
            rows.append([f"{n:,}", writes.timing(), f"{n / seconds:,.0f}", fmt_seconds(writes.cpu),
                         f"{writes.rss_mb:,.0f} MB", reads.timing(), f"{reads.rss_mb:,.0f} MB",
                         f"{writes.value / n:,.0f}", f"{source.stat().st_size / n:,.0f}"])  # fmt: skip
            source.unlink()
            shutil.rmtree(Path(tmp) / f"corpus-{n}")
    after = os.getloadavg()
    print(f"Machine: {machine()}; load average {load[0]:.2f} before, {after[0]:.2f} after\n")
    print(table("Release write and read", ["documents", "write (build_release)", "docs/s written", "CPU (write)",
                                            "peak RSS (write)", "read parquet", "peak RSS (read)",
                                            "bytes/doc on disk", "bytes/doc input"], rows))  # fmt: skip


if __name__ == "__main__":
    main()
