from cleaning_helpers import make_doc

from cleaning.stages.counter import Counter


def test_source_and_view_counter_line_is_removed():
    out = Counter().apply(make_doc("来源：网络 作者：佚名 浏览次数：1024\n各位代表："))
    assert out.text == "各位代表："
    assert out.removals[0].reason == "view_counter"


def test_dated_publish_line_and_bare_counter_are_removed():
    out = Counter().apply(make_doc("发布时间：2021-03-02 10:15\n阅读 356\n一、过去一年工作回顾"))
    assert out.text == "一、过去一年工作回顾"
    assert len(out.removals) == 2


def test_counter_prefix_glued_to_first_paragraph_is_cut_and_paragraph_kept():
    out = Counter().apply(make_doc("更新时间：2020-01-09 点击：88 现在，我代表县人民政府向大会报告工作。"))
    assert out.text == "现在，我代表县人民政府向大会报告工作。"


def test_report_sentence_with_a_time_is_kept():
    line = "全年接待游客时间跨度延长，日均阅读量增长20%的数字图书馆建成开放，点击率居全省前列，群众满意度持续提升。"
    assert Counter().apply(make_doc(line)).text == line


def test_counters_on_the_first_and_last_lines_and_between_blank_lines_all_go():
    text = "来源：本站 浏览：12\n\n各位代表：\n发布时间：2023-06-06 阅读：88 现在，我代表区人民政府向大会报告工作，请予审议。\n\n时间:2023-06-06 点击:"
    out = Counter().apply(make_doc(text))
    assert out.text == "各位代表：\n现在，我代表区人民政府向大会报告工作，请予审议。"
    assert [r.text for r in out.removals] == [
        "来源：本站 浏览：12",
        "发布时间：2023-06-06 阅读：88",
        "时间:2023-06-06 点击:",
    ]
