from cleaning_helpers import make_doc

from cleaning.stages.navigation import Navigation


def test_prev_next_lines_and_breadcrumb_are_removed():
    text = "当前位置：首页 > 工作报告 > 政府工作报告\n各位代表：\n上一篇：2018年县政府工作报告\n下一篇：没有了\n返回列表"
    out = Navigation().apply(make_doc(text))
    assert out.text == "各位代表："
    assert [r.reason for r in out.removals] == ["breadcrumb", "prev_next", "prev_next", "prev_next"]


def test_prev_link_glued_to_the_last_paragraph_is_cut():
    out = Navigation().apply(
        make_doc("为全面建成小康社会而努力奋斗！上一篇：某区工作总结 下一篇：某县述职报告")
    )
    assert out.text == "为全面建成小康社会而努力奋斗！"


def test_sentence_about_next_stage_of_work_is_kept():
    line = "下一步，我们将继续深化改革。"
    assert Navigation().apply(make_doc(line)).text == line
