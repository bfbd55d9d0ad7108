"""Remove time, source and view-counter lines ("时间:2023-06-06 学习总结 点击:") that sites print over a text."""

from __future__ import annotations

import re

from cleaning.prefilter import prefilter
from cleaning.stages.base import Stage, lines_of, set_lines
from cleaning.text import is_prose
from corpus.document import Document

LABELS = (
    r"(?:发布|更新|上传|录入|提交)?(?:时间|日期)|来源|作者|编辑|责编|栏目|分类|"
    r"点击|浏览|阅读|人气|热度|评论|字数|访问"
)
LABEL = re.compile(rf"(?:{LABELS})(?:量|数|次数)?\s*[:：]")
DATE = re.compile(r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\d{1,2}:\d{2}")
# "点击:" / "阅读 1234" / "浏览次数：56次" with nothing else on the line but other counters and dates
BARE = re.compile(rf"^(?:\s*(?:{LABELS})(?:量|数|次数)?\s*[:：]?\s*[\d,]*次?\s*)+$")
# a counter prefix glued to a paragraph: "发布时间：2023-06-06 浏览：88 各位代表：…"
PREFIX = re.compile(rf"^(?:(?:{LABELS})(?:量|数|次数)?\s*[:：]\s*(?:{DATE.pattern}|[\d,]+次?)?\s*){{2,}}")
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
