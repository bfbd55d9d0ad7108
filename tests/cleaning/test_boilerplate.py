from cleaning_helpers import key, make_doc

from cleaning.pipeline import run
from cleaning.stages.boilerplate import Boilerplate, count_lines
from tests.sandbox.content import excerpt, paragraphs, reflow

FOOTER = "本页面内容由某某范文网编辑部整理发布"


def mined(docs: list) -> list:
    """The documents through boilerplate, with the line counts a crawl store of these pages gives."""
    return list(Boilerplate(counts=count_lines(docs)).run(docs))


PLACES = ["东山", "西河", "南湖", "北岭", "中州"]


def site_docs(n: int) -> list:
    return [
        make_doc(
            f"各位代表：\n一、工作回顾\n{PLACES[i]}报告正文，全区生产总值增长{i}%。\n{FOOTER}",
            site="fanwen",
            url=f"u{i}",
        )
        for i in range(n)
    ]


def test_line_repeated_across_a_sites_pages_is_removed():
    out = mined(site_docs(4))
    assert all(FOOTER not in d.text for d in out)
    assert all(any(r.reason == "repeated_line" and r.text == FOOTER for r in d.removals) for d in out)


def test_report_formulae_and_numbered_headings_are_kept_though_repeated():
    out = mined(site_docs(4))
    assert [d.text.split("\n")[:2] for d in out] == [["各位代表：", "一、工作回顾"]] * 4


def test_report_sentence_with_its_own_figures_is_kept_verbatim():
    out = mined(site_docs(4))
    assert "北岭报告正文，全区生产总值增长3%。" in out[3].text


def test_line_repeated_on_other_sites_is_not_counted():
    docs = site_docs(2) + [make_doc(f"正文{i}。\n{FOOTER}", site=f"other{i}", url="u") for i in range(3)]
    out = mined(docs)
    assert all(FOOTER in d.text for d in out)


def test_a_report_republished_three_times_keeps_its_text():
    report = "各位代表：\n过去一年全县经济稳中有进。\n今年要抓好五项工作。\n让我们共同奋斗！"
    docs = [make_doc(report + f"\n{FOOTER}", site="s", url=f"u{i}") for i in range(3)]
    docs += [make_doc(f"另一篇文章{i}。\n{FOOTER}", site="s", url=f"v{i}") for i in range(3)]
    out = mined(docs)
    assert out[0].text == report


# --- a report hard-wrapped into short lines (tests/sandbox blog: 36 characters a line, <br> between) -------

INTRO = "欢迎来到某某范文网，这里有各类工作报告、总结和计划供您参考。"


def wrapped_site() -> tuple[list[list[str]], list]:
    """One report published three times on a site (in full, first 35 %, first half), hard-wrapped, plus
    three other pages; every page carries the site's intro sentence and footer."""
    report = paragraphs("jinghu")
    copies = [report, excerpt(report), excerpt(report, 0.5)]
    others = [
        [
            f"{p}镇今年种下了新茶园，茶农收入明显增加。",
            f"{p}镇修通了进村的水泥路。",
            f"{p}镇的学校新建了图书馆。",
        ]
        for p in PLACES[:3]
    ]
    docs = [
        make_doc(
            "\n".join([INTRO, *(s for lines in reflow(paras) for s in lines), FOOTER]),
            site="blog",
            url=f"u{i}",
        )
        for i, paras in enumerate(copies + others)
    ]
    return copies, docs


def test_a_hard_wrapped_report_published_in_full_and_in_part_keeps_every_character():
    copies, docs = wrapped_site()
    out = mined(docs)
    for paras, doc in zip(copies, out, strict=False):
        assert key(doc.text) == key("".join(paras))  # all of the report, and nothing else
        assert not [r for r in doc.removals if key(r.text) in key("".join(paras))]


