"""Remove lines that repeat across many documents of one site (CCNet-style line hashing), keeping report formulae."""

from __future__ import annotations

import statistics
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

import xxhash

from cleaning.stages.base import Stage, lines_of, tidy
from cleaning.stages.reflow import rejoin
from cleaning.text import (
    NON_WORD,
    is_report_form,
    is_report_heading,
    is_sentence,
    protected_flags,
    words_only,
)
from cleaning.vocabulary import cue
from corpus.document import Document

xxh64 = xxhash.xxh64_intdigest
EMPTY = xxh64(b"")  # the key of a line with nothing left after normalising; never counted


def line_key(line: str) -> int:
    """64-bit hash of the line in lower case without punctuation or spaces; digits are kept as they are.

    Digits are never folded: sentences that differ only in their figures ("完成投资62亿元" / "完成投资48亿元")
    are different report text, not one repeated line.
    """
    return xxh64(NON_WORD.sub("", line.lower()).encode())


def line_keys(lines: Sequence[str]) -> array[int]:
    """`line_key` of each line (none holding "\n"), normalising them joined in one pass: same keys, less work.

    Lower-casing is the same line by line or joined: "\n" is neither cased nor case-ignorable, so no
    letter's case (the final sigma) depends on another line.
    """
    joined = words_only("\n".join(lines), lower=True)
    return array("Q", [xxh64(k.encode()) for k in joined.split("\n")] if lines else [])


def paragraphs(text: str) -> tuple[tuple[str, ...], tuple[int, ...], array[int]]:
    """The text's paragraphs once hard-wrapped lines are rejoined (reflow's rule), each line's paragraph, their keys.

    A report printed 36 characters a line shares its line fragments with every copy of it; its rejoined
    paragraphs are what boilerplate counts and judges, so those fragments are never taken for repeated lines.
    """
    # no `truncated` tails: the store's raw text has none yet, and counting and judging must use the same keys
    paras, owner = rejoin(lines_of(text))
    return paras, owner, line_keys(paras)


def count_lines(docs: Iterable[Document]) -> dict[str, Counter[int]]:
    """Per site: in how many documents each rejoined paragraph occurs (each document counts one once)."""
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    for doc in docs:
        counts[doc.site].update(set(paragraphs(doc.text)[2]) - {EMPTY})
    return dict(counts)


class Boilerplate(Stage):
    """Drop lines found in at least `min_docs` documents of the same site, unless they are report formulae.

    Lines are counted and judged as the paragraphs they make once hard-wrapped lines are rejoined.
    A republished report shares its text with its copies; to keep it, a line only counts as boilerplate
    when it repeats in more documents than the document's own lines typically do (the median count of its
    lines that are not formulae), and not when the text repeated that often is a passage (at least `copy_chars`
    characters and `copy_share` of the document: a full or partial copy of a report).
    Counts come only from `counts`, mined per site from a crawl store (`clean_store`): never from the other
    inputs of a run, so a file cleaned alone or in a batch comes out the same. A paragraph that reads as report
    prose (a sentence without junk vocabulary) is never removed for repeating.
    """

    name = "boilerplate"
    defaults: ClassVar[dict[str, Any]] = {"min_docs": 3, "copy_chars": 200, "copy_share": 0.2, "counts": None}

    def run(self, docs: Iterable[Document]) -> Iterable[Document]:
        self.counts = self.params["counts"] or {}
        for doc in docs:
            if doc.site not in self.counts:  # no pages of its site mined: nothing is repeated
                yield from self._counted(doc, lambda d: [d])
                continue
            yield from self._counted(doc, lambda d: [self.apply(d)])

    def apply(self, doc: Document) -> Document:
        """The document without its repeated lines."""
        site = (self.params["counts"] or {}).get(doc.site, Counter())
        paras, owner, keys = paragraphs(doc.text)
        seen = [site.get(k, 1) for k in keys]
        floor = self.params["min_docs"]
        if max(seen, default=0) < floor:  # nothing repeats often enough (most documents): only tidied
            if paras:
                doc.text = tidy(doc.text)
            return doc
        protected = protected_flags(paras)
        ordinary = [seen[o] for o in owner if o >= 0 and not protected[o]]
        if not ordinary:
            return doc
        typical = statistics.median(ordinary)
        sized = sorted(((seen[j], len(p)) for j, p in enumerate(paras) if not protected[j]), reverse=True)
        total = sum(size for _, size in sized)
        passage = max(self.params["copy_chars"], self.params["copy_share"] * total)
        copied = 0  # the highest count n whose text seen in >= n documents is a passage
        running = 0
        for n, size in sized:
            running += size
            if running >= passage:
                copied = n
                break
        repeated = {
            j for j, n in enumerate(seen) if n >= floor and n > typical and n > copied and not protected[j]
        }
        if repeated:  # a sentence that reads as report text is never removed for repeating
            repeated = {j for j in repeated if not _report_text(paras[j])}
        if not repeated:  # most documents: what cut_lines gives when it removes nothing
            doc.text = tidy(doc.text)
            return doc

        def judge(line: str, i: int, _: Sequence[str]) -> str | None:
            return "repeated_line" if owner[i] in repeated else None

        return self.cut_lines(doc, judge)


def _report_text(para: str) -> bool:
    """Text that reads as the report's own, which repetition alone never removes: a sentence without junk
    vocabulary, a line only reports have (the speaker, the meeting, the date), a heading reports share."""
    if cue(para, prose=True):
        return False
    return is_sentence(para) or is_report_form(para) or (is_report_heading(para) and not cue(para))
