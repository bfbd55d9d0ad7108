"""The research page's index: build time and size of browse.sqlite, and how fast its queries answer.

    python -m bench.browse [--quick | --full] [--real PATH]

Synthetic canonical records of ~8,000 characters (bench/release.py's input, fixed seed) at 1,000 and 10,000
documents (1,000 only with --quick; --full adds 100,000) are published once; then `browse.build` is timed
alone on the version (median of 3 runs in a fresh process, with CPU time and peak RSS), and each query the
pages make is timed in this process (median of 5, after one warm-up): a 4-character search, a 2-character
search (a scan), a year filter, one document with its audit trail, the coverage counts.

With --real (default ../shared/real relative to the repository root): how many removals of the real pages the
document view puts in place (the rest are listed apart), cleaning each page of `html/` with the generic
extractor, then placing its removals in its cleaned text as the page does.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.common import fmt_seconds, machine, repeat, table
from bench.release import write, write_input
from corpus.release import browse
from corpus.serving import audit, search

QUERIES = {
    "search, 4 characters": lambda con: search.search(con, "经济发展", {}),
    "search, 2 characters": lambda con: search.search(con, "经济", {}),
    "filter: one year": lambda con: search.search(con, "", {"year": "2016"}),
    "one document + audit trail": lambda con: search.document(
        con, con.execute("SELECT id FROM docs").fetchone()[0]
    ),
    "coverage counts": lambda con: search.coverage(con),
}


def build(n: int, folder: str) -> int:
    version = Path(folder) / f"corpus-{n}" / "v1"
    return browse.build(version).stat().st_size


def timed(fn, con, runs: int = 5) -> float:  # type: ignore[no-untyped-def]
    fn(con)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn(con)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def real_placement(root: Path) -> str:
    """Share of removals placed in context on the real pages, for the html stage (page chrome cut before there
    is a text: never placed) and the text stages (no page text is printed)."""
    from cleaning.io import clean_files

    pages = sorted((root / "html" / "pages").glob("*.html"))
    total: Counter[str] = Counter()
    placed: Counter[str] = Counter()
    for page in pages:
        try:
            docs = clean_files([page])
        except Exception:  # a page the cleaner refuses is not this bench's concern
            continue
        for doc in docs:
            removed = [
                {"stage": r.stage, "reason": r.reason, "text": r.text, "before": r.before}
                for r in doc.removals
            ]
            _, unplaced = audit.place(doc.text, removed)
            for r in removed:
                total["html stage" if r["stage"] == "html" else "text stages"] += 1
            for r in removed:
                placed["html stage" if r["stage"] == "html" else "text stages"] += 1
            for u in unplaced:
                placed["html stage" if u["stage"] == "html" else "text stages"] -= 1
    rows = [[k, total[k], placed[k], f"{placed[k] / total[k]:.1%}"] for k in sorted(total)]
    return table(f"Audit trail in context on {len(pages)} real pages ({root / 'html' / 'pages'})",
                 ["removed by", "removals", "placed in the text", "share"], rows)  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.browse", description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true")
    size.add_argument("--full", action="store_true")
    parser.add_argument(
        "--real", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared" / "real"
    )
    args = parser.parse_args(argv)
    sizes = [1000] if args.quick else [1000, 10000, 100000] if args.full else [1000, 10000]
    print(machine())
    rows, query_rows = [], []
    with tempfile.TemporaryDirectory(prefix="bench-browse-") as folder:
        for n in sizes:
            write_input(n, folder)
            write(n, folder)
            runs = repeat(build, n, folder)
            size_bytes = runs.value
            rows.append([f"{n:,}", runs.timing(), fmt_seconds(runs.cpu), f"{runs.rss_mb:.0f} MB",
                         f"{size_bytes / 1e6:.1f} MB", f"{size_bytes / n / 1e3:.1f} kB"])  # fmt: skip
            con = search.connect(Path(folder) / f"corpus-{n}" / "v1")
            query_rows += [[f"{n:,}", name, f"{timed(fn, con) * 1e3:.1f} ms"] for name, fn in QUERIES.items()]
            con.close()
    print(table(f"browse.sqlite build (load average {os.getloadavg()[0]:.2f})",
                ["documents", "build", "CPU", "peak RSS", "index size", "per document"], rows))  # fmt: skip
    print(table("Queries (median of 5, warm)", ["documents", "query", "time"], query_rows))
    if args.real.is_dir():
        print(real_placement(args.real.resolve()))


if __name__ == "__main__":
    main()
