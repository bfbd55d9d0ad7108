"""Near-duplicate merging: exact copies, MinHashLSH candidates verified on exact shingle sets, clusters.

Every record comes out once with `cluster` (the id of its cluster's canonical record) and `canonical`; the
canonical record also gets `cluster_size` and `members` ([{id, site, url}], every copy's site and URL).
Canonical copy = the most complete clean copy, in this order: a full text over a fragment (a fragment is
shorter than `threshold` x the cluster's longest text), fewer placeholders ("20xx", "XX", "×××"), more
metadata fields, earliest `first_seen` (records without one come after), then the smaller id.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from multiprocessing.pool import Pool
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from corpus.dedup_input import DedupError, Entry, ShingleSets, describe, parse, read_lines
from corpus.dedup_pairs import Pair, candidates, make_lsh, verify, verify_batch
from corpus.minhash import MinHashConfig, comparison_codes, make_lean, prefix_cuts, shingle_hashes, signature
from corpus.unionfind import UnionFind

GUARD_JACCARD = 0.95  # records with different known regions or years merge only when this similar
BATCH = 64  # records per task sent to a signature process
VERIFY_BATCH = 128  # candidate pairs per task sent to a verifying process
ADDED_KEYS = (b'"cluster"', b'"canonical"', b'"cluster_size"', b'"members"')  # fields dedup adds
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
    candidates: int = 0
    verified: int = 0
    refused: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        return (
            f"{self.records} records → {self.clusters} clusters; merged {self.exact} exact copies, "
            f"{self.near} near-duplicates, {self.fragments} fragments ({self.candidates} candidate pairs "
            f"checked, {self.verified} kept, {self.refused} merges refused: region/year differ) "
            f"in {self.seconds:.1f} s"
        )


def canonical_key(entry: Entry, longest: int, config: MinHashConfig) -> tuple[Any, ...]:
    """Sort key of the canonical-copy rule (smallest wins); see the module docstring."""
    fragment = entry.length < config.threshold * longest
    return (fragment, entry.placeholders, -entry.metadata, entry.first_seen == "", entry.first_seen, entry.id)


def cluster(entries: list[Entry], pairs: Iterable[Pair], config: MinHashConfig, stats: DedupStats) -> list[int]:
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
    duplicates = sorted((p for p in unique.values() if p.jaccard >= config.threshold), key=lambda p: (-p.jaccard, p.i, p.j))
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
            if entries[m].length < config.threshold * longest:
                stats.fragments += 1
            elif entries[m].exact == entries[best].exact:
                stats.exact += 1
            else:
                stats.near += 1
    stats.clusters = len(groups)
    return canonical


def analyse(batch: list[tuple[int, int, int, bytes]], config: MinHashConfig) -> list[tuple[Entry, np.ndarray]]:
    """Entries and signature rows (whole text, then prefixes) for a batch of (idx, line, offset, raw)."""
    out = []
    for idx, line, offset, raw in batch:
        record = parse(line, raw)
        codes = comparison_codes(record["text"])
        hashes = shingle_hashes(codes, config.ngram)
        out.append((describe(idx, line, offset, record, codes), signature(hashes, config, prefix_cuts(len(hashes)))))
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


def start_pool(path: Path, workers: int) -> Pool | None:
    """Signature processes for a large input: forked when this process has no other thread (fast start)."""
    if workers < 2 or path.stat().st_size < SMALL_INPUT:
        return None
    method = "fork" if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method).Pool(workers)


def _local_pairs(path: Path, config: MinHashConfig, pool: Pool | None, bar: Progress, stats: DedupStats):
    """Sign every record (in the pool's processes), index them in memory, query with prefixes, verify."""
    task = bar.add_task("signatures", total=path.stat().st_size)
    entries: list[Entry] = []
    ids: dict[str, int] = {}
    rows_at: dict[int, tuple[int, int]] = {}  # idx -> (byte offset in the spill file, rows)
    exact: dict[bytes, int] = {}
    pairs: list[Pair] = []
    lsh = make_lsh(config)
    batches = _batches(path, lambda n: bar.advance(task, n))
    results = pool.imap(_analyse_task, ((b, config) for b in batches)) if pool else (analyse(b, config) for b in batches)
    with tempfile.TemporaryFile(dir=path.parent) as spill:
        with lsh.insertion_session() as session:
            for batch in results:
                for entry, rows in batch:
                    if entry.id in ids:
                        raise DedupError(
                            f"line {entry.line}: duplicate id {entry.id!r} (first on line {ids[entry.id]})"
                        )
                    ids[entry.id] = entry.line
                    entries.append(entry)
                    if entry.length == 0:
                        continue  # an empty text is nobody's copy
                    rep = exact.setdefault(entry.exact, entry.idx)
                    if rep != entry.idx:
                        pairs.append(Pair(rep, entry.idx, 1.0, 1.0))
                        continue
                    rows_at[entry.idx] = (spill.tell(), len(rows))
                    spill.write(rows.tobytes())
                    session.insert(entry.idx, make_lean(rows[0], config), check_duplication=False)
        stats.records = len(entries)
        dtype = config.permutations.dtype

        def queries() -> Iterator[tuple[int, np.ndarray]]:
            for idx, (at, n) in rows_at.items():
                spill.seek(at)
                yield idx, np.frombuffer(spill.read(n * config.num_perm * dtype.itemsize), dtype=dtype).reshape(n, -1)

        offsets = [e.offset for e in entries]
        query_task = bar.add_task("candidates", total=len(rows_at))
        done: set[tuple[int, int]] = set()
        found = candidates(lsh, queries(), done, lambda: bar.advance(query_task))
        if pool:  # this process queries the index while the pool verifies

            def batches() -> Iterator[tuple[str, MinHashConfig, list[tuple[int, int, int, int]]]]:
                batch = []
                for i, j in found:
                    batch.append((i, j, offsets[i], offsets[j]))
                    if len(batch) == VERIFY_BATCH:
                        yield str(path), config, batch
                        batch = []
                if batch:
                    yield str(path), config, batch

            for verified in pool.imap_unordered(_verify_task, batches()):
                pairs.extend(verified)
        else:
            sets = ShingleSets(path, offsets, config)
            try:
                pairs.extend(p for i, j in found if (p := verify(i, j, sets, config)) is not None)
            finally:
                sets.close()
    stats.candidates = len(done)
    return entries, pairs


def _verify_task(args: tuple[str, MinHashConfig, list[tuple[int, int, int, int]]]) -> list[Pair]:
    return verify_batch(*args)


def _analyse_task(args: tuple[list[tuple[int, int, int, bytes]], MinHashConfig]) -> list[tuple[Entry, np.ndarray]]:
    return analyse(*args)


def write_output(in_path: Path, out_path: Path, entries: list[Entry], canonical: list[int], bar: Progress) -> None:
    """Every input record once, with cluster/canonical (and members on canonical records); atomic rename.

    The new fields are appended to each input line as it is, so other fields keep their exact bytes; a line
    that already has one of these fields is parsed and rewritten instead.
    """
    members: dict[int, list[int]] = defaultdict(list)
    for e in entries:
        members[canonical[e.idx]].append(e.idx)
    task = bar.add_task("writing", total=in_path.stat().st_size)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out_path.parent, prefix=f".{out_path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            for idx, (line, offset, raw) in enumerate(read_lines(in_path)):
                if idx >= len(entries) or offset != entries[idx].offset:
                    raise DedupError(f"line {line}: the input changed while dedup was running")
                best = canonical[idx]
                fields: dict[str, Any] = {"cluster": entries[best].id, "canonical": best == idx}
                if best == idx:
                    group = sorted(members[idx], key=lambda m: (m != idx, m))
                    fields["cluster_size"] = len(group)
                    fields["members"] = [{"id": entries[m].id, "site": entries[m].site, "url": entries[m].url} for m in group]
                body = raw.rstrip()
                if body.endswith(b"}") and not any(key in body for key in ADDED_KEYS):
                    out.write(body[:-1] + b", " + json.dumps(fields, ensure_ascii=False)[1:].encode() + b"\n")
                else:
                    record = json.loads(raw)
                    if record.get("id") != entries[idx].id:
                        raise DedupError(f"line {line}: the input changed while dedup was running")
                    out.write(json.dumps({**record, **fields}, ensure_ascii=False).encode() + b"\n")
                bar.advance(task, len(raw))
        os.replace(tmp, out_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
    (see corpus/dedup_redis.py); clustering and writing happen here either way.
    """
    config = config or MinHashConfig()
    in_path, out_path = Path(in_path), Path(out_path)
    if not in_path.is_file():
        raise DedupError(f"{in_path}: no such file")
    started = time.perf_counter()
    stats = DedupStats()
    pool = None if redis_url else start_pool(in_path, workers)  # before the progress bar starts its thread
    columns = (TextColumn("{task.description:>10}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with pool or nullcontext(), Progress(*columns, console=Console(stderr=True), disable=not progress, transient=True) as bar:
        if redis_url:
            from corpus.dedup_redis import sharded_pairs

            entries, pairs = sharded_pairs(in_path, config, redis_url, max(1, workers), stats)
        else:
            entries, pairs = _local_pairs(in_path, config, pool, bar, stats)
        canonical = cluster(entries, pairs, config, stats)
        write_output(in_path, out_path, entries, canonical, bar)
    stats.seconds = time.perf_counter() - started
    return stats
