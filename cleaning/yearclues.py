"""What a report's own text says about its year when no title, meeting line or opening formula does.

Each clue is something every kind of report says in its own words (`cleaning.reportdate` decides between them):

- `review`: the review names last year ("2017年工作回顾", "一、１９９６年国内工作的回顾", "刚刚过去的2017年",
  "回顾1991年的工作") → that year + 1;
- `session`: the National People's Congress session the report is given to ("向第十届全国人民代表大会第一次会议
  报告", "向第五届全国人民代表大会作政府工作报告"), the term it closes ("第十一届全国人民代表大会第一次会议以来的
  五年" → the next term's first session) or last year's session ("去年举行的六届人大一次会议" → + 1). A local
  congress's numbering says nothing alone: local terms began in different years in different places;
- `plan`: a heading or the targets of the year being planned ("三、2011年的工作", "2006年…主要预期目标"), never a
  line that is a report's title (an aggregator's list of other reports);
- `calendar`: what this year is ("今年是“十四五”规划的收官之年" → 2025, "今年是建党100周年" → 2021);
- `results`: the latest year whose results the review reports with figures against the year before ("2017年，
  全国国内生产总值比上年增长6.9%") → that year + 1, read in the review window only and never in a sentence that
  sets a target ("到2020年…达到", "力争…", "预计…", "…左右").

Plan horizons ("到2035年", "十四五末") are no clue. Every clue is found at a literal anchor (届, 今年是, 刚刚过去的,
主要预期目标) or in a fixed window at the top, so the work is linear in the text and small for long texts.
"""

from __future__ import annotations

import re

from cleaning.literals import find_all

CN_DIGIT = dict(zip("〇○零一二三四五六七八九", "000123456789", strict=True))
CN_YEAR = re.compile(r"[〇○零一二三四五六七八九]{4}(?=年)")
YEAR = r"((?:19|20|１９|２０)\d{2})"  # \d is any decimal digit, full-width too; int() reads them all
SPACED = re.compile(r"(?<=\d) (?=[\d年])")
SPACED_YEAR = re.compile(r"[12] \d ?\d ?\d ?年")
CN_DATE = re.compile(r"(?<=\d年)([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日")
NUM = "一二三四五六七八九十"
# the few traditional forms the session clue reads ("第一届全國人民代表大會第一次會議")
TRADITIONAL = str.maketrans("國會議屆們", "国会议届们")


def normalise(s: str) -> str:
    """ "一九五八年" and "1 9 9 8 年" as plain digits, so one pattern reads every way of writing a year."""
    # (one character is found faster than two: the pairs are looked for only when their second one stands)
    spaced = [at for digit in ("1 ", "2 ") if (at := s.find(digit)) >= 0] if " " in s else []
    if spaced and SPACED_YEAR.search(s, min(spaced)):
        s = SPACED.sub("", s)  # "1 9 9 8 年", "2 016 年"
    cn = ("九" in s and "一九" in s) or any(c in s and "二" + c in s for c in "〇零○")
    if cn and CN_YEAR.search(s):
        s = CN_YEAR.sub(lambda m: "".join(CN_DIGIT[c] for c in m.group(0)), s)
        s = CN_DATE.sub(lambda m: f"{cn_number(m.group(1))}月{cn_number(m.group(2))}日", s)  # 一月十九日
    return s


def cn_number(s: str) -> int:
    """ "十九" → 19, "二十" → 20, "三十五" → 35, "一百" → 100, "7" → 7 (numbers of months, days, terms, years)."""
    if s.isdigit():
        return int(s)
    hundreds, sep, s = s.rpartition("百")
    value = 100 * (int(CN_DIGIT[hundreds]) if hundreds else 1) if sep else 0
    s = s.lstrip("零〇")  # "一百零五"
    tens, _, ones = s.rpartition("十")
    value += int(CN_DIGIT[ones]) if ones else 0
    if "十" in s:
        value += 10 * (int(CN_DIGIT[tens]) if tens else 1)
    return value


# --- review -------------------------------------------------------------------------------------------------
# "一、2017年工作回顾", "一、１９９３年国内工作的回顾和１９９４年工作的基本方针", "首先报告2001年的工作",
# "回顾1991年的工作", "刚刚过去的2017年"
REVIEW_HEADING = re.compile(rf"{YEAR}年(?:的|政府|主要|国内|全县|全市|全区|全省)?工作的?回顾")
REVIEW_NAMED = (re.compile(rf"报告{YEAR}年的?(?:政府)?工作"), re.compile(rf"回顾{YEAR}年的?工作"))
RECENT = re.compile(r"刚刚过去的([\d〇○零一二三四五六七八九]{4})年")


