"""Scale-out dedup: worker processes share one MinHashLSH index kept in Redis (datasketch storage_config).

A run has a name (`baogao-dedup-<hex>`), used as the LSH basename and as the prefix of its other keys.
Worker i of n signs records i, i+n, i+2n, … and inserts them (an exact copy of a record some worker already
claimed in `<run>:exact` is recorded as a pair instead; windows from a record's middle go in under
`idx | w << 32`), then waits until all n workers have inserted
(`<run>:inserted`), queries its records with their whole-text and prefix signatures, verifies candidates on
the exact shingle sets read back from the input file, and pushes verified pairs to `<run>:pairs`. The
coordinator (`sharded_pairs`) validates the input first, runs the workers, reads the pairs and deletes the
run's keys. Workers only need the input path and the Redis URL, so `dedup_shard` runs as well on other hosts
that see the same file.
"""

from __future__ import annotations

import multiprocessing
import struct
import time
import uuid
from functools import partial
from pathlib import Path

import numpy as np
import redis
from redis.connection import parse_url

from corpus.dedup.minhash import (
    SKETCH_BITS,
    MinHashConfig,
    comparison_codes,
    estimate_sketch,
    make_lean,
    shingle_hashes,
    text_rows,
)
from corpus.dedup.pairs import WINDOW_SHIFT, Pair, candidates, make_lsh, plausible, verify
from corpus.dedup.records import DedupError, Entry, ShingleSets, check_unique, describe, parse, read_lines
from corpus.dedup.workers import quiet_worker
from corpus.document.io import UniqueIds

PAIR = struct.Struct("<IIdd")
SIZE = struct.Struct("<q")  # a record's shingle count, before its sketch in `<run>:sketch`
BARRIER_TIMEOUT = 3600.0  # seconds a worker waits for the others to finish inserting


def storage_config(redis_url: str, run: str) -> dict:
    """datasketch storage_config for the run's index in the Redis at `redis_url`."""
    return {"type": "redis", "basename": run.encode(), "redis": parse_url(redis_url)}


def dedup_shard(
    in_path: Path, config: MinHashConfig, *, redis_url: str, run: str, worker: int, workers: int
) -> int:
    """Worker `worker` of `workers` in run `run`: index its share, wait for the others, query, verify.

    Pushes verified pairs to `<run>:pairs` and returns how many candidate pairs it checked.
    """
    r = redis.Redis.from_url(redis_url)
    lsh = make_lsh(config, storage_config(redis_url, run))
    offsets: list[int] = []
    mine = []
    sketches = r.pipeline(transaction=False)  # each record's estimate sketch, sent a thousand at a time
    with lsh.insertion_session() as session:
        for idx, (line, offset, raw) in enumerate(read_lines(in_path)):
            offsets.append(offset)
            if idx % workers != worker:
                continue
            doc = parse(line, raw)
            codes = comparison_codes(doc.text)
            if not codes.size:
                continue
            exact = describe(idx, line, offset, doc, codes).exact
            if not r.hsetnx(f"{run}:exact", exact, idx):
                rep = int(r.hget(f"{run}:exact", exact) or 0)
                r.rpush(f"{run}:pairs", PAIR.pack(min(rep, idx), max(rep, idx), 1.0, 1.0))
                continue
            hashes = shingle_hashes(codes, config.ngram)
            rows, query = text_rows(hashes, config)
            mine.append((idx, rows[:query]))
            sketch, distinct = estimate_sketch(hashes)
            sketches.hset(f"{run}:sketch", str(idx), SIZE.pack(distinct) + sketch.tobytes())
            if len(sketches) >= 1000:
                sketches.execute()
            session.insert(idx, make_lean(rows[0], config), check_duplication=False)
            for w, row in enumerate(rows[query:], start=1):  # windows from the middle find excerpts of it
                session.insert(idx | w << WINDOW_SHIFT, make_lean(row, config), check_duplication=False)
    sketches.execute()
    r.incr(f"{run}:inserted")
    deadline = time.monotonic() + BARRIER_TIMEOUT
    while int(r.get(f"{run}:inserted") or 0) < workers:
        if time.monotonic() > deadline:
            raise TimeoutError(f"dedup worker {worker}: the other workers of {run} did not finish indexing")
        time.sleep(0.02)
    done: set[tuple[int, int]] = set()
    found = np.array(list(candidates(lsh, mine, done)), dtype=np.int64).reshape(-1, 2)
    found = found[estimate(r, run, found, config)]
    sets = ShingleSets(in_path, offsets, config)
    try:
        pairs = [PAIR.pack(*p) for i, j in found.tolist() if (p := verify(i, j, sets, config)) is not None]
    finally:
        sets.close()
    if pairs:
        r.rpush(f"{run}:pairs", *pairs)
    return len(done)


def estimate(r: redis.Redis, run: str, found: np.ndarray, config: MinHashConfig) -> np.ndarray:
    """`plausible` for candidate pairs, with the sketches every worker stored in `<run>:sketch`."""
    ids = np.unique(found)
    sketches = np.zeros((len(ids), 1 << SKETCH_BITS), dtype=np.uint8)
    sizes = np.zeros(len(ids), dtype=np.int64)
    unknown = np.zeros(len(ids), dtype=bool)  # no sketch stored: such a pair is verified, not judged
    for lo in range(0, len(ids), 1000):
        chunk = ids[lo : lo + 1000]
        for k, raw in enumerate(r.hmget(f"{run}:sketch", [str(i) for i in chunk.tolist()])):
            if raw is None:
                unknown[lo + k] = True
                continue
            sizes[lo + k] = SIZE.unpack_from(raw)[0]
            sketches[lo + k] = np.frombuffer(raw, dtype=np.uint8, offset=SIZE.size)
    at = np.searchsorted(ids, found)
    return plausible(at, sketches, sizes, config) | unknown[at].any(axis=1)


def sharded_pairs(
    in_path: Path, config: MinHashConfig, redis_url: str, workers: int, stats
) -> tuple[list[Entry], list[Pair]]:
    """Validate the input, run `workers` shard processes against Redis, and return entries and verified pairs."""
    entries = []
    for idx, (line, offset, raw) in enumerate(read_lines(in_path)):
        doc = parse(line, raw)
        entries.append(describe(idx, line, offset, doc, comparison_codes(doc.text)))
    ids = UniqueIds()
    for entry in entries:
        check_unique(entry, ids)
    stats.records = len(entries)
    r = redis.Redis.from_url(redis_url)
    try:
        r.ping()
    except redis.RedisError as e:
        raise DedupError(f"{redis_url}: cannot reach Redis ({e})") from None
    run = f"baogao-dedup-{uuid.uuid4().hex[:12]}"
    try:
        task = partial(_shard_task, str(in_path), config, redis_url, run, workers)
        with multiprocessing.get_context("spawn").Pool(workers, initializer=quiet_worker) as pool:
            stats.candidates = sum(pool.map(task, range(workers), chunksize=1))
        pairs = [Pair(*PAIR.unpack(raw)) for raw in r.lrange(f"{run}:pairs", 0, -1)]
    finally:
        keys = list(r.scan_iter(match=f"{run}*", count=1000))
        for start in range(0, len(keys), 1000):
            r.delete(*keys[start : start + 1000])
    return entries, pairs


def _shard_task(
    in_path: str, config: MinHashConfig, redis_url: str, run: str, workers: int, worker: int
) -> int:
    return dedup_shard(Path(in_path), config, redis_url=redis_url, run=run, worker=worker, workers=workers)
