"""Signatures by byte ranges: each pool process reads its own line-aligned share of the input and keeps what it
computes (band keys, estimate sketches) in files of its own, so no text and no key goes through the pool's pipes.

The main process only finds where the ranges start (`line_ranges`: one seek and one short read per range) and
gets back, per range, the Entry of each record and where its keys are (`Part`). Record numbers and line
numbers are local to a range until the main process, which sees the ranges in input order, adds what came
before (`Part.base`, `Entry.idx`, `Entry.line`).

A `Part`'s keys are stored band by band (each band's keys of one kind, then the record numbers): a band's
matching (corpus/dedup/bands.py `match_band`) reads one slice of each part. Without a pool (small inputs)
the same arrays stay in memory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from corpus.dedup.bands import band_keys
from corpus.dedup.minhash import (
    SKETCH_BITS,
    MinHashConfig,
    comparison_codes,
    estimate_sketch,
    shingle_hashes,
    text_rows,
)
from corpus.dedup.records import DedupError, Entry, describe, parse

RANGE = 32 << 20  # bytes of input per range at most (a range is one task of the pool)
KINDS = (
    "whole",
    "windows",
    "cuts",
)  # whole texts (indexed, asking), middle windows (indexed), prefixes and suffixes


class LineError(Exception):
    """Bad input found in a range: the line number within the range, and the message after "line N"."""

    def __init__(self, line: int, rest: str) -> None:
        super().__init__(line, rest)
        self.line, self.rest = line, rest


def line_ranges(path: Path, size: int, workers: int) -> list[tuple[int, int]]:
    """(start, end) byte ranges covering the file, each starting at a line start, about RANGE bytes or less
    (smaller for small files, so every process gets several)."""
    chunk = min(RANGE, max(1 << 20, size // max(1, 8 * workers)))
    starts = [0]
    with open(path, "rb") as f:
        while starts[-1] + chunk < size:
            f.seek(starts[-1] + chunk)
            f.readline()
            if f.tell() >= size:
                break
            starts.append(f.tell())
    return list(zip(starts, [*starts[1:], size], strict=True))


@dataclass
class Part:
    """What the signatures of one range left: rows per kind, and the keys in `folder` (or in `arrays`)."""

    number: int
    records: int = 0
    lines: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    folder: str | None = None
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    base: int = 0  # record number of the range's first record (set by the main process)

    def _path(self, name: str) -> str:
        return os.path.join(self.folder or "", f"{self.number}.{name}")

    def band(self, kind: str, band: int) -> np.ndarray:
        """Every row's key of `kind` in `band` (uint32)."""
        if self.folder is None:
            return self.arrays[kind][band]
        rows = self.rows[kind]
        return np.fromfile(self._path(kind), dtype=np.uint32, count=rows, offset=band * rows * 4)

    def owners(self, kind: str, b: int) -> np.ndarray:
        """The record number of every row of `kind` (global: `base` added)."""
        if self.folder is None:
            local = self.arrays[kind][b].view(np.int32)
        else:
            rows = self.rows[kind]
            local = np.fromfile(self._path(kind), dtype=np.int32, count=rows, offset=b * rows * 4)
        return local + np.int32(self.base)

    def sketches(self) -> np.ndarray:
        """(records, 1024) estimate sketches, in record order."""
        if self.folder is None:
            return self.arrays["sketch"]
        return np.fromfile(self._path("sketch"), dtype=np.uint8).reshape(self.records, 1 << SKETCH_BITS)

    def sketch_path(self) -> str:
        return self._path("sketch")


def analyse_range(
    path: str, start: int, end: int, number: int, config: MinHashConfig, b: int, r: int, folder: str | None
) -> tuple[Part, list[Entry], np.ndarray]:
    """Sign the records of bytes [start, end) of `path`: (part, entries with local idx and line, shingle counts).

    Index keys: the whole text, then windows from its middle (`middle_windows`); query keys: the whole text,
    then its prefixes and suffixes (`prefix_cuts`). Fragments from the start, end or middle of a report share
    bands with one of the report's rows. An empty text gets no rows (it is nobody's copy).
    """
    with open(path, "rb") as f:
        f.seek(start)
        data = f.read(end - start)
    pieces = data.split(b"\n")
    if pieces and pieces[-1] == b"":
        pieces.pop()
    part = Part(number, lines=len(pieces), folder=folder)
    entries: list[Entry] = []
    sizes: list[int] = []
    sketches: list[np.ndarray] = []
    rows: dict[str, list[np.ndarray]] = {k: [] for k in KINDS}
    ids: dict[str, list[np.ndarray]] = {k: [] for k in KINDS}
    offset = start
    for line, raw in enumerate(pieces, start=1):
        at, offset = offset, offset + len(raw) + 1
        if not raw.strip():
            continue
        idx = len(entries)
        try:
            doc = parse(line, raw)
        except DedupError as exc:
            message, prefix = str(exc), f"line {line}"
            raise LineError(
                line, message.removeprefix(prefix) if message.startswith(prefix) else f": {message}"
            ) from None
        codes = comparison_codes(doc.text)
        hashes = shingle_hashes(codes, config.ngram)
        signed, query = text_rows(hashes, config)
        keys = band_keys(signed, b, r)
        sketch, distinct = estimate_sketch(hashes)
        entries.append(describe(idx, line, at, doc, codes))
        sizes.append(distinct)
        sketches.append(sketch)
        if len(codes) == 0:
            continue
        for kind, block in (("whole", keys[:1]), ("windows", keys[query:]), ("cuts", keys[1:query])):
            rows[kind].append(block)
            ids[kind].append(np.full(len(block), idx, dtype=np.int32))
    part.records = len(entries)
    sketch_block = (
        np.stack(sketches) if sketches else np.empty((0, 1 << SKETCH_BITS), dtype=np.uint8)
    ).astype(np.uint8, copy=False)
    for kind in KINDS:
        keys = np.concatenate(rows[kind]) if rows[kind] else np.empty((0, b), dtype=np.uint64)
        owners = np.concatenate(ids[kind]) if ids[kind] else np.empty(0, dtype=np.int32)
        # band-major: b rows of keys (their low 32 bits), then the record numbers
        table = np.vstack([keys.astype(np.uint32).T, owners.view(np.uint32)[None, :]])
        part.rows[kind] = len(owners)
        if folder is None:
            part.arrays[kind] = table
        else:
            np.ascontiguousarray(table).tofile(part._path(kind))
    if folder is None:
        part.arrays["sketch"] = sketch_block
    else:
        sketch_block.tofile(part._path("sketch"))
    return part, entries, np.asarray(sizes, dtype=np.int64)


def analyse_task(args: tuple) -> tuple[Part, list[Entry], np.ndarray]:
    """`analyse_range` with its arguments in one tuple (what the pool passes)."""
    return analyse_range(*args)


def join_sketches(parts: list[Part], target: Path) -> None:
    """Copy every part's sketch file into `target`, in part order (in the kernel: copy_file_range)."""
    with open(target, "wb") as out:
        for part in parts:
            with open(part.sketch_path(), "rb") as src:
                left = os.fstat(src.fileno()).st_size
                while left > 0:
                    done = os.copy_file_range(src.fileno(), out.fileno(), left)
                    if done == 0:
                        raise DedupError(f"{part.sketch_path()} was cut short while dedup was running")
                    left -= done
            os.unlink(part.sketch_path())
