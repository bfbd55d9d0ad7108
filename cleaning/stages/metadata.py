"""Fill in title, region, level, year, meeting, speaker, genre and quality signals from the text itself."""

from __future__ import annotations

import re
from itertools import islice

from cleaning.gazetteer import load
from cleaning.gazetteer.region import Region, resolve
from cleaning.reportdate import find_year
from cleaning.stages.base import Stage
from cleaning.text import char_counts
from corpus.document import Document, placeholders

CN = "一二三四五六七八九十"
MEETING = re.compile(
    rf"[\u4e00-\u9fff]{{0,12}}?第[{CN}\d]+届(?:全国)?人民代表大会第[{CN}\d]+次会议|[{CN}]+届人大[{CN}]+次会议?"
)
# "县长 王某某", "国务院总理\u3000李\u3000强", "主席王莉霞在…", "市长 殷勇同志作…", "副总理兼财政部长李先念",
# "2025年1月15日龚正市长在…": a post, then a 2–3 character name where the head (spaces removed) says who spoke
POST = r"(?:代理|代)?(?:总理|主席|主任|部长|[省市区县州旗盟]长)"
SPEAKER = re.compile(
    rf"{POST}[:：]?([\u4e00-\u9fff]{{2,3}}?)(?=同志|在|作|向|代表|各位|目录|[（(—]|$)"
    rf"|(?<=日)([\u4e00-\u9fff]{{2,3}}?){POST}(?=在)",
    re.M,
)
SPACES = re.compile(r"[ \t\u3000\xa0]+")
# a title that names only the genre ("政府工作报告", "工作报告", or "政府工作报" when a hard-wrapped text breaks the
# word after its first line): the derived one (region, year) says more
GENRE_ONLY = re.compile(r"\s*(?:(?:人民)?政府)?工作报告?\s*")
GOVERNMENT = re.compile(r"我代表.{0,20}(?:人民政府|国务院)")  # the report is a government's
REFLECTION = re.compile(
    r"心得|体会|读后感|观后感|感想|感悟|我深感|我有幸|在我看来|通过(?:阅读|学习|听取|聆听)|"
    r"我(?:认为|相信|感受到|意识到|深刻体会|深受)|作为(?:一名|学区|广大|一个)"
)
# 各位代表|我代表.{0,12}人民政府|向大会|预期目标|工作回顾|同比增长|增长\d|\d%|亿元|请予审议|国民经济|人民代表大会,
# with "\d%" read at its "%" (and not after an uncounted "增长\d", which took the digit): every branch then starts
# with a literal, so the engine skips to the next candidate at once (a sixth of the time; the same count)
REPORT = re.compile(
    r"各位代表|我代表.{0,12}人民政府|向大会|预期目标|工作回顾|同比增长|增长\d|亿元|请予审议|国民经济|人民代表大会"
    r"|%(?<=\d%)(?<!(?<!同比)增长\d%)"
)


def find_meeting(text: str) -> str | None:
    """The first MEETING in the text ("…第十五届人民代表大会第二次会议"), looked for only in lines holding "届".

    A MEETING match never crosses a line and always holds "届", so the other lines cannot change the result.
    """
    for line in text.split("\n"):
        if "届" in line and (m := MEETING.search(line)):
            return re.split("[在向]", m.group(0))[-1]  # "…国务院向第一届全国人民代表大会…" → "第一届…"
    return None


def find_speaker(head: str) -> str | None:
    """Who gave the report, from the lines above its body (a post and a name: see SPEAKER)."""
    lines = [SPACES.sub("", line) for line in head.split("\n")]
    for i, line in enumerate(lines[:12]):
        if line.startswith("各位代表"):
            break
        # a name put on the line after its post ("国务院总理" / "李强")
        joined = line + (lines[i + 1] if i + 1 < len(lines) and len(lines[i + 1]) <= 4 else "")
        if len(line) <= 80 and (m := SPEAKER.search(joined)):
            return m.group(1) or m.group(2)
    return None


