"""Dedup input: JSONL records checked line by line, and what dedup needs to know about each one."""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import xxhash

from corpus.dedup.minhash import MinHashConfig, comparison_codes, shingle_hashes
from corpus.document import Document, placeholders
from corpus.document.io import DocumentError, UniqueIds, loads

METADATA_FIELDS = ("title", "region", "year", "genre", "level", "meeting", "speaker")
CERTAIN_EVIDENCE = ("title", "formula", "meeting", "review")  # where a region or year is sure enough to guard


class DedupError(ValueError):
    """Bad dedup input or setup, in one line; input errors name the line ("line 7: invalid JSON …")."""


@dataclass(slots=True)
class Entry:
    """One input record as dedup sees it: where it is, how complete it is, and its comparison fingerprint."""

    idx: int  # record number (0-based, blank lines skipped)
    line: int  # line number in the file (1-based)
    offset: int  # byte offset of the line
    id: str
    site: str
    url: str
    region: str | None  # only when certain (see `certain`): what the region/year guard compares
    year: str | None
    first_seen: str
    length: int  # characters of comparison text
    placeholders: int
    metadata: int
    exact: bytes  # hash of the comparison text


def read_lines(path: Path) -> Iterator[tuple[int, int, bytes]]:
    """(line number, byte offset, raw line) for every non-blank line."""
    offset = 0
    with open(path, "rb") as f:
        for number, raw in enumerate(f, start=1):
            if raw.strip():
                yield number, offset, raw
            offset += len(raw)


def parse(line: int, raw: bytes) -> Document:
    """The Document on one line, or DedupError naming the line and what is wrong."""
    try:
        doc = loads(raw, f"line {line}")
    except DocumentError as exc:
        raise DedupError(str(exc)) from None
    if (
        b"\\u" in raw or b"\xed" in raw
    ):  # an escaped or UTF-8-encoded surrogate is possible: check the strings
        try:
            json.dumps(json.loads(raw), ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as e:
            bad = e.object[e.start : e.end].encode("unicode_escape").decode()
            raise DedupError(f"line {line}: invalid JSON (lone surrogate {bad}, not a character)") from None
    return doc


def _known(value: Any) -> str | None:
    return None if value in (None, "", []) else str(value)


def certain(doc: Document, name: str) -> str | None:
    """The document's `name` ("region", "year") when its `<name>_evidence` is one dedup may trust, else None.

    Cleaning says where it found each value: a title, a report formula, a meeting line or a review section
    is certain; a guess from the body text, the URL or nothing at all is not, so it never refuses a merge.
    (The evidence is read as a Document field when there is one, else from the record's other fields.)
    """
    evidence = getattr(doc, f"{name}_evidence", None) or doc.extra.get(f"{name}_evidence")
    return _known(getattr(doc, name)) if evidence in CERTAIN_EVIDENCE else None


def describe(idx: int, line: int, offset: int, doc: Document, codes: np.ndarray) -> Entry:
    """The Entry for a parsed Document whose comparison text is `codes`."""
    return Entry(
        idx=idx,
        line=line,
        offset=offset,
        id=doc.id,
        site=doc.site,
        url=doc.url,
        region=certain(doc, "region"),
        year=certain(doc, "year"),
        first_seen=doc.provenance.first_seen or "",
        length=len(codes),
        placeholders=placeholders.count(doc.text),
        metadata=sum(1 for k in METADATA_FIELDS if _known(getattr(doc, k)) is not None),
        exact=xxhash.xxh3_128_digest(codes.tobytes()),
    )


def check_unique(entry: Entry, ids: UniqueIds) -> None:
    """DedupError when the entry's id was seen before, naming both lines."""
    try:
        ids.check(entry.id, f"line {entry.line}", entry.line)
    except DocumentError as exc:
        raise DedupError(str(exc)) from None


class ShingleSets:
    """Exact shingle sets (64-bit hashes in text order) re-read from the input on demand, with an LRU cache."""

    def __init__(
        self, path: Path, offsets: list[int] | dict[int, int], config: MinHashConfig, size: int = 2048
    ) -> None:
        self.file = open(path, "rb")
        self.offsets, self.config, self.size = offsets, config, size
        self.cache: OrderedDict[int, np.ndarray] = OrderedDict()

    def get(self, idx: int) -> np.ndarray:
        """The shingle hashes of record `idx` (repeats kept: `overlap` counts distinct ones)."""
        found = self.cache.get(idx)
        if found is not None:
            self.cache.move_to_end(idx)
            return found
        self.file.seek(self.offsets[idx])
        text = loads(self.file.readline()).text
        found = shingle_hashes(comparison_codes(text), self.config.ngram)
        self.cache[idx] = found
        if len(self.cache) > self.size:
            self.cache.popitem(last=False)
        return found

    def close(self) -> None:
        """Close the input file."""
        self.file.close()
