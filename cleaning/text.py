"""Shared line tests for the stages: CJK share, heading shape, prose shape, protected report formulae."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

import numpy as np  # imported with the module: the first document cleaned does not pay for it

from cleaning.prefilter import lines_holding, prefilter

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
SPACE = re.compile(r"\s+")
DIGIT = re.compile(r"\d")
NON_WORD = re.compile(r"[\W_]+")
WORD_RUN = re.compile(r"[^\W_]+")  # what NON_WORD leaves
CN_NUM = "一二三四五六七八九十百零〇"
# 一、 / （三） / (三) / 第一， / 1. / 1、 at the start of a line: the numbered headings every report uses
NUMBERED = re.compile(
    rf"^\s*(?:[{CN_NUM}]+、|[（(][{CN_NUM}\d]+[)）]|第[{CN_NUM}]+[、，,章部分节]|\d{{1,2}}[、.．](?!\d))"
)
NUMBERED_FIRST = frozenset(f"{CN_NUM}（(第")  # a NUMBERED match opens with one of these, a digit or a space


def numbered(line: str) -> bool:
    """`NUMBERED.match(line)`, after a test of the first character: most lines open with none it can match."""
    c = line[:1]
    return (c in NUMBERED_FIRST or c.isdigit() or c.isspace()) and NUMBERED.match(line) is not None


# formulae every report shares; they repeat across a site's pages but are content, never boilerplate
FORMULA_ANYWHERE = re.compile(
    r"我代表.{0,20}人民政府|向大会(?:作|报告)|请予审议|请连同.{0,40}审议"
    r"|工作回顾|工作安排|主要任务|重点(?:工作|任务)|预期目标|政府自身建设|十[一二三四五]五"
)
FORMULA_OPENERS = ("各位代表", "各位委员", "同志们")  # a line opening with one is a report's address
# "——2020年1月21日在保定市满城区第二届人民代表大会第四次会议上", "（2024年1月10日在…政协…会议上）"
MEETING = re.compile(r"(?:人民代表大会|人大|政协|政治协商会议).{0,30}(?:会议|全会)")
# "保定市满城区人民政府区长 程杰", "国务院总理周恩来", "省长 王予波", "县长??杨曙光"
SPEAKER = re.compile(
    r"^(?:\S{0,24}(?:人民政府|国务院|政府))?\S{0,6}(?:总理|省长|市长|区长|县长|州长|旗长|盟长|主席|主任)"
    r"(?:[\s?？·]*[\u4e00-\u9fff][\s?？·]*[\u4e00-\u9fff]{1,3}(?:同志)?)?$"  # the name may be on the next line
)
# "2020年1月21日", "（二〇二〇年一月九日）"
DATE_LINE = re.compile(
    rf"^[（(]?[\d{CN_NUM}]{{4}}\s*年\s*[\d{CN_NUM}]{{1,2}}\s*月\s*[\d{CN_NUM}]{{1,3}}\s*日[)）]?$"
)
MAY_BE_MEETING, MAY_BE_SPEAKER = prefilter(MEETING).may_match, prefilter(SPEAKER).may_match
# not "？"/"?" inside a line: scrapers turn lost characters into it ("作者：中国县域???"); only at its end
SENTENCE_MARKS = frozenset("。！；!;")
SKELETON = re.compile(r"[\W_]+")
REPORT_HEADING = re.compile(
    r"工\s*作\s*报\s*告|名词解释|注\s*释|附\s*件|附\s*表|结束语|前\s*言"
)  # what a line is without punctuation and spaces, for comparing texts
PROSE_MARKS = frozenset("。，,；;")
HEADING_FREE = frozenset("。，,；;！!？?")  # sentence punctuation an unnumbered heading never holds


def cjk_count(text: str) -> int:
    """Number of CJK characters."""
    return len(text) - len(CJK_RUN.sub("", text))


# the characters str.isspace (and so the regex \s) calls whitespace; all in the Basic Multilingual Plane
WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_TABLES: tuple[Any, Any, Any, Any] | None = None
# characters whose lower case str.lower() does not give one character by one: Σ (final sigma depends on its
# neighbours), İ (two characters)
CONTEXT_CASE = "\u03a3\u0130"


def _tables() -> tuple[Any, Any, Any, Any]:
    """Per code point of the Basic Multilingual Plane: is it CJK; is it whitespace; the character `words_only`
    keeps for it (the code point itself if NON_WORD keeps it, else 0; "\n" is kept); and the same after lower
    case (the code point itself for those in CONTEXT_CASE)."""
    global _TABLES
    if _TABLES is None:
        cjk, space = np.zeros(0x10000, dtype=bool), np.zeros(0x10000, dtype=bool)
        for lo, hi in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)):  # the ranges of CJK above
            cjk[lo : hi + 1] = True
        space[[ord(c) for c in WHITESPACE]] = True
        # what NON_WORD keeps, found by NON_WORD itself over the whole plane
        word = np.zeros(0x10000, dtype=bool)
        plane = np.arange(0x10000, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")
        for m in WORD_RUN.finditer(plane):
            word[m.start() : m.end()] = True
        lower = np.fromiter(
            (c if chr(c) in CONTEXT_CASE else ord(chr(c).lower()) for c in range(0x10000)),
            dtype="<u4",
            count=0x10000,
        )
        kept = np.where(word, np.arange(0x10000, dtype="<u4"), 0).astype("<u4")
        # lower case first, then NON_WORD; Σ and İ map to themselves (their lower case depends on the text around
        # them or is two characters), which is right only because words_only never uses this table on a text
        # holding one: it lower-cases such a text with str.lower() and then uses `kept`
        kept_lower = np.where(word[lower], lower, 0).astype("<u4")
        kept[10] = kept_lower[10] = 10  # "\n"
        _TABLES = (cjk, space, kept, kept_lower)
    return _TABLES


def _codes(text: str) -> Any:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def cjk_table() -> Any:
    """Per code point of the Basic Multilingual Plane: is it a CJK character (the ranges of `CJK`)."""
    return _tables()[0]


def code_points(text: str) -> Any:
    """The text's code points as a numpy array, or None when one lies beyond the Basic Multilingual Plane (the
    per-code-point tables here cover only that plane)."""
    codes = _codes(text)
    return None if codes.size and int(codes.max()) > 0xFFFF else codes


def char_counts(text: str) -> tuple[int, int]:
    """(CJK characters, non-space characters) of a whole text: `cjk_count(text)` and `len(SPACE.sub("", text))`.

    Counted with numpy over the code points: 0.43 ms against 1.34 ms for the regexes on a 4.3k-character
    report (the metadata stage runs it on every document).
    """
    cjk, space, _, _ = _tables()
    codes = _codes(text)
    bmp = codes[codes < 0x10000]
    return int(np.count_nonzero(cjk[bmp])), len(text) - int(np.count_nonzero(space[bmp]))


def words_only(text: str, lower: bool = False) -> str:
    """Each line of `text` with only its letters and digits: `NON_WORD.sub("", line)` line by line (of
    `line.lower()` with `lower`), kept apart by "\\n". One table lookup over the code points (numpy): 0.10 ms
    against 0.69 ms for the regex line by line (and 0.57 ms for one regex over the text) on an 8k-character
    bench page; boilerplate keys every document's paragraphs with it, twice per document on the bench.

    The table of kept characters is made by NON_WORD's own complement over every code point of the plane; lower
    case is looked up per character, which is what str.lower() does for all but the CONTEXT_CASE characters.
    """
    codes = _codes(text)
    if codes.size and int(codes.max()) > 0xFFFF:  # a character outside the tables: the regex, line by line
        return "\n".join(NON_WORD.sub("", line.lower() if lower else line) for line in text.split("\n"))
    if lower and any(c in text for c in CONTEXT_CASE):
        codes, lower = _codes(text.lower()), False  # str.lower() first, then the characters NON_WORD keeps
    _, _, kept, kept_lower = _tables()
    codes = (kept_lower if lower else kept)[codes]  # one lookup: 0 for each character that goes
    return codes[codes != 0].tobytes().decode("utf-32-le")


def is_heading(line: str) -> bool:
    """A heading: numbered ("一、", "（三）") and short, or short with no sentence punctuation."""
    s = line.strip()
    if numbered(s) and "。" not in s.rstrip("。")[:-1] and len(s) <= 40:
        return True
    return 0 < len(s) <= 30 and HEADING_FREE.isdisjoint(s)


def protected_flags(lines: Sequence[str]) -> list[bool]:
    """Report formulae and numbered headings among the lines (none holding "\n"): kept even when they repeat
    across a site's pages. The formulae are found in one scan of the lines joined."""
    anywhere = set(lines_holding("\n".join(lines), FORMULA_ANYWHERE))  # never across a line, no anchors
    return [
        i in anywhere or (s := line.strip()).startswith(FORMULA_OPENERS) or (len(s) <= 60 and numbered(s))
        for i, line in enumerate(lines)
    ]


