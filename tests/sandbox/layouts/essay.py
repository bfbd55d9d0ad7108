"""sandbox_essay (/essay/): a 范文网-style portal; GBK pages whose HTTP header wrongly says utf-8.

Each report is split over several pages (/essay/article/12.html, 12_2.html, 12_3.html) joined by a
"共3页" page bar; the body carries a view counter, a glued editor blurb, an ad, tags, a related list and
prev/next links, as essay portals print them.
"""

from __future__ import annotations

from tests.sandbox import junk
from tests.sandbox.content import BY_ID, Editions, split_pages
from tests.sandbox.layouts.base import Page, Site, chunks, esc, list_url, paras_html

NAME, PREFIX = "sandbox_essay", "/essay/"
CONTENT_TYPE = "text/html; charset=utf-8"  # wrong on purpose: the bytes are GBK
ITEMS: list[tuple[int, str, int]] = [  # (article number, document id, pages)
    (11, "dongsheng", 3),
    (12, "futian", 3),
    (13, "hecheng", 3),
    (14, "huzhou", 3),
    (15, "dinghu_a", 2),
    (16, "jinghu", 2),
    (17, "xinde_1", 1),
]
PER_LIST_PAGE = 4


def _shell(title: str, main: str) -> bytes:
    html = f"""<!DOCTYPE html>
<html><head><meta charset="gb2312"><title>{esc(title)}_范文网</title></head>
<body>
<div class="header"><a class="logo" href="/essay/">范文网</a>
<ul class="nav"><li><a href="/essay/">首页</a></li><li><a href="/essay/">工作报告</a></li><li><a href="/essay/">心得体会</a></li></ul></div>
<div class="main">
{main}
<div class="sidebar"><h3>热门范文</h3><ul>{"".join(f'<li><a href="/essay/">{esc(t)}</a></li>' for t in junk.RELATED_ITEMS)}</ul>
<div class="side-ad">{esc(junk.AD_2)}</div></div>
</div>
<div class="footer">Copyright 范文网 版权所有 备案号：京ICP备00000000号</div>
</body></html>
"""
    return html.encode("gbk")


def article_url(number: int, page: int) -> str:
    return f"{PREFIX}article/{number}.html" if page == 1 else f"{PREFIX}article/{number}_{page}.html"


def _article(editions: Editions, index: int) -> dict[str, Page]:
    number, doc_id, n_pages = ITEMS[index]
    title = BY_ID[doc_id]["title"]
    pages = split_pages(editions.text(doc_id), n_pages)
    prev_t = BY_ID[ITEMS[index - 1][1]]["title"] if index > 0 else None
    next_t = BY_ID[ITEMS[index + 1][1]]["title"] if index + 1 < len(ITEMS) else None
    out: dict[str, Page] = {}
    for k, paras in enumerate(pages, 1):
        paras = list(paras)
        head = ""
        if k == 1:
            head = f"<p>{esc(junk.counter(junk.ESSAY_DATE))}</p>\n"
            paras[0] = junk.blurb(title) + paras[0]  # glued: only text cleaning can take it off
        mid = len(paras) // 2
        body = (
            paras_html(paras[:mid])
            + f'\n<div class="ad-inline">{esc(junk.AD)}</div>\n'
            + paras_html(paras[mid:])
        )
        tail = ""
        if k == len(pages):
            items = "".join(f"<li>{i}.{esc(t)}</li>" for i, t in enumerate(junk.RELATED_ITEMS, 1))
            tail = (
                f'<p>{esc(junk.outro(title))}</p>\n<div class="tags">{esc(junk.TAGS)}</div>\n'
                f'<div class="xgwz"><h4>{esc(junk.related_heading(title))}</h4><ul>{items}</ul></div>\n'
            )
        bar = ""
        if len(pages) > 1:
            links = []
            if k > 1:
                links.append(f'<a class="prev" href="{article_url(number, k - 1)}">上一页</a>')
            links += [
                f'<a href="{article_url(number, j)}">{j}</a>' if j != k else f"<b>{j}</b>"
                for j in range(1, len(pages) + 1)
            ]
            if k < len(pages):
                links.append(f'<a class="next" href="{article_url(number, k + 1)}">下一页</a>')
            bar = f'<div class="pagebar">共{len(pages)}页： {" ".join(links)}</div>\n'
        prenext = '<div class="prenext">'
        if prev_t:
            prenext += f'<span><a href="{article_url(ITEMS[index - 1][0], 1)}">{esc(junk.prev_link(prev_t))}</a></span>'
        if next_t:
            prenext += f'<span><a href="{article_url(ITEMS[index + 1][0], 1)}">{esc(junk.next_link(next_t))}</a></span>'
        prenext += "</div>"
        main = f"""<div class="article">
<div class="crumb">当前位置：<a href="/essay/">首页</a> &gt; 工作报告</div>
<h1 class="title">{esc(title)}</h1>
<div class="info">时间：<span class="time">{junk.ESSAY_DATE}</span> 来源：范文网</div>
<div class="content" id="content">
{head}{body}
{tail}{bar}{prenext}
</div>
</div>"""
        out[article_url(number, k)] = Page(_shell(title, main), CONTENT_TYPE, frozenset({doc_id}))
    return out


def build(editions: Editions) -> Site:
    """Every page of the essay portal for the current editions."""
    site = Site(NAME, PREFIX)
    lists = chunks(range(len(ITEMS)), PER_LIST_PAGE)
    for n, idxs in enumerate(lists, 1):
        rows = "\n".join(
            f'<li><a href="{article_url(ITEMS[i][0], 1)}" title="{esc(BY_ID[ITEMS[i][1]]["title"])}">'
            f'{esc(BY_ID[ITEMS[i][1]]["title"])}</a><span class="date">{junk.ESSAY_DATE}</span></li>'
            for i in idxs
        )
        nav = [f'<a href="{list_url(PREFIX, 1, "list_{n}.html")}">首页</a>']
        if n > 1:
            nav.append(f'<a href="{list_url(PREFIX, n - 1, "list_{n}.html")}">上一页</a>')
        if n < len(lists):
            nav.append(f'<a class="next" href="{list_url(PREFIX, n + 1, "list_{n}.html")}">下一页</a>')
        main = f'<div class="list"><ul class="artlist">\n{rows}\n</ul>\n<div class="pagelist">{" ".join(nav)}</div></div>'
        site.pages[list_url(PREFIX, n, "list_{n}.html")] = Page(_shell("工作报告", main), CONTENT_TYPE)
    for i in range(len(ITEMS)):
        site.pages.update(_article(editions, i))
    return site
