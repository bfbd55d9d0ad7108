"""Remove the page chrome around a report: the header block before it starts and the trailer after it ends.

A template or aggregator page wraps the report in blocks of short lines: a breadcrumb, the title, a counter
line ("时间：… 阅读：175"), a summary teaser; after it a share bar, previous/next links, lists of other
documents under headings like "相关文章"/"阅读排行", a tag cloud, a disclaimer. The evidence is position and shape,
not a list of every wording:

- the report runs from its first to its last *body line*: a sentence (prose without junk vocabulary) or a line
  only reports have (a numbered heading, "各位代表：", a meeting line "…代表大会第…次会议上", a speaker line
  "…人民政府区长 程杰", a date "2020年1月21日"); a sentence stranded below a block of chrome (at least three
  lines speaking the vocabulary) is not the report's end;
- after the last body line, a trailer opens at the first line that speaks the junk vocabulary
  (cleaning/vocabulary.yaml) or is another document's title, when one of them speaks it or at least
  `min_titles` are titles; it runs to the end;
- the lines before the first body line, up to the last one that speaks the vocabulary, are a header;
- a teaser ("内容摘要：…首句……") is a line ending in an ellipsis whose text the report itself goes on to say;
- a source credit glued after the report's last sentence ("…贡献。  来自某某网") goes too.

Each removal names the evidence in its reason (`header_block`, `trailer_block`, `teaser`, `glued_credit`) and
`baogao clean --explain` shows the text.
"""

from __future__ import annotations

import re

from cleaning.prefilter import prefilter
from cleaning.stages.base import Stage, lines_of
from cleaning.text import CJK, SKELETON, is_report_form, is_sentence
from cleaning.vocabulary import cue
from corpus.document import Document

ELLIPSIS = re.compile(r"(?:\.{3,}|…+|。{3,})$")
# another document's title: "保定市满城区2021年政府工作报告", "2022年兰州市政府工作报告", "某县统计公报"
DOC_TITLE = re.compile(
    r"^[^。！？；，,]{2,40}(?:报告|公报|纲要|总结|计划|规划|讲话|通知|公告|意见|方案|决定)$"
)
SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]*")
MAX_CHROME_SENTENCE = 40  # characters: up to this, a sentence with a junk word is taken for chrome
# "03-30", "2031-07-26": the date beside each item of a list of links
LIST_DATE = re.compile(r"^(?:\d{4}[-/.])?\d{1,2}[-/.]\d{1,2}$")
# "…贡献。  来自马克数据网": a credit after the last sentence end, naming a site
GLUED_CREDIT = re.compile(
    r"(?<=[。！？!])\s*(?:来自|来源|转自|摘自|本文来自)\s*[:：]?\s*[^。！？!，,]{1,20}$"
)
MAY_BE_CREDIT = prefilter(GLUED_CREDIT).may_match


class Margins(Stage):
    """Drop the header block before the report and the trailer after it (share bars, link lists, tag clouds)."""

    name = "margins"
    defaults = {"min_titles": 3, "max_teaser_gap": 3}

    def apply(self, doc: Document) -> Document:
        lines = [self._uncredited(doc, s.strip()) for s in lines_of(doc.text) if s.strip()]
        # only the edges are judged: from the top down to the first body line, from the bottom up to the last
        first = next((i for i, s in enumerate(lines) if _is_body(s)), None)
        if first is None:
            return doc
        last = next(i for i in range(len(lines) - 1, first - 1, -1) if _is_body(lines[i]))
        # a sentence stranded after a block of chrome ("请看24小时防疫攻略！" below the link lists) is chrome too
        while (prev := _body_before(lines, last, first)) is not None and _chrome_between(lines, prev, last):
            last = prev
        drop: dict[int, str] = {}
        # a teaser near the top: an ellipsis-ended line whose words the report goes on to say
        for i in range(min(first + self.params["max_teaser_gap"], last + 1)):
            if _teaser(lines, i):
                drop[i] = "teaser"
                first = max(first, i + 1)
        while first <= last and (first in drop or not _is_body(lines[first])):
            first += 1
        head_cues = [i for i in range(first) if cue(lines[i]) or drop.get(i)]
        if head_cues:
            for i in range(head_cues[-1] + 1):
                drop.setdefault(i, "header_block")
        # the trailer opens at its first line that speaks the vocabulary or is another document's title; the
        # lines before that (the last cells of a table, a signature) stay with the report
        tail = range(last + 1, len(lines))
        marks = [i for i in tail if cue(lines[i]) or DOC_TITLE.match(lines[i]) or LIST_DATE.match(lines[i])]
        titles = sum(bool(DOC_TITLE.match(lines[i]) or LIST_DATE.match(lines[i])) for i in tail)
        if marks and (any(cue(lines[i]) for i in marks) or titles >= self.params["min_titles"]):
            for i in range(marks[0], len(lines)):
                drop[i] = "trailer_block"
        for i, reason in sorted(drop.items()):  # in text order
            self.record(doc, reason, lines[i])
        doc.text = "\n".join(s for i, s in enumerate(lines) if i not in drop)
        return doc

    def _uncredited(self, doc: Document, line: str) -> str:
        """The line without a site credit glued after its last sentence (recorded)."""
        if line[-1] in "。！？!" or not MAY_BE_CREDIT(line) or not (m := GLUED_CREDIT.search(line)):
            return line
        credit = m.group(0).strip()
        if not cue(credit, prose=True) or not is_sentence(line[: m.start()]):
            return line
        self.record(doc, "glued_credit", credit)
        return line[: m.start()].rstrip()


def _body_before(lines: list[str], i: int, first: int) -> int | None:
    """The body line before line `i` (not before `first`), or None."""
    return next((j for j in range(i - 1, first - 1, -1) if _is_body(lines[j])), None)


def _chrome_between(lines: list[str], a: int, b: int, min_cues: int = 3) -> bool:
    """The lines strictly between `a` and `b` are a block of chrome: at least `min_cues` speak the vocabulary."""
    return b - a - 1 >= min_cues and sum(bool(cue(s)) for s in lines[a + 1 : b]) >= min_cues


def _is_body(line: str) -> bool:
    """A line that belongs to the report: a sentence without junk vocabulary, or a shape only reports have."""
    if is_report_form(line):
        return True
    # a short sentence speaking any of the vocabulary is chrome ("时间：… 作者：… 阅读：175。"); a longer one
    # only when it speaks a phrase no report uses in every sentence: a blurb glued before the report's first
    # sentence leaves the line to the stages that cut sentences ("…欢迎阅读！深化经济领域改革。")
    if not is_sentence(line):
        return False
    if len(line) <= MAX_CHROME_SENTENCE:
        return not cue(line)
    return not cue(line, prose=True) or any(
        is_sentence(s) and not cue(s, prose=True) for s in SENTENCE.findall(line)
    )


def _teaser(lines: list[str], i: int) -> bool:
    """Line `i` ends in an ellipsis and its words (at least 20 characters) come again in the lines after it."""
    line = lines[i]
    if not ELLIPSIS.search(line) or len(CJK.findall(line)) < 20:
        return False
    head = SKELETON.sub("", ELLIPSIS.sub("", line))[:40]
    rest = SKELETON.sub("", "".join(lines[i + 1 : i + 60]))
    return len(head) >= 20 and head in rest