def is_prose(line: str, min_cjk: int = 60) -> bool:
    """A long line of sentences: report text unless a stage has a strong reason to think otherwise."""
    if len(line) < min_cjk or PROSE_MARKS.isdisjoint(line):
        return False
    # counting a prefix is enough when it already holds min_cjk CJK characters (a count only grows)
    return cjk_count(line[: 2 * min_cjk]) >= min_cjk or cjk_count(line) >= min_cjk


def is_sentence(line: str) -> bool:
    """Report-like prose: at least 6 CJK characters and sentence punctuation (or a comma in a longer line)."""
    n = cjk_count(line)
    if n < 6:
        return False
    if not SENTENCE_MARKS.isdisjoint(line) or line.rstrip().endswith("？"):
        return True
    if n >= 8 and line.rstrip().endswith("："):  # "一年来，我们主要做了以下工作：" leads into a list
        return True
    return n >= 25 and ("，" in line or "," in line)


def is_report_heading(line: str) -> bool:
    """A short heading every report of a kind shares ("政府工作报告", "名词解释", "※注释※", "附件"): repeated
    across a site's reports, and still report text."""
    s = line.strip()
    return len(s) <= 20 and bool(REPORT_HEADING.search(s))


# characters: a longer line is a report form only by its opening words (FORMULA_OPENERS); reflow relies on it
REPORT_FORM_MAX = 80


