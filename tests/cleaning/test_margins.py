"""margins: the header block before a report and the trailer after it go; the report's own lines stay."""

from cleaning_helpers import make_doc

from cleaning.stages.margins import Margins

REPORT = [
    "政府工作报告",
    "——2031年1月12日在青石县第九届人民代表大会第二次会议上",
    "青石县人民政府县长 林照",
    "各位代表：",
    "现在，我代表县人民政府向大会报告工作，请予审议。",
    "一、过去一年工作回顾",
    "全县生产总值增长6.1%，新建农村公路88公里，新增城镇就业2100人。",
    "各位代表！让我们团结一心，为建设美丽青石而努力奋斗！",
]


def cleaned(lines: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    doc = Margins().apply(make_doc("\n".join(lines)))
    return doc.text.split("\n"), [(r.reason, r.text) for r in doc.removals]


def test_a_clean_report_loses_nothing():
    assert cleaned(REPORT) == (REPORT, [])


def test_header_with_counters_and_a_teaser_goes_report_heading_stays():
    header = [
        "公文资料",  # a breadcrumb in a wording no list holds
        "青石县2031年政府工作报告",
        "发布日期：2031-02-03 作者：佚名",
        "浏览：",
        "88",
        "内容提要：",
        "政府工作报告——2031年1月12日在青石县第九届人民代表大会第二次会议上青石县人民政府县长林照各位代表：现在，我代表县……",
    ]
    text, removed = cleaned(header + REPORT)
    assert text == REPORT
    assert ("teaser", header[-1]) in removed
    assert {t for r, t in removed if r == "header_block"} == set(header[:-1])


def test_trailer_of_share_bar_link_lists_and_tag_cloud_goes_whole():
    trailer = [
        "转发到：",
        "微博",
        "豆瓣",
        "往期回顾",
        "02-01",
        "白水县2030年政府工作报告",
        "热词",
        "2031年",
        "县政府",
    ]
    text, removed = cleaned(REPORT + trailer)
    assert text == REPORT
    assert [t for r, t in removed if r == "trailer_block"] == trailer


def test_a_list_of_other_reports_without_any_heading_goes():
    titles = [
        "白水县2030年政府工作报告",
        "红岩市2031年政府工作报告",
        "绿洲区2029年国民经济和社会发展统计公报",
    ]
    assert cleaned(REPORT + titles)[0] == REPORT


def test_one_short_line_after_the_report_without_evidence_stays():
    for tail in (["青石县人民政府"], ["2031年1月12日"], ["总投资", "3.2亿元"]):
        assert cleaned(REPORT + tail)[0] == REPORT + tail


def test_table_cells_before_the_trailer_stay_with_the_report():
    cells = ["总投资", "2亿元", "2031年底", "文旅局"]
    text, _ = cleaned(REPORT + cells + ["分享到：", "微信"])
    assert text == REPORT + cells


def test_a_report_that_merely_mentions_a_source_or_a_share_keeps_it():
    lines = [*REPORT[:-1], "全县新闻来源：县融媒体中心统一发布，分享到各乡镇。", REPORT[-1]]
    assert cleaned(lines)[0] == lines


def test_a_site_credit_glued_after_the_last_sentence_goes():
    last = "让我们团结一心，为建设美丽青石而努力奋斗！  转自某某文库网"
    text, removed = cleaned([*REPORT[:-1], last])
    assert text[-1] == "让我们团结一心，为建设美丽青石而努力奋斗！"
    assert removed == [("glued_credit", "转自某某文库网")]


def test_disclaimer_prose_after_the_report_goes():
    notice = "声明：本文来源于网络，不代表本站立场，若有侵权请联系本站删除。"
    text, removed = cleaned([*REPORT, notice])
    assert text == REPORT and removed == [("trailer_block", notice)]


def test_a_blurb_glued_before_the_first_sentence_leaves_the_line_to_the_sentence_stages():
    line = "下面是本站小编为大家带来的青石县政府工作报告，欢迎阅读！深化经济领域改革。工业经济稳步发展。"
    text, removed = cleaned(["首页 > 工作报告", line, *REPORT[3:]])
    assert text == [line, *REPORT[3:]] and removed == [("header_block", "首页 > 工作报告")]
