"""sandbox_wenku (/wenku/): a document-sharing site; UTF-8 with a correct header.

Documents show upload metadata (上传者/上传时间/页数/下载次数/文档格式) above the body; inside it sit an ad,
a download box (Word prompt, 推荐度, format, 文档下载/VIP免费下载), a VIP note, a disclaimer and a share bar.
List pages also link to /wenku/vip/ documents, which robots.txt disallows: a polite crawler never fetches them.
"""

from __future__ import annotations

from tests.sandbox import junk
from tests.sandbox.content import BY_ID, Editions, light_edit
from tests.sandbox.layouts.base import Page, Site, chunks, esc, list_url, paras_html

NAME, PREFIX = "sandbox_wenku", "/wenku/"
CONTENT_TYPE = "text/html; charset=utf-8"
ITEMS: list[tuple[int, str, bool]] = [  # (document number, document id, lightly edited copy?)
    (101, "huzhou", False),
    (102, "heshan", False),
    (103, "dinghu_b", False),
    (105, "jinghu", True),
    (106, "xinde_3", False),
]  # 河东区 (hedong) is left to the notes compilation: the one report published in a single place
VIP_ITEMS: list[tuple[int, str]] = [
    (201, "2024年政府工作报告全文（VIP专享）"),
    (202, "政府工作报告学习心得精选（VIP）"),
]
PER_LIST_PAGE = 3
UPLOADERS = ["wk_user01", "学习达人", "范文小助手", "jzhou88", "公文写作", "laoshi2019"]


def _shell(title: str, main: str) -> bytes:
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{esc(title)} - 文库</title></head>
<body>
<header class="top-bar"><a href="/wenku/">文库</a> <form class="search"><input name="q"></form>
<nav><a href="/wenku/">首页</a> <a href="/wenku/">工作报告</a> <a href="/wenku/vip/201.html">VIP专区</a></nav></header>
<section class="wrapper">
{main}
<aside class="rec"><h4>相关文档</h4><ul>{"".join(f"<li>{esc(t)}</li>" for t in junk.RELATED_ITEMS)}</ul></aside>
</section>
<footer>文库 · 用户协议 · 隐私政策</footer>
</body></html>
""".encode()


def _uploader(number: int) -> str:
    return UPLOADERS[(number - 101) % len(UPLOADERS)]


def _uploaded(number: int) -> str:
    return f"2024-01-{number - 91}"


def doc_url(number: int) -> str:
    return f"{PREFIX}doc/{number}.html"


def _document(editions: Editions, index: int) -> Page:
    number, doc_id, edited = ITEMS[index]
    title = BY_ID[doc_id]["title"]
    paras = editions.text(doc_id)
    if edited:
        paras = light_edit(paras)
    third = max(1, len(paras) // 3)
    body = (
        paras_html(paras[:third], "div", "para")
        + f'\n<div class="gg">{esc(junk.AD)}</div>\n'
        + paras_html(paras[third:], "div", "para")
    )
    info = (
        f"<span>上传者：{_uploader(number)}</span><span>上传时间：{_uploaded(number)}</span>"
        f"<span>页数：{len(paras) // 4 + 1}页</span><span>下载次数：{1000 + 37 * number}</span><span>文档格式：DOC</span>"
    )
    dl_box = (
        f'<div class="dl-box"><p>{esc(junk.doc_name(title))}</p><p>{esc(junk.WORD_PROMPT)}</p>'
        f"<p>{esc(junk.RECOMMEND)}</p><p>{esc(junk.DOC_FORMAT)}</p>"
        f'<a class="btn" href="#">{junk.DOC_DOWNLOAD}</a> <a class="btn vip" href="#">{junk.VIP_PROMPT}</a></div>'
    )
    main = f"""<div class="doc-wrap">
<h2 class="doc-title">{esc(title)}</h2>
<div class="doc-info">{info}</div>
<div class="doc-body" id="doc-body">
{body}
{dl_box}
<div class="para">{esc(junk.VIP_NOTE)}</div>
<p class="disclaimer">{esc(junk.DISCLAIMER)}</p>
<div class="share-bar">{esc(junk.SHARE)}</div>
</div>
</div>"""
    return Page(_shell(title, main), CONTENT_TYPE, frozenset({doc_id}))


def _vip(number: int, title: str) -> Page:
    main = (
        f'<div class="doc-wrap"><h2 class="doc-title">{esc(title)}</h2>'
        f'<div class="doc-body" id="doc-body"><div class="para">本文档为VIP专享文档，开通VIP后可阅读全文。</div></div></div>'
    )
    return Page(_shell(title, main), CONTENT_TYPE)


def build(editions: Editions) -> Site:
    """Every page of the document-sharing site for the current editions (VIP pages included)."""
    site = Site(NAME, PREFIX)
    lists = chunks(range(len(ITEMS)), PER_LIST_PAGE)
    for n, idxs in enumerate(lists, 1):
        rows = [
            f'<dl><dt><a href="{doc_url(ITEMS[i][0])}">{esc(BY_ID[ITEMS[i][1]]["title"])}</a></dt>'
            f'<dd class="meta">{_uploader(ITEMS[i][0])} · {_uploaded(ITEMS[i][0])}</dd></dl>'
            for i in idxs
        ]
        if n <= len(VIP_ITEMS):
            vnum, vtitle = VIP_ITEMS[n - 1]
            rows.append(
                f'<dl><dt><a href="{PREFIX}vip/{vnum}.html">{esc(vtitle)}</a> <em class="vip">VIP</em></dt>'
                f'<dd class="meta">文库VIP · 2024-02-01</dd></dl>'
            )
        nav = ""
        if n < len(lists):
            nav = f'<div class="pager"><a class="page-next" href="{list_url(PREFIX, n + 1, "list/{n}.html")}">下一页</a></div>'
        main = f'<div class="doc-list">\n{chr(10).join(rows)}\n</div>\n{nav}'
        site.pages[list_url(PREFIX, n, "list/{n}.html")] = Page(
            _shell("工作报告 文档列表", main), CONTENT_TYPE
        )
    for i in range(len(ITEMS)):
        site.pages[doc_url(ITEMS[i][0])] = _document(editions, i)
    for vnum, vtitle in VIP_ITEMS:
        site.pages[f"{PREFIX}vip/{vnum}.html"] = _vip(vnum, vtitle)
    return site