def find_genre(text: str, title: str) -> str:
    """report | reflection (心得体会/读后感 about a report) | other."""
    if re.search(r"心得|体会|读后感|观后感", title):
        return "reflection"
    refl = len(REFLECTION.findall(text))
    # count REPORT matches only as far as the tests below can tell apart (a report has hundreds)
    cap = refl * 3 + 1 if refl >= 2 else 3
    rep = sum(1 for _ in islice(REPORT.finditer(text), cap))
    if refl >= 2 and refl * 3 >= rep:
        return "reflection"
    if rep >= 3 or (re.search(r"工作报告|工作总结|工作计划", title) and rep >= 1):
        return "report"
    return "other"


class Metadata(Stage):
    """Set title (if missing, or naming only the genre), region and its codes, level, year, meeting, speaker,
    genre and `quality`.

    Region and year come from `cleaning.gazetteer.region` and `cleaning.reportdate`, with the evidence that
    decided them; a template or conflicting evidence leaves them None and says why in `flags`.
    """

    name = "metadata"

    def apply(self, doc: Document) -> Document:
        text, head = doc.text, "\n".join(doc.text.split("\n", 6)[:6])
        doc.genre = find_genre(text, doc.title)
        if doc.year is None:
            found = find_year(doc.title, text)
            doc.year, doc.year_evidence, doc.delivered = found.year, found.evidence, found.delivered
            _flag(doc, found.flags)
        if doc.region is None and doc.genre != "reflection":
            _set_region(doc, resolve(doc.title, text, doc.year))
        if meeting := find_meeting(doc.title + "\n" + head):
            doc.meeting = meeting
        doc.speaker = doc.speaker or find_speaker(doc.text[:600])
        if doc.title and _names_only_the_genre(doc, text):  # "政府工作报告": the derived title says more
            self.record(doc, "genre_only_title", doc.title)
            doc.title = ""
        if not doc.title:
            year = f"{doc.year}年" if doc.year and doc.genre != "reflection" else ""
            doc.title = f"{year}{doc.region or ''}政府工作报告" + (
                "心得体会" if doc.genre == "reflection" else ""
            )
            doc.title_derived = True
        truncated, doc.truncated = doc.truncated, []
        cjk, visible = char_counts(text)
        both = doc.title + text
        doc.quality = {
            **doc.quality,  # what earlier stages measured (the html stage's `extraction`)
            "chars": len(text),
            "cjk_chars": cjk,
            "cjk_share": round(cjk / visible if visible else 0.0, 3),  # cjk_share(text), counting once
            "placeholder_year": placeholders.has_year(both),
            "placeholders": placeholders.count(both),
            "truncated_lines": len(truncated),
            "paragraphs": text.count("\n") + 1 if text else 0,
        }
        return doc


def _names_only_the_genre(doc: Document, text: str) -> bool:
    """The title names only the genre ("政府工作报告"; "工作报告" when a government gives the report) of a report
    whose region or year is known."""
    return bool(
        doc.genre == "report"
        and (doc.region or doc.year)
        and GENRE_ONLY.fullmatch(doc.title)
        and ("政府" in doc.title or GOVERNMENT.search(text))
    )


def _flag(doc: Document, flags: list[str]) -> None:
    """Add flags once each (a document cleaned again keeps one of each)."""
    doc.flags = doc.flags + [f for f in dict.fromkeys(flags) if f not in doc.flags]


def _set_region(doc: Document, found: Region) -> None:
    gaz = load()
    _flag(doc, found.flags)
    doc.level = doc.level or found.level
    if (d := found.division) is None:
        return
    doc.region, doc.region_code, doc.region_evidence = d.name, d.code, found.evidence
    province, prefecture = gaz.province(d, doc.year), gaz.prefecture(d, doc.year)
    doc.province = province.name if province else None
    doc.prefecture = prefecture.name if prefecture else None
