"""Remove previous/next links, breadcrumbs and "back to list" lines."""

from __future__ import annotations

import re
from collections.abc import Sequence

from cleaning.stages.base import Stage
from corpus.document import Document

# "上一篇：2019年政府工作报告" "下一篇：没有了" "上一篇 下一篇" "返回列表" "当前位置：首页 > 范文 > 工作报告"
PREV_NEXT = re.compile(r"(?:上|下)一(?:篇|章|条|页)(?:文章)?\s*[:：]")
BARE = re.compile(
    r"^(?:[<《«]?\s*(?:上一篇|下一篇|返回列表|返回首页|返回顶部|回到顶部|返回目录|打印本页|关闭窗口)\s*[>》»]?\s*[|｜/]?\s*)+$"
)
# "…而奋斗！上一篇：XX区政府工作报告 下一篇：没有了" glued to the last paragraph
GLUED = re.compile(r"(?<=[。！？!])\s*上一篇\s*[:：].*$", re.MULTILINE)
CRUMB = re.compile(r"^(?:当前位置|您的位置|你的位置|所在位置)\s*[:：]|^首页\s*[>›»/]")


class Navigation(Stage):
    """Drop "上一篇：…/下一篇：…" lines, breadcrumbs ("当前位置：首页 > …") and "返回列表" links."""

    name = "navigation"
    defaults = {"max_len": 120}

    def apply(self, doc: Document) -> Document:
        def judge(line: str, i: int, lines: Sequence[str]) -> str | None:
            s = line.strip()
            if len(s) > self.params["max_len"]:
                return None
            if PREV_NEXT.match(s) or BARE.match(s):
                return "prev_next"
            if CRUMB.match(s):
                return "breadcrumb"
            return None

        doc = self.cut_lines(doc, judge, self.params["max_len"])
        if "上一篇" not in doc.text:  # GLUED cannot match: skip scanning the whole text
            return doc
        return self.cut(doc, GLUED, "prev_next")
