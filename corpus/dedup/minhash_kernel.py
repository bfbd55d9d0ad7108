"""Compiled single-pass loops (numba) behind dedup: comparison codes, shingle hashes, signatures, bands, overlap.

NumPy needs one array pass per n-gram character and materialises a (permutations x shingles) block per
document; these loops read each shingle once and keep 128 running minima in cache, about 4x faster per
document. They compute exactly what `shingle_hash64` and datasketch's `MinHash.update_batch` compute
(tests/corpus/test_minhash.py), so signatures stay interchangeable with datasketch's.
Compiled on first use (5–10 s, once per install) and cached next to this file, or in numba's user cache, or
(read-only install and home) in a temp folder: later processes load them in ~0.3 s.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import numba
import numpy as np


def njit(cache: bool, nogil: bool) -> Callable[[Callable], Callable]:
    """numba.njit with its on-disk cache; where numba finds no writable cache folder, one in the temp folder."""

    def compiled(fn: Callable) -> Callable:
        try:
            return numba.njit(cache=cache, nogil=nogil)(fn)
        except RuntimeError:  # "cannot cache function …: no locator available" (read-only package and home)
            cache_dir = str(Path(tempfile.gettempdir()) / "baogao-numba-cache")
            numba.config.CACHE_DIR = cache_dir  # type: ignore[attr-defined]
            return numba.njit(cache=cache, nogil=nogil)(fn)

    return compiled


_POLY = np.uint64(0x100000001B3)  # multiplier of the polynomial shingle hash (odd)
_M64A, _M64B = np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53)  # MurmurHash3 fmix64
_M32A, _M32B = np.uint32(0x85EBCA6B), np.uint32(0xC2B2AE35)  # MurmurHash3 fmix32
_LOW32 = np.uint64(0xFFFFFFFF)
_S33, _S16, _S13 = np.uint64(33), np.uint32(16), np.uint32(13)


@njit(cache=True, nogil=True)
def map_codes(cps: np.ndarray, table: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled
    """Comparison codes of code points: `table[cp]` inside the BMP (0 = drop), the code point itself above it."""
    out = np.empty(cps.size, dtype=np.uint32)
    n = 0
    for cp in cps:
        code = table[cp] if cp < 0x10000 else cp
        if code != 0:
            out[n] = code
            n += 1
    return out[:n]


@njit(cache=True, nogil=True)
def _fmix64(h: np.uint64) -> np.uint64:  # pragma: no cover - compiled
    """MurmurHash3's 64-bit finalizer (datasketch's `_fmix(h, 64)`)."""
    h ^= h >> _S33
    h *= _M64A
    h ^= h >> _S33
    h *= _M64B
    h ^= h >> _S33
    return h


@njit(cache=True, nogil=True)
def shingle_hashes64(codes: np.ndarray, ngram: int) -> np.ndarray:  # pragma: no cover - compiled
    """fmix64 of the polynomial hash of every `ngram`-character window (one window if the text is shorter)."""
    n = min(ngram, codes.size)
    m = codes.size - n + 1 if n else 0
    out = np.empty(m, dtype=np.uint64)
    for i in range(m):
        h = np.uint64(codes[i])
        for j in range(1, n):
            h = h * _POLY + np.uint64(codes[i + j])
        out[i] = _fmix64(h)
    return out


@njit(cache=True, nogil=True)
def segment_minima_affine32(
    hashes64: np.ndarray, a: np.ndarray, b: np.ndarray, edges: np.ndarray
) -> np.ndarray:  # pragma: no cover
    """datasketch "affine32" minima per segment: fmix32 of each hash's low half, then min of `a*h + b` mod 2^32.

    Segment s covers shingles edges[s] .. edges[s + 1] - 1 (the last one runs to the end).
    """
    out = np.full((edges.size, a.size), np.uint32(0xFFFFFFFF), dtype=np.uint32)
    for s in range(edges.size):
        stop = edges[s + 1] if s + 1 < edges.size else hashes64.size
        row = out[s]
        for i in range(edges[s], stop):
            h = np.uint32(hashes64[i] & _LOW32)
            h ^= h >> _S16
            h = np.uint32(h * _M32A)
            h ^= h >> _S13
            h = np.uint32(h * _M32B)
            h ^= h >> _S16
            for k in range(a.size):  # 128 independent lanes: an unconditional min compiles to SIMD (vpminud)
                row[k] = min(row[k], np.uint32(a[k] * h + b[k]))
    return out


@njit(cache=True, nogil=True)
def segment_minima_legacy(
    hashes64: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    edges: np.ndarray,
    prime: np.uint64,
    max_hash: np.uint64,
) -> np.ndarray:  # pragma: no cover - compiled
    """datasketch "legacy" minima per segment: `(a*h + b) % prime & max_hash` in uint64 on each hash's low half."""
    out = np.full((edges.size, a.size), max_hash, dtype=np.uint64)
    for s in range(edges.size):
        stop = edges[s + 1] if s + 1 < edges.size else hashes64.size
        row = out[s]
        for i in range(edges[s], stop):
            h = hashes64[i] & _LOW32
            for k in range(a.size):
                row[k] = min(row[k], ((a[k] * h + b[k]) % prime) & max_hash)
    return out


