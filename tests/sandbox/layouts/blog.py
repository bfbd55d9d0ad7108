"""sandbox_blog (/blog/): a blog/news-like site; UTF-8.

Posts are copies with half-width punctuation and hard-wrapped lines, or only a report's first part; bodies
carry a "时间:… 点击:" counter, a "看过“…”的人还看了" list, an ad, tags, a share bar and prev/next links.
Faults: a listed post that 404s, a post that answers 500 to its first request, an old URL that 301s.
"""

from __future__ import annotations

from tests.sandbox import junk
from tests.sandbox.content import BY_ID, Editions, excerpt, halfwidth, reflow
from tests.sandbox.layouts.base import Page, Site, chunks, esc, list_url

NAME, PREFIX = "sandbox_blog", "/blog/"
CONTENT_TYPE = "text/html; charset=utf-8"
# (path, document id, how the copy differs); a None document is a listed post that is gone (404)
POSTS: list[tuple[str, str | None, str]] = [
    ("2024/03/huzhou-report.html", "huzhou", "halfwidth"),
    ("2024/03/jinghu-report.html", "jinghu", "halfwidth+reflow"),
    ("2024/03/hecheng-report.html", "hecheng", "excerpt"),
    ("2024/04/futian-report.html", "futian", "halfwidth"),
    ("2024/04/dongsheng-report.html", "dongsheng", "excerpt+reflow"),
    ("2024/02/removed-post.html", None, "gone"),
]
OLD_URLS = {f"{PREFIX}archives/88.html": f"{PREFIX}2024/04/futian-report.html"}  # 301 old → new
TRANSIENT = {f"{PREFIX}2024/03/hecheng-report.html"}  # 500 on the first request, 200 after
PER_LIST_PAGE = 3


def _shell(title: str, main: str) -> bytes:
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><meta name="generator" content="WordPress"><title>{esc(title)} | 政策学习博客</title></head>
<body class="blog">
<div id="masthead"><p class="site-title"><a href="/blog/">政策学习博客</a></p>
<ul class="menu"><li><a href="/blog/">首页</a></li><li><a href="/blog/">报告解读</a></li><li><a href="/blog/admin/">登录</a></li></ul></div>
<div id="primary">
{main}
</div>
<div id="secondary" class="widget-area"><section class="widget"><h2>最新文章</h2><ul>{"".join(f"<li>{esc(t)}</li>" for t in junk.RELATED_ITEMS)}</ul></section></div>
<div id="colophon">© 政策学习博客 · Powered by WordPress</div>
</body></html>
""".encode()


def post_url(path: str) -> str:
    """Where a post is linked from the list: the old URL for a post that moved (so the 301 gets exercised)."""
    new = PREFIX + path
    return next((old for old, target in OLD_URLS.items() if target == new), new)


def _body(paras: list[str], how: str) -> str:
    if "excerpt" in how:
        paras = excerpt(paras)
    if "halfwidth" in how:
        paras = halfwidth(paras)
    if "reflow" in how:
        return "\n".join(
            "<p>" + "<br>\n".join(esc(line) for line in lines) + "</p>" for lines in reflow(paras)
        )
    return "\n".join(f"<p>{esc(p)}</p>" for p in paras)


def _post(editions: Editions, index: int) -> Page:
    path, doc_id, how = POSTS[index]
    assert doc_id is not None
    title = BY_ID[doc_id]["title"]
    live = [(p, d) for p, d, _ in POSTS if d]
    pos = [p for p, _ in live].index(path)
    nav = ""
    if pos > 0:
        nav += f'<a rel="prev" href="{PREFIX}{live[pos - 1][0]}">{esc(junk.prev_link(BY_ID[live[pos - 1][1]]["title"]))}</a>'
    if pos + 1 < len(live):
        nav += f'<a rel="next" href="{PREFIX}{live[pos + 1][0]}">{esc(junk.next_link(BY_ID[live[pos + 1][1]]["title"]))}</a>'
    related = "\n".join(f"<p>{i}.{esc(t)}</p>" for i, t in enumerate(junk.RELATED_ITEMS, 1))
    main = f"""<article class="post">
<header class="entry-header"><h1 class="entry-title">{esc(title)}</h1>
<div class="entry-meta"><time datetime="{junk.BLOG_DATE}">{junk.BLOG_DATE}</time> 作者：admin</div></header>
<div class="entry-content">
<p>{esc(junk.counter(junk.BLOG_DATE, "政府报告"))}</p>
{_body(editions.text(doc_id), how)}
<div class="wp-ad">{esc(junk.AD_2)}</div>
<p>{esc(junk.related_heading(title))}</p>
{related}
<div class="post-tags">{esc(junk.TAGS)}</div>
<div class="share">{esc(junk.SHARE)}</div>
<div class="post-nav">{nav}</div>
</div>
</article>"""
    return Page(_shell(title, main), CONTENT_TYPE, frozenset({doc_id}))


def build(editions: Editions) -> Site:
    """Every page of the blog for the current editions, with its redirect and its transient failure."""
    site = Site(NAME, PREFIX, redirects=dict(OLD_URLS), transient=set(TRANSIENT))
    lists = chunks(range(len(POSTS)), PER_LIST_PAGE)
    for n, idxs in enumerate(lists, 1):
        rows = []
        for i in idxs:
            path, doc_id, _ = POSTS[i]
            title = BY_ID[doc_id]["title"] if doc_id else "旧文已删除：2015年政府工作报告解读"
            rows.append(
                f'<article class="post-summary"><h2 class="entry-title"><a href="{post_url(path)}">{esc(title)}</a></h2>'
                f'<p class="excerpt">{esc(junk.DETAIL_LINK)}</p></article>'
            )
        nav = '<nav class="pagination">'
        if n < len(lists):
            nav += f'<a class="next page-numbers" href="{list_url(PREFIX, n + 1, "page/{n}/")}">下一页 »</a>'
        nav += "</nav>"
        main = '<main class="posts">\n' + "\n".join(rows) + f"\n{nav}\n</main>"
        site.pages[list_url(PREFIX, n, "page/{n}/")] = Page(_shell("政策学习博客", main), CONTENT_TYPE)
    for i, (path, doc_id, _) in enumerate(POSTS):
        if doc_id:
            site.pages[PREFIX + path] = _post(editions, i)
    return site
