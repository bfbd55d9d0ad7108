"""sandbox_notes (/notes/): a study-note site; GBK with no charset anywhere (no header charset, no meta).

It hosts a "汇总10篇" compilation like seed 001: parts 篇一…篇十 mixing seven reports and three 心得体会
essays, with a site intro, editor blurbs, "共3页，当前第2页123" lines and a stray ad heading between parts.
"""

from __future__ import annotations

from tests.sandbox import junk
from tests.sandbox.content import BY_ID, Editions, excerpt
from tests.sandbox.layouts.base import Page, Site, chunks, esc, list_url, paras_html

NAME, PREFIX = "sandbox_notes", "/notes/"
CONTENT_TYPE = "text/html"  # no charset, and no <meta charset> in the page either
COMPILATION_TITLE = "2023年吉州区政府工作报告 学区政府工作报告心得体会(汇总10篇)"
PARTS = [
    "xinde_1",
    "dongsheng",
    "xinde_2",
    "xinde_3",
    "dinghu_a",
    "futian",
    "dinghu_b",
    "heshan",
    "hedong",
    "hecheng",
]
COUNTER_AFTER = {2: 1, 5: 0, 6: 2, 7: 2, 8: 0, 9: 2, 10: 2}  # part number -> which "共3页" line follows it
ITEMS: list[tuple[int, str]] = [(1, "compilation"), (2, "jinghu"), (3, "huzhou")]  # huzhou: first part only
PER_LIST_PAGE = 2


def _shell(title: str, main: str) -> bytes:
    return f"""<html>
<head><title>{esc(title)} - 学习笔记网</title></head>
<body>
<div id="top">学习笔记网 | <a href="/notes/">首页</a> | <a href="/notes/">心得体会</a> | <a href="/notes/">工作报告</a></div>
<div id="wrap">
<div id="left">
{main}
</div>
<div id="right"><div class="box"><b>本周热门</b><br>{"<br>".join(esc(t) for t in junk.RELATED_ITEMS)}</div></div>
</div>
<div id="bottom">学习笔记网 免责声明</div>
</body></html>
""".encode("gbk")


def note_url(number: int) -> str:
    return f"{PREFIX}view/{number}.html"


def _compilation(editions: Editions) -> str:
    out = [f"<p>{esc(junk.SITE_INTRO)}</p>"]
    for n, doc_id in enumerate(PARTS, 1):
        out.append(f"<h3>{esc(junk.PART_HEADINGS[n - 1])}</h3>")
        if doc_id in junk.NOTE_BLURBS:
            out.append(f"<p>{esc(junk.NOTE_BLURBS[doc_id])}</p>")
        paras = editions.text(doc_id)
        if doc_id == "futian":  # a bare ad heading in the middle of a part
            half = len(paras) // 2
            out += [
                paras_html(paras[:half]),
                f"<h3>{esc(junk.STRAY_AD_HEADING)}</h3>",
                paras_html(paras[half:]),
            ]
        else:
            out.append(paras_html(paras))
        if n in COUNTER_AFTER:
            out.append(f"<p>{esc(junk.PAGE_COUNTERS[COUNTER_AFTER[n]])}</p>")
        if n == 4:
            out.append(f'<div class="note-ad">{esc(junk.AD)}</div>')
    return "\n".join(out)


def _note(editions: Editions, number: int, doc_id: str) -> Page:
    if doc_id == "compilation":
        title, text, docs = COMPILATION_TITLE, _compilation(editions), frozenset(PARTS)
    else:
        title = BY_ID[doc_id]["title"]
        paras = editions.text(doc_id)
        text = paras_html(excerpt(paras) if doc_id == "huzhou" else paras)
        text = f'{text}\n<div class="note-ad">{esc(junk.AD)}</div>'
        docs = frozenset({doc_id})
    related = "".join(f"<li>{i}.{esc(t)}</li>" for i, t in enumerate(junk.RELATED_ITEMS, 1))
    main = f"""<div class="note-head"><h1>{esc(title)}</h1><div class="note-meta">发布：<i>2023-09-01</i> 作者：编辑部</div></div>
<div id="note-text">
{text}
<ul class="relate"><li class="rt">{esc(junk.related_heading(title))}</li>{related}</ul>
</div>"""
    return Page(_shell(title, main), CONTENT_TYPE, docs)


def build(editions: Editions) -> Site:
    """Every page of the study-note site for the current editions."""
    site = Site(NAME, PREFIX)
    lists = chunks(ITEMS, PER_LIST_PAGE)
    for n, items in enumerate(lists, 1):
        rows = "\n".join(
            f'<tr><td class="t"><a href="{note_url(num)}">'
            f"{esc(COMPILATION_TITLE if d == 'compilation' else BY_ID[d]['title'])}</a></td><td>浏览 {300 + 7 * num}</td></tr>"
            for num, d in items
        )
        pages = f'<div id="pages">第{n}页 '
        if n < len(lists):
            pages += f'<a href="{list_url(PREFIX, n + 1, "index_{n}.html")}" rel="next">下一页</a>'
        pages += "</div>"
        main = f'<table class="notelist">\n{rows}\n</table>\n{pages}'
        site.pages[list_url(PREFIX, n, "index_{n}.html")] = Page(_shell("学习笔记", main), CONTENT_TYPE)
    for num, doc_id in ITEMS:
        site.pages[note_url(num)] = _note(editions, num, doc_id)
    return site
