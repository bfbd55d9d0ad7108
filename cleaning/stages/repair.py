"""Repair what scraping broke: truncated characters, markdown residue, punctuation width, whitespace."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any, NamedTuple

import numpy as np

from cleaning.stages.base import Stage, tidy
from cleaning.text import CJK, cjk_table, code_points
from corpus.document import Document

REPLACEMENT = "\ufffd"  # "全力投入“四新”�": the scraper cut a multi-byte character in half
MD_HEADING = re.compile(r"^\s*(#{1,6})\s*(?=\S)")  # "## 吉州区政府工作报告篇二"
MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")  # "**吉州区政府工作报告篇八**"
MD_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")  # "---"
HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
HALF_MARKS = re.compile(r"[,;:!?]")
CJKISH = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f“”‘’]")
PAREN = re.compile(r"\(([^()\n]{0,40})\)")  # "(一)" → "（一）"; "(gdp)" between Chinese words → "（gdp）"
INVISIBLE_CHARS = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"
INVISIBLE = re.compile(f"[{INVISIBLE_CHARS}]")
SPACES = re.compile(r"[ \t\u00a0\u3000]+")
ESCAPED_BREAK = re.compile(r"\\r\\n|\\n")  # "…请予审议。\r\n一、…" written out as backslash letters
MIN_ESCAPED_BREAKS = 3
CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+"
)  # NUL and the other C0 controls but tab and line breaks


FULLWIDTH_CHAR = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")  # the keys of FULLWIDTH_ALNUM
FULLWIDTH_ALNUM = {
    cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0xFF10, 0xFF5B) if chr(cp).isalnum()
}


def _fullwidth_alnum(text: str) -> str:
    """ "２０１８年" → "2018年": full-width digits and Latin letters only (the value never changes).

    Looked up over the code points (numpy): a regex search for them costs ~0.17 ms on a report without any.
    """
    codes = code_points(text)
    if codes is None:  # a character outside the Basic Multilingual Plane: the regex
        return FULLWIDTH_CHAR.sub(lambda m: FULLWIDTH_ALNUM[ord(m.group())], text)
    folded = _repair_tables().fold[codes]
    return text if np.array_equal(folded, codes) else folded.tobytes().decode("utf-32-le", "surrogatepass")


# CJKISH as a set of characters: one lookup per half-width mark instead of a regex match on its neighbours
CJKISH_CHARS = frozenset(
    chr(c) for lo, hi in ((0x3400, 0x9FFF), (0xFF00, 0xFFEF), (0x3000, 0x303F)) for c in range(lo, hi + 1)
) | frozenset("“”‘’")


def unify_punctuation(text: str) -> str:
    """Half-width , ; : ! ? ( ) become full width where a Chinese character is next to them.

    Each line of `text` is treated on its own (a mark at the end of a line has no next character), so a whole
    text gives the same lines as converting them one by one. A mark between two digits stays (14:58, 1,000);
    one at the end of a line turns when a CJK character stands before it on that line.

    The marks are judged all at once over the code points (numpy), not one regex callback each: on the
    bench pages with half-width punctuation that was about 0.6 ms of a document's cleaning.
    """
    codes = code_points(text)
    if codes is None:  # a character outside the Basic Multilingual Plane: mark by mark
        return _unify_marks_slowly(text)
    half, full, cjkish, digit, _ = _repair_tables()
    at = np.flatnonzero(half[codes])
    if at.size:
        padded = np.concatenate(([10], codes, [10]))  # a line break before the text and after it
        prev, nxt = padded[at], padded[at + 2]
        turn = cjkish[prev] | cjkish[nxt]
        ends = (nxt == 10) & ~turn
        if ends.any():  # at the end of its line: turns when a CJK character stands before it on that line
            cjk = np.cumsum(cjk_table()[codes])  # CJK characters up to and including each position
            breaks = np.flatnonzero(codes == 10)
            start = breaks[np.searchsorted(breaks, at[ends]) - 1] if breaks.size else None
            before = cjk[at[ends]] - (0 if start is None else np.where(start < at[ends], cjk[start], 0))
            turn[ends] = before > 0
        turn &= ~(digit[prev] & digit[nxt])
        if turn.any():
            codes = codes.copy()
            codes[at[turn]] = full[codes[at[turn]]]
            text = codes.tobytes().decode("utf-32-le", "surrogatepass")
    return text if "(" not in text else _unify_parens(text)


def _unify_marks_slowly(text: str) -> str:
    """`unify_punctuation` with one regex callback per mark: for texts beyond the tables' plane."""

    def mark(m: re.Match[str]) -> str:
        i = m.start()
        prev = text[i - 1] if i > 0 else ""
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if nxt == "\n":
            nxt = ""
        if prev.isdigit() and nxt.isdigit():  # 14:58, 1,000: numbers keep their separators
            return m.group(0)
        if (
            prev in CJKISH_CHARS
            or nxt in CJKISH_CHARS
            or (not nxt and CJK.search(text, text.rfind("\n", 0, i) + 1, i))
        ):
            return HALF_TO_FULL[m.group(0)]
        return m.group(0)

    out = HALF_MARKS.sub(mark, text)
    return out if "(" not in out else _unify_parens(out)


