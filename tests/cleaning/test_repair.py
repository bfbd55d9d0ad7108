from cleaning_helpers import make_doc

from cleaning.stages.repair import Repair, unify_punctuation


def test_half_width_punctuation_in_chinese_becomes_full_width():
    assert (
        unify_punctuation("(一)坚持提质增效,实体经济稳中向好;增长8%!")
        == "（一）坚持提质增效，实体经济稳中向好；增长8%！"
    )


def test_numbers_keep_their_separators_and_digits():
    line = "三次产业结构为14:58:28,总额1,000亿元,增长2.5%"
    out = unify_punctuation(line)
    assert "14:58:28" in out and "1,000" in out and "2.5%" in out


def test_full_width_digits_become_ascii_with_the_same_value():
    assert Repair().apply(make_doc("２０１９年ＧＤＰ增长６．５%")).text.startswith("2019年GDP增长6")


def test_truncated_character_is_dropped_recorded_and_line_kept():
    out = Repair().apply(make_doc("全力投入“四新”主题实践\ufffd\n下一段"))
    assert out.text == "全力投入“四新”主题实践\n下一段"
    assert [(r.stage, r.reason) for r in out.removals] == [("repair", "truncated_char")]
    assert out.truncated == ["全力投入“四新”主题实践"]


def test_markdown_residue_is_stripped_and_recorded():
    out = Repair().apply(make_doc("### 一、工作回顾\n**篇二**\n---\n正文。"))
    assert out.text == "一、工作回顾\n篇二\n正文。"
    assert sorted(r.text for r in out.removals) == ["###", "**", "---"]


def test_placeholders_are_left_as_they_are():
    line = "20xx年全区完成XX亿元，比20XX年增长××%"
    assert Repair().apply(make_doc(line)).text == line


def test_blank_lines_and_odd_spaces_are_tidied():
    assert Repair().apply(make_doc("  \u3000各位代表：\u00a0 \n\n\n\u200b现在")).text == "各位代表：\n现在"


def test_each_line_of_a_text_is_unified_on_its_own():
    lines = [
        "增长8%!",
        "(二)推进改革",
        "1,000 and 14:58",
        "abc!",
        "中文abc!",
        "办好民生实事:",
        ";开头",
        "end)",
    ]
    assert unify_punctuation("\n".join(lines)) == "\n".join(unify_punctuation(line) for line in lines)
    assert unify_punctuation("\n".join(lines)).split("\n")[:2] == ["增长8%！", "（二）推进改革"]


def test_line_breaks_stored_as_backslash_letters_become_line_breaks():
    from cleaning_helpers import make_doc

    from cleaning.stages.repair import Repair

    text = (
        "政府工作报告\\r\\n各位代表：\\r\\n现在，我代表县人民政府向大会报告工作。\\r\\n一、过去一年工作回顾"
    )
    out = Repair().apply(make_doc(text))
    assert out.text.split("\n") == [
        "政府工作报告",
        "各位代表：",
        "现在，我代表县人民政府向大会报告工作。",
        "一、过去一年工作回顾",
    ]
    assert [(r.reason, r.text) for r in out.removals] == [("escaped_break", "3 × \\r\\n")]


def test_a_path_with_one_backslash_n_is_left_alone():
    from cleaning_helpers import make_doc

    from cleaning.stages.repair import Repair

    text = "文件存放在 C:\\new\\report 目录。"
    assert Repair().apply(make_doc(text)).text == text


def test_marks_judged_over_code_points_agree_with_the_mark_by_mark_reference():
    import random

    from cleaning.stages.repair import _unify_marks_slowly

    alphabet = [*",;:!?()\n 12年中文“”ab，。", "\u3000", "\uff01", "\uff10", "𠀀", "²"]
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        bmp = text.replace("𠀀", "")  # the reference's own path for texts beyond the plane is checked apart
        assert unify_punctuation(bmp) == _unify_marks_slowly(bmp), repr(bmp)


def test_a_character_beyond_the_plane_does_not_stop_marks_turning():
    assert unify_punctuation("𠀀字,中文:") == "𠀀字，中文："
