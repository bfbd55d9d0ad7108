"""The generic main-content extractor on the page types it meets: what it keeps, and what it records as removed."""

from __future__ import annotations

from cleaning_helpers import make_doc

from cleaning.stages.html import Html

PARAS = [
    "过去一年，全县地区生产总值增长百分之七点五，财政收入稳步增长，民生事业持续改善。",
    "全年新增就业岗位一万二千个，城镇登记失业率控制在百分之三以内，社会保障水平不断提高。",
    "今年，我们将继续深化改革，扩大开放，推动高质量发展，努力完成全年目标任务。",
    "各乡镇要切实履行属地管理责任，加强组织领导，确保各项工作落到实处。",
]
ARTICLE = "".join(f"<p>{p}</p>" for p in PARAS)
LINKS = "".join(
    f"<li><a href='/n/{i}.html'>某县召开第{i}次工作会议 部署全年重点任务</a></li>" for i in range(12)
)
NAV = "<div class='nav'><a href='/'>首页</a> <a href='/news/'>新闻</a> <a href='/gov/'>政务</a></div>"


def extract(body: str):
    doc = make_doc("")
    doc.html = f"<html><head><title>某县新闻网</title></head><body>{body}</body></html>"
    return Html().apply(doc)


def removed(doc) -> dict[str, str]:
    return {r.text: r.reason for r in doc.removals}


def test_article_sharing_a_cell_with_long_link_lists_is_kept_and_the_lists_dropped():
    # old portal layout: one table cell holds the article, then "related news" and "hot news" link tables
    out = extract(
        f"{NAV}<table><tr><td>{ARTICLE}<table><tr><td><ul>{LINKS}</ul></td></tr></table>"
        f"<table><tr><td><ul>{LINKS}</ul></td></tr></table></td></tr></table>"
    )
    assert out.text.split("\n") == PARAS
    assert "某县召开第3次工作会议 部署全年重点任务" in " ".join(
        t for t, r in removed(out).items() if r == "link_dense"
    )


def test_article_in_a_container_named_like_chrome_is_still_the_article():
    out = extract(f"{NAV}<div class='main-side-content'>{ARTICLE}</div><div class='footer'>版权所有</div>")
    assert out.text.split("\n") == PARAS
    assert removed(out)["版权所有"] == "chrome"


def test_a_comment_thread_longer_than_the_post_is_left_out():
    comments = "".join(
        f"<div class='c'><a href='/u/{i}'>网友{i}</a><p>{PARAS[i % 4]}</p></div>" for i in range(8)
    )
    out = extract(f"<div class='post'><p>{PARAS[0]}</p></div><div id='comments'>{comments}</div>")
    assert out.text == PARAS[0]
    assert "网友3" not in out.text
    assert any(r == "chrome" and "网友3" in t for t, r in removed(out).items())


def test_every_post_of_a_forum_thread_is_kept():
    posts = "".join(
        f"<table class='t'><tr><td><a href='/u/{i}'>用户{i}</a><br><a href='/pm/{i}'>短消息</a></td>"
        f"<td>{PARAS[i]}</td></tr></table>"
        for i in range(4)
    )
    out = extract(f"{NAV}{posts}<div><ul>{LINKS}</ul></div>")
    assert [line for line in out.text.split("\n") if line in PARAS] == PARAS
    assert "某县召开第3次工作会议" not in out.text


def test_a_notice_keeps_its_heading_number_signature_and_date():
    head = "<div>某县人民政府关于做好防汛工作的通告</div><div>某政发〔2022〕1号</div>"
    tail = "<div>特此通告。</div><div>某县人民政府</div><div>2022年1月27日</div>"
    out = extract(f"{NAV}<div class='content'>{head}{ARTICLE}{tail}</div><div><ul>{LINKS}</ul></div>")
    assert out.text.split("\n") == [
        "某县人民政府关于做好防汛工作的通告",
        "某政发〔2022〕1号",
        *PARAS,
        "特此通告。",
        "某县人民政府",
        "2022年1月27日",
    ]


def test_text_after_an_html_comment_is_kept():
    out = extract(f"<div><p>{PARAS[0]}<!-- 画中画 begin -->{PARAS[1]}</p><p>{PARAS[2]}</p></div>")
    assert out.text.split("\n") == [PARAS[0] + PARAS[1], PARAS[2]]


def test_a_page_wrapped_in_a_form_gives_its_article():
    out = extract(f"<form id='Form1' method='post'>{NAV}<div>{ARTICLE}</div><ul>{LINKS}</ul></form>")
    assert out.text.split("\n") == PARAS


def test_a_table_of_figures_inside_the_article_is_kept_as_lines():
    table = "<table><tr><td>指标</td><td>数值</td></tr><tr><td>地区生产总值</td><td>120亿元</td></tr></table>"
    first, rest = "".join(f"<p>{p}</p>" for p in PARAS[:2]), "".join(f"<p>{p}</p>" for p in PARAS[2:])
    out = extract(f"{NAV}<div>{first}{table}{rest}</div>")
    assert out.text.split("\n") == [*PARAS[:2], "指标", "数值", "地区生产总值", "120亿元", *PARAS[2:]]


def test_text_right_inside_an_inline_wrapper_of_paragraphs_is_kept_in_order():
    # <font> around the paragraphs, with a sentence directly inside it: that sentence belongs to the cell
    # around the font, between the font's paragraphs
    loose = "另据统计，全县共有各类市场主体三万余户，比上年增长百分之八。"
    body = f"<font><p>{PARAS[0]}</p>{loose}<p>{PARAS[1]}</p><font><p>{PARAS[2]}</p>{loose}</font></font>"
    out = extract(f"{NAV}<table><tr><td>{body}</td><td><ul>{LINKS}</ul></td></tr></table>")
    assert out.text.split("\n") == [PARAS[0], loose, PARAS[1], PARAS[2], loose]
