"""In-memory LSH on band hashes with NumPy: the same banding as datasketch's MinHashLSH, one array operation per band.

`band_keys` turns signature rows into one 64-bit key per band (the band's `r` hash values hashed together);
`BandIndex` keeps the keys of every indexed row with its record number, sorts each band once, and answers
all queries of a band in one merge pass. Two rows sharing a band's values share its key, as in MinHashLSH;
a key collision only adds a candidate, and every candidate is checked anyway.

`BandSpill` is what dedup runs on: keys go to one temp file per band (their low 32 bits), so the index of a
million documents never sits in memory; `spilled_pairs` reads, sorts and matches one band at a time
(about 80 MB per band at a million documents instead of 2.5 GB for all 32).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

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


class BandSpill:
    """Rows of band keys with their record numbers, written band by band to temp files (4 bytes a key)."""

    FLUSH = 1 << 16  # rows kept in memory before they are written out

    def __init__(self, b: int, folder: Path) -> None:
        self.b = b
        self._files = [tempfile.TemporaryFile(dir=folder) for _ in range(b + 1)]  # bands, then record numbers
        self._keys: list[np.ndarray] = []
        self._ids: list[np.ndarray] = []
        self._pending = 0
        self.rows = 0

    def add(self, idx: int, keys: np.ndarray) -> None:
        """Rows `keys` ((rows, b) from `band_keys`) of record `idx`."""
        self._keys.append(keys)
        self._ids.append(np.full(len(keys), idx, dtype=np.int32))
        self._pending += len(keys)
        if self._pending >= self.FLUSH:
            self.flush()

    def flush(self) -> None:
        """Write the rows held in memory."""
        if not self._keys:
            return
        block = np.concatenate(self._keys).astype(np.uint32)  # the low half of each key
        for band in range(self.b):
            self._files[band].write(np.ascontiguousarray(block[:, band]).tobytes())
        self._files[self.b].write(np.concatenate(self._ids).tobytes())
        self.rows += len(block)
        self._keys, self._ids, self._pending = [], [], 0

    def read(self, band: int) -> np.ndarray:
        """Every row's key in `band` (uint32), or with band == b every row's record number (int32)."""
        self.flush()
        f = self._files[band]
        f.flush()
        f.seek(0)
        return np.fromfile(f, dtype=np.int32 if band == self.b else np.uint32)

    def close(self) -> None:
        """Delete the temp files."""
        for f in self._files:
            f.close()


def spilled_pairs(
    index: list[BandSpill],
    queries: BandSpill,
    keep: Callable[[np.ndarray], np.ndarray],
    chunk: int = 1 << 18,
    hub: int | None = None,
) -> tuple[np.ndarray, int]:
    """(sorted unique `i << 32 | j` codes that `keep` accepts, candidate pairs met before `keep`), band by band.

    The rows of every spill in `index` are indexed together and each row of `queries` asks them (buckets of
    more than `hub` rows are hubs: see `band_matches`). `keep` takes (n, 2) pairs and returns a mask; it sees
    each band's pairs (one chunk of queries at a time), so the pairs it rejects are never held together:
    memory follows what passes, not what is met.
    """
    owners, asking = np.concatenate([s.read(s.b) for s in index]), queries.read(queries.b)
    found: list[np.ndarray] = []
    met = 0
    for band in range(queries.b):
        column = np.concatenate([s.read(band) for s in index])
        order = np.argsort(column, kind="stable")  # stable: a hub's first row is the same in every run
        column, who = column[order], owners[order]
        del order
        asked_all = queries.read(band)
        for lo in range(0, len(asked_all), chunk):
            codes = sorted_unique(
                band_matches(column, who, asked_all[lo : lo + chunk], asking[lo : lo + chunk], hub)
            )
            met += len(codes)
            found.append(codes[keep(split_pairs(codes))])
        found = [sorted_unique(np.concatenate(found))] if found else []
    return (found[0] if found else np.empty(0, dtype=np.int64)), met


def sorted_unique(codes: np.ndarray) -> np.ndarray:
    """np.unique for int64 codes by an in-place sort (NumPy's hash-based unique was 2x slower on 10^7 codes)."""
    codes.sort()
    return codes[np.concatenate(([True], codes[1:] != codes[:-1]))] if len(codes) else codes


def split_pairs(codes: np.ndarray) -> np.ndarray:
    """(n, 2) pairs (i, j) from `i << 32 | j` codes (sorted codes give pairs sorted by i, then j)."""
    return np.stack([codes >> 32, codes & 0xFFFFFFFF], axis=1)
