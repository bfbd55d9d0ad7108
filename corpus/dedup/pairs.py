"""Candidate pairs from datasketch MinHashLSH, each verified on the exact shingle sets before it may merge."""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

import numpy as np
from datasketch import MinHashLSH
from datasketch.storage import DictSetStorage

from corpus.dedup.minhash import MinHashConfig
from corpus.dedup.minhash_kernel import equal_bytes, overlap
from corpus.dedup.records import ShingleSets

MIN_FRAGMENT = 200  # shingles: a shorter text never merges as a fragment (a shared slogan is not a copy)
WINDOW_SHIFT = 32  # an index key idx | w << WINDOW_SHIFT is window w of record idx (key & 0xFFFFFFFF is idx)
CANDIDATE_MARGIN = (
    0.2  # the LSH is tuned for Jaccard `threshold - 0.2`, so edited copies and prefixes are found
)
LOWEST_LSH = 0.4  # … but never below 0.4: 32 bands of 4 (lower would index 42 bands and flood the candidates)
SIGMAS = 3.0  # a candidate is skipped when its MinHash estimate is this many standard errors below both bars

_RECORD = (1 << WINDOW_SHIFT) - 1


class Pair(NamedTuple):
    """A verified pair of record numbers (i < j) with its exact Jaccard and containment of the shorter."""

    i: int
    j: int
    jaccard: float
    containment: float


def make_lsh(config: MinHashConfig, storage_config: dict | None = None) -> MinHashLSH:
    """The MinHashLSH index (in memory, or in Redis with a `storage_config`) for this config."""
    return MinHashLSH(
        threshold=max(LOWEST_LSH, config.threshold - CANDIDATE_MARGIN),
        num_perm=config.num_perm,
        weights=(0.3, 0.7),  # favour recall: every candidate is verified exactly anyway
        storage_config=storage_config,
    )


def query_rows(lsh: MinHashLSH, rows: np.ndarray) -> set:
    """Keys of the index sharing a band with any of the signature rows: `lsh.query` for many rows at once.

    Same band keys and storage calls as MinHashLSH.query (tested against it), but the rows are byte-swapped
    in one array operation and each band's storage is asked once for all rows (one round trip in Redis).
    """
    b, r = lsh.b, lsh.r
    if lsh.hashfunc is not None:
        raise ValueError("query_rows needs a MinHashLSH without a hashfunc")
    raw = np.ascontiguousarray(rows[:, : b * r]).byteswap().tobytes()
    width, stride = r * rows.itemsize, b * r * rows.itemsize
    found: set = set()
    for band, table in enumerate(lsh.hashtables):
        at = band * width
        keys = {raw[q * stride + at : q * stride + at + width] for q in range(len(rows))}
        if isinstance(table, DictSetStorage):  # in memory: read the dict, skip an empty set per miss
            for key in keys:
                found.update(table._dict.get(key, ()))
        else:
            for hits in table.getmany(*keys):
                found.update(hits)
    return {pickle.loads(k) for k in found} if lsh.prepickle else found


def plausible(
    candidate: np.ndarray, sketches: np.ndarray, sizes: np.ndarray, config: MinHashConfig
) -> np.ndarray:
    """Which candidate pairs (n, 2) may pass `verify`, judged from their estimate sketches alone (a bool mask).

    `sketches` holds each record's `estimate_sketch` (1,024 bins of one byte), `sizes` its shingle count. The
    share of equal bytes estimates the Jaccard J (two different minima agree in a byte once in 256: that only
    raises the estimate, so more pairs are verified, none is lost); the sizes turn it into the containment of
    the smaller text, J (a + b) / ((1 + J) min(a, b)). A pair is skipped only when both estimates lie more than
    SIGMAS standard errors (binomial, over the bins; carried to the containment by its derivative) below the
    thresholds. At 3, a pair whose true value sits exactly on a bar is lost about once in 700; a copy 0.1 above
    the bar would need an estimate 5 standard errors off (never seen).
    """
    k = sketches.shape[1]
    i, j = candidate[:, 0], candidate[:, 1]
    jaccard = equal_bytes(sketches, i, j) / k
    bounded = np.clip(jaccard, 0.02, 0.98)
    spread = SIGMAS * np.sqrt(bounded * (1 - bounded) / k)
    a, b = sizes[i].astype(np.float64), sizes[j].astype(np.float64)
    scale = (a + b) / np.maximum(np.minimum(a, b), 1.0)
    high = np.minimum(jaccard + spread, 1.0)
    contained_high = high * scale / (1 + high)
    return (high >= config.threshold) | (
        (contained_high >= config.containment) & (np.minimum(a, b) >= MIN_FRAGMENT)
    )


def verify(i: int, j: int, sets: ShingleSets, config: MinHashConfig) -> Pair | None:
    """The pair if its exact shingle sets are duplicates (Jaccard) or one contains the other, else None."""
    a, b = sets.get(i), sets.get(j)
    if not a.size or not b.size:
        return None
    size_a, size_b, inter = overlap(a, b)
    small = min(size_a, size_b)
    jaccard = inter / (size_a + size_b - inter)
    containment = inter / small
    if jaccard >= config.threshold or (containment >= config.containment and small >= MIN_FRAGMENT):
        return Pair(min(i, j), max(i, j), jaccard, containment)
    return None


def candidates(
    lsh: MinHashLSH,
    queries: Iterable[tuple[int, np.ndarray]],
    done: set[tuple[int, int]],
    tick: Callable[[], None] = lambda: None,
) -> Iterator[tuple[int, int]]:
    """Candidate pairs (i < j) for each (record number, signature rows): row 0 is the whole text, then prefixes
    and suffixes, which find fragments (page 1 of 3) whose Jaccard with the whole text is too low for the LSH;
    keys of indexed windows (`idx | w << WINDOW_SHIFT`) count as their record `idx`.
    Each unordered pair comes once; `done` collects them.
    """
    for i, rows in queries:
        found = {key & _RECORD for key in query_rows(lsh, rows)}
        found.discard(i)
        for j in sorted(found):
            key = (min(i, j), max(i, j))
            if key not in done:
                done.add(key)
                yield key
        tick()


_WORKER_SETS: dict[tuple[str, MinHashConfig], ShingleSets] = {}


def verify_batch(path: str, config: MinHashConfig, batch: list[tuple[int, int, int, int]]) -> list[Pair]:
    """Verify (i, j, offset of i, offset of j) candidates in a pool process (which keeps its own LRU cache)."""
    sets = _WORKER_SETS.get((path, config))
    if sets is None:
        sets = _WORKER_SETS[(path, config)] = ShingleSets(Path(path), {}, config)
    for i, j, at_i, at_j in batch:
        sets.offsets[i], sets.offsets[j] = at_i, at_j  # type: ignore[index]
    return [p for i, j, _, _ in batch if (p := verify(i, j, sets, config)) is not None]
