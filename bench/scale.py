"""Dedup at a million documents: time, CPU and peak RSS of one `baogao dedup` run (issue 14's scale target).

    python -m bench.scale [--docs 1000000] [--work DIR]

The corpus is written at byte level so that it takes minutes, not hours: JSON-escaped sentences of the
seed reports (tests/corpus/neardup.py) joined into ~8,000-character originals, and 30 % copies of recent originals
(a sentence-level edit: two dropped and one added; or the first half only). About 24 kB per line, so a
million documents are ~24 GB of JSONL (and as much again for the output): `--work` must have the room.
Run it once, late: it loads both cores for a quarter of an hour.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from bench.common import isolated, machine
from tests.corpus.neardup import load_bases, sentences


def write_corpus(path: Path, n: int, seed: int = 3, length: int = 8000, copies: float = 0.3) -> int:
    """`n` records into `path`; returns how many are copies."""
    rng = np.random.default_rng(seed)
    pool = [s for b in load_bases() for s in sentences(b.text) if len(s) > 8]
    encoded = [json.dumps(s, ensure_ascii=False)[1:-1].encode() for s in pool]
    per_doc = max(1, round(length / (sum(map(len, pool)) / len(pool))))
    recent: list[np.ndarray] = []
    made = 0
    with open(path, "wb", buffering=1 << 24) as f:
        picks = rng.integers(0, len(pool), size=(n, per_doc))
        for i in range(n):
            if recent and rng.random() < copies:
                made += 1
                parts = recent[rng.integers(len(recent))]
                if rng.random() < 0.5:
                    parts = np.delete(parts, rng.integers(len(parts), size=2))
                    parts = np.insert(parts, rng.integers(len(parts)), rng.integers(len(pool)))
                else:
                    parts = parts[: len(parts) // 2]
            else:
                parts = picks[i]
                recent.append(parts)
                if len(recent) > 1000:
                    recent.pop(0)
            text = b"".join(encoded[k] + (b"\\n" if k % 4 == 0 else b"") for k in parts.tolist())
            f.write(
                b'{"id": "d%07d", "site": "s%d", "url": "http://s.example/%d", "text": "%s"}\n'
                % (i, i % 7, i, text)
            )
    return made


def run(in_path: str, out_path: str) -> str:
    from corpus.dedup.merge import dedup_file

    stats = dedup_file(in_path, out_path, workers=2, progress=False)
    return f"{stats}\n{stats.timings()}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp"))
    parser.add_argument("--corpus", type=Path, help="a corpus `write_corpus` wrote before (kept afterwards)")
    args = parser.parse_args(argv)
    source = args.corpus or args.work / f"scale_{args.docs}.jsonl"
    out = args.work / f"scale_{args.docs}.out.jsonl"
    print(f"Dedup at scale; {machine()}", flush=True)
    if not args.corpus:
        started = time.perf_counter()
        copies = write_corpus(source, args.docs)
        print(
            f"corpus: {args.docs:,} documents ({copies:,} copies), written in {time.perf_counter() - started:.0f} s"
        )
    print(f"corpus: {source} ({source.stat().st_size / 1e9:.1f} GB)", flush=True)
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    sample = isolated(run, str(source), str(out))
    print(sample.value)
    after = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(
        f"| documents | wall | CPU (all processes) | peak RSS: main + largest worker | load average before / after |\n"
        f"|---|---|---|---|---|\n"
        f"| {args.docs:,} | {sample.seconds / 60:.1f} min | {sample.cpu_seconds / 60:.1f} min | "
        f"{sample.rss_mb:.0f} + {sample.child_rss_mb:.0f} MB | {load} / {after} |"
    )
    out.unlink()
    if not args.corpus:
        source.unlink()


if __name__ == "__main__":
    main()
