from cleaning_helpers import make_doc

from cleaning.stages.advert import Advert


def test_ad_label_and_call_to_action_are_removed():
    out = Advert().apply(make_doc("一、工作回顾\n【广告】\n扫码关注公众号，领取更多范文\n↓↓↓点击查看"))
    assert out.text == "一、工作回顾"
    assert [r.reason for r in out.removals] == ["ad", "ad", "ad"]


def test_link_title_glued_before_a_heading_is_cut():
    para = "全年新增就业岗位一万二千个，城镇登记失业率控制在百分之三以内，社会保障体系更加健全，群众获得感明显增强。盗墓笔记全集"
    out = Advert().apply(make_doc(para + "\n（二）深化改革"))
    assert out.text.split("\n") == [para.removesuffix("盗墓笔记全集"), "（二）深化改革"]
    assert out.removals[0].reason == "glued_title"


def test_paragraph_running_on_to_the_next_page_is_not_cut():
    para = "全年新增就业岗位一万二千个，城镇登记失业率控制在百分之三以内，社会保障体系更加健全。全面推进"
    out = Advert().apply(make_doc(para + "\n养老保险扩面工作。"))
    assert out.text.split("\n")[0] == para


def test_labelled_promotion_and_more_links_are_removed():
    out = Advert().apply(make_doc("【热门】事业单位招聘考试冲刺班开课啦\n查看更多>>\n二、今年工作安排"))
    assert out.text == "二、今年工作安排"


def test_hotlines_the_government_set_up_are_kept_and_the_call_to_action_goes():
    report = ["（二）开设咨询热线", "设立12345客服热线"]
    ad = "添加客服微信，领取更多范文"
    out = Advert().apply(make_doc("\n".join([*report, ad])))
    assert out.text.split("\n") == report
    assert [(r.reason, r.text) for r in out.removals] == [("ad", ad)]
