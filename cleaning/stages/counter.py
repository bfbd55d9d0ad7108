"""Remove time, source and view-counter lines ("时间:2023-06-06 学习总结 点击:") that sites print over a text."""

from __future__ import annotations

from cleaning.prefilter import prefilter
from cleaning.stages.base import Stage, lines_of, set_lines
from cleaning.text import is_prose
from cleaning.vocabulary import stage_patterns
from corpus.document import Document

# the label lines ("来源：", "浏览次数："), their dates, a bare counter line, a counter prefix glued to a
# paragraph: the wording is in cleaning/vocabulary.yaml (stages → counter)
WORDING = stage_patterns("counter")
LABEL, DATE, BARE, PREFIX = WORDING["label"], WORDING["date"], WORDING["bare"], WORDING["prefix"]
# the label words (时间, 来源…), derived from the regexes: a line without one is never a counter
MAY_BE_COUNTER = prefilter(LABEL, BARE).may_match


class Counter(Stage):
    """Drop "时间:… 点击:" / "来源：… 浏览：…" lines, and such a prefix glued to a paragraph."""

    name = "counter"
    defaults = {"max_len": 80}

    def apply(self, doc: Document) -> Document:
        lines = list(lines_of(doc.text))
        for i, line in enumerate(lines):
            if (m := PREFIX.match(line)) and is_prose(line[m.end() :], 8):  # anchored: fails at once on most
                self.record(doc, "view_counter", m.group(0).strip())
                lines[i] = line[m.end() :].strip()
                continue
            # a counter line is short and holds a label word
            if len(line) > self.params["max_len"] or not MAY_BE_COUNTER(line):
                continue
            labels = len(LABEL.findall(line))
            if labels >= 2 or (labels == 1 and DATE.search(line)) or BARE.match(line):
                self.record(doc, "view_counter", line)
                lines[i] = ""
        set_lines(doc, [s for s in lines if s])
        return doc