def review_year(head: str, text: str) -> int | None:
    """The year after the one the review names: in the (normalised) head, or "刚刚过去的…年" anywhere."""
    found = []
    for at in find_all(head, "回顾"):  # a heading ends in 回顾: read the few characters before it
        if m := REVIEW_HEADING.search(head, max(at - 16, 0), at + 2):
            found.append((m.start(), m))
            break
    found += [(m.start(), m) for p in REVIEW_NAMED if (m := p.search(head))]
    if found:
        m = min(found, key=lambda f: f[0])[1]
        return int(next(g for g in m.groups() if g)) + 1
    if "刚刚过去的" in text and (m := RECENT.search(text)):
        return int(normalise(m.group(1) + "年")[:-1]) + 1
    return None


# --- session: the National People's Congress ----------------------------------------------------------------
# the year of each session of the first five congresses (they did not meet once a year); from the sixth on, a
# congress met every year, its first session in 1983 + 5 (term - 6)
NPC_SESSIONS = {
    1: (1954, 1955, 1956, 1957, 1958),
    2: (1959, 1960, 1962, 1963),
    3: (1964,),
    4: (1975,),
    5: (1978, 1979, 1980, 1981, 1982),
}
NPC = re.compile(r"[届屆](?:全国人民代表大会|全國人民代表大會|全国人大|全國人大|人大)")
TERM_BEFORE = re.compile(rf"(?:第)?([{NUM}\d]{{1,3}})$")
SESSION_AFTER = re.compile(rf"^(?:第)?([{NUM}\d]{{1,2}})次会议")


def npc_year(term: int, session: int) -> int | None:
    """The year the `session`th session of the `term`th National People's Congress met."""
    if term in NPC_SESSIONS:
        years = NPC_SESSIONS[term]
        return years[session - 1] if 1 <= session <= len(years) else None
    return 1983 + 5 * (term - 6) + session - 1 if term > 5 and 1 <= session <= 5 else None


def session_year(text: str) -> int | None:
    """The year the report's own NPC session met, from the sessions the text names (see the module docstring).

    The short form "六届人大一次会议" names the National People's Congress only in a State Council report (the
    formula 代表国务院 at the top): in a local report "十八届人大" is its own congress.
    """
    national = "代表国务院" in text[:3000]
    marks = [i for mark in "届屆" for i in find_all(text, mark)]
    for m in (m for i in sorted(marks) if (m := NPC.match(text, i))):
        before = text[max(m.start() - 16, 0) : m.start()].translate(TRADITIONAL)
        after = text[m.end() : m.end() + 40].translate(TRADITIONAL)
        if not (term := TERM_BEFORE.search(before)) or after.startswith(("常务委员会", "常委会")):
            continue
        head, short = before[: term.start()], m.group(0)[1:] == "人大"
        if short and not (national and head[-1:] in ("的", "在", "年", "月", "")):
            continue  # "县十八届人大": a local congress
        if not (s := SESSION_AFTER.search(after)) and ("次会议" in after[:4] or short):
            continue
        year = npc_year(cn_number(term.group(1)), cn_number(s.group(1)) if s else 1)
        rest = after[s.end() if s else 0 :]
        if year is None:
            continue
        if re.search(r"(?:向|我们)$", head):  # "向第十届…第一次会议报告", "我们第一届…第一次会议，在听了…"
            return year
        if re.search(
            r"去年[^。，]{0,8}$", head
        ):  # "从去年9月第五届…第三次会议到现在", "去年举行的六届人大一次会议"
            return year + 1
        if (s is None or s.group(1) in ("一", "1")) and re.match(r"[，,]?(?:以来的五年|到这次大会)", rest):
            return npc_year(cn_number(term.group(1)) + 1, 1)  # the term it closes
    return None


# --- plan and calendar ---------------------------------------------------------------------------------------
# a heading: "三、2011年的工作" "二、2008年主要任务" "二、2024年重点工作" "二、关于1998年政府工作的建议" (not a
# review: "2017年工作回顾", "2023年主要工作完成情况", a first heading "一、关于2014年政府工作"; not a report's title
# "…2025年政府工作报告（全文）"; not a sentence: "回顾1991年的工作，…")
PLAN_HEADING = re.compile(
    rf"(?!一、)(?:(?!报告|回顾)[^\n。，；]){{0,12}}?{YEAR}年(?:的|政府)?(?:(?:主要|重点)?工作|(?:主要|重点)任务)"
    rf"(?![^\n]*(?:报告|回顾|完成|情况|总结|成绩|成效))[^\n。，；]{{0,20}}"
)
# the year's targets: "2006年国民经济和社会发展的主要预期目标", "2024年全县经济社会发展主要预期目标" (not a horizon:
# "到2025年…主要预期目标")
TARGETS = re.compile(
    rf"(?<![到至]){YEAR}年(?:全[国省市县区旗州盟])?(?:国民经济和社会发展|经济社会发展|经济和社会发展)?的?$"
)
PLAN_YEAR = {"头一年": 0, "第一年": 0, "开局之年": 0, "起步之年": 0, "第二年": 1, "第三年": 2, "第四年": 3,
             "最后一年": 4, "收官之年": 4}  # fmt: skip
