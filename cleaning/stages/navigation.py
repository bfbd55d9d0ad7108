"""Remove previous/next links, breadcrumbs and "back to list" lines."""

from __future__ import annotations

from collections.abc import Sequence

from cleaning.stages.base import Stage
from cleaning.vocabulary import stage_patterns
from corpus.document import Document

# "上一篇：…" lines, bare link rows ("返回列表"), "上一篇：…" glued to the last paragraph, breadcrumbs ("当前位置："):
# the wording is in cleaning/vocabulary.yaml (stages → navigation)
WORDING = stage_patterns("navigation")
PREV_NEXT, BARE, GLUED, CRUMB = WORDING["prev_next"], WORDING["bare"], WORDING["glued"], WORDING["crumb"]


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
