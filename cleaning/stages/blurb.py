"""Remove editor blurbs ("下面是本站小编为大家带来的…，欢迎阅读！") whole or glued inside a paragraph."""

from __future__ import annotations

import re

from cleaning.prefilter import prefilter
from cleaning.stages.base import Stage, lines_of, set_lines
from cleaning.vocabulary import stage_patterns
from corpus.document import Document

# the phrases of template-site editors (a sentence holding one is a blurb), and the site's lead-ins beside a
# blurb ("X位于…"): the wording is in cleaning/vocabulary.yaml (stages → blurb)
WORDING = stage_patterns("blurb")
BLURB, INTRO = WORDING["blurb"], WORDING["intro"]
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
    return all(s.endswith(("？", "?")) or INTRO.search(s) for s in rest)
