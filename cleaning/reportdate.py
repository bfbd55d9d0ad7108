"""Which year a report is for, the date it was delivered, and the evidence for both.

Evidence, strongest first: the title ("2023年X区政府工作报告", "X县2024年…", "2008政府工作报告"), the meeting
line ("——2018年1月19日在X区第十五届人民代表大会第二次会议上", also the delivered date; or a date line before
"各位代表"), the opening formula ("我代表…，对2012年的工作提出建议"), the review section
("2017年工作回顾" is in the 2018 report), a "2018年工作安排/主要任务" heading. A text with none of these
gets no year: the years its sentences cite are as often last year's as this year's. Plan horizons ("到2035年",
"十四五") are never taken for the year. A template ("20xx年") or strong evidence that disagrees gives None
and a flag. Every pattern is a bounded regular expression run once over the text: linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.document import placeholders

CN_DIGIT = dict(zip("〇○零一二三四五六七八九", "000123456789", strict=True))
CN_YEAR = re.compile(r"[〇○零一二三四五六七八九]{4}(?=年)")
YEAR = r"((?:19|20|１９|２０)\d{2})"  # \d is any decimal digit, full-width too; int() reads them all
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
OPENING = re.compile(
    rf"我代表[^。]{{0,60}}?[对就][^。]{{0,12}}?{YEAR}年(?:的|政府)?工作提出|(?:我代表|受)[^。]{{0,40}}?提出关于{YEAR}年度?[^。、和]{{0,24}}的报告"
)
# "一、2017年工作回顾", "首先报告2001年的工作": last year's work, so the report is for the next year
REVIEW = re.compile(rf"{YEAR}年(?:的|政府|主要)?工作的?回顾|报告{YEAR}年的?(?:政府)?工作")
# a heading: "三、2011年的工作" "二、2008年主要任务" "二、关于1998年政府工作的建议" (not "2017年工作回顾")
# or the year's targets: "2006年国民经济和社会发展的主要预期目标是"
PLAN = re.compile(
    rf"^(?:(?!报告)[^\n]){{0,12}}?{YEAR}年(?:的|政府)?(?:工作(?!回顾)|(?:主要|重点)任务)[^\n]{{0,20}}$"
    rf"|{YEAR}年(?:国民经济和社会发展|经济社会发展)的?主要预期目标",
    re.M,
)
PLAN_YEAR = {"头一年": 0, "第一年": 0, "开局之年": 0, "起步之年": 0, "第二年": 1, "第三年": 2, "第四年": 3,
             "最后一年": 4, "收官之年": 4}  # fmt: skip
THIS_YEAR_PLAN = re.compile(
    rf"今年是[^。]{{0,20}}?[“\"]?([一二三四五六七八九十]{{1,3}})五[”\"]?(?:计划|规划)?[^。]{{0,8}}?({'|'.join(PLAN_YEAR)})"
)
THIS_YEAR_PRC = re.compile(
    r"今年是[^。]{0,40}?(?:建国|中华人民共和国成立|新中国成立)([一二三四五六七八九十]{1,3})周年"
)
SPACED = re.compile(r"(?<=\d) (?=\d)")
SPACED_YEAR = re.compile(r"[12] \d ?\d ?\d ?年")
CN_DATE = re.compile(r"(?<=\d年)([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日")


@dataclass
class Year:
    year: int | None = None
    evidence: str | None = None  # title | meeting | review | text
    delivered: str | None = None  # ISO date the report was given, when the text says
    flags: list[str] = field(default_factory=list)


def normalise(s: str) -> str:
    """ "一九五八年" and "1 9 9 8 年" as plain digits, so one pattern reads every way of writing a year."""
    if SPACED_YEAR.search(s):
        s = SPACED.sub("", s)  # "1 9 9 8 年"
    if ("一九" in s or "二〇" in s or "二零" in s or "二○" in s) and CN_YEAR.search(s):
        s = CN_YEAR.sub(lambda m: "".join(CN_DIGIT[c] for c in m.group(0)), s)
        s = CN_DATE.sub(lambda m: f"{_cn_number(m.group(1))}月{_cn_number(m.group(2))}日", s)  # 一月十九日
    return s


def _cn_number(s: str) -> int:
    """ "十九" → 19, "二十" → 20, "三十一" → 31, "七" → 7 (the numbers of months and days)."""
    tens, _, ones = s.rpartition("十")
    value = int(CN_DIGIT[ones]) if ones else 0
    if "十" in s:
        value += 10 * (int(CN_DIGIT[tens]) if tens else 1)
    return value


def title_lines(title: str, text: str) -> str:
    """The title, and the first lines of the text that read like one ("1954年政府工作报告" at the top)."""
    head = []
    for line in (line.strip() for line in text[:600].split("\n")[:8]):
        if len(line) > 60 or line.startswith("各位代表"):
            break  # the body has begun: a "…报告" line from here on is a quotation, not the title
        head.append(line)
    return "\n".join([title] + [h for h in head if len(h) >= 4 and "报告" in h])


def find_year(title: str, text: str) -> Year:
    """The report's year and delivered date (see the module's docstring)."""
    raw_title = title
    title, text = normalise(title_lines(title, text)), normalise(text)
    out = Year()
    found: dict[str, int] = {}
    if placeholders.YEAR.search(title):  # "20xx年X市政府工作报告": the title says nothing; the text may
        title = ""
    if m := DATE.search(title):
        found["title"] = int(m.group(1))
        out.delivered = _iso(m)
    elif m := TITLE_YEAR.search(title):
        found["title"] = int(m.group(1))
    if m := MEETING.search(text) or MEETING_THEN_DATE.search(text) or HEAD_DATE.search(text[:800]):
        found["meeting"] = int(next(g for g in m.groups() if g))
        out.delivered = out.delivered or _iso(m)
    if m := OPENING.search(text, 0, 5000):  # the opening formula stands at the top
        found["formula"] = int(m.group(1) or m.group(2))
    if m := REVIEW.search(text):
        found["review"] = int(m.group(1) or m.group(2)) + 1
    if not found and (m := PLAN.search(text)):
        found["text"] = int(m.group(1) or m.group(2))
    if not found and (this_year := _this_year(text)):
        found["text"] = this_year
    if not found:
        if placeholders.YEAR.search(title_lines(raw_title, text)) or placeholders.YEAR.search(text[:3000]):
            out.flags.append("year_template")
        return out
    strong = {k: v for k, v in found.items() if k in ("title", "meeting", "formula")} or found
    if len(set(strong.values())) > 1:
        out.flags.append("year_conflict")
        return out
    out.evidence, out.year = next(iter(strong.items()))
    return out


def _this_year(text: str) -> int | None:
    """ "今年是“七五”计划的头一年" → 1986; "今年是建国三十周年" → 1979: what the calendar says "this year" is."""
    if m := THIS_YEAR_PLAN.search(text):
        n = _cn_number(m.group(1))
        start = {1: 1953, 2: 1958}.get(n, 1966 + 5 * (n - 3))  # 三五 1966–70 … 十四五 2021–25
        return start + PLAN_YEAR[m.group(2)]
    if m := THIS_YEAR_PRC.search(text):
        return 1949 + _cn_number(m.group(1))
    return None


def _iso(m: re.Match[str]) -> str | None:
    year, month, day = (int(g) for g in [g for g in m.groups() if g is not None][:3])
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None
