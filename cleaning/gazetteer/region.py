"""Which division a report is about, looked up in the gazetteer at the places a report names itself.

Evidence, strongest first: the title ("保定市满城区2020年政府工作报告"), the formula ("我代表易县人民政府"), the
meeting line ("在高唐县第十八届人民代表大会"), then other "X人民政府" / "X国民经济和社会发展" mentions in the text.
Names are matched whole against the gazetteer (longest first), never guessed from a suffix, so "我代表易县"
gives 易县 and "落实县人民政府" gives nothing. Each look-up reads at most a fixed window before a fixed anchor:
the work grows linearly with the text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from cleaning.gazetteer import BARE_WORDS, LONGEST, NATION_CODE, Division, Gazetteer, load, stem
from cleaning.literals import find_all
from corpus.document import placeholders

CN = "一二三四五六七八九十"
# a national report's two forms, each run on a text only where it holds its literal (cleaning.literals);
# NATIONAL is either, for a title
NATIONAL_FORMULA = re.compile(r"我代表(?:中华人民共和国)?国务院")
NATIONAL_MEETING = re.compile(rf"第[{CN}\d]+届全国人民代表大会第")
NATIONAL = re.compile(f"{NATIONAL_FORMULA.pattern}|{NATIONAL_MEETING.pattern}")
# the anchors a name stands before: "…人民政府", "…第十五届人民代表大会" (or "…十届人大": the name before the
# number; CONGRESS is read at each 届), "…国民经济和社会发展"
CONGRESS = re.compile(r"届(?:\n?人民代表大会|人大)")
BARE = re.compile(r"我代表(自治区|自治州|自治县|省|市|区|县|旗|州|盟|镇|乡|街道)人民政府")
BARE_LEVEL = {
    "自治区": "province",
    "省": "province",
    "自治州": "prefecture",
    "州": "prefecture",
    "盟": "prefecture",
}
BARE_LEVEL |= dict.fromkeys(("自治县", "区", "县", "旗"), "county") | dict.fromkeys(
    ("镇", "乡", "街道"), "township"
)
NON_NAME = re.compile(r"[^\u4e00-\u9fff]")
BRANDS = "美丽|法治|平安|幸福|品质|清廉|健康|魅力|活力|生态|文明|智慧|数字|绿色|创新|宜居|和谐|开放|人文"
BRAND = re.compile(rf"(?:{BRANDS})([\u4e00-\u9fff]{{2}})")
STRONG = ("title", "formula", "meeting")
HEAD = 5000  # the title block, meeting line and formula stand in a report's first few thousand characters
DEPTH = ("national", "province", "prefecture", "county", "township")


@dataclass
class Region:
    """The decision: the division (None when undecided), the evidence that decided it, and why not if not."""

    division: Division | None = None
    evidence: str | None = None
    level: str | None = None
    flags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Mention:
    kind: str  # title | formula | meeting | text
    divisions: tuple[Division, ...]
    context: str  # what came before the name (a parent's name, if the text gives one)


def resolve(title: str, text: str, year: int | None = None, gaz: Gazetteer | None = None) -> Region:
    """The division a report is about (see the module's docstring for the evidence and its order)."""
    gaz = gaz or load()
    bare = BARE.search(text, 0, HEAD)
    hint = BARE_LEVEL.get(bare.group(1)) if bare else None
    titled = title_mentions(title, gaz)
    region = _decide(titled + text_mentions(text[:HEAD], gaz), STRONG, year, hint, gaz)
    if region.division or "region_conflict" in region.flags:
        return region  # the title, formula or meeting line decided: the rest of the text cannot change that
    mentions = titled + text_mentions(text, gaz)
    if not mentions and bare and (slogan := _slogan_name(text, bare.group(1), gaz)):
        mentions = [Mention("text", tuple(slogan), "")]
    region = _decide(mentions, (*STRONG, "text"), year, hint, gaz)
    if not region.division and (placeholders.PLACE.search(title) or placeholders.PLACE.search(text[:HEAD])):
        region.flags.append("region_template")
    return region


def _decide(
    mentions: list[Mention], kinds: tuple[str, ...], year: int | None, hint: str | None, gaz: Gazetteer
) -> Region:
    """The first of `kinds` (strongest first) whose mentions name one place; None if the strong ones disagree."""
    named = {d.code for m in mentions for d in m.divisions}
    decided: dict[str, Division] = {}
    region = Region(level=hint)
    for kind in kinds:
        if kind == "text" and decided:
            break  # other mentions count only when nothing stronger names a place
        picks = [_pick(m, named, year, hint, gaz) for m in mentions if m.kind == kind]
        if kind == "title" and any(picks):
            # the title's most specific name ("保定市满城区" → 满城区; "易县政府工作报告（河北省保定市）" → 易县)
            picks = [max(reversed([p for p in picks if p]), key=lambda d: DEPTH.index(d.level))]
        if best := _most_common([p for p in picks if p], region):
            decided[kind] = best
    if not decided:
        return region
    kind, first = next(iter(decided.items()))
    if any(not _same_place(first, d, gaz) for d in decided.values()):
        region.flags.append("region_conflict")
        return region
    region.division, region.evidence, region.level = first, kind, first.level
    return region


def title_mentions(title: str, gaz: Gazetteer) -> list[Mention]:
    """Every division the title names, left to right, longest name first at each place."""
    out: list[Mention] = []
    if NATIONAL.search(title) or "国务院" in title:
        out.append(Mention("title", tuple(gaz.by_code[NATION_CODE]), ""))
    i, n = 0, min(len(title), 200)
    while i < n - 1:
        for j in range(min(n, i + LONGEST), i + 1, -1):
            if title[j - 1] not in gaz.last_chars:
                continue
            name = title[i:j]
            found = gaz.named(name)
            if found and (name not in BARE_WORDS or out):
                out.append(Mention("title", tuple(found), title[:i]))
                i = j
                # "保定市徐水2011年": a stem right after a prefecture (and no full name) names one of its counties
                full = any(
                    gaz.named(title[i:e])
                    for e in range(i + 2, min(n, i + LONGEST) + 1)
                    if title[e - 1] in gaz.last_chars
                )
                for k in () if full else (4, 3, 2):
                    kids = [
                        c
                        for p in found
                        if p.level == "prefecture"
                        for c in gaz.stem_child(p, title[i : i + k])
                    ]
                    if kids:
                        out.append(Mention("title", tuple(kids), title[:i]))
                        i += k
                        break
                break
        else:
            i += 1
    return out or _title_stems(title[:n], gaz)


def _title_stems(title: str, gaz: Gazetteer) -> list[Mention]:
    """ "2023年杭州政府工作报告": a title naming no division in full may name one by its stem (杭州 → 杭州市).

    Only today's prefectures and counties, stems of two or more characters; a stem several places share
    (朝阳: 朝阳市, 朝阳区, 朝阳县) is left to `_pick`, which names none of them.
    """
    for i in range(len(title) - 1):
        for j in range(min(len(title), i + 6), i + 1, -1):
            if found := gaz.stemmed(title[i:j]):
                return [Mention("title", tuple(found), title[:i])]
    return []


def text_mentions(text: str, gaz: Gazetteer) -> list[Mention]:
    """The division named right before each anchor ("…人民政府", "…第N届人民代表大会", "…国民经济和社会发展")."""
    out: list[Mention] = []
    national = []
    if "国务院" in text:
        national += [(m.start(), "formula") for m in NATIONAL_FORMULA.finditer(text)]
    if "届全国人民代表大会第" in text:
        national += [(m.start(), "meeting") for m in NATIONAL_MEETING.finditer(text)]
    for _, kind in sorted(national):
        out.append(Mention(kind, tuple(gaz.by_code[NATION_CODE]), ""))
    for start, anchor in _anchors(text):
        span = text[max(start - LONGEST - 8, 0) : start]
        span = span[max((x.end() for x in NON_NAME.finditer(span)), default=0) :]
        kind = "meeting" if anchor == "届" else "text"
        if (at := span.rfind("我代表")) >= 0 and anchor == "人民政府":
            kind, span = "formula", span[at + 3 :]
        name, found = gaz.suffix_name(span)
        context = span[: len(span) - len(name)]
        if kind == "text":  # "各乡镇人民政府", "XX镇人民政府要…": a county report names its townships
            found = [d for d in found if d.level != "township"]
        if found and (name not in BARE_WORDS or context):
            out.append(Mention(kind, tuple(found), context))
    return out


def _anchors(text: str) -> list[tuple[int, str]]:
    """(start, anchor) of each anchor in order: "人民政府", "国民经济和社会发展", or "届" for a congress (the
    name stands before its number: "第十五届人民代表大会", "十届人大", "十五届\n人民代表大会")."""
    out = [(i, literal) for literal in ("人民政府", "国民经济和社会发展") for i in find_all(text, literal)]
    for i in find_all(text, "届"):
        if CONGRESS.match(text, i):
            start = i
            while start > 0 and (text[start - 1] in CN or text[start - 1].isdecimal()):
                start -= 1
            if start < i:  # a number before 届
                out.append((start - 1 if start > 0 and text[start - 1] == "第" else start, "届"))
    return sorted(out)


def _pick(m: Mention, named: set[str], year: int | None, hint: str | None, gaz: Gazetteer) -> Division | None:
    """The one division a mention means: parents named nearby, valid in the report's year, the formula's level."""

    def score(d: Division) -> tuple[int, bool, bool, int, bool]:
        parents = gaz.ancestors(d, year)
        near = sum(1 for p in parents if p.name in m.context or stem(p.name) in m.context)
        elsewhere = sum(
            1 for p in parents if p.code in named and p not in m.divisions
        )  # not itself: 朝阳 → 朝阳市
        current = d.until is None
        return (near, d.valid_in(year), year is None and current, elsewhere + (hint == d.level), current)

    ranked = sorted(m.divisions, key=score, reverse=True)
    if len(ranked) > 1 and score(ranked[0]) == score(ranked[1]) and ranked[0].name != ranked[1].name:
        return None  # two places of different names tie: say nothing rather than guess
    return ranked[0] if ranked else None


def _most_common(picks: list[Division], region: Region) -> Division | None:
    if not picks:
        return None
    counts = Counter(picks).most_common()
    if len(counts) > 1 and counts[0][1] == counts[1][1] and counts[0][0].name != counts[1][0].name:
        region.flags.append("region_ambiguous")
        return None
    return counts[0][0]


def _same_place(a: Division, b: Division, gaz: Gazetteer) -> bool:
    """One division under two names or codes (徐水县 before 2015, 徐水区 after; 郫县, 郫都区), or one inside the other."""
    if a.code == b.code or (stem(a.name) == stem(b.name) and a.code[:4] == b.code[:4]):
        return True
    if b.code in gaz.lineage(a) or a.code in gaz.lineage(b):  # 郫县 became 郫都区
        return True
    return b in gaz.ancestors(a) or a in gaz.ancestors(b)


def _slogan_name(text: str, level_char: str, gaz: Gazetteer) -> list[Division]:
    """ "美丽青山" "法治青山" + "我代表区人民政府" → 青山区: a name the report brands itself with twice or more."""
    slogans: dict[str, set[str]] = {}
    for m in BRAND.finditer(text):
        slogans.setdefault(m.group(1), set()).add(m.group(0))
    for stem_ in sorted(slogans, key=lambda s: -len(slogans[s])):
        if len(slogans[stem_]) >= 2 and (found := gaz.named(stem_ + level_char)):
            return found
    return []
