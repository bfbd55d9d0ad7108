"""End-to-end dedup: `baogao dedup` against a plain datasketch update_batch + MinHashLSH script, and quality.

    python -m bench.dedup [--quick] [--full] [--peer-max N]

Speed: synthetic corpora of ~8,000-character documents (tests/corpus/neardup.py, fixed seed; 30% are copies of
earlier ones in other wrappers, half-width, page 1 only or lightly edited) at 1,000 and 10,000 documents
(100,000 with --full). Both sides read the same JSONL and write clusters; each figure is the median of 3 runs
in a fresh process (min–max), with the median CPU time of that process and its children (steadier than wall time on a shared
machine) and its peak RSS plus its largest child's. Quality: pairwise
precision / recall / F1 on the labelled set (tests/corpus/neardup.py) at three thresholds, page-1 and middle-page
recall, and the
plain script on the same set.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from pathlib import Path

from datasketch import MinHash, MinHashLSH

from bench.common import fmt_seconds, machine, repeat, table
from bench.labelled import NEGATIVE_KINDS, POSITIVE_KINDS, labelled_copies, scores_by_kind
from corpus.dedup.merge import dedup_file
from corpus.dedup.minhash import MinHashConfig
from corpus.dedup.unionfind import UnionFind
from tests.corpus.neardup import (
    labelled_records,
    pairwise_scores,
    shared_paragraph_records,
    synthetic_records,
)


def write_corpus(path: Path, records) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def baogao(
    in_path: str, out_path: str, threshold: float | None = None, containment: float | None = None
) -> dict[str, str]:
    """`baogao dedup` on 2 processes (its defaults unless told); returns id -> cluster."""
    bars = {"threshold": threshold, "containment": containment}
    config = MinHashConfig(**{k: v for k, v in bars.items() if v is not None})
    dedup_file(in_path, out_path, config, workers=2, progress=False)
    return read_clusters(out_path)


def baogao_phases(in_path: str, out_path: str) -> dict[str, float]:
    """`baogao dedup` on 2 processes; returns its wall seconds per phase (what `baogao dedup` prints as time:),
    then its band matches and exactly verified pairs."""
    stats = dedup_file(in_path, out_path, MinHashConfig(), workers=2, progress=False)
    return {**stats.phases, COUNTS[0]: stats.candidates, COUNTS[1]: stats.estimated}


COUNTS = ("band matches", "verified exactly")


def plain_datasketch(in_path: str, out_path: str, threshold: float = 0.8) -> dict[str, str]:
    """What a user would write: update_batch over 5-character shingles, MinHashLSH, clusters of LSH hits."""
    ids, minhashes = [], []
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    with open(in_path, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            text = record["text"]
            m = MinHash(num_perm=128)
            m.update_batch([text[i : i + 5].encode("utf-8") for i in range(max(1, len(text) - 4))])
            lsh.insert(len(ids), m)
            ids.append(record["id"])
            minhashes.append(m)
    uf = UnionFind(len(ids))
    for i, m in enumerate(minhashes):
        for j in lsh.query(m):
            uf.union(i, j)
    clusters = {ids[i]: ids[uf.find(i)] for i in range(len(ids))}
    with open(out_path, "w", encoding="utf-8") as f:
        for i, c in clusters.items():
            f.write(json.dumps({"id": i, "cluster": c}) + "\n")
    return clusters


def read_clusters(path: str) -> dict[str, str]:
    with open(path, encoding="utf-8") as f:
        return {r["id"]: r["cluster"] for r in map(json.loads, f)}


SHAPES = {
    "bench": synthetic_records,  # stitched originals, 30 % copies of four kinds
    "shared paragraphs": shared_paragraph_records,  # candidate-heavy: 300 shared paragraphs in 50 families
}


def speed(sizes: list[int], peer_max: int, work: Path, runs: int = 3) -> str:
    return "\n\n".join(speed_shape(shape, sizes, peer_max, work, runs) for shape in SHAPES)


def speed_shape(shape: str, sizes: list[int], peer_max: int, work: Path, runs: int) -> str:
    rows: list[list[str]] = []
    phases: list[tuple[int, dict[str, float]]] = []
    previous = None
    for n in sizes:
        corpus = write_corpus(work / f"corpus_{n}.jsonl", SHAPES[shape](n, seed=2))
        mb = corpus.stat().st_size / 1e6
        ours = repeat(baogao_phases, str(corpus), str(work / "ours.jsonl"), runs=runs)
        phases.append(
            (n, {name: statistics.median(x.value[name] for x in ours.samples) for name in ours.value})
        )
        growth = f"{ours.median / previous[1]:.1f}x for {n / previous[0]:.0f}x docs" if previous else ""
        previous = (n, ours.median)
        peer = (
            repeat(plain_datasketch, str(corpus), str(work / "peer.jsonl"), runs=runs)
            if n <= peer_max
            else None
        )
        ratio = (
            f"{peer.median / ours.median:.1f}x faster ({peer.cpu / ours.cpu:.1f}x less CPU)" if peer else ""
        )
        rows.append(
            [
                f"{n:,}",
                "baogao dedup (2 processes)",
                ours.timing(),
                f"{ours.cpu:.1f} s",
                f"{n / ours.median:,.0f}",
                f"{mb / ours.median:.1f}",
                f"{ours.rss_mb:.0f}",
                ratio,
                growth,
            ]
        )
        if peer:
            rows.append(
                [
                    f"{n:,}",
                    "plain datasketch update_batch + MinHashLSH",
                    peer.timing(),
                    f"{peer.cpu:.1f} s",
                    f"{n / peer.median:,.0f}",
                    f"{mb / peer.median:.1f}",
                    f"{peer.rss_mb:.0f}",
                    "1.0x",
                    "",
                ]
            )
        print(f"  {shape}: {n:,} documents ({mb:,.0f} MB) done; load average {load_average()}", flush=True)
        corpus.unlink()
    end_to_end = table(
        f"End-to-end dedup, {shape} corpus ({runs} run{'s' if runs > 1 else ''} each; load average at the end {load_average()})",
        [
            "corpus",
            "method",
            "time: median (min–max)",
            "CPU (median)",
            "docs/s",
            "MB/s",
            "peak RSS MB",
            "vs plain datasketch",
            "growth",
        ],
        rows,
    )
    return end_to_end + "\n\n" + phase_table(phases)


def load_average() -> str:
    """The 1/5/15-minute load averages (the machine is shared: read every figure beside them)."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def phase_table(phases: list[tuple[int, dict[str, float]]]) -> str:
    """Median wall seconds per phase of `baogao dedup` at each size, and how LSH query + verification grow."""
    names = [name for name in phases[0][1] if name not in COUNTS] if phases else []
    rows, previous = [], None
    for n, times in phases:
        lsh = times.get("LSH query", 0.0) + times.get("verification", 0.0)
        growth = (
            f"{lsh / previous[1]:.1f}x for {n / previous[0]:.0f}x docs" if previous and previous[1] else ""
        )
        previous = (n, lsh)
        counts = [f"{times.get(name, 0):,.0f}" for name in COUNTS]
        rows.append([f"{n:,}", *(fmt_seconds(times[name]) for name in names), growth, *counts])
    return table(
        "LSH build + query + verification: phases of baogao dedup (median wall time)",
        ["corpus", *names, "LSH query + verification growth", *COUNTS],
        rows,
    )


