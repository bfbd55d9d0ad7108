"""Prefilters derived from regexes (cleaning/prefilter.py): never rule out a line a regex matches, and rule out
the report lines that hold none of the words a regex needs."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaning import text
from cleaning.prefilter import prefilter
from cleaning.stages import blurb, counter, download, footer, margins, related
from cleaning.vocabulary import families

# every regex a stage looks for its words before running, and the junk vocabulary's families
GUARDED: dict[str, re.Pattern[str]] = {
    "counter.LABEL": counter.LABEL,
    "counter.BARE": counter.BARE,
    "related.DOC_TITLE": related.DOC_TITLE,
    "related.INLINE": related.INLINE,
    "margins.GLUED_CREDIT": margins.GLUED_CREDIT,
    "blurb.BLURB": blurb.BLURB,
    "download.KEYWORDS": download.KEYWORDS,
    "download.HINT": download.HINT,
    "text.DATE_LINE": text.DATE_LINE,
    "text.MEETING": text.MEETING,
    "text.SPEAKER": text.SPEAKER,
}
GUARDED.update({f"footer.{name}": rx for name, rx in footer.RULES})
GUARDED.update({f"vocabulary.{fam.name}": fam.pattern for fam in families()})

# the parts of a regex the derivation reads, each in a pattern of its own
SHAPES = [
    r"(?:发布|更新)?(?:时间|日期)\s*[:：]",  # an optional group before the words
    r"tags?|copyright",  # Latin words, case-insensitive below
    r"(?i:icp)备|ICP证",  # a local flag; i and s fold with non-ASCII letters
    r"(?<=[。！])\s*来[自源]",  # a look-behind and a class
    r"第[一二三]{1,2}章",  # a short repeat
    r"(?:上|)一篇",  # an empty alternative
    r"(\w)\1号",  # a back-reference
    r"\d+\s*(?:KB|MB|K)\b",  # a class of many, then words
    r"a{0,2}bc",
    r"(?>原|转)载",  # an atomic group
]


def _check(pattern: re.Pattern[str], data: st.DataObject) -> None:
    line = data.draw(st.from_regex(pattern))
    assert pattern.search(line), line
    assert prefilter(pattern).may_match(line) is not None, (
        f"{pattern.pattern!r} matches {line!r}, its prefilter ruled it out"
    )


@pytest.mark.parametrize("name", sorted(GUARDED))
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(data=st.data())
def test_a_line_a_stage_regex_matches_is_never_ruled_out(name: str, data: st.DataObject) -> None:
    _check(GUARDED[name], data)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(data=st.data())
def test_every_part_of_a_regex_is_read_soundly(shape: str, flags: int, data: st.DataObject) -> None:
    _check(re.compile(shape, flags), data)


REPORT_LINES = [
    "全年地区生产总值增长6.5%，一般公共预算收入完成48.2亿元。",
    "坚持稳中求进工作总基调，完整准确全面贯彻新发展理念",
    "（三）持续优化营商环境",
]


@pytest.mark.parametrize("name", sorted(GUARDED))
def test_most_report_prose_is_ruled_out(name: str) -> None:
    """Each prefilter needs words, and words specific enough that most report lines never reach the regex."""
    check = prefilter(GUARDED[name])
    assert not check.always
    assert sum(check.may_match(line) is None for line in REPORT_LINES) >= 2


def test_a_regex_needing_no_word_lets_every_line_through() -> None:
    check = prefilter(re.compile(r"\d+|(\w)\1"))
    assert check.always and check.may_match("各位代表：") and check.may_match("")


def test_case_insensitive_words_are_found_in_any_case() -> None:
    check = prefilter(re.compile(r"(?:热门)?(?:标签|tags?)\s*[:：]|copyright", re.IGNORECASE)).may_match
    assert check("TAGS: 政府工作报告") and check("CopyRight 2024") and check("标签：范文")
    assert check("各位代表，现在我代表市人民政府向大会报告工作") is None


def test_a_word_never_spans_two_lines() -> None:
    """A regex matching across a line break gives no word holding it, so `lines` misses no line."""
    check = prefilter(re.compile(r"上一篇\n下一篇|返回列表"))
    body = "上一篇\n下一篇：返回列表"
    assert (
        check.lines(body) == [i for i, line in enumerate(body.split("\n")) if check.may_match(line)] == [0, 1]
    )


def test_a_bytes_regex_lets_every_line_through() -> None:
    assert prefilter(re.compile(b"copyright")).always


def test_lines_are_the_lines_the_prefilter_passes() -> None:
    check = prefilter(re.compile(r"版权所有|copyright", re.IGNORECASE))
    body = "各位代表：\nCOPYRIGHT 2024 某某网\n一、过去一年的工作\n本站版权所有\n"
    assert (
        check.lines(body) == [i for i, line in enumerate(body.split("\n")) if check.may_match(line)] == [1, 3]
    )
