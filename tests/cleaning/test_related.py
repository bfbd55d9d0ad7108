from cleaning_helpers import make_doc

from cleaning.stages.related import Related


def test_related_list_heading_and_items_are_removed():
    text = "……为建设幸福家园而奋斗！\n猜你喜欢：\n· 2019年某县政府工作报告\n· 党课讲稿范文\n· 述职报告（通用5篇）"
    out = Related().apply(make_doc(text))
    assert out.text == "……为建设幸福家园而奋斗！"
    assert [r.reason for r in out.removals] == ["related_heading"] + ["related_item"] * 3


def test_list_stops_at_the_next_paragraph_of_prose():
    text = "相关推荐\n1.某市政府工作报告\n各位代表，过去一年全县经济社会发展取得了新的成绩，地区生产总值增长百分之七，财政收入稳步增长。"
    out = Related().apply(make_doc(text))
    assert out.text.startswith("各位代表，过去一年")


def test_inline_related_fragment_after_last_sentence_is_cut():
    out = Related().apply(make_doc("让我们携手奋进，共创美好未来！相关文章：《2020年工作总结》《述职报告》"))
    assert out.text == "让我们携手奋进，共创美好未来！"
    assert out.removals[0].reason == "related_inline"


def test_a_report_heading_that_says_related_work_is_kept():
    doc = make_doc("（三）做好相关工作衔接，确保政策落地")
    assert Related().apply(doc).text == "（三）做好相关工作衔接，确保政策落地"


def test_numbered_document_titles_are_a_list_even_without_heading():
    text = "各位代表：\n1.某某镇年度工作总结\n2.教师述职报告范文\n现在，我代表县人民政府向大会报告工作。"
    out = Related().apply(make_doc(text))
    assert out.text == "各位代表：\n现在，我代表县人民政府向大会报告工作。"


def test_orphan_compilation_part_heading_is_removed():
    out = Related().apply(make_doc("各位代表：\n滨海县工作总结篇三\n过去一年全县经济稳步增长。"))
    assert out.text == "各位代表：\n过去一年全县经济稳步增长。"


def test_a_numbered_report_heading_is_not_a_document_title():
    text = "一、过去一年的工作回顾\n1.经济运行稳中向好\n（二）今年工作安排"
    assert Related().apply(make_doc(text)).text == text


def test_a_reports_numbered_tasks_ending_in_a_title_word_are_kept():
    text = "二、重点工作\n1.认真做好年度工作总结\n2.扎实推进各项工作计划"
    out = Related().apply(make_doc(text))
    assert out.text == text
    assert out.removals == []


def test_a_numbered_title_in_book_marks_or_ending_as_a_title_is_still_removed():
    text = "各位代表：\n1.《年度工作总结》\n现在，我代表县人民政府向大会报告工作。\n2.某县政府工作报告全文\n让我们共同奋斗！"
    out = Related().apply(make_doc(text))
    assert out.text == "各位代表：\n现在，我代表县人民政府向大会报告工作。\n让我们共同奋斗！"
    assert [r.text for r in out.removals] == ["1.《年度工作总结》", "2.某县政府工作报告全文"]


def test_a_repeated_line_is_judged_by_its_own_neighbours():
    # the same weak title twice: only the copy next to a plain title is part of a list
    text = "年度工作总结\n各位代表，现在报告工作。\n年度工作总结\n述职报告范文"
    out = Related().apply(make_doc(text))
    assert out.text == "年度工作总结\n各位代表，现在报告工作。"
