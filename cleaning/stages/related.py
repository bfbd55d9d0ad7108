"""Remove "related / recommended / also read" lists: the heading and the short title lines under it."""

from __future__ import annotations

import re

from cleaning.prefilter import prefilter
from cleaning.stages.base import Stage, lines_of, set_lines
from cleaning.text import is_prose
from cleaning.vocabulary import stage_patterns
from corpus.document import Document

# a list's heading ("相关文章", "看过…的人还看了"), the heading followed by titles on one line ("相关文章：《…》"),
# a line that is nothing but another document's title ("1.江宁区政府工作报告"), and how such a title ends where a
# report's own numbered task does not (TITLE_END): the wording is in cleaning/vocabulary.yaml (stages → related)
WORDING = stage_patterns("related")
HEADING, INLINE = WORDING["heading"], WORDING["inline"]
DOC_TITLE, TITLE_END = WORDING["doc_title"], WORDING["title_end"]
# the words DOC_TITLE and INLINE need, derived from them: a fast first test
MAY_BE_TITLE, MAY_BE_INLINE = prefilter(DOC_TITLE).may_match, prefilter(INLINE).may_match
# the shapes of a list item, numbered or bulleted (structure, not wording)
NUMBERED_ITEM = re.compile(r"^\d{1,2}[.、．)）]\s*\S")
ITEM = re.compile(r"^(?:\d{1,2}[.、．)）]\s*|[·•●◆▪\-]\s*)?《?[^。！？!?]{2,40}》?$")


class Related(Stage):
    """Drop related-article lists: their heading ("相关文章", "看过…的人还看了") and the title lines below it."""

    name = "related"
    defaults = {"max_items": 30}

    def apply(self, doc: Document) -> Document:
        lines = lines_of(doc.text)
        kept: list[str] = []
        in_list = 0
        for i, line in enumerate(lines):
            s = line.strip()
            if HEADING.match(s):
                self.record(doc, "related_heading", s)
                in_list = self.params["max_items"]
                continue
            if in_list and ITEM.match(s) and not is_prose(s, 20):
                self.record(doc, "related_item", s)
                in_list -= 1
                continue
            in_list = 0
            if (
                MAY_BE_TITLE(s)
                and (m := DOC_TITLE.match(s))
                and (
                    (NUMBERED_ITEM.match(s) and _looks_like_title(s))
                    or "篇" in m.group(0)[-4:]
                    or _next_is_title(lines, i)
                )
            ):
                self.record(doc, "related_item", s)
                continue
            if MAY_BE_INLINE(s) and (m := INLINE.search(s)):
                self.record(doc, "related_inline", m.group(0).strip())
                s = s[: m.start()].strip()
            if s:
                kept.append(s)
        set_lines(doc, kept)
        return doc


def _looks_like_title(s: str) -> bool:
    """A line DOC_TITLE matches that is plainly a title: in 《》, or ending as only titles do (TITLE_END)."""
    return bool(DOC_TITLE.match(s)) and (("《" in s and "》" in s) or bool(TITLE_END.search(s)))


def _next_is_title(lines: tuple[str, ...], i: int) -> bool:
    """Line `i` and a neighbour are both document titles, so they make a list even without a heading.

    One of the two must look like a title plainly (`_looks_like_title`): two numbered tasks of a report
    ("1.认真做好年度工作总结", "2.扎实推进各项工作计划") are not a list of other documents.
    """
    own = _looks_like_title(lines[i].strip())
    neighbours = [n.strip() for n in lines[max(i - 1, 0) : i] + lines[i + 1 : i + 2]]
    return any(DOC_TITLE.match(n) and (own or _looks_like_title(n)) for n in neighbours)
