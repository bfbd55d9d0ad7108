"""Remove page counters and page-link rows that template sites print between the pages of a report."""

from __future__ import annotations

import re
from collections.abc import Sequence

from cleaning.stages.base import Stage
from corpus.document import Document

PAGE_WORD = r"(?:共\s*\d+\s*页[:：]?|首页|尾页|末页|上一页|下一页|上页|下页|前一页|后一页|全文|单页阅读|余下全文|\d{1,3}|[\[【]\d{1,3}[\]】]|…|\.\.\.)"
# "共3页，当前第2页123"  "第1页/共5页"  "共5页: 上一页 1 2 3 下一页"
COUNTER = re.compile(r"共\s*\d+\s*页[，,:：\s]*(?:当前)?第\s*\d+\s*页|第\s*\d+\s*页\s*[/／]\s*共\s*\d+\s*页")
BARE = re.compile(
    r"^(?:上一页|下一页|上页|下页|首页|尾页|末页|共\s*\d+\s*页)\s*[:：]?$"
)  # "共2页：" "下一页"
ROW = re.compile(rf"^(?:分页[:：]?\s*)?(?:{PAGE_WORD}[\s|>»«<]*){{2,}}$")


class Pagination(Stage):
    """Drop "共N页，当前第M页" lines and rows of page links ("上一页 1 2 3 下一页"); the text around stays."""

    name = "pagination"
    defaults = {"max_len": 60}

    def apply(self, doc: Document) -> Document:
        def judge(line: str, i: int, lines: Sequence[str]) -> str | None:
            s = line.strip()
            if len(s) > self.params["max_len"]:
                return None
            if COUNTER.search(s) and len(COUNTER.sub("", s).strip(" ，,:：0123456789上下一页首尾末")) <= 2:
                return "page_counter"
            if BARE.match(s) or (ROW.match(s) and re.search(r"页|\d\s+\d", s)):
                return "page_links"
            return None

        return self.cut_lines(doc, judge, self.params["max_len"])
