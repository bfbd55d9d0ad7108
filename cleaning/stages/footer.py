"""Remove tag bars, share bars, disclaimers and the upload metadata of document-sharing sites."""

from __future__ import annotations

from collections.abc import Sequence

from cleaning.prefilter import prefilter
from cleaning.stages.base import Stage
from cleaning.text import is_prose
from cleaning.vocabulary import stage_patterns
from corpus.document import Document

# (reason, regex) for tag, share, disclaimer, upload-metadata and action bars, in the order they are tried: the
# wording is in cleaning/vocabulary.yaml (stages → footer)
RULES = list(stage_patterns("footer").items())

# the words the RULES need, derived from them: a line without one is kept without trying each rule
MAY_MATCH = prefilter(*(rx for _, rx in RULES)).may_match


class Footer(Stage):
    """Drop tag, share, disclaimer, upload-metadata and action bars ("热门标签：", "分享到：", "声明：…")."""

    name = "footer"
    defaults = {"max_len": 150}

    def apply(self, doc: Document) -> Document:
        def judge(line: str, i: int, lines: Sequence[str]) -> str | None:
            s = line.strip()
            if len(s) > self.params["max_len"] or not MAY_MATCH(s):
                return None
            if is_prose(s, 30):  # a paragraph of prose counts only when it opens with the label ("声明：…")
                return next((reason for reason, rx in RULES if rx.match(s)), None)
            return next((reason for reason, rx in RULES if rx.search(s)), None)

        return self.cut_lines(doc, judge, self.params["max_len"])