class _Tables(NamedTuple):
    """Per code point of the Basic Multilingual Plane (numpy arrays indexed by code point)."""

    half: Any  # a half-width mark of HALF_TO_FULL
    full: Any  # its full-width form (the code point itself for every other)
    cjkish: Any  # in CJKISH_CHARS
    digit: Any  # str.isdigit
    fold: Any  # a full-width digit or Latin letter's ASCII form (the code point itself for every other)


@functools.cache
def _repair_tables() -> _Tables:
    half = np.zeros(0x10000, dtype=bool)
    full = np.arange(0x10000, dtype="<u4")
    for a, b in HALF_TO_FULL.items():
        half[ord(a)], full[ord(a)] = True, ord(b)
    cjkish = np.zeros(0x10000, dtype=bool)
    cjkish[[ord(c) for c in CJKISH_CHARS]] = True
    digit = np.array([chr(c).isdigit() for c in range(0x10000)], dtype=bool)
    fold = np.arange(0x10000, dtype="<u4")
    for cp, ascii_form in FULLWIDTH_ALNUM.items():
        fold[cp] = ord(ascii_form)
    return _Tables(half, full, cjkish, digit, fold)


def _unify_parens(out: str) -> str:
    def paren(m: re.Match[str]) -> str:
        before = out[m.start() - 1] if m.start() > 0 else ""
        after = out[m.end()] if m.end() < len(out) else ""
        if CJK.search(m.group(1)) or before in CJKISH_CHARS or after in CJKISH_CHARS:
            return f"（{m.group(1)}）"
        return m.group(0)

    return PAREN.sub(paren, out)


class Repair(Stage):
    """Mend scraped text: drop cut characters (recorded), strip markdown, unify punctuation and spaces, and turn
    line breaks stored as the characters "\\r\\n" back into line breaks."""

    name = "repair"
    defaults = {"punctuation": True}

    def apply(self, doc: Document) -> Document:
        truncated: list[str] = doc.truncated
        lines = []
        text = doc.text
        if "\\" in text and (escaped := len(ESCAPED_BREAK.findall(text))) >= MIN_ESCAPED_BREAKS:
            if escaped > text.count("\n"):  # a text whose line breaks were stored as the characters "\r\n"
                self.record(doc, "escaped_break", f"{escaped} × \\r\\n")
                text = ESCAPED_BREAK.sub("\n", text)
        if any(
            c in text for c in INVISIBLE_CHARS
        ):  # a few fast scans instead of the regex over every character
            text = INVISIBLE.sub("", text)
        if (
            "  " in text or "\t" in text or "\u00a0" in text or "\u3000" in text
        ):  # else SPACES changes nothing
            text = SPACES.sub(" ", text)  # SPACES never spans a line break, so the whole text at once
        text = _fullwidth_alnum(text)
        for raw in text.split("\n"):
            line = raw.strip()
            # "\x00" in a scraped text file: invisible, and breaks tools downstream. isprintable() is a fast test
            # that fails on every control character (the regex over a whole Chinese text costs ~0.5 ms)
            if not line.isprintable() and CONTROL.search(line):
                for run in CONTROL.findall(line):
                    self.record(doc, "control_char", run.encode("unicode_escape").decode("ascii"))
                line = CONTROL.sub("", line).strip()
            if not line:
                continue
            if line[0] in "-*_" and MD_RULE.match(line):  # cheap first-character tests before each pattern
                self.record(doc, "markdown", line)
                continue
            if line[0] == "#" and (m := MD_HEADING.match(line)):
                self.record(doc, "markdown", m.group(1))
                line = line[m.end() :]
            if "**" in line or "__" in line:
                for m in MD_EMPHASIS.finditer(line):
                    self.record(doc, "markdown", m.group(1))
                line = MD_EMPHASIS.sub(r"\2", line)
            if REPLACEMENT in line:
                self.record(doc, "truncated_char", line[-20:])
                line = line.replace(REPLACEMENT, "").rstrip()
                truncated.append(line)
            lines.append(line)
        text = "\n".join(lines)
        doc.text = tidy(unify_punctuation(text) if self.params["punctuation"] else text)  # all lines at once
        doc.truncated = [unify_punctuation(t) if self.params["punctuation"] else t for t in truncated]
        return doc