@njit(cache=True, nogil=True)
def band_keys64(
    rows: np.ndarray, b: int, r: int, mult: np.ndarray
) -> np.ndarray:  # pragma: no cover - compiled
    """One uint64 key per band of each row: key = fmix64(key ^ (value + mult[j % len(mult)])) over the band's r values."""
    keys = np.zeros((rows.shape[0], b), dtype=np.uint64)
    for q in range(rows.shape[0]):
        for band in range(b):
            key = np.uint64(0)
            for j in range(r):
                key = _fmix64(key ^ (np.uint64(rows[q, band * r + j]) + mult[j % mult.size]))
            keys[q, band] = key
    return keys


@njit(cache=True, nogil=True)
def _mark(
    values: np.ndarray, side: int, slots: np.ndarray, sides: np.ndarray, counts: np.ndarray
) -> None:  # pragma: no cover
    """Mark each distinct value of `values` with `side` in the table; count new ones and ones the other side has."""
    mask = np.uint64(slots.size - 1)
    for value in values:
        h = np.uint64(value)
        at = (h ^ (h >> _S33)) & mask
        while sides[at] != 0 and slots[at] != h:
            at = (at + np.uint64(1)) & mask
        seen = sides[at]
        if seen & side:
            continue
        slots[at] = h
        sides[at] = seen | side
        counts[side - 1] += 1
        if seen:
            counts[2] += 1


@njit(cache=True, nogil=True)
def overlap(first: np.ndarray, second: np.ndarray) -> tuple[int, int, int]:  # pragma: no cover - compiled
    """(distinct in first, distinct in second, distinct in both) of two uint64 hash arrays, repeats allowed.

    One open-addressing table marks which side each distinct hash was seen on: linear time, no sorting.
    """
    size = 1
    while size < 2 * (first.size + second.size) + 1:
        size *= 2
    slots = np.zeros(size, dtype=np.uint64)
    sides = np.zeros(size, dtype=np.uint8)  # bit 1: in first, bit 2: in second; 0: empty slot
    counts = np.zeros(3, dtype=np.int64)
    _mark(first, 1, slots, sides, counts)
    _mark(second, 2, slots, sides, counts)
    return counts[0], counts[1], counts[2]


@njit(cache=True, nogil=True)
def range_minima(
    minima: np.ndarray, edges: np.ndarray, ranges: np.ndarray, empty: np.ndarray
) -> np.ndarray:  # pragma: no cover
    """Row q = the minima of the segments starting in [ranges[q, 0], ranges[q, 1]); `empty` where none does."""
    out = np.empty((ranges.shape[0], minima.shape[1]), dtype=minima.dtype)
    for q in range(ranges.shape[0]):
        row = out[q]
        row[:] = empty
        for s in range(edges.size):
            if ranges[q, 0] <= edges[s] < ranges[q, 1]:
                for k in range(row.size):
                    if minima[s, k] < row[k]:
                        row[k] = minima[s, k]
    return out


@njit(cache=True, nogil=True)
def sorted_lookup(
    column: np.ndarray, keys: np.ndarray, order: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover
    """For each key, where its run starts in the sorted `column` and how long the run is (0: absent).

    `order` sorts the keys (np.argsort); they are merged with the column in one forward pass: sequential
    reads instead of a binary search (cache misses) per key, which made `np.searchsorted` slow on
    million-row bands.
    """
    lo = np.zeros(keys.size, dtype=np.int64)
    counts = np.zeros(keys.size, dtype=np.int64)
    i = 0
    for q in order:
        key = keys[q]
        while i < column.size and column[i] < key:
            i += 1
        j = i
        while j < column.size and column[j] == key:
            j += 1
        lo[q] = i
        counts[q] = j - i
    return lo, counts


@njit(cache=True, nogil=True)
def bin_minima(hashes64: np.ndarray, bits: int) -> np.ndarray:  # pragma: no cover - compiled
    """The estimate sketch: shingles binned by the top `bits` of their hash, the low byte of each bin's smallest
    low-32-bit value (one-permutation hashing); 0xFF where a bin is empty. Equal bytes estimate the Jaccard."""
    minima = np.full(1 << bits, np.uint32(0xFFFFFFFF), dtype=np.uint32)
    shift = np.uint64(64 - bits)
    for h in hashes64:
        at = h >> shift
        minima[at] = min(minima[at], np.uint32(h & _LOW32))
    return (minima & np.uint32(0xFF)).astype(np.uint8)


@njit(cache=True, nogil=True)
def equal_bytes(
    sketches: np.ndarray, first: np.ndarray, second: np.ndarray
) -> np.ndarray:  # pragma: no cover
    """For each pair (first[p], second[p]), how many bytes of their sketch rows are equal."""
    out = np.zeros(first.size, dtype=np.int32)
    for p in range(first.size):
        a, b = sketches[first[p]], sketches[second[p]]
        n = 0
        for k in range(a.size):
            n += a[k] == b[k]
        out[p] = n
    return out
