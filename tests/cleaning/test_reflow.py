from cleaning_helpers import make_doc

from cleaning.stages.reflow import Reflow


def test_paragraph_cut_mid_sentence_by_a_page_break_is_rejoined():
    out = Reflow().apply(make_doc("全年完成固定资产投资三百二十亿\n元，增长百分之十二。\n（二）深化改革"))
    assert out.text == "全年完成固定资产投资三百二十亿元，增长百分之十二。\n（二）深化改革"


def test_headings_are_not_glued_to_their_paragraphs():
    text = "一、过去一年工作回顾\n过去一年，我们攻坚克难。\n产业带\n（三）倡法治，促改革"
    assert Reflow().apply(make_doc(text)).text == text


def test_truncated_line_is_not_joined_to_the_next_paragraph():
    doc = make_doc("完善城乡低保制度，扩大覆盖\n新建学校三所。")
    doc.truncated = ["完善城乡低保制度，扩大覆盖"]
    assert Reflow().apply(doc).text == "完善城乡低保制度，扩大覆盖\n新建学校三所。"


def test_heading_glued_after_a_sentence_gets_its_own_line():
    out = Reflow().apply(
        make_doc("创建美丽乡村路355.8公里。（四）坚持民生为本，社会发展持续进步\n社会保障水平稳步提高。")
    )
    assert out.text.split("\n")[:2] == ["创建美丽乡村路355.8公里。", "（四）坚持民生为本，社会发展持续进步"]


def test_flattened_paragraphs_are_split_at_sentence_ends():
    para = "过去一年，全市经济平稳运行，各项事业取得新进展，人民生活持续改善。" * 4
    out = Reflow().apply(make_doc(f"{para} {para} 二、今年工作安排"))
    assert out.text.split("\n") == [para, para, "二、今年工作安排"]


def test_title_repeated_as_first_line_is_dropped_and_recorded():
    out = Reflow().apply(make_doc("某某县人民政府工作报告\n各位代表：", title="某某县人民政府工作报告"))
    assert out.text == "各位代表："
    assert [(r.reason, r.text) for r in out.removals] == [("title_repeat", "某某县人民政府工作报告")]


def test_title_printed_again_at_the_top_of_a_later_page_is_dropped():
    out = Reflow().apply(
        make_doc(
            "各位代表：\n过去一年成绩显著。\n某某县政府工作报告\n今年要做好五项工作。",
            title="某某县政府工作报告",
        )
    )
    assert out.text == "各位代表：\n过去一年成绩显著。\n今年要做好五项工作。"


def test_title_with_a_year_and_other_punctuation_printed_again_later_is_dropped():
    title = "2023年某某县政府工作报告（全文）"
    out = Reflow().apply(
        make_doc(
            "各位代表：\n过去一年成绩显著。\n2023年 某某县政府工作报告(全文)\n今年要做好五项工作。",
            title=title,
        )
    )
    assert out.text == "各位代表：\n过去一年成绩显著。\n今年要做好五项工作。"
    assert [(r.reason, r.text) for r in out.removals] == [("title_repeat", "2023年 某某县政府工作报告(全文)")]


def test_the_address_is_never_dropped_as_a_title_repeat():
    # a file whose first line is the address gets it as its guessed title; every "各位代表！" stays
    text = "各位代表！\n过去一年，全县经济稳中有进。\n各位代表！\n让我们携手奋进！"
    out = Reflow().apply(make_doc(text, title="各位代表！"))
    assert out.text == text and out.removals == []


def test_meeting_speaker_and_date_lines_are_never_joined():
    text = (
        "——2031年1月12日在青石县第九届人民代表大会第二次会议上审议通过\n"
        "青石县人民政府县长 林照\n"
        "2031年1月12日\n"
        "各位代表："
    )
    assert Reflow().apply(make_doc(text)).text == text


def test_a_genre_word_as_title_does_not_take_the_reports_own_heading():
    out = Reflow().apply(make_doc("政府工作报告\n各位代表：", title="工作报告"))
    assert out.text == "政府工作报告\n各位代表："