THIS_YEAR_PLAN = re.compile(
    rf"今年是[^。]{{0,20}}?[“\"]?([{NUM}]{{1,3}})五[”\"]?(?:计划|规划)?[^。]{{0,8}}?({'|'.join(PLAN_YEAR)})"
)
# anniversaries a report marks: "今年是新中国成立70周年", "今年是中国共产党成立一百周年"
EVENTS = {"中国共产党成立": 1921, "建党": 1921, "中华人民共和国成立": 1949, "新中国成立": 1949, "建国": 1949,
          "改革开放": 1978, "抗日战争胜利": 1945, "反法西斯战争胜利": 1945, "辛亥革命": 1911,
          "五四运动": 1919, "红军长征胜利": 1936, "人民解放军建军": 1927}  # fmt: skip
THIS_YEAR_EVENT = re.compile(rf"今年是[^。]{{0,40}}?({'|'.join(EVENTS)})([{NUM}百\d]{{1,4}})周年")


def plan_year(text: str) -> int | None:
    """The year a plan heading or the year's targets name (headings are short lines; targets end in 主要预期目标)."""
    for line in text.split("\n"):
        if len(line) <= 60 and "年" in line and len(line := line.strip()) <= 40:
            if m := PLAN_HEADING.fullmatch(normalise(line)):
                return int(m.group(1))
    for at in find_all(text, "主要预期目标"):
        if m := TARGETS.search(normalise(text[max(at - 20, 0) : at])):
            return int(m.group(1))
    return None


def calendar_year(text: str) -> int | None:
    """ "今年是“七五”计划的头一年" → 1986; "今年是建国三十周年" → 1979: what the calendar says "this year" is."""
    if "今年是" not in text:
        return None
    if m := THIS_YEAR_PLAN.search(text):
        n = cn_number(m.group(1))
        start = {1: 1953, 2: 1958}.get(n, 1966 + 5 * (n - 3))  # 三五 1966–70 … 十四五 2021–25
        return start + PLAN_YEAR[m.group(2)]
    if m := THIS_YEAR_EVENT.search(text):
        return EVENTS[m.group(1)] + cn_number(m.group(2))
    return None


# --- results --------------------------------------------------------------------------------------------------
# a clause that begins with a year and reports a result with a figure against the year before: "2017年，全国国内
# 生产总值比上年增长6.9%", "1983年，农业总产值比上年增长9.5%", "2016年，全县生产总值同比增长8%"
RESULT = re.compile(
    rf"(?:^|[。；！\n，：])[ \t\u3000]*(?:在|刚刚过去的)?{YEAR}年(?:底|末|全年)?[，,]?"
    rf"(?![以之]?前|以后|起|到|至|开始|以来|是|上半年|[一二三]季度|前三季度|[\d{NUM}]{{1,2}}(?:月|至))"
    rf"[^。；\n]{{0,40}}?(?:达到|达|完成|实现|增长|增加|提高|突破|下降)"
    rf"[^。；\n]{{0,12}}?[\d０-９{NUM}百千万亿]",
    re.M,
)
PAST = ("比上年", "同比", "较上年", "比去年", "比前一年")  # measured against the year before: a result
TARGET = re.compile(r"预计|预期|目标|计划|力争|争取|确保|规划|将|要(?:达到|实现|完成)|拟|左右|預計|將")


def _comparisons(window: str) -> list[int]:
    """Where a PAST literal starts, found at each 比 and 较 (one character is found faster than a word)."""
    out = []
    for at in find_all(window, "比"):
        if window.startswith(("比上年", "比去年", "比前一年"), at):
            out.append(at)
        elif at and window[at - 1] == "同":
            out.append(at - 1)
    return sorted(out + [at for at in find_all(window, "较") if window.startswith("较上年", at)])


def results_year(window: str) -> int | None:
    """The year after the latest one whose results the review reports against the year before (see RESULT).

    Only the sentences that hold a comparison with the year before (PAST) are read.
    """
    latest, done = None, -1
    for at in _comparisons(window):
        if at < done:
            continue  # this sentence was read
        start = window.rfind("。", 0, at) + 1
        done = window.find("。", at)
        done = len(window) if done < 0 else done
        sentence = window[start:done]
        if TARGET.search(sentence):
            continue
        for m in RESULT.finditer(normalise(sentence)):
            latest = max(latest or 0, int(m.group(1)))
    return latest + 1 if latest else None
