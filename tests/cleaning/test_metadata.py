from cleaning_helpers import make_doc

from cleaning.stages.metadata import Metadata

REPORT = """某某县第十八届人民代表大会第三次会议
县长 王某某
各位代表：
现在，我代表平江县人民政府向大会报告工作，请予审议。
一、2021年工作回顾
全县地区生产总值增长8.5%，财政收入增长10%。
二、2022年工作安排
今年预期目标是：生产总值增长7%左右。"""


def test_report_metadata_comes_from_the_text():
    doc = Metadata().apply(make_doc(REPORT))
    assert (doc.genre, doc.region, doc.level, doc.year) == ("report", "平江县", "county", 2022)
    assert doc.meeting == "某某县第十八届人民代表大会第三次会议"
    assert doc.speaker == "王某某"


def test_region_from_slogans_when_the_delegate_line_has_no_name():
    text = "各位代表：\n现在，我代表区人民政府向大会报告工作。\n全区经济增长9%，建设美丽青山。\n推进法治青山建设，青山发展迈上新台阶。"
    assert Metadata().apply(make_doc(text)).region == "青山区"


def test_reflection_essay_is_not_a_report_and_gets_no_region():
    text = "读了今年的政府工作报告，我深受鼓舞。\n在我看来，报告提出的目标催人奋进。\n作为一名教师，我将立足岗位。"
    doc = Metadata().apply(make_doc(text))
    assert (doc.genre, doc.region) == ("reflection", None)
    assert doc.title == "政府工作报告心得体会"


def test_other_text_is_other():
    assert Metadata().apply(make_doc("今天天气很好，我们去公园散步。")).genre == "other"


def test_placeholder_year_is_flagged_and_not_turned_into_a_year():
    doc = Metadata().apply(
        make_doc("各位代表：\n20xx年工作回顾\n全市增长7%，完成投资20亿元。", title="20xx年某市政府工作报告")
    )
    assert doc.year is None
    assert doc.quality["placeholder_year"] is True


def test_quality_signals():
    q = Metadata().apply(make_doc("各位代表：abc")).quality
    assert q["chars"] == 8 and q["cjk_chars"] == 4 and q["cjk_share"] == round(4 / 8, 3)


def test_placeholders_are_counted_in_every_form_and_real_figures_are_not():
    text = "20xx年、19XX年目标\nxx年工作，XX区、Xx届、xX市、××县\n2019年增长12%，xxx公司\n1xx、20x、x年"
    q = Metadata().apply(make_doc(text)).quality
    # 20xx, 19XX, xx年, XX区, Xx届, xX市, ××; not 2019, "xxx公司", 1xx, 20x or a single x
    assert q["placeholders"] == 7 and q["placeholder_year"] is True


def test_a_title_naming_only_the_genre_even_cut_short_gets_the_year_and_region():
    text = (
        "——2021年3月5日在保定市满城区第三届人民代表大会第一次会议上\n"
        "各位代表：\n现在，我代表保定市满城区人民政府向大会报告工作，请予审议。\n全区生产总值增长6%，完成投资120亿元。"
    )
    for title in (
        "政府工作报告",
        "政府工作报",
        "工作报告",
    ):  # "政府工作报" + "告": a title wrapped after its first line
        doc = Metadata().apply(make_doc(text, title=title))
        assert (doc.title, doc.title_derived) == (f"{doc.year}年{doc.region}政府工作报告", True)
        assert (doc.year, doc.region) == (2021, "满城区")
    kept = Metadata().apply(make_doc(text, title="满城区政府工作报告（摘要）"))
    assert (kept.title, kept.title_derived) == ("满城区政府工作报告（摘要）", False)


def test_a_genre_only_title_is_kept_when_no_government_gives_the_report():
    court = (
        "——2021年3月5日在保定市满城区第三届人民代表大会第一次会议上\n"
        "各位代表：\n现在，我代表保定市满城区人民法院向大会报告工作，请予审议。\n全年审结案件增长6%，执结标的额3亿元。"
    )
    doc = Metadata().apply(make_doc(court, title="工作报告"))
    assert (doc.title, doc.title_derived) == ("工作报告", False)


def test_the_replaced_genre_only_title_is_recorded():
    text = "各位代表：\n现在，我代表保定市满城区人民政府向大会报告工作，请予审议。\n全区生产总值增长6%，完成投资120亿元。"
    doc = Metadata().apply(make_doc(text, title="政府工作报告"))
    assert doc.title_derived and doc.title != "政府工作报告"
    assert [(r.stage, r.reason, r.text) for r in doc.removals] == [
        ("metadata", "genre_only_title", "政府工作报告")
    ]
