from cleaning_helpers import make_doc

from cleaning.stages.blurb import Blurb


def test_editor_blurb_line_is_removed():
    out = Blurb().apply(make_doc("以下是小编为您精心整理的2021年县政府工作报告，仅供参考。\n各位代表："))
    assert out.text == "各位代表："
    assert out.removals[0].reason == "editor_blurb"


def test_blurb_glued_to_the_first_paragraph_is_cut_and_the_paragraph_kept():
    line = "希望对大家有所帮助！现在，我代表县人民政府向大会报告工作，请予审议。"
    out = Blurb().apply(make_doc(line))
    assert out.text == "现在，我代表县人民政府向大会报告工作，请予审议。"
    assert out.removals[0].text == "希望对大家有所帮助！"


def test_site_intro_ending_in_a_blurb_goes_with_it():
    line = "某某县位于华北平原腹地。下面是本网为大家带来的政府工作报告，一起来看看吧！"
    assert Blurb().apply(make_doc(line)).text == ""


def test_report_sentence_without_blurb_words_is_kept():
    line = "我们为群众办实事，欢迎社会各界监督政府工作。"
    assert Blurb().apply(make_doc(line)).text == line


def test_words_ending_in_ben_before_wang_are_report_text_and_the_site_blurb_still_goes():
    grid = "全市基本网格化管理覆盖率达到98%。"
    net = "推进基本网络全覆盖，完成改造120公里。"
    blurb = "本站整理的2021年政府工作报告全文。"
    out = Blurb().apply(make_doc("\n".join([grid, net, blurb, "各位代表："])))
    assert out.text.split("\n") == [grid, net, "各位代表："]
    assert [(r.reason, r.text) for r in out.removals] == [("editor_blurb", blurb)]


def test_a_report_quoting_a_blurb_phrase_keeps_its_sentence():
    from cleaning_helpers import make_doc

    from cleaning.stages.blurb import Blurb

    line = "有的施工图纸只注明“仅供参考”，不能作为施工的依据，造成了返工和浪费。"
    assert Blurb().apply(make_doc(line)).text == line