def quality(work: Path) -> str:
    records = labelled_records()
    source = write_corpus(work / "labelled.jsonl", records)
    rows = []
    page1 = [r for r in records if r["kind"].startswith("page1")]
    page2 = [r for r in records if r["kind"] == "page2"]
    for name, fn, threshold in [("baogao dedup", baogao, t) for t in (0.7, 0.8, 0.9)] + [
        ("plain datasketch", plain_datasketch, 0.8)
    ]:
        clusters = fn(str(source), str(work / "q.jsonl"), threshold)
        p, r, f1 = pairwise_scores(records, clusters)
        base = {x["group"]: x["id"] for x in records if x["kind"] == "original"}
        fragments = sum(clusters[x["id"]] == clusters[base[x["group"]]] for x in page1) / len(page1)
        middles = sum(clusters[x["id"]] == clusters[base[x["group"]]] for x in page2) / len(page2)
        rows.append(
            [name, threshold, f"{p:.3f}", f"{r:.3f}", f"{f1:.3f}", f"{fragments:.2f}", f"{middles:.2f}"]
        )
    kinds = ", ".join(sorted({r["kind"] for r in records}))
    return table(
        f"Dedup quality on the labelled set ({len(records)} records: {kinds})",
        [
            "method",
            "threshold",
            "pairwise precision",
            "pairwise recall",
            "F1",
            "page-1 recall",
            "middle-page recall",
        ],
        rows,
    )


CURVE = (
    0.3,
    0.4,
    0.5,
    0.6,
    0.7,
    0.8,
    0.9,
)  # Jaccard thresholds swept; containment = threshold + 0.2 (at most 1)


