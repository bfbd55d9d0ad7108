"""Which year a report is for, the date it was delivered, and the evidence for both.

Evidence comes in three tiers; the first tier that says anything decides, and if what it says disagrees the
year is None with the flag `year_conflict`:

1. strong: the title ("2023年X区政府工作报告", "X县2024年…", "2008政府工作报告"), the meeting line
   ("——2018年1月19日在X区第十五届人民代表大会第二次会议上", also the delivered date; or a date line before
   "各位代表"), the opening formula ("我代表…，对2012年的工作提出建议");
2. what the text states (`cleaning.yearclues`): the review section (`review`: "2017年工作回顾" is in the 2018
   report), the National People's Congress session (`session`), a plan heading or the year's targets (`plan`),
   what this year is (`calendar`: "今年是“十四五”规划的收官之年");
3. what the review implies (`results`): the latest year whose results it reports with figures, + 1.

Plan horizons ("到2035年", "十四五") and report titles listed on a page are never taken for the year. A template
("20xx年") gives None and the flag `year_template`. The strong evidence and the review are read in the first
few thousand characters, the rest at literal anchors: the work grows linearly with the text and stays small.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cleaning import yearclues
from cleaning.literals import find_all
from cleaning.yearclues import YEAR, normalise
from corpus.document import placeholders

HEAD = 3000  # the title block, meeting line, opening formula and review heading stand at the top
REVIEW_SPAN = 5000  # the review section's first pages: where `results` are read
TITLE_YEAR = re.compile(rf"(?<!\d){YEAR}(?!\d)")
DATE = re.compile(rf"{YEAR}年(\d{{1,2}})月(\d{{1,2}})日")
# "——2018年1月19日在X区第十五届人民代表大会…" (a name may stand between: "2025年1月15日龚正市长在…")
MEETING = re.compile(  # (a line break may cut the meeting's name: "第十八届\n人民代表大会")
    rf"{YEAR}年(\d{{1,2}})月(\d{{1,2}})日(?:至?\d{{1,2}}日)?[^。\n]{{0,24}}?在[^。]{{0,40}}?人民代表大会"
)
# "——在阜平县第十七届人民代表大会第一次会议上（2017年2月26日）"
MEETING_THEN_DATE = re.compile(
    rf"人民代表大会第[^。\n]{{1,4}}次会议上?[^。\n]{{0,8}}?[（(]\s*{YEAR}年(\d{{1,2}})月(\d{{1,2}})日"
)
# a date on a line of its own near the top: the day the report was given ("2003年4月7日")
HEAD_DATE = re.compile(
    rf"^[\s（(]*{YEAR}年(\d{{1,2}})月(\d{{1,2}})日[\s）)]*$|{YEAR}年(\d{{1,2}})月(\d{{1,2}})日(?=各位代表)",
    re.M,
)
# the opening formula: "我代表…人民政府，向大会报告…，对今后五年和2012年的工作提出建议"
# or "我代表国务院…提出关于一九五八年度国民经济计划（草案）的报告" (one year only: "关于1955年决算和1956年预算" is
# either)
OPENING = (  # one pattern per literal it starts with, so each is found at memory speed
    re.compile(
        rf"我代表(?:[^。]{{0,60}}?[对就][^。]{{0,12}}?{YEAR}年(?:的|政府)?工作提出"
        rf"|[^。]{{0,40}}?提出关于{YEAR}年度?[^。、和]{{0,24}}的报告)"
    ),
    re.compile(rf"受[^。]{{0,40}}?提出关于{YEAR}年度?[^。、和]{{0,24}}的报告"),
)


@dataclass
class Year:
    year: int | None = None
    evidence: str | None = None  # title | meeting | formula | review | session | plan | calendar | results
    delivered: str | None = None  # ISO date the report was given, when the text says
    flags: list[str] = field(default_factory=list)


def title_lines(title: str, text: str) -> str:
    """The title, and the first lines of the text that read like one ("1954年政府工作报告" at the top)."""
    head = []
    for line in (line.strip() for line in text[:600].split("\n")[:8]):
        if len(line) > 60 or line.startswith("各位代表"):
            break  # the body has begun: a "…报告" line from here on is a quotation, not the title
        head.append(line)
    return "\n".join([title] + [h for h in head if len(h) >= 4 and "报告" in h])


def find_year(title: str, text: str) -> Year:
    """The report's year and delivered date (see the module's docstring).

    Each pattern runs only where the literal it needs stands ("人民代表大会", "我代表", "回顾"…): a literal is found
    at memory speed, a regular expression reads character by character.
    """
    titles = title_lines(title, text)
    title, head = normalise(titles), normalise(text[:HEAD])
    out = Year()
    strong: dict[str, int] = {}
    if placeholders.has_year(title):  # "20xx年X市政府工作报告": the title says nothing; the text may
        title = ""
    if m := DATE.search(title):
        strong["title"] = int(m.group(1))
        out.delivered = _iso(m)
    elif m := TITLE_YEAR.search(title):
        strong["title"] = int(m.group(1))
    if m := _meeting(head):
        strong["meeting"] = int(next(g for g in m.groups() if g))
        out.delivered = out.delivered or _iso(m)
    if opening := [m for p in OPENING if (m := p.search(head))]:
        m = min(opening, key=lambda m: m.start())
        strong["formula"] = int(next(g for g in m.groups() if g))
    for tier in (lambda: strong, lambda: _stated(head, text), lambda: _implied(text[:REVIEW_SPAN])):
        if found := tier():
            if len(set(found.values())) > 1:
                out.flags.append("year_conflict")
            else:
                out.evidence, out.year = next(iter(found.items()))
            return out
    if placeholders.has_year(titles) or placeholders.has_year(text[:HEAD]):
        out.flags.append("year_template")
    return out


def clues(text: str) -> dict[str, int]:
    """Every year the text's tier-2 and tier-3 clues give, by kind, whether or not they would decide (to measure
    each kind of clue on its own)."""
    return {**_stated(normalise(text[:HEAD]), text), **_implied(text[:REVIEW_SPAN])}


def _meeting(head: str) -> re.Match[str] | None:
    """The meeting line's date (MEETING, MEETING_THEN_DATE), or a date line before "各位代表" (HEAD_DATE)."""
    for at in find_all(
        head, "人民代表大会"
    ):  # the date stands at most 80 characters before the meeting's name
        if m := MEETING.search(head, max(at - 100, 0), at + 6):
            return m
    if "人民代表大会" in head and (m := MEETING_THEN_DATE.search(head)):
        return m
    top = head[:800]
    return HEAD_DATE.search(top) if "月" in top and "日" in top else None


def _stated(head: str, text: str) -> dict[str, int]:
    """The years the text states (tier 2), by kind; the review first."""
    found: dict[str, int] = {}
    if (year := yearclues.review_year(head, text)) is not None:
        found["review"] = year
    clues = (
        ("session", yearclues.session_year),
        ("plan", yearclues.plan_year),
        ("calendar", yearclues.calendar_year),
    )
    for kind, clue in clues:
        if (year := clue(text)) is not None:
            found[kind] = year
    return found


def _implied(window: str) -> dict[str, int]:
    """The year the review's results imply (tier 3)."""
    year = yearclues.results_year(window)
    return {"results": year} if year else {}


def _iso(m: re.Match[str]) -> str | None:
    year, month, day = (int(g) for g in [g for g in m.groups() if g is not None][:3])
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None
