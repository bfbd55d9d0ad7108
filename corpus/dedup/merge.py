"""Near-duplicate merging: exact copies, LSH candidates verified on exact shingle sets, clusters.

Candidates come from an in-memory LSH on NumPy band keys (corpus/dedup/bands.py; the banding of datasketch's
MinHashLSH), or from a MinHashLSH in Redis (corpus/dedup/shared_index.py). The index holds each text's signature and
windows from its middle; each text queries with its signature, prefixes and suffixes, so a page from the
start, end or middle of a report meets the report.

Every record comes out once with `cluster` (the id of its cluster's canonical record) and `canonical`; the
canonical record also gets `cluster_size` and `members` ([{id, site, url}], every copy's site and URL).
Canonical copy = the most complete clean copy, in this order: a full text over a fragment (a fragment is
shorter than `threshold` x the cluster's longest text), fewer placeholders ("20xx", "XX", "×××"), more
metadata fields, earliest `first_seen` (records without one come after), then the smaller id.
"""

from __future__ import annotations

import errno
import functools
import time
from collections import defaultdict
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import lru_cache
from multiprocessing.pool import Pool
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
    filesize,
)
from rich.text import Text

from corpus.dedup.atomic import scratch_folder
from corpus.dedup.bands import band_keys, match_band, sorted_unique, split_pairs
from corpus.dedup.minhash import SKETCH_BITS, MinHashConfig, comparison_codes, shingle_hashes, signature
from corpus.dedup.minhash_kernel import overlap
from corpus.dedup.output import Turns, share_turns, write_output
from corpus.dedup.pairs import Pair, make_lsh, plausible, verify, verify_batch
from corpus.dedup.ranges import LineError, Part, analyse_task, join_sketches, line_ranges
from corpus.dedup.records import DedupError, Entry, ShingleSets, check_unique
from corpus.dedup.unionfind import UnionFind
from corpus.dedup.workers import pool_context, start_pool, stop_signals_held
from corpus.document.io import UniqueIds

GUARD_JACCARD = (
    1.0  # records with different certain regions or years merge only when their texts compare equal
)
FRAGMENT = (
    0.8  # a text shorter than this share of its cluster's longest is a fragment (canonical rule, stats)
)
VERIFY_BATCH = 128  # candidate pairs per task sent to a verifying process
QUERY_ROWS = 1 << 20  # query rows per band lookup (4 MB of keys, and their pairs)
HUB = 64  # rows in one band bucket above which it is a hub: its rows meet only its first row (bands.band_matches)
FULL = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)  # a full disk or a file-size limit
SMALL_INPUT = 4 << 20  # bytes: below this, signatures are computed in this process (no pool start-up)

__all__ = ["DedupError", "DedupStats", "canonical_key", "cluster", "dedup_file"]


@dataclass
class DedupStats:
    """What a dedup run did; `str()` is the summary `baogao dedup` prints."""

    records: int = 0
    clusters: int = 0
    exact: int = 0
    near: int = 0
    fragments: int = 0
    candidates: int = 0  # candidate pairs met, once per band they share (before the estimate)
    estimated: int = 0  # candidates whose MinHash estimate may pass: the ones verified exactly
    verified: int = 0
    refused: int = 0
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # wall seconds per phase, in the order they ran

    def __str__(self) -> str:
        return (
            f"{self.records} records → {self.clusters} clusters; merged {self.exact} exact copies, "
            f"{self.near} near-duplicates, {self.fragments} fragments ({self.candidates} band matches, "
            f"{self.estimated} verified, {self.verified} kept, {self.refused} merges refused: region/year differ) "
            f"in {self.seconds:.1f} s"
        )

    def timings(self) -> str:
        """ "signatures + index 4.1 s · LSH query 0.6 s · …": where the time went."""
        return " · ".join(f"{name} {seconds:.1f} s" for name, seconds in self.phases.items())


def canonical_key(entry: Entry, longest: int, config: MinHashConfig) -> tuple[Any, ...]:
    """Sort key of the canonical-copy rule (smallest wins); see the module docstring."""
    fragment = entry.length < FRAGMENT * longest
    return (fragment, entry.placeholders, -entry.metadata, entry.first_seen == "", entry.first_seen, entry.id)


