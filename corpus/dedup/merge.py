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
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
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

from corpus.dedup.bands import BandSpill, band_keys, sorted_unique, spilled_pairs, split_pairs
from corpus.dedup.minhash import (
    SKETCH_BITS,
    MinHashConfig,
    comparison_codes,
    estimate_sketch,
    middle_windows,
    prefix_cuts,
    shingle_hashes,
    signature,
)
from corpus.dedup.minhash_kernel import overlap
from corpus.dedup.output import write_output
from corpus.dedup.pairs import Pair, make_lsh, plausible, verify, verify_batch
from corpus.dedup.records import DedupError, Entry, ShingleSets, check_unique, describe, parse, read_lines
from corpus.dedup.unionfind import UnionFind
from corpus.dedup.workers import start_pool, stop_signals_held
from corpus.document.io import UniqueIds

GUARD_JACCARD = (
    1.0  # records with different certain regions or years merge only when their texts compare equal
)
FRAGMENT = (
    0.8  # a text shorter than this share of its cluster's longest is a fragment (canonical rule, stats)
)
BATCH = 64  # records per task sent to a signature process
VERIFY_BATCH = 128  # candidate pairs per task sent to a verifying process
QUERY_ROWS = 1 << 20  # query rows per band lookup (4 MB of keys, and their pairs)
HUB = 64  # rows in one band bucket above which it is a hub: its rows meet only its first row (bands.band_matches)
SPOOL = 64 << 20  # bytes of estimate sketches kept in memory before they go to a temporary file
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


Analysed = tuple[Entry, np.ndarray, np.ndarray, np.ndarray, int]


def analyse(batch: list[tuple[int, int, int, bytes]], config: MinHashConfig) -> list[Analysed]:
    """(entry, index keys, query keys, sketch, distinct shingles) for a batch of (idx, line, offset, raw).

    The sketch is `estimate_sketch` of the whole text (what `plausible` estimates from).

    Index keys: the whole text, then windows from its middle (`middle_windows`); query keys: the whole text,
    then its prefixes and suffixes (`prefix_cuts`). Fragments from the start, end or middle of a report
    share bands with one of the report's rows.
    """
    b, r = lsh_bands(config)
    out = []
    for idx, line, offset, raw in batch:
        doc = parse(line, raw)
        codes = comparison_codes(doc.text)
        hashes = shingle_hashes(codes, config.ngram)
        cuts, windows = prefix_cuts(len(hashes)), middle_windows(len(hashes))
        rows = signature(hashes, config, cuts, windows)
        keys = band_keys(rows, b, r)
        query = 1 + 2 * len(cuts)
        sketch, distinct = estimate_sketch(hashes)
        out.append(
            (
                describe(idx, line, offset, doc, codes),
                np.concatenate([keys[:1], keys[query:]]),
                keys[:query],
                sketch,
                distinct,
            )
        )
    return out


def _batches(path: Path, tick) -> Iterator[list[tuple[int, int, int, bytes]]]:
    batch = []
    for idx, (line, offset, raw) in enumerate(read_lines(path)):
        batch.append((idx, line, offset, raw))
        tick(len(raw))
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def uses_pool(path: Path, workers: int) -> bool:
    """True when signatures are worth a worker pool: two or more workers and an input of SMALL_INPUT or more."""
    return workers >= 2 and path.stat().st_size >= SMALL_INPUT


def load_kernels(config: MinHashConfig) -> None:
    """Compile or load the numba kernels (and the code table) in this process, so forked workers inherit them."""
    hashes = shingle_hashes(comparison_codes("各位代表，现在我代表市人民政府向大会报告工作"), config.ngram)
    band_keys(signature(hashes, config, (2,), ((1, 3),)), *lsh_bands(config))
    overlap(hashes, hashes)