def copy_kinds(work: Path) -> str:
    """Precision/recall curve on the copy-kind set (bench/labelled.py), then per kind at the defaults."""
    records = labelled_copies()
    source = write_corpus(work / "copies.jsonl", records)
    curve = []
    for t in CURVE:
        clusters = baogao(str(source), str(work / "q.jsonl"), t, min(1.0, round(t + 0.2, 2)))
        p, r, f1 = pairwise_scores(records, clusters)
        by_kind = scores_by_kind(records, clusters)
        worst_r = min(by_kind[k][1] for k in POSITIVE_KINDS)
        worst_p = min(v[0] for v in by_kind.values())
        curve.append(
            [
                t,
                min(1.0, round(t + 0.2, 2)),
                f"{p:.3f}",
                f"{r:.3f}",
                f"{f1:.3f}",
                f"{worst_p:.3f}",
                f"{worst_r:.3f}",
            ]
        )
    config = MinHashConfig()
    ours = scores_by_kind(records, baogao(str(source), str(work / "q.jsonl")))
    peer = scores_by_kind(records, plain_datasketch(str(source), str(work / "q.jsonl")))
    kinds = sorted(ours, key=lambda k: (k in NEGATIVE_KINDS, k))
    count = {k: sum(r["kind"] == k for r in records) for k in kinds}
    rows = [
        [k, count[k], f"{ours[k][0]:.3f}", f"{ours[k][1]:.3f}", f"{peer[k][0]:.3f}", f"{peer[k][1]:.3f}"]
        for k in kinds
    ]
    return (
        table(
            f"Precision/recall curve on the copy-kind set ({len(records)} records; pairwise, worst kind beside)",
            [
                "Jaccard threshold",
                "containment",
                "precision",
                "recall",
                "F1",
                "worst kind's precision",
                "worst copy kind's recall",
            ],
            curve,
        )
        + "\n\n"
        + table(
            f"Per copy kind at the defaults (threshold {config.threshold}, containment {config.containment}) "
            "beside the plain datasketch script (MinHashLSH 0.8)",
            ["kind", "records", "baogao precision", "baogao recall", "plain precision", "plain recall"],
            rows,
        )
    )


def real_pairs(real: Path, work: Path) -> str:
    """Recall and false merges on the real reports: every pair in neardup/pairs.jsonl must merge, nothing else."""
    reports, listed = real / "reports.jsonl", real / "neardup" / "pairs.jsonl"
    if not reports.is_file() or not listed.is_file():
        return f"(no real material at {real}: real-pair table skipped)"
    with open(listed, encoding="utf-8") as f:
        pairs = [(p["a"], p["b"]) for p in map(json.loads, f)]
    rows = []
    for name, fn in (("baogao dedup (defaults)", baogao), ("plain datasketch", plain_datasketch)):
        clusters = fn(str(reports), str(work / "real.jsonl"))
        merged = sum(clusters[a] == clusters[b] for a, b in pairs)
        groups: dict[str, int] = {}
        for c in clusters.values():
            groups[c] = groups.get(c, 0) + 1
        together = sum(n * (n - 1) // 2 for n in groups.values())
        rows.append([name, len(clusters), f"{merged} / {len(pairs)}", together - merged])
    return table(
        f"Real pairs ({reports}; measured only, nothing of it committed)",
        ["method", "reports", "listed pairs merged", "other pairs merged (false merges)"],
        rows,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 documents only")
    parser.add_argument("--full", action="store_true", help="also 100,000 documents")
    parser.add_argument(
        "--peer-max", type=int, default=10_000, help="largest corpus the plain script runs on"
    )
    parser.add_argument(
        "--real", type=Path, default=Path("../shared/real"), help="real material to measure on"
    )
    parser.add_argument("--sizes", type=int, nargs="*", help="corpus sizes (instead of --quick/--full)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (the median is shown)")
    parser.add_argument("--speed-only", action="store_true", help="skip the quality tables")
    args = parser.parse_args(argv)
    sizes = args.sizes or ([1_000] if args.quick else [1_000, 10_000] + ([100_000] if args.full else []))
    print(f"Dedup; {machine()}\n", flush=True)
    with tempfile.TemporaryDirectory(prefix="baogao-bench-") as tmp:
        work = Path(tmp)
        if not args.speed_only:
            print(real_pairs(args.real, work), flush=True)
            print(copy_kinds(work), flush=True)
            print(quality(work), flush=True)
        print(speed(sizes, args.peer_max, work, args.runs))


if __name__ == "__main__":
    main()
