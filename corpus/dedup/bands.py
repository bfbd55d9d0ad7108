"""In-memory LSH on band hashes with NumPy: the same banding as datasketch's MinHashLSH, one array operation per band.

`band_keys` turns signature rows into one 64-bit key per band (the band's `r` hash values hashed together);
`BandIndex` keeps the keys of every indexed row with its record number, sorts each band once, and answers
all queries of a band in one merge pass. Two rows sharing a band's values share its key, as in MinHashLSH;
a key collision only adds a candidate, and every candidate is checked anyway.

What dedup runs on is `match_band`: the keys (their low 32 bits) wait in the files the signing processes wrote
(corpus/dedup/ranges.py), and each band is read, sorted and matched on its own, one band per task of the pool
(about 80 MB per band at a million documents instead of 2.5 GB for all 32).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from corpus.dedup.minhash_kernel import band_keys64, sorted_lookup

_MULT = np.array(
    [
        0x9E3779B97F4A7C15,
        0xC2B2AE3D27D4EB4F,
        0x165667B19E3779F9,
        0xD6E8FEB86659FD93,
        0xFF51AFD7ED558CCD,
        0xC4CEB9FE1A85EC53,
        0x94D049BB133111EB,
        0xBF58476D1CE4E5B9,
    ],
    dtype=np.uint64,
)


def band_keys(rows: np.ndarray, b: int, r: int) -> np.ndarray:
    """(rows, b) uint64 keys: band k of a row is its hash values k*r … k*r+r-1 hashed together."""
    return band_keys64(np.ascontiguousarray(rows), b, r, _MULT)


class BandIndex:
    """Band keys of indexed rows, each row labelled with its record number; `pairs` finds rows sharing a band."""

    def __init__(self, b: int) -> None:
        self.b = b
        self._keys: list[np.ndarray] = []
        self._ids: list[np.ndarray] = []
        self._sorted: list[tuple[np.ndarray, np.ndarray]] | None = None

    def add(self, idx: int, keys: np.ndarray) -> None:
        """Index the rows `keys` ((rows, b) from `band_keys`) of record `idx`."""
        self._keys.append(keys)
        self._ids.append(np.full(len(keys), idx, dtype=np.int32))

    def freeze(self) -> None:
        """Sort every band once (called by the first `pairs`)."""
        keys = np.concatenate(self._keys) if self._keys else np.empty((0, self.b), dtype=np.uint64)
        ids = np.concatenate(self._ids) if self._ids else np.empty(0, dtype=np.int32)
        self._keys, self._ids = [], []
        self._sorted = []
        for band in range(self.b):
            column = keys[:, band]
            order = np.argsort(column)  # ties in any order: pairs are made unique at the end
            self._sorted.append((column[order], ids[order]))

    def pairs(self, ids: np.ndarray, keys: np.ndarray) -> np.ndarray:
        """Unique (i, j) record-number pairs, i < j, where query row q (record ids[q]) shares a band with an indexed row."""
        return split_pairs(self.codes(ids, keys))

    def codes(self, ids: np.ndarray, keys: np.ndarray) -> np.ndarray:
        """`pairs` as sorted unique `i << 32 | j` codes (cheaper to merge across query chunks than (n, 2) rows)."""
        if self._sorted is None:
            self.freeze()
        found = [
            band_matches(column, owners, np.ascontiguousarray(keys[:, band]), ids)
            for band, (column, owners) in enumerate(self._sorted or ())
        ]
        return sorted_unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)


def band_matches(
    column: np.ndarray, owners: np.ndarray, asked: np.ndarray, ids: np.ndarray, hub: int | None = None
) -> np.ndarray:
    """`i << 32 | j` codes (i < j, repeats possible) of query rows (record ids[q]) whose key `asked[q]` is in
    the sorted `column` of one band, whose rows belong to records `owners`.

    A bucket of more than `hub` rows (many texts with the same values in this band: a shared passage, or a
    report copied many times) is a hub: a query meets only its first row, so every member of the hub is a
    candidate with that one row instead of with each other (a star, not all the pairs: the pairs met stay
    linear in the rows; see docs/dedup.md for what this can cost).
    """
    lo, counts = sorted_lookup(column, asked, np.argsort(asked))
    if hub is not None:
        counts = np.where(counts > hub, 1, counts)
    hit = counts > 0
    if not hit.any():
        return np.empty(0, dtype=np.int64)
    lo, counts, who = lo[hit], counts[hit], ids[hit]
    total = int(counts.sum())
    starts = np.repeat(lo - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
    other = owners[starts + np.arange(total)].astype(np.int64)
    mine = np.repeat(who, counts).astype(np.int64)
    keep = other != mine
    return np.minimum(mine, other)[keep] << 32 | np.maximum(mine, other)[keep]


def sorted_unique(codes: np.ndarray) -> np.ndarray:
    """np.unique for int64 codes by an in-place sort (NumPy's hash-based unique was 2x slower on 10^7 codes)."""
    codes.sort()
    return codes[np.concatenate(([True], codes[1:] != codes[:-1]))] if len(codes) else codes


def split_pairs(codes: np.ndarray) -> np.ndarray:
    """(n, 2) pairs (i, j) from `i << 32 | j` codes (sorted codes give pairs sorted by i, then j)."""
    return np.stack([codes >> 32, codes & 0xFFFFFFFF], axis=1)


def band_column(
    parts: list, kinds: tuple[str, ...], band: int, b: int, skip: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(sorted keys, their record numbers) of one band over `parts` (corpus/dedup/ranges.py), rows of `kinds`
    in that order, records marked in `skip` left out. Within a key, rows come in the order of `kinds`, then by
    record number (the order a stable sort of the rows in input order gives): a hub's first row is the same in
    every run, whatever the order the parts were made in."""
    rows = [band_rows(parts, kind, band, b, skip) for kind in kinds]
    rank = np.concatenate([np.full(len(keys), n, dtype=np.uint64) for n, (keys, _) in enumerate(rows)])
    packed = (
        np.concatenate([keys for keys, _ in rows]).astype(np.uint64) << np.uint64(32)
        | rank << np.uint64(31)
        | np.concatenate([owners for _, owners in rows]).astype(np.uint64)
    )
    del rows, rank
    packed.sort()
    return (packed >> np.uint64(32)).astype(np.uint32), (packed & np.uint64(0x7FFFFFFF)).astype(np.int32)


def band_rows(parts: list, kind: str, band: int, b: int, skip: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(keys, record numbers) of one band's rows of `kind` over `parts`, in input order, `skip` records left out."""
    keys = np.concatenate([p.band(kind, band) for p in parts] or [np.empty(0, np.uint32)])
    owners = np.concatenate([p.owners(kind, b) for p in parts] or [np.empty(0, np.int32)])
    live = ~skip[owners]
    return keys[live], owners[live]


def match_band(
    parts: list,
    band: int,
    b: int,
    skip: np.ndarray,
    keep: Callable[[np.ndarray], np.ndarray],
    chunk: int,
    hub: int | None,
) -> tuple[np.ndarray, int]:
    """(sorted unique `i << 32 | j` codes that `keep` accepts, candidate pairs met before `keep`) in one band.

    Whole texts ask whole texts and middle windows; prefixes and suffixes ask whole texts only (a fragment is
    found by its whole text meeting a window, or a prefix or suffix meeting its whole text; a prefix meeting
    another text's window was only ever a shared passage). Buckets of more than `hub` rows are hubs (see
    `band_matches`). `keep` sees one chunk of queries' pairs at a time: memory follows what passes.
    """
    found: list[np.ndarray] = []
    met = 0
    for indexed, asking in ((("whole", "windows"), "whole"), (("whole",), "cuts")):
        column, who = band_column(parts, indexed, band, b, skip)
        asked_all, askers = band_rows(parts, asking, band, b, skip)
        for lo in range(0, len(asked_all), chunk):
            codes = sorted_unique(
                band_matches(column, who, asked_all[lo : lo + chunk], askers[lo : lo + chunk], hub)
            )
            met += len(codes)
            found.append(codes[keep(split_pairs(codes))])
    codes = sorted_unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)
    return codes, met