def cluster(
    entries: list[Entry], pairs: Iterable[Pair], config: MinHashConfig, stats: DedupStats
) -> list[int]:
    """The canonical record number of every record, from verified pairs (union-find with the region/year guard).

    Duplicates (Jaccard >= threshold) merge first, most similar first; then each fragment joins the one text
    that contains it best, so a passage two reports share cannot chain them together.
    """
    uf = UnionFind(len(entries))
    for e in entries:
        uf.label(e.idx, e.region, e.year)

    def merge(i: int, j: int, jaccard: float) -> None:
        if uf.find(i) == uf.find(j):
            return
        if jaccard < GUARD_JACCARD and uf.conflict(i, j):
            stats.refused += 1
            return
        uf.union(i, j)

    unique = {(p.i, p.j): p for p in pairs}
    stats.verified = len(unique)
    duplicates = sorted(
        (p for p in unique.values() if p.jaccard >= config.threshold), key=lambda p: (-p.jaccard, p.i, p.j)
    )
    for p in duplicates:
        merge(p.i, p.j, p.jaccard)
    parent: dict[int, tuple[tuple[float, float, int], int, float]] = {}
    for p in unique.values():
        if p.jaccard >= config.threshold:
            continue
        child, host = (p.i, p.j) if (entries[p.i].length, p.i) < (entries[p.j].length, p.j) else (p.j, p.i)
        key = (-p.containment, -p.jaccard, host)
        if child not in parent or key < parent[child][0]:
            parent[child] = (key, host, p.jaccard)
    for child in sorted(parent):
        merge(child, parent[child][1], parent[child][2])

    groups: dict[int, list[int]] = defaultdict(list)
    for e in entries:
        groups[uf.find(e.idx)].append(e.idx)
    canonical = [0] * len(entries)
    for members in groups.values():
        longest = max(entries[m].length for m in members)
        best = min(members, key=lambda m: canonical_key(entries[m], longest, config))
        for m in members:
            canonical[m] = best
            if m == best:
                continue
            if entries[m].length < FRAGMENT * longest:
                stats.fragments += 1
            elif entries[m].exact == entries[best].exact:
                stats.exact += 1
            else:
                stats.near += 1
    stats.clusters = len(groups)
    return canonical


@lru_cache(maxsize=8)
def lsh_bands(config: MinHashConfig) -> tuple[int, int]:
    """(b, r) of the MinHashLSH `make_lsh(config)` builds: the banding the in-memory index uses too."""
    lsh = make_lsh(config)
    return lsh.b, lsh.r


def uses_pool(path: Path, workers: int) -> bool:
    """True when signatures are worth a worker pool: an input of SMALL_INPUT or more (with one worker too: the
    pool's processes keep the band keys in files, the main process would hold them in memory)."""
    return workers >= 1 and path.stat().st_size >= SMALL_INPUT


def load_kernels(config: MinHashConfig) -> None:
    """Compile or load the numba kernels (and the code table) in this process, so forked workers inherit them."""
    hashes = shingle_hashes(comparison_codes("各位代表，现在我代表市人民政府向大会报告工作"), config.ngram)
    band_keys(signature(hashes, config, (2,), ((1, 3),)), *lsh_bands(config))
    overlap(hashes, hashes)


def _signatures(path: Path, config: MinHashConfig, pool: Pool | None, folder: Path | None, bar: Progress):
    """(parts, entries, shingle counts) of every line range of the input, signed in the pool's processes
    (each reads its own range: corpus/dedup/ranges.py); record and line numbers made global here."""
    size = path.stat().st_size
    b, r = lsh_bands(config)
    spans = line_ranges(path, size, 2 if pool else 1)
    task = bar.add_task("signatures", total=size, unit="bytes")
    args = [
        (str(path), lo, hi, n, config, b, r, str(folder) if folder else None)
        for n, (lo, hi) in enumerate(spans)
    ]
    results = pool.imap(analyse_task, args) if pool else map(analyse_task, args)
    parts: list[Part] = []
    entries: list[Entry] = []
    sizes: list[np.ndarray] = []
    ids = UniqueIds()
    lines = 0
    while True:
        try:
            part, found, counts = next(results)
        except StopIteration:
            break
        except LineError as exc:
            raise DedupError(f"line {lines + exc.line}{exc.rest}") from None
        part.base = len(entries)
        for e in found:
            e.idx += part.base
            e.line += lines
            check_unique(e, ids)
        lines += part.lines
        entries.extend(found)
        parts.append(part)
        sizes.append(counts)
        bar.advance(task, spans[part.number][1] - spans[part.number][0])
    return parts, entries, np.concatenate(sizes) if sizes else np.empty(0, dtype=np.int64)


