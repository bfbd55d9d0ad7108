"""Remove page counters and page-link rows that template sites print between the pages of a report."""

from __future__ import annotations

from collections.abc import Sequence

from cleaning.stages.base import Stage
from cleaning.vocabulary import stage_patterns
from corpus.document import Document

# "共3页，当前第2页" counters, a bare "下一页", rows of page links ("共5页: 上一页 1 2 3 下一页"): the wording is in
# cleaning/vocabulary.yaml (stages → pagination)
WORDING = stage_patterns("pagination")
COUNTER, BARE, ROW, ROW_EVIDENCE = (WORDING[k] for k in ("counter", "bare", "row", "row_evidence"))


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
            if BARE.match(s) or (ROW.match(s) and ROW_EVIDENCE.search(s)):
                return "page_links"
            return None

        return self.cut_lines(doc, judge, self.params["max_len"])
