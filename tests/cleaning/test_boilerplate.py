from cleaning_helpers import make_doc

from cleaning.stages.boilerplate import Boilerplate

FOOTER = "本页面内容由某某范文网编辑部整理发布"


PLACES = ["东山", "西河", "南湖", "北岭", "中州"]


def site_docs(n: int) -> list:
    return [
        make_doc(f"各位代表：\n一、工作回顾\n{PLACES[i]}报告正文，全区生产总值增长{i}%。\n{FOOTER}", site="fanwen", url=f"u{i}")
        for i in range(n)
    ]


def test_line_repeated_across_a_sites_pages_is_removed():
    out = list(Boilerplate().run(site_docs(4)))
    assert all(FOOTER not in d.text for d in out)
    assert all(any(r.reason == "repeated_line" and r.text == FOOTER for r in d.removals) for d in out)


def test_report_formulae_and_numbered_headings_are_kept_though_repeated():
    out = list(Boilerplate().run(site_docs(4)))
    assert [d.text.split("\n")[:2] for d in out] == [["各位代表：", "一、工作回顾"]] * 4


def test_digits_do_not_hide_repetition_but_are_never_changed():
    out = list(Boilerplate().run(site_docs(4)))
    assert "北岭报告正文，全区生产总值增长3%。" in out[3].text


def test_line_repeated_on_other_sites_is_not_counted():
    docs = site_docs(2) + [make_doc(f"正文{i}。\n{FOOTER}", site=f"other{i}", url="u") for i in range(3)]
    out = list(Boilerplate().run(docs))
    assert all(FOOTER in d.text for d in out)


def test_a_report_republished_three_times_keeps_its_text():
    report = "各位代表：\n过去一年全县经济稳中有进。\n今年要抓好五项工作。\n让我们共同奋斗！"
    docs = [make_doc(report + f"\n{FOOTER}", site="s", url=f"u{i}") for i in range(3)]
    docs += [make_doc(f"另一篇文章{i}。\n{FOOTER}", site="s", url=f"v{i}") for i in range(3)]
    out = list(Boilerplate().run(docs))
    assert out[0].text == report
