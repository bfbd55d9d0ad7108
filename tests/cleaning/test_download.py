from cleaning_helpers import make_doc

from cleaning.stages.download import Download


def test_download_and_paywall_lines_are_removed():
    text = "各位代表：\n点击下载完整版（PDF）\n开通会员，免费阅读全文\n《某县2019年政府工作报告.docx》"
    out = Download().apply(make_doc(text))
    assert out.text == "各位代表："
    assert [r.reason for r in out.removals] == ["download_prompt", "download_prompt", "file_link"]


def test_report_sentence_that_mentions_membership_is_kept():
    line = "深化积分落户制度改革，全年新增城镇落户人员1.2万人，开通5G基站300个，惠及会员企业200余家，推动数字经济发展。"
    assert Download().apply(make_doc(line)).text == line


def test_prompt_glued_after_the_last_sentence_is_cut():
    line = "全面完成年度目标任务，各项社会事业取得长足进步，人民生活水平不断提高，城乡面貌焕然一新，发展基础更加坚实。本文完整版可免费下载"
    out = Download().apply(make_doc(line))
    assert out.text.endswith("发展基础更加坚实。")


def test_report_lines_with_points_opening_or_members_are_kept_and_the_vip_prompt_goes():
    report = ["（三）深化积分制管理", "4.新开通公交线路12条", "发展会员单位300家"]
    prompt = "开通VIP会员，海量文档免费下载"
    out = Download().apply(make_doc("\n".join([*report, prompt])))
    assert out.text.split("\n") == report
    assert [(r.reason, r.text) for r in out.removals] == [("download_prompt", prompt)]
