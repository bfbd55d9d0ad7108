"""Split compilation pages ("…(汇总10篇)", "篇一 … 篇十") into one Document per part."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from cleaning.stages.base import Stage, tidy
from corpus.document import Document, Removal, make_id

CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九", start=0)}
# "## 吉州区政府工作报告篇二"  "**…篇八**"  "篇三：学习心得"  "第四篇"  "范文5"
MARKER = re.compile(
    r"^[#\s*]*(?P<label>.{0,40}?)(?:篇(?P<a>[一二三四五六七八九十]{1,3}|\d{1,2})|第(?P<b>[一二三四五六七八九十]{1,3}|\d{1,2})篇|"
    r"范文(?P<c>[一二三四五六七八九十]{1,3}|\d{1,2}))(?P<rest>\s*[:：]?.{0,40}?)[#\s*]*$"
)
COMPILATION = re.compile(
    r"汇总\s*\d+\s*篇|\d+\s*篇(?:汇总|合集|精选)|(?:汇总|合集|精选)\s*[(（]?\s*\d+\s*篇|通用\s*\d+\s*篇"
)


def cn_number(s: str) -> int:
    """ "十" → 10, "十二" → 12, "三" → 3, "7" → 7."""
    if s.isdigit():
        return int(s)
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (CN_DIGITS.get(ones, 0) if ones else 0)
    return CN_DIGITS.get(s, 0)


def find_parts(lines: list[str]) -> list[tuple[int, int]]:
    """(line index, part number) of each part heading, if they number 1, 2, 3 … in order; else []."""
    found = []
    for i, line in enumerate(lines):
        if "篇" not in line and "范文" not in line:  # MARKER needs one of them
            continue
        m = MARKER.match(line.strip())
        if m and not re.search(r"[。，；]", line):
            found.append((i, cn_number(m.group("a") or m.group("b") or m.group("c"))))
    # keep the longest run numbered 1, 2, 3, …
    run: list[tuple[int, int]] = []
    for i, n in found:
        if n == len(run) + 1:
            run.append((i, n))
    return run if len(run) >= 2 else []


class Split(Stage):
    """Turn a compilation into its parts: each part gets its own id and no compilation title or region."""

    name = "split"
    defaults = {"min_parts": 2}

    def run(self, docs: Iterable[Document]) -> Iterable[Document]:
        for doc in docs:
            yield from self._counted(doc, self.split)

    def apply(self, doc: Document) -> Document:
        """Single-document form (for tests): the first part, or the document itself."""
        return self.split(doc)[0]

    def split(self, doc: Document) -> list[Document]:
        """The parts of a compilation (intro and part headings recorded as removals), or [doc]."""
        lines = doc.text.split("\n")
        parts = find_parts(lines)
        is_compilation = bool(COMPILATION.search(doc.title) or COMPILATION.search(lines[0] if lines else ""))
        if len(parts) < self.params["min_parts"] or (len(parts) < 3 and not is_compilation):
            return [doc]
        intro = tidy("\n".join(lines[: parts[0][0]]))
        if intro:
            doc.removals.append(Removal(self.name, "compilation_intro", intro, ""))
        out = []
        bounds = [i for i, _ in parts] + [len(lines)]
        for (start, n), end in zip(parts, bounds[1:], strict=True):
            heading = lines[start].strip()
            part = replace(
                doc,
                id=make_id(doc.site, doc.url, n),
                text=tidy("\n".join(lines[start + 1 : end])),
                title="",
                region=None,
                level=None,
                year=None,
                removals=list(doc.removals) if n == 1 else [],
                part=n,
                part_heading=heading,
                compilation_title=doc.title,
                provenance=replace(doc.provenance, pages=list(doc.provenance.pages),
                                   page_hashes=list(doc.provenance.page_hashes)),
                flags=list(doc.flags),  # each part its own lists and dicts: later stages change them in place
                quality=dict(doc.quality),
                truncated=list(doc.truncated),
                drop=list(doc.drop),
                extra=dict(doc.extra),
            )  # fmt: skip
            part.removals.append(Removal(self.name, "part_heading", heading, ""))
            out.append(part)
        return out
