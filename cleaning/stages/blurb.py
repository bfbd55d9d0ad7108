"""Remove editor blurbs ("下面是本站小编为大家带来的…，欢迎阅读！") whole or glued inside a paragraph."""

from __future__ import annotations

import re

from cleaning.prefilter import prefilter
from cleaning.stages.base import Stage, lines_of, set_lines
from corpus.document import Document

# phrase family of template-site editors; a sentence holding one is a blurb
# "本站/本网" (this site) only where a word cannot end in 本 (基本网格, 成本网上, 本网格 are report text):
# after a non-CJK character or a function word (是/在/由/访问…), or followed by an editor's verb
SITE = (
    r"(?:(?<![\u4e00-\u9fff])|(?<=[是面由在自问经从到对为请将向和与给]))本[站网](?![格络点址])|"
    r"本[站网](?:小编|编辑|整理|收集|精心|原创|推荐|提供|特|讯|为(?:大家|您|你)|给)"
)
PHRASES = (
    rf"小编|{SITE}|笔者整理|为(?:大家|您|你)(?:精心)?(?:整理|收集|准备|带来|分享|推荐|提供)|"
    r"(?:给|和)(?:大家|您)分享|欢迎(?:阅读|参考|借鉴|大家阅读|收藏)|仅供参考|供(?:大家|您)参考|"
    r"希望(?:对|能对|能够对)(?:大家|您|你)(?:有所)?(?:帮助|启发)|一起(?:来)?看(?:看|一下)吧|快来看看|"
    r"我(?:整理|收集)了一些|不再是罕见的东西|怎样才能写好一篇|有哪些要求呢"
)
BLURB = re.compile(PHRASES)
BLURB_WORDS = prefilter(BLURB)  # the words its phrases need, derived from them and looked for first
SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]?")
QUOTED = re.compile(r"“[^”]{0,30}”|「[^」]{0,30}」")  # 图纸注明“仅供参考”: a report quoting the phrase


class Blurb(Stage):
    """Drop sentences written by the site's editor, not the report: "下面是本站小编…欢迎阅读！"."""

    name = "blurb"

    def apply(self, doc: Document) -> Document:
        lines = list(lines_of(doc.text))
        for i in BLURB_WORDS.lines(doc.text):  # no phrase anywhere else, so in none of their sentences
            line = lines[i]
            sentences = [s for s in SENTENCE.findall(line) if s]
            bad = [s for s in sentences if _blurb(s)]
            if not bad:
                continue
            if len(bad) == len(sentences) or _intro_only(sentences, bad):
                self.record(doc, "editor_blurb", line)
                lines[i] = ""
                continue
            for s in bad:
                self.record(doc, "editor_blurb", s)
            lines[i] = "".join(s for s in sentences if s not in bad).strip()
        set_lines(doc, [s for s in lines if s])
        return doc


def _blurb(sentence: str) -> bool:
    """The sentence holds an editor's phrase outside quotes (a quoted phrase is not the editor's); a word
    every phrase holds is looked for first."""
    if "“" in sentence or "「" in sentence:
        sentence = QUOTED.sub("", sentence)
    return BLURB_WORDS.may_match(sentence) is not None and bool(BLURB.search(sentence))


def _intro_only(sentences: list[str], bad: list[str]) -> bool:
    """The rest of the line is the site's lead-in to its blurb (questions, "X位于…"), not report text."""
    rest = [s for s in sentences if s not in bad]
    return all(s.endswith(("？", "?")) or re.search(r"位于|隶属于|今天，", s) for s in rest)