def _band_task(args: tuple) -> tuple[np.ndarray, int]:
    """`match_band` of one band, with the estimate sketches, shingle counts and skipped records (arrays, or the
    paths of their files in the scratch folder when this runs in a pool process)."""
    parts, band, b, shared, config, chunk, hub = args
    if isinstance(shared[0], str):
        sketch_path, sizes_path, skip_path = shared
        sizes, skip = np.load(sizes_path, mmap_mode="r"), np.load(skip_path)
        sketches = np.asarray(
            np.memmap(sketch_path, dtype=np.uint8, mode="r", shape=(len(skip), 1 << SKETCH_BITS))
        )
    else:
        sketches, sizes, skip = shared
    keep = functools.partial(plausible, sketches=sketches, sizes=np.asarray(sizes), config=config)
    return match_band(parts, band, b, skip, keep, chunk, hub)


def _local_pairs(
    path: Path,
    config: MinHashConfig,
    pool: Pool | None,
    folder: Path | None,
    bar: Progress,
    stats: DedupStats,
):
    """Sign every record, match band keys (one band per task, in the pool's processes), verify.

    `folder` (with a pool) is the scratch folder the pool's processes share; it is emptied when the bands are
    matched (and removed by the caller after the pool ended: a process still writing would leave files in it)."""
    pairs: list[Pair] = []
    b = lsh_bands(config)[0]
    clock = time.perf_counter()
    try:
        parts, entries, sizes = _signatures(path, config, pool, folder, bar)
        stats.records = len(entries)
        skip = np.zeros(len(entries), dtype=bool)  # empty texts and exact copies: no band rows
        exact: dict[bytes, int] = {}
        for entry in entries:
            if entry.length == 0:
                skip[entry.idx] = True
                continue
            rep = exact.setdefault(entry.exact, entry.idx)
            if rep != entry.idx:
                skip[entry.idx] = True
                pairs.append(Pair(rep, entry.idx, 1.0, 1.0))
        clock = _phase(stats, "signatures + index", clock)
        if folder is None:
            shared: tuple = (np.concatenate([p.sketches() for p in parts]), sizes, skip)
        else:
            join_sketches(parts, folder / "sketches")
            np.save(folder / "sizes.npy", sizes)
            np.save(folder / "skip.npy", skip)
            shared = (str(folder / "sketches"), str(folder / "sizes.npy"), str(folder / "skip.npy"))
        bands = [(parts, band, b, shared, config, QUERY_ROWS, HUB) for band in range(b)]
        found = []
        for codes, met in pool.imap_unordered(_band_task, bands) if pool else map(_band_task, bands):
            found.append(codes)
            stats.candidates += met
        codes = sorted_unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)
        for leftover in folder.iterdir() if folder else ():
            if leftover.name != "lock":
                leftover.unlink()
    except OSError as exc:
        if exc.errno not in FULL:
            raise
        raise DedupError(
            f"cannot write temporary files in {folder.parent if folder else path.parent}: {exc.strerror}; "
            "the previous output is untouched"
        ) from None
    candidate = split_pairs(codes)
    stats.estimated = len(candidate)
    clock = _phase(stats, "LSH query", clock)
    offsets = [e.offset for e in entries]
    if pool:
        candidate = by_component(candidate, len(entries))
        tasks = [
            (
                str(path),
                config,
                [(i, j, offsets[i], offsets[j]) for i, j in candidate[lo : lo + VERIFY_BATCH].tolist()],
            )
            for lo in range(0, len(candidate), VERIFY_BATCH)
        ]
        checks = bar.add_task("verify", total=len(candidate), unit="pairs")
        for verified, checked in pool.imap_unordered(_verify_counted, tasks):
            pairs.extend(verified)
            bar.advance(checks, checked)
    else:
        sets = ShingleSets(path, offsets, config)
        try:
            pairs.extend(p for i, j in candidate.tolist() if (p := verify(i, j, sets, config)) is not None)
        finally:
            sets.close()
    _phase(stats, "verification", clock)
    return entries, pairs


