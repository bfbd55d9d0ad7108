"""Remove lines that repeat across many documents of one site (CCNet-style line hashing), keeping report formulae."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable

import xxhash

from cleaning.document import Document
from cleaning.stages.base import Stage
from cleaning.text import is_protected, normalise


def line_key(line: str) -> int:
    """64-bit hash of the normalised line (digits as 0, no punctuation or spaces)."""
    return xxhash.xxh64_intdigest(normalise(line).encode())


def count_lines(docs: Iterable[Document]) -> dict[str, Counter[int]]:
    """Per site: in how many documents each normalised line occurs (each document counts a line once)."""
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    for doc in docs:
        counts[doc.site].update({line_key(s) for s in doc.text.split("\n") if normalise(s)})
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
        self.counts = self.params["counts"] or count_lines(batch)
        for doc in batch:
            yield from self._counted(doc, lambda d: [self.apply(d)])

    def apply(self, doc: Document) -> Document:
        counts = getattr(self, "counts", None) or count_lines([doc])
        site = counts.get(doc.site, Counter())
        lines = doc.text.split("\n")
        seen = [site.get(line_key(s), 1) for s in lines]
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
