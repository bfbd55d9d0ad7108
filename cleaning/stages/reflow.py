"""Restore paragraphs: rejoin ones cut mid-sentence, split glued headings and flattened text, drop a repeated title."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from cleaning.stages.base import Stage, lines_of
from cleaning.text import (
    CJK,
    FORMULA_OPENERS,
    REPORT_FORM_MAX,
    is_heading,
    is_report_form,
    normalise,
    numbered,
    truncated_tails,
)
from corpus.document import Document

ENDS = tuple("。！？!?；;：:…”’」』）)】")
# "…355.8公里。(四)坚持民生为本,社会发展持续进步": a numbered heading glued after a sentence
GLUED_HEADING = re.compile(
    r"(?<=[。！？!])\s*(?=(?:[（(][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、)[^。]{2,40}$)"
)
# "…工作。 二、加快… 三、…": a site that flattened paragraph breaks into spaces
CONTINUATION = re.compile(r"^[^\s，、。；：,;:]{1,3}[，、]")
FLATTENED = re.compile(r"(?<=[。！？!”])\s+(?=\S)")


class Reflow(Stage):
    """Rejoin paragraphs split mid-sentence by page breaks; restore lost breaks; drop the title repeated in the body."""

    name = "reflow"
    defaults = {"min_flat_len": 200}

    def apply(self, doc: Document) -> Document:
        lines: Sequence[str] = lines_of(doc.text)
        # a report's own address or meeting line is never a title repeat, even when a title was guessed from it
        if lines and doc.title and _same_title(lines[0], doc.title) and not is_report_form(lines[0]):
            self.record(doc, "title_repeat", lines[0])
            lines = lines[1:]
        if (
            doc.title and not is_report_form(doc.title) and (key := normalise(doc.title))
        ):  # the title again at the top of page 2, 3, …
            # the key's CJK characters are in a repeat as they are (normalising keeps them and makes no others):
            # its first and last must be in the line before it is normalised
            cjk = CJK.findall(key)
            first, last = (cjk[0], cjk[-1]) if cjk else ("", "")
            repeats = [s for s in lines if first in s and last in s and normalise(s) == key]
            for s in repeats:
                self.record(doc, "title_repeat", s)
            lines = [s for s in lines if s not in repeats]
        truncated = truncated_tails(doc.truncated)
        split: list[str] = []
        for line in lines:
            if (
                len(line) >= self.params["min_flat_len"]
                and _may_be_flattened(line)
                and FLATTENED.search(line)
            ):
                split.extend(FLATTENED.split(line))
            elif _may_have_glued_heading(line):
                split.extend(_split_glued_heading(line))
            else:
                split.append(line)  # what GLUED_HEADING.split gives when nothing matches
        doc.text = "\n".join(rejoin(split, truncated)[0])
        return doc


def rejoin(lines: Sequence[str], truncated: tuple[str, ...] = ()) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The paragraphs the lines make once lines cut mid-sentence are rejoined, and each line's paragraph (-1: empty).

    `boilerplate` counts and judges these paragraphs, so a report hard-wrapped into short lines is seen whole.
    The answers for the last few inputs are kept: in most documents boilerplate removes nothing, and reflow, the
    next stage, then rejoins the very lines boilerplate judged (1.2 % of the rule path's instructions on the bench).
    """
    return _rejoin(tuple(lines), truncated)


@functools.lru_cache(maxsize=4)
def _rejoin(lines: tuple[str, ...], truncated: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[int, ...]]:
    paras: list[str] = []
    owner: list[int] = []
    for line in lines:
        s = line.strip()
        if not s:
            owner.append(-1)
            continue
        # a paragraph ending a sentence is never continued (`_cut_mid_sentence`'s first test, done here: most do)
        if paras and not paras[-1].endswith(ENDS) and _cut_mid_sentence(paras[-1], s, truncated):
            paras[-1] += s
        else:
            paras.append(s)
        owner.append(len(paras) - 1)
    return tuple(paras), tuple(owner)


def _may_be_flattened(line: str) -> bool:
    """A fast first test for FLATTENED: the line holds a space (every other character of \\s is unprintable)."""
    return " " in line or not line.isprintable()


def _split_glued_heading(line: str) -> list[str]:
    """`GLUED_HEADING.split(line)`, searched only from the line's last "。": a glued heading runs to the end of
    the line and holds no "。", so every split point lies after it (and the look-behind sees the same text)."""
    at = max(line.rfind("。"), 0)
    parts = GLUED_HEADING.split(line[at:])
    parts[0] = line[:at] + parts[0]
    return parts


def _may_have_glued_heading(line: str) -> bool:
    """A fast first test for GLUED_HEADING: its "、" or ")" lies after the line's last "。"."""
    tail = line[line.rfind("。") + 1 :]
    return "、" in tail or ")" in tail or "）" in tail


def _same_title(line: str, title: str) -> bool:
    a, b = normalise(line), normalise(title)
    # a near match needs a specific title: "工作报告" alone is a genre, not this report's name
    return bool(a) and (
        a == b or (min(len(a), len(b)) >= 6 and (a in b or b in a) and abs(len(a) - len(b)) <= 4)
    )


def _cut_mid_sentence(prev: str, line: str, truncated: tuple[str, ...]) -> bool:
    """The previous line stops mid-sentence and this one carries on (neither is a heading).

    `prev` is a paragraph `rejoin` is building (stripped).
    """
    if (truncated and prev.endswith(truncated)) or prev.endswith(ENDS) or numbered(line):
        return False
    if len(prev) > REPORT_FORM_MAX:  # no heading is this long, and it is a report form only by its openers
        return not prev.startswith(FORMULA_OPENERS) and not is_report_form(line)
    if is_heading(prev) and not numbered(prev):
        # "…三百二十亿" + "元，增长12%": a one-to-three character clause can only be the rest of a word
        joins = bool(CONTINUATION.match(line))
    elif numbered(prev) and "。" not in prev and len(prev) <= 40:
        return False  # "（一）稳增长，调结构"
    else:
        joins = True
    # the meeting, the speaker, the date, the address: lines of their own
    return joins and not is_report_form(prev) and not is_report_form(line)