class Amount(ProgressColumn):
    """How far a phase is, in its unit: "12.3/80.0 MB" for bytes, "1,200/5,000 pairs" otherwise."""

    def render(self, task: Task) -> Text:
        unit = task.fields.get("unit", "")
        total = task.total or 0
        if unit == "bytes":
            return Text(f"{filesize.decimal(int(task.completed))}/{filesize.decimal(int(total))}")
        return Text(f"{int(task.completed):,}/{int(total):,} {unit}")


def _phase(stats: DedupStats, name: str, since: float) -> float:
    """Record the wall time since `since` as phase `name`; returns now."""
    now = time.perf_counter()
    stats.phases[name] = now - since
    return now


def by_component(candidate: np.ndarray, n: int) -> np.ndarray:
    """The candidate pairs grouped by connected component, so a verify batch re-reads each record about once."""
    uf = UnionFind(n)
    for i, j in candidate.tolist():
        uf.union(i, j)
    roots = np.fromiter((uf.find(i) for i in candidate[:, 0].tolist()), dtype=np.int64, count=len(candidate))
    return candidate[np.argsort(roots, kind="stable")]


def _verify_counted(
    args: tuple[str, MinHashConfig, list[tuple[int, int, int, int]]],
) -> tuple[list[Pair], int]:
    return verify_batch(*args), len(args[2])


def dedup_file(
    in_path: str | Path,
    out_path: str | Path,
    config: MinHashConfig | None = None,
    *,
    redis_url: str | None = None,
    workers: int = 2,
    progress: bool = True,
) -> DedupStats:
    """Deduplicate a JSONL file of records (`id`, `text`, anything else passes through) into `out_path`.

    Without `redis_url` the LSH index is in memory and `workers` processes compute signatures. With it,
    `workers` processes each index a share of the records in one Redis-backed MinHashLSH and query it
    (see corpus/dedup/shared_index.py); clustering and writing happen here either way.
    """
    config = config or MinHashConfig()
    in_path, out_path = Path(in_path), Path(out_path)
    if not in_path.is_file():
        raise DedupError(f"{in_path}: no such file")
    started = time.perf_counter()
    size = in_path.stat().st_size
    stats = DedupStats()
    pooled = not redis_url and uses_pool(in_path, workers)
    if pooled:
        load_kernels(config)  # before the pool forks, so its workers inherit them
    columns = (
        TextColumn("{task.description:>10}"),
        BarColumn(),
        Amount(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with ExitStack() as running:
        with stop_signals_held():  # a signal while forking would be lost (corpus/dedup/workers.py)
            context = pool_context()
            turns = Turns(context) if pooled else None
            pool = (
                running.enter_context(start_pool(workers, context, share_turns, (turns,))) if pooled else None
            )
            bar = running.enter_context(
                Progress(*columns, console=Console(stderr=True), disable=not progress, transient=True)
            )
        # the scratch folder's lock is taken after the fork (a worker the kill of this process left running must
        # not hold it); the pool ends before the folder goes (a worker still writing would leave files in it)
        folder = running.enter_context(scratch_folder(out_path.parent)) if pool else None
        if pool:
            running.callback(pool.terminate)
        clock = _phase(stats, "start-up", started)
        if redis_url:
            from corpus.dedup.shared_index import sharded_pairs

            entries, pairs = sharded_pairs(in_path, config, redis_url, max(1, workers), stats)
            clock = _phase(stats, "signatures + Redis LSH + verification", clock)
        else:
            entries, pairs = _local_pairs(in_path, config, pool, folder, bar, stats)
            clock = time.perf_counter()
        canonical = cluster(entries, pairs, config, stats)
        clock = _phase(stats, "clusters", clock)
        write_output(in_path, out_path, entries, canonical, bar, pool, size, turns)
        _phase(stats, "writing", clock)
    stats.seconds = time.perf_counter() - started
    return stats
