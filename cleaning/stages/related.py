"""Remove "related / recommended / also read" lists: the heading and the short title lines under it."""

from __future__ import annotations

import re

from cleaning.prefilter import prefilter
from cleaning.stages.base import Stage, lines_of, set_lines
from cleaning.text import is_prose
from corpus.document import Document

# 看过“镜湖区政府工作报告”的人还看了：  相关文章：  猜你喜欢  推荐阅读  延伸阅读  热门文章  你可能还喜欢
HEADING = re.compile(
    r"^[【\[]?(?:看过.{0,40}的人(?:还|也)(?:看了|看过|喜欢)|相关(?:文章|阅读|推荐|范文|内容|链接|专题)|"
    r"猜你(?:喜欢|感兴趣)|推荐(?:阅读|文章|范文)|延伸阅读|热门(?:文章|推荐|阅读|范文)|精选(?:文章|范文)|"
    r"最新(?:文章|范文|更新)|你(?:可能|或许)(?:还|也)?(?:喜欢|感兴趣|想看)|大家(?:都在看|还看了)|更多(?:精彩|相关)\S{0,8})"
    r"[】\]]?\s*[:：]?\s*$"
)
# the same heading followed by titles on one line: "相关文章：《…》 《…》"
INLINE = re.compile(
    r"(?:^|(?<=[。！？!]))\s*(?:相关(?:文章|阅读|推荐)|推荐阅读|延伸阅读|猜你喜欢|热门文章)\s*[:：].*$"
)
# a line that is nothing but another document's title: "1.江宁区政府工作报告", "述职报告（通用5篇）"
DOC_TITLE = re.compile(
    r"^(?:\d{1,2}[.、．)）]\s*|[·•●◆▪\-]\s*)?《?[^。！？!?，,；;]{0,30}"
    r"(?:工作报告|工作总结|工作计划|心得体会|读后感|观后感|述职报告|范文|演讲稿|讲话稿|发言稿)"
    r"(?:全文|范文|精选|大全|篇[一二三四五六七八九十]{1,3}|\d{1,2})?》?(?:[（(][^）)]{0,12}[）)])?$"
)
# the words DOC_TITLE and INLINE need, derived from them: a fast first test
MAY_BE_TITLE, MAY_BE_INLINE = prefilter(DOC_TITLE).may_match, prefilter(INLINE).may_match
# how a line that DOC_TITLE matches ends when it is another document's title, not a report's own numbered
# task ("1.认真做好年度工作总结"): a title word that no task ends with, a compilation part, 全文/精选/大全 or a count
TITLE_END = re.compile(
    r"(?:工作报告|心得体会|读后感|观后感|述职报告|范文|演讲稿|讲话稿|发言稿|全文|精选|大全|篇[一二三四五六七八九十]{1,3}|\d{1,2})"
    r"》?(?:[（(][^）)]{0,12}[）)])?$"
)
NUMBERED_ITEM = re.compile(r"^\d{1,2}[.、．)）]\s*\S")
ITEM = re.compile(r"^(?:\d{1,2}[.、．)）]\s*|[·•●◆▪\-]\s*)?《?[^。！？!?]{2,40}》?$")


class Related(Stage):
    """Drop related-article lists: their heading ("相关文章", "看过…的人还看了") and the title lines below it."""

    name = "related"
    defaults = {"max_items": 30}

    def apply(self, doc: Document) -> Document:
        lines = lines_of(doc.text)
        kept: list[str] = []
        in_list = 0
        for i, line in enumerate(lines):
            s = line.strip()
            if HEADING.match(s):
                self.record(doc, "related_heading", s)
                in_list = self.params["max_items"]
                continue
            if in_list and ITEM.match(s) and not is_prose(s, 20):
                self.record(doc, "related_item", s)
                in_list -= 1
                continue
            in_list = 0
            if (
                MAY_BE_TITLE(s)
                and (m := DOC_TITLE.match(s))
                and (
                    (NUMBERED_ITEM.match(s) and _looks_like_title(s))
                    or "篇" in m.group(0)[-4:]
                    or _next_is_title(lines, i)
                )
            ):
                self.record(doc, "related_item", s)
                continue
            if MAY_BE_INLINE(s) and (m := INLINE.search(s)):
                self.record(doc, "related_inline", m.group(0).strip())
                s = s[: m.start()].strip()
            if s:
                kept.append(s)
        set_lines(doc, kept)
        return doc


def _looks_like_title(s: str) -> bool:
    """A line DOC_TITLE matches that is plainly a title: in 《》, or ending as only titles do (TITLE_END)."""
    return bool(DOC_TITLE.match(s)) and (("《" in s and "》" in s) or bool(TITLE_END.search(s)))


def _next_is_title(lines: tuple[str, ...], i: int) -> bool:
    """Line `i` and a neighbour are both document titles, so they make a list even without a heading.

    One of the two must look like a title plainly (`_looks_like_title`): two numbered tasks of a report
    ("1.认真做好年度工作总结", "2.扎实推进各项工作计划") are not a list of other documents.
    """
    own = _looks_like_title(lines[i].strip())
    neighbours = [n.strip() for n in lines[max(i - 1, 0) : i] + lines[i + 1 : i + 2]]
    return any(DOC_TITLE.match(n) and (own or _looks_like_title(n)) for n in neighbours)