def is_report_form(line: str) -> bool:
    """A line only reports have, however short: a numbered heading, the address ("各位代表："), the meeting
    ("…人民代表大会第四次会议上"), the speaker ("…人民政府区长 程杰") or the date ("2020年1月21日")."""
    s = line.strip()
    if s.startswith(FORMULA_OPENERS):
        return True
    return len(s) <= REPORT_FORM_MAX and _short_report_form(s)


# the same short lines are asked about again by reflow, boilerplate and the mining of repeated lines (and across
# a site's pages): remembered (at most 1,024 lines of at most REPORT_FORM_MAX characters)
@functools.lru_cache(maxsize=1024)
def _short_report_form(s: str) -> bool:
    """`is_report_form` of a stripped line of at most REPORT_FORM_MAX characters, past its opener test."""
    if len(s) <= 60 and numbered(s):
        return True
    if DATE_LINE.match(s):  # anchored: fails at the first character on most lines
        return True
    # the other patterns only where the line holds a word their matches need (cleaning/prefilter.py)
    if "。" not in s and MAY_BE_MEETING(s) and MEETING.search(s):
        return True
    return len(s) <= 40 and MAY_BE_SPEAKER(s) is not None and bool(SPEAKER.match(s))


def normalise(line: str) -> str:
    """CCNet-style key for counting repeated lines: lower case, digits as 0, no punctuation or spaces."""
    return DIGIT.sub("0", NON_WORD.sub("", line.lower()))  # digits are word characters: same as 0-ing first


def truncated_tails(truncated: list[str]) -> tuple[str, ...]:
    """Endings of the lines `repair` found cut by the scraper (U+FFFD); such a line must not be glued or trimmed."""
    return tuple(t[-12:] for t in truncated if t)
