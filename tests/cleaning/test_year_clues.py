"""The year from a report's text alone, with no title or meeting line (issue 11): one test per kind of clue
and per kind of conflict. Every text is written for the test in the forms reports take."""

from __future__ import annotations

from cleaning_helpers import make_doc

from cleaning.stages.metadata import Metadata

BODY = "全县干部群众团结奋斗，各项事业稳步推进。\n"


def year(text: str, title: str = "") -> tuple[int | None, str | None, list[str]]:
    doc = Metadata().apply(make_doc(text, title=title))
    return doc.year, doc.year_evidence, doc.flags


def test_a_review_heading_in_other_words_is_last_years_review():
    assert year("各位代表：\n一、１９９６年国内工作的回顾\n" + BODY)[:2] == (1997, "review")
    assert year("各位代表：\n一、一九九三年国内工作的回顾和一九九四年工作的基本方针\n" + BODY)[:2] == (
        1994,
        "review",
    )
    assert year("各位代表：\n" + BODY + "回顾1991年的工作，我们深感来之不易。\n")[:2] == (1992, "review")


def test_the_year_just_past_is_last_year():
    text = "各位代表：\n" + BODY * 20 + "刚刚过去的一九八七年，我国国民经济继续保持了良好势头。\n"
    assert year(text)[:2] == (1988, "review")


def test_the_npc_session_the_report_is_given_to():
    addressed = (
        "各位代表：\n现在，我代表国务院，向第十届全国人民代表大会第一次会议报告过去五年的工作。\n" + BODY
    )
    assert year(addressed)[:2] == (2003, "session")
    no_number = "各位代表！\n现在，我代表国务院，向第五届全国人民代表大会作政府工作报告。\n" + BODY
    assert year(no_number)[:2] == (1978, "session")
    early = "各位代表：\n国务院向第一届全国人民代表大会第三次会议提出关于国家预算的报告。\n" + BODY
    assert year(early)[:2] == (1956, "session")
    traditional = "各位代表：\n我們第一屆全國人民代表大會第一次會議，已經完成了一件歷史性的工作。\n" + BODY
    assert year(traditional)[:2] == (1954, "session")


def test_the_npc_term_a_report_closes_and_last_years_session():
    closing = (
        "各位代表：\n一、过去五年工作回顾\n第十一届全国人民代表大会第一次会议以来的五年，极不平凡。\n" + BODY
    )
    assert year(closing)[:2] == (2013, "session")
    since = "各位代表：\n从第七届全国人民代表大会第一次会议，到这次大会的召开，已经整整过去五年。\n" + BODY
    assert year(since)[:2] == (1993, "session")
    last_year = (
        "各位代表：\n我代表国务院向大会报告工作。根据去年举行的六届人大一次会议的决议，各级政府努力工作。\n"
        + BODY
    )
    assert year(last_year)[:2] == (1984, "session")
    from_last = "各位代表：\n从去年9月第五届全国人民代表大会第三次会议到现在，已经过去了一年。\n" + BODY
    assert year(from_last)[:2] == (1981, "session")


def test_a_local_congress_number_alone_says_no_year():
    text = (
        "各位代表：\n较好完成了县十八届人大六次会议确定的目标任务，根据第十八届人民代表大会第一次会议的部署。\n"
        + BODY
    )
    assert year(text)[:2] == (None, None)
    # the short form names the National People's Congress only in a State Council report
    local = (
        "各位代表：\n我代表县人民政府向大会报告工作。去年召开的十三届人大一次会议确定的任务全面完成。\n"
        + BODY
    )
    assert year(local)[:2] == (None, None)


def test_a_plan_heading_or_the_years_targets_name_the_year():
    assert year("各位代表：\n" + BODY + "三、2011年的工作\n" + BODY)[:2] == (2011, "plan")
    targets = "各位代表：\n" + BODY + "2006年国民经济和社会发展的主要预期目标是：生产总值增长8%。\n"
    assert year(targets)[:2] == (2006, "plan")


