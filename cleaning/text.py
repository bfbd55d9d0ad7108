"""Shared line tests for the stages: CJK share, heading shape, prose shape, protected report formulae."""

from __future__ import annotations

import re

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
SPACE = re.compile(r"\s+")
DIGIT = re.compile(r"\d")
NON_WORD = re.compile(r"[\W_]+")
CN_NUM = "一二三四五六七八九十百零〇"
# 一、 / （三） / (三) / 第一， / 1. / 1、 at the start of a line: the numbered headings every report uses
NUMBERED = re.compile(
    rf"^\s*(?:[{CN_NUM}]+、|[（(][{CN_NUM}\d]+[)）]|第[{CN_NUM}]+[、，,章部分节]|\d{{1,2}}[、.．](?!\d))"
)
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
OFFICE = re.compile("总理|[省市区县州旗盟]长|主席|主任")  # every SPEAKER line holds one ("增长" does not)
# "2020年1月21日", "（二〇二〇年一月九日）"
DATE_LINE = re.compile(
    rf"^[（(]?[\d{CN_NUM}]{{4}}\s*年\s*[\d{CN_NUM}]{{1,2}}\s*月\s*[\d{CN_NUM}]{{1,3}}\s*日[)）]?$"
)
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


def char_counts(text: str) -> tuple[int, int]:
    """(CJK characters, non-space characters) of a whole text."""
    return cjk_count(text), len(SPACE.sub("", text))


def words_only(text: str, lower: bool = False) -> str:
    """Each line of `text` with only its letters and digits (lower-cased with `lower`), kept apart by "\n"."""
    return "\n".join(NON_WORD.sub("", line.lower() if lower else line) for line in text.split("\n"))


def is_heading(line: str) -> bool:
    """A heading: numbered ("一、", "（三）") and short, or short with no sentence punctuation."""
    s = line.strip()
    if NUMBERED.match(s) and "。" not in s.rstrip("。")[:-1] and len(s) <= 40:
        return True
    return 0 < len(s) <= 30 and HEADING_FREE.isdisjoint(s)


def lines_holding(text: str, word: re.Pattern[str]) -> list[int]:
    """Indices of the lines of `text` (split at "\n") in which `word` is found, in order: one scan of the whole text.

    For a `word` that never matches across a line break and looks at no line boundary (^, $, lookarounds that
    could see "\n"): the lines where `word.search(line)` finds something.
    """
    out: list[int] = []
    line = pos = 0
    for m in word.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        if not out or out[-1] != line:
            out.append(line)
    return out


def protected_flags(lines: list[str]) -> list[bool]:
    """Report formulae and numbered headings among the lines (none holding "\n"): kept even when they repeat
    across a site's pages. The formulae are found in one scan of the lines joined."""
    anywhere = set(lines_holding("\n".join(lines), FORMULA_ANYWHERE))  # never across a line, no anchors
    return [
        i in anywhere
        or (s := line.strip()).startswith(FORMULA_OPENERS)
        or bool(NUMBERED.match(s) and len(s) <= 60)
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


def is_report_form(line: str) -> bool:
    """A line only reports have, however short: a numbered heading, the address ("各位代表："), the meeting
    ("…人民代表大会第四次会议上"), the speaker ("…人民政府区长 程杰") or the date ("2020年1月21日")."""
    s = line.strip()
    if s.startswith(FORMULA_OPENERS):
        return True
    if len(s) > 80:
        return False
    if len(s) <= 60 and NUMBERED.match(s):
        return True
    # each test below only where the line holds a character its pattern needs (most lines hold none)
    if "日" in s and DATE_LINE.match(s):
        return True
    if "会" in s and "。" not in s and MEETING.search(s):
        return True
    return len(s) <= 40 and bool(OFFICE.search(s)) and bool(SPEAKER.match(s))


def normalise(line: str) -> str:
    """CCNet-style key for counting repeated lines: lower case, digits as 0, no punctuation or spaces."""
    return DIGIT.sub("0", NON_WORD.sub("", line.lower()))  # digits are word characters: same as 0-ing first


def truncated_tails(truncated: list[str]) -> tuple[str, ...]:
    """Endings of the lines `repair` found cut by the scraper (U+FFFD); such a line must not be glued or trimmed."""
    return tuple(t[-12:] for t in truncated if t)
