from cleaning_helpers import make_doc

from cleaning.stages.split import Split, cn_number
from corpus.document import make_id

COMPILATION = "\n".join(
    [
        "县委工作总结（精选3篇）",
        "工作总结是对过去一年的回顾，本文整理了三篇。",
        "篇一：县委工作总结",
        "一年来，全县上下团结奋斗。",
        "篇二：乡镇工作总结",
        "过去一年，全镇经济稳步增长。",
        "篇三：学习心得",
        "通过学习，我深受启发。",
    ]
)


def test_compilation_becomes_one_document_per_part_with_stable_ids():
    doc = make_doc(COMPILATION, title="县委工作总结汇总3篇", site="s", url="http://x/1")
    parts = list(Split().run([doc]))
    assert [p.text for p in parts] == [
        "一年来，全县上下团结奋斗。",
        "过去一年，全镇经济稳步增长。",
        "通过学习，我深受启发。",
    ]
    assert [p.id for p in parts] == [make_id("s", "http://x/1", n) for n in (1, 2, 3)]
    assert all(p.title == "" and p.compilation_title == "县委工作总结汇总3篇" for p in parts)


def test_intro_and_part_headings_are_recorded_not_lost():
    parts = list(Split().run([make_doc(COMPILATION, title="县委工作总结汇总3篇")]))
    assert [(r.reason, r.text) for r in parts[0].removals] == [
        ("compilation_intro", "县委工作总结（精选3篇）\n工作总结是对过去一年的回顾，本文整理了三篇。"),
        ("part_heading", "篇一：县委工作总结"),
    ]


def test_a_report_that_mentions_chapters_is_not_split():
    text = "各位代表：\n第一篇章是改革。\n篇二内容略。\n现在，我代表区人民政府报告工作。"
    assert [p.text for p in Split().run([make_doc(text)])] == [text]


def test_chinese_part_numbers():
    assert [cn_number(s) for s in ("一", "九", "十", "十二", "二十", "7")] == [1, 9, 10, 12, 20, 7]


def test_parts_do_not_share_their_flags_or_quality():

    text = "\n".join(
        f"{heading}\n各位代表：\n现在，我代表{region}人民政府向大会报告工作。\n{body}"
        for heading, region, body in [
            ("篇一：20xx年政府工作报告", "XX县", "全县生产总值增长8%。"),
            ("篇二：2015年北京市政府工作报告", "北京市", "全市生产总值增长7%。"),
            ("篇三：2016年上海市政府工作报告", "上海市", "全市生产总值增长6%。"),
        ]
    )
    parts = list(Split().run([make_doc(text, title="政府工作报告汇总3篇")]))
    assert len(parts) == 3
    parts[0].flags.append("year_template")
    parts[0].quality["chars"] = 1
    assert parts[1].flags == [] and parts[2].flags == [] and "chars" not in parts[1].quality