def test_plan_headings_and_targets_in_local_words_and_what_is_not_one():
    assert year("各位代表：\n" + BODY + "二、2024年重点工作\n" + BODY)[:2] == (2024, "plan")
    local = "各位代表：\n" + BODY + "2024年全县经济社会发展主要预期目标是：地区生产总值增长6%。\n"
    assert year(local)[:2] == (2024, "plan")
    horizon = "各位代表：\n" + BODY + "到2025年经济社会发展主要预期目标是：人均收入翻一番。\n"
    assert year(horizon)[:2] == (None, None)
    done = "各位代表：\n" + BODY + "（二）2023年主要工作完成情况\n" + BODY
    assert year(done)[:2] == (None, None)


def test_report_titles_listed_on_a_page_and_a_first_heading_are_not_the_plan():
    related = (
        "各位代表：\n"
        + BODY
        + "相关文章\n焦作市解放区2025年政府工作报告\n2023年政府工作报告全文\n2024年政府工作报告解读\n"
    )
    assert year(related)[:2] == (None, None)
    first = "各位代表：\n一、关于2014年政府工作\n" + BODY
    assert year(first)[0] != 2014


def test_anniversaries_say_what_this_year_is():
    assert year("各位代表：\n今年是中国共产党成立一百周年。\n" + BODY)[:2] == (2021, "calendar")
    assert year("各位代表：\n今年是新中国成立70周年。\n" + BODY)[:2] == (2019, "calendar")
    assert year("各位代表：\n今年是世界反法西斯战争胜利五十周年。\n" + BODY)[:2] == (1995, "calendar")
    assert year("各位代表：\n去年我们隆重庆祝了新中国成立70周年。\n" + BODY)[0] is None


def test_last_years_results_against_the_year_before_imply_the_year():
    text = (
        "各位代表：\n2016年，全县生产总值完成119.8亿元，比上年增长8.2%；财政收入完成5.04亿元，同比增长18.5%。\n"
        + BODY
    )
    assert year(text)[:2] == (2017, "results")


def test_targets_plan_horizons_and_part_years_are_not_results():
    targets = (
        "各位代表：\n2020年全县生产总值力争达到200亿元，比上年增长7%。\n到2035年，人均收入比上年增长一倍。\n"
        "2018年上半年，工业增加值同比增长9%。\n2024年，全县生产总值比上年增长6%左右。\n" + BODY
    )
    assert year(targets)[:2] == (None, None)
    # without a figure measured against the year before, a year with figures is no result: a target or a range
    ranged = "各位代表：\n2015年城区面积达18.9平方公里，人均绿地面积达8平米以上。\n" + BODY
    assert year(ranged)[:2] == (None, None)


def test_stated_clues_that_disagree_give_none_and_a_flag():
    review_vs_plan = "各位代表：\n一、2017年工作回顾\n" + BODY + "二、2020年的工作\n" + BODY
    assert year(review_vs_plan) == (None, None, ["year_conflict"])
    session_vs_calendar = (
        "各位代表：\n现在，我代表国务院，向第十届全国人民代表大会第一次会议报告工作。\n今年是新中国成立70周年。\n"
        + BODY
    )
    assert year(session_vs_calendar) == (None, None, ["year_conflict"])


def test_stated_clues_that_agree_decide_and_the_review_is_named():
    text = (
        "各位代表：\n一、2010年工作回顾\n"
        + BODY
        + "二、2011年的工作\n今年是“十二五”规划的开局之年。\n"
        + BODY
    )
    assert year(text) == (2011, "review", [])


def test_a_stronger_tier_decides_over_a_weaker_one():
    text = (
        "——2018年1月19日在易县第十七届人民代表大会第二次会议上\n各位代表：\n"
        "2016年，全县生产总值比上年增长8%。\n今年是新中国成立70周年。\n" + BODY
    )
    assert year(text) == (2018, "meeting", [])
    stated = "各位代表：\n一、2017年工作回顾\n2016年，全县生产总值比上年增长8%。\n" + BODY
    assert year(stated)[:2] == (2018, "review")
