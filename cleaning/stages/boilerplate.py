"""Remove lines that repeat across many documents of one site (CCNet-style line hashing), keeping report formulae."""

from __future__ import annotations

import statistics
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable

import xxhash

from cleaning.document import Document
from cleaning.stages.base import Stage
from cleaning.text import is_protected, normalise

xxh64 = xxhash.xxh64_intdigest
EMPTY = xxh64(b"")  # the key of a line with nothing left after normalising; never counted


def line_key(line: str) -> int:
    """64-bit hash of the normalised line (digits as 0, no punctuation or spaces)."""
    return xxh64(normalise(line).encode())


def line_keys(text: str) -> array[int]:
    """`line_key` of every line of the text, in order (an empty normalised line hashes to EMPTY)."""
    return array("Q", [xxh64(normalise(s).encode()) for s in text.split("\n")])


def count_lines(docs: Iterable[Document]) -> dict[str, Counter[int]]:
    """Per site: in how many documents each normalised line occurs (each document counts a line once)."""
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    for doc in docs:
        counts[doc.site].update({xxh64(k.encode()) for k in map(normalise, doc.text.split("\n")) if k})
    return dict(counts)


class Boilerplate(Stage):
    """Drop lines found in at least `min_docs` documents of the same site, unless they are report formulae.

    A republished report shares all its lines with its copies; to keep it, a line only counts as boilerplate
    when it repeats in more documents than the document's own lines typically do (the median count of its
    lines that are not formulae).
    Counts come from `counts` (e.g. over a whole crawl store) or else from the documents of this run.
    """

    name = "boilerplate"
    defaults: dict = {"min_docs": 3, "counts": None}

    def run(self, docs: Iterable[Document]) -> Iterable[Document]:
        batch = list(docs)
        keys: list[array[int] | None] = [None] * len(batch)
        if self.params["counts"]:
            self.counts = self.params["counts"]
        else:  # count from this batch, hashing each line once for counting and judging
            keys = [line_keys(doc.text) for doc in batch]
            counts: dict[str, Counter[int]] = defaultdict(Counter)
            for doc, k in zip(batch, keys, strict=True):
                counts[doc.site].update(set(k) - {EMPTY})
            self.counts = dict(counts)
        for i, doc in enumerate(batch):
            key, keys[i] = keys[i], None
            yield from self._counted(doc, lambda d, key=key: [self._apply(d, key)])

    def apply(self, doc: Document) -> Document:
        return self._apply(doc, None)

    def _apply(self, doc: Document, keys: array[int] | None) -> Document:
        counts = getattr(self, "counts", None) or count_lines([doc])
        site = counts.get(doc.site, Counter())
        lines = doc.text.split("\n")
        seen = [site.get(k, 1) for k in (keys if keys is not None else line_keys(doc.text))]
        ordinary = [n for n, s in zip(seen, lines, strict=True) if not is_protected(s)]
        if not ordinary:
            return doc
        typical = statistics.median(ordinary)
        floor = self.params["min_docs"]

        def judge(line: str, i: int, _: list[str]) -> str | None:
            n = seen[i]
            if n >= floor and n > typical and not is_protected(line):
                return "repeated_line"
            return None

        return self.cut_lines(doc, judge)