def _local_pairs(path: Path, config: MinHashConfig, pool: Pool | None, bar: Progress, stats: DedupStats):
    """Sign every record (in the pool's processes), index band keys in memory, query with prefixes, verify."""
    task = bar.add_task("signatures", total=path.stat().st_size, unit="bytes")
    entries: list[Entry] = []
    ids = UniqueIds()
    exact: dict[bytes, int] = {}
    pairs: list[Pair] = []
    b = lsh_bands(config)[0]
    # band keys wait on disk, band by band: whole texts (indexed and asking), middle windows (indexed), prefixes and
    # suffixes (asking the whole texts only: a fragment is found by its whole text meeting a window, or a prefix
    # or suffix meeting its whole text; a prefix meeting another text's window was only ever a shared passage)
    whole, windows, cuts = (BandSpill(b, path.parent) for _ in range(3))
    # 1 KB a record, read back once: no growing copies; in memory up to SPOOL bytes, on disk beyond
    sketched = tempfile.SpooledTemporaryFile(SPOOL, dir=str(path.parent))
    sizes = np.zeros(1024, dtype=np.int64)
    batches = _batches(path, lambda n: bar.advance(task, n))
    results = (
        pool.imap(_analyse_task, ((b, config) for b in batches))
        if pool
        else (analyse(b, config) for b in batches)
    )
    clock = time.perf_counter()
    try:
        for batch in results:
            for entry, index_keys, query_keys, sketch, size in batch:
                check_unique(entry, ids)
                entries.append(entry)
                if entry.idx >= len(sizes):  # grow by half: amortised appends, no list of small arrays
                    sizes = np.resize(sizes, len(sizes) * 3 // 2)
                sketched.write(sketch.tobytes())
                sizes[entry.idx] = size
                if entry.length == 0:
                    continue  # an empty text is nobody's copy
                rep = exact.setdefault(entry.exact, entry.idx)
                if rep != entry.idx:
                    pairs.append(Pair(rep, entry.idx, 1.0, 1.0))
                    continue
                whole.add(entry.idx, query_keys[:1])
                windows.add(entry.idx, index_keys[1:])
                cuts.add(entry.idx, query_keys[1:])
        stats.records = len(entries)
        clock = _phase(stats, "signatures + index", clock)
        sketched.seek(0)
        sketches = np.empty((len(entries), 1 << SKETCH_BITS), dtype=np.uint8)
        if (
            sketched.readinto(sketches.data) != sketches.nbytes
        ):  # SpooledTemporaryFile has readinto since 3.11
            raise DedupError(f"a temporary file in {path.parent} was cut short while dedup was running")
        keep = functools.partial(plausible, sketches=sketches, sizes=sizes, config=config)
        texts, met = spilled_pairs([whole, windows], whole, keep, QUERY_ROWS, HUB)
        ends, met_ends = spilled_pairs([whole], cuts, keep, QUERY_ROWS, HUB)
        codes, stats.candidates = sorted_unique(np.concatenate([texts, ends])), met + met_ends
    except OSError as exc:
        if exc.errno not in FULL:
            raise
        raise DedupError(
            f"cannot write temporary files in {path.parent}: {exc.strerror}; the previous output is untouched"
        ) from None
    finally:
        for spill in (whole, windows, cuts, sketched):
            spill.close()
    candidate = split_pairs(codes)
    stats.estimated = len(candidate)
    del sketches, sizes
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


def _analyse_task(args: tuple[list[tuple[int, int, int, bytes]], MinHashConfig]) -> list[Analysed]:
    return analyse(*args)


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
            pool = running.enter_context(start_pool(workers)) if pooled else None
            bar = running.enter_context(
                Progress(*columns, console=Console(stderr=True), disable=not progress, transient=True)
            )
        clock = _phase(stats, "start-up", started)
        if redis_url:
            from corpus.dedup.shared_index import sharded_pairs

            entries, pairs = sharded_pairs(in_path, config, redis_url, max(1, workers), stats)
            clock = _phase(stats, "signatures + Redis LSH + verification", clock)
        else:
            entries, pairs = _local_pairs(in_path, config, pool, bar, stats)
            clock = time.perf_counter()
        canonical = cluster(entries, pairs, config, stats)
        clock = _phase(stats, "clusters", clock)
        write_output(in_path, out_path, entries, canonical, bar, pool, size)
        _phase(stats, "writing", clock)
    stats.seconds = time.perf_counter() - started
    return stats
