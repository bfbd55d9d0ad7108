"""Remove ad headings and calls to action that sites drop between paragraphs ("【广告】", "扫码关注公众号")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from cleaning.stages.base import Stage, lines_of, set_lines
from cleaning.text import is_prose, numbered, truncated_tails
from cleaning.vocabulary import stage_patterns
from corpus.document import Document

# short ad lines (labels, arrows, calls to action, contact and QR codes) and the contact channels a report says
# the government set up ("设立12345客服热线"): the wording is in cleaning/vocabulary.yaml (stages → advert)
WORDING = stage_patterns("advert")
AD, GOVERNED = WORDING["ad"], WORDING["governed"]


# "…设立B型保税物流中心。侯卫东官场笔记": a link title glued after the last sentence of a paragraph
GLUED = re.compile(r"(?<=[。！？!])([^\d\s。！？!?，,；;：:、“”\"（）()]{2,15})$")
NOT_IN_TITLE = frozenset('。！？!?，,；;：:、“”"（）()')  # the punctuation GLUED's title never holds


class Advert(Stage):
    """Drop short ad lines ("【广告】", "扫码关注公众号", "↓↓↓") and link titles glued after a paragraph's end."""

    name = "advert"
    defaults = {"max_len": 60}

    def apply(self, doc: Document) -> Document:
        def judge(line: str, i: int, lines: Sequence[str]) -> str | None:
            s = line.strip()
            if len(s) <= self.params["max_len"] and not is_prose(s, 25) and _ad(s):
                return "ad"
            return None

        doc = self.cut_lines(doc, judge, self.params["max_len"])
        lines = list(lines_of(doc.text))
        cut = truncated_tails(doc.truncated)
        for i, line in enumerate(lines):
            if not line or line[-1] in NOT_IN_TITLE:
                continue  # a line ending in punctuation has no title glued to its end (GLUED cannot match)
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            if cut and line.endswith(cut):
                continue  # a line the scraper cut ends mid-word: that is not a glued title
            tail = line[-17:]  # the glued title is at most 15 characters after a sentence end
            if (not nxt or numbered(nxt)) and (m := GLUED.search(tail)) and is_prose(line, 30):
                self.record(doc, "glued_title", m.group(1))
                lines[i] = line[: len(line) - len(tail) + m.start()]
        set_lines(doc, lines)
        return doc


def _ad(line: str) -> bool:
    """AD matches outside a numbered heading and outside a contact channel the report set up."""
    if numbered(line):
        return False
    ads = [m.span() for m in AD.finditer(line)]
    if not ads:  # most lines: no need to look for a contact channel
        return False
    governed = [m.span() for m in GOVERNED.finditer(line)]
    return any(not any(a <= start and end <= b for a, b in governed) for start, end in ads)