def test_site_intro_and_footer_still_go_beside_a_hard_wrapped_report():
    _, docs = wrapped_site()
    out = mined(docs)
    for doc in out:
        assert INTRO not in doc.text and FOOTER not in doc.text
        assert {(r.reason, r.text) for r in doc.removals} == {
            ("repeated_line", INTRO),
            ("repeated_line", FOOTER),
        }


def test_counts_from_the_store_use_the_same_keys_as_the_stage():
    copies, docs = wrapped_site()
    out = list(Boilerplate(counts=count_lines(docs)).run(docs))
    for paras, doc in zip(copies, out, strict=False):
        assert key(doc.text) == key("".join(paras))
    assert all(FOOTER not in d.text and INTRO not in d.text for d in out)


def test_a_hard_wrapped_report_comes_out_of_the_pipeline_whole():
    copies, docs = wrapped_site()
    out, _ = run(docs)
    by_url = {d.url: d for d in out}
    for i, paras in enumerate(copies):
        kept = key(by_url[f"u{i}"].text)
        assert sum(len(key(p)) for p in paras if key(p) in kept) == len(key("".join(paras)))


def test_sentences_that_differ_only_in_their_figures_are_not_repeated_lines():
    figures = [(62, 5), (48, 7), (35, 3), (91, 12)]
    docs = [
        make_doc(
            "\n".join(
                [
                    f"{PLACES[i]}县过去一年经济运行总体平稳。",
                    f"{PLACES[i]}县新建了一批民生项目。",
                    f"{PLACES[i]}县社会事业全面进步。",
                    f"全年完成固定资产投资{inv}亿元，同比增长{pct}%。",
                    FOOTER,
                ]
            ),
            site="fanwen",
            url=f"u{i}",
        )
        for i, (inv, pct) in enumerate(figures)
    ]
    out = mined(docs)
    for doc, (inv, pct) in zip(out, figures, strict=True):
        assert f"全年完成固定资产投资{inv}亿元，同比增长{pct}%。" in doc.text
        assert FOOTER not in doc.text
        assert [(r.reason, r.text) for r in doc.removals] == [("repeated_line", FOOTER)]


def test_keys_of_many_lines_at_once_are_the_keys_of_each_line():
    from cleaning.stages.boilerplate import line_key, line_keys

    lines = [
        "各位代表：现在，我代表区人民政府",
        "Tags: ABC_def 2024",
        "ΑΣ Σ",
        "², ½ Ⅷ İstanbul",
        "𠀋字 (CJK Ext. B)",
        "",
        "——",
    ]
    assert list(line_keys(lines)) == [line_key(s) for s in lines]
    assert list(line_keys(lines[:4])) == [line_key(s) for s in lines[:4]]  # no character outside the BMP
    assert line_key("本站小编，欢迎阅读！") == line_key("本站小编 欢迎阅读")
    assert list(line_keys(["GDP增长 Ⅷ", "ǅ ǈ"])) == [
        line_key("GDP增长 Ⅷ"),
        line_key("ǅ ǈ"),
    ]  # lower case per character


def test_report_sentences_headings_and_speaker_repeated_across_a_sites_reports_stay():
    shared = [
        "政府工作报告",
        "县长 林照",
        "继续实施积极的财政政策。",
        "深化农村改革。",
        "一年来，我们主要做了以下工作：",
    ]
    docs = [
        make_doc(
            "\n".join(
                [
                    *shared,
                    *(
                        f"{p}县{what}{i + k}处。"
                        for k, what in enumerate(
                            ["新修公路", "新建学校", "新增公园", "改造小区", "新设站点", "修缮古桥"]
                        )
                    ),
                    FOOTER,
                ]
            ),
            site="s",
            url=f"u{i}",
        )
        for i, p in enumerate(PLACES)
    ]
    out = mined(docs)
    for doc in out:
        assert doc.text.split("\n")[: len(shared)] == shared
        assert FOOTER not in doc.text


def test_without_mined_counts_nothing_is_removed_however_often_it_repeats():
    docs = site_docs(5)
    out = list(Boilerplate().run(docs))
    assert all(FOOTER in d.text and not d.removals for d in out)
