"""The sandbox template sites, tested against the real loopback server with urllib and the sites' own rules."""

from __future__ import annotations

import functools
import re
import subprocess
import sys
import urllib.error
import urllib.request
import urllib.robotparser
from dataclasses import dataclass
from urllib.parse import urljoin

import pytest
from parsel import Selector

from crawler.rules import SITES_DIR, SiteRule, load_rule
from tests.sandbox import junk
from tests.sandbox.content import DATA_DIR, paragraphs
from tests.sandbox.server import CATALOG, JUNK, Sandbox

SITE_NAMES = ["sandbox_essay", "sandbox_wenku", "sandbox_notes", "sandbox_blog"]
GBK_SITES = {"sandbox_essay", "sandbox_notes"}
_HALF_TO_FULL = str.maketrans({",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"})


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


RAW = urllib.request.build_opener(_NoRedirect)


@dataclass
class Fetched:
    url: str  # after redirects
    status: int
    headers: dict[str, str]
    body: bytes


def get(url: str, headers: dict[str, str] | None = None, follow: bool = True) -> Fetched:
    """One real GET; HTTP errors come back as a Fetched too, never raised."""
    req = urllib.request.Request(url, headers=headers or {})
    opener = urllib.request.build_opener() if follow else RAW
    try:
        with opener.open(req, timeout=10) as r:
            return Fetched(r.url, r.status, dict(r.headers), r.read())
    except urllib.error.HTTPError as e:
        return Fetched(url, e.code, dict(e.headers), e.read())


def rule(name: str) -> SiteRule:
    return load_rule(SITES_DIR / f"{name}.yaml")


def decode(site: str, body: bytes) -> str:
    return body.decode("gb18030" if site in GBK_SITES else "utf-8")


def norm(text: str) -> str:
    """Whitespace gone, half-width punctuation made full-width: copies of one text compare equal."""
    return re.sub(r"\s+", "", text).translate(_HALF_TO_FULL)


@dataclass
class Article:
    pages: list[Fetched]
    bodies: list[Selector]  # the rule's body element on each page, junk not dropped


def crawl(site: str) -> tuple[list[Fetched], dict[str, Article]]:
    """Follow a rule like a spider would (list pages, article links, next_page), skipping robots-disallowed URLs."""
    r = rule(site)
    base = r.resolved_start_urls()[0]
    robots = urllib.robotparser.RobotFileParser(urljoin(base, "/robots.txt"))
    robots.read()
    lists, links, url = [], [], base
    while url and len(lists) < r.list.max_pages:
        page = get(url)
        lists.append(page)
        sel = Selector(text=decode(site, page.body))
        links += [urljoin(page.url, h) for h in sel.css(r.list.links).getall()]
        nxt = sel.css(r.list.next).get() if r.list.next else None
        url = urljoin(page.url, nxt) if nxt else None
    articles: dict[str, Article] = {}
    for link in dict.fromkeys(links):
        if not re.search(r.article.url_pattern, link) or not robots.can_fetch("*", link):
            continue
        art, url = Article([], []), link
        while url and len(art.pages) < r.article.max_pages:
            page = get(url)
            if page.status == 500:  # the transient one: a retry gets it
                page = get(url)
            if page.status != 200:
                break
            sel = Selector(text=decode(site, page.body))
            art.pages.append(page)
            art.bodies.append(sel.css(r.article.body)[0])
            nxt = sel.css(r.article.next_page).get() if r.article.next_page else None
            url = urljoin(page.url, nxt) if nxt else None
        if art.pages:
            articles[link] = art
    return lists, articles


@pytest.fixture(scope="module")
def crawled(sandbox: Sandbox) -> dict[str, tuple[list[Fetched], dict[str, Article]]]:
    return {name: crawl(name) for name in SITE_NAMES}


def body_text(body: Selector, drop: list[str] = ()) -> str:
    body = Selector(text=body.get())
    for sel in drop:
        for el in body.css(sel):
            el.drop()
    return body.xpath("string()").get()


@functools.cache
def marker(doc_id: str) -> str:
    """30 characters from an early paragraph of the document that no other document has."""
    others = [norm("".join(paragraphs(d["id"]))) for d in CATALOG if d["id"] != doc_id]
    for p in paragraphs(doc_id)[1:]:
        m = norm(p)[:30]
        if len(m) == 30 and not any(m in o for o in others):
            return m
    raise AssertionError(f"{doc_id}: no distinctive paragraph")


# -- sample data and rules ------------------------------------------------------------------------


def test_catalog_lists_clean_documents_of_both_kinds():
    kinds = [d["kind"] for d in CATALOG]
    assert kinds.count("report") == 9 and kinds.count("reflection") == 3
    assert {d["region"] for d in CATALOG if d["kind"] == "report"} >= {
        "镜湖区",
        "湖州市",
        "东胜区",
        "鼎湖区",
        "鹤城区",
    }
    for d in CATALOG:
        text = (DATA_DIR / "docs" / f"{d['id']}.txt").read_text(encoding="utf-8")
        assert "\ufffd" not in text and not re.search(r"^(#|\*\*)", text, re.M), d["id"]
        assert "本站小编" not in text and "共3页" not in text and len(text) > 1000, d["id"]


def test_no_junk_string_occurs_in_any_clean_document():
    texts = {d["id"]: "".join(paragraphs(d["id"])) for d in CATALOG}
    leaks = [(j, i) for j in JUNK for i, t in texts.items() if j in t]
    assert leaks == []


@pytest.mark.parametrize("name", SITE_NAMES)
def test_site_rule_loads_and_names_a_sandbox_site(name, sandbox):
    r = rule(name)
    assert r.name == name and r.allowed_domains == ["127.0.0.1"]
    assert r.resolved_start_urls() == [sandbox.site_urls()[name]]


# -- pagination and discovery ---------------------------------------------------------------------


@pytest.mark.parametrize("name", SITE_NAMES)
def test_list_pages_paginate_and_lead_to_articles(name, crawled):
    lists, articles = crawled[name]
    assert len(lists) >= 2 and all(p.status == 200 for p in lists)
    assert "下一页" in decode(name, lists[0].body)
    assert len(articles) >= 3


def test_every_catalog_document_is_published_on_some_site(crawled):
    texts = [norm(body_text(b)) for _, arts in crawled.values() for a in arts.values() for b in a.bodies]
    missing = [d["id"] for d in CATALOG if not any(marker(d["id"]) in t for t in texts)]
    assert missing == []


def test_a_report_is_republished_in_other_wrappers_and_punctuation(crawled):
    found = {
        name: [a for a in arts.values() if any(marker("huzhou") in norm(body_text(b)) for b in a.bodies)]
        for name, (_, arts) in crawled.items()
    }
    assert all(found[n] for n in SITE_NAMES)  # on all four sites
    blog = body_text(found["sandbox_blog"][0].bodies[0])
    assert "2017年主要工作" in blog and "," in blog and "，" not in blog.split("一、2017年主要工作")[1][:200]


def test_partial_copy_has_only_the_first_part(crawled):
    _, arts = crawled["sandbox_blog"]
    hecheng = next(a for u, a in arts.items() if u.endswith("/blog/2024/03/hecheng-report.html"))
    text = norm(body_text(hecheng.bodies[0]))
    paras = [norm(p) for p in paragraphs("hecheng")]
    assert paras[1] in text and paras[-1] not in text


def test_multi_page_article_pages_link_each_other_and_hold_the_whole_report(sandbox, crawled):
    first = sandbox.url + "/essay/article/11.html"
    art = crawled["sandbox_essay"][1][first]
    assert [p.url for p in art.pages] == [
        first,
        sandbox.url + "/essay/article/11_2.html",
        sandbox.url + "/essay/article/11_3.html",
    ]
    last = decode("sandbox_essay", art.pages[2].body)
    assert (
        "共3页" in last
        and 'href="/essay/article/11.html"' in last
        and 'href="/essay/article/11_2.html"' in last
    )
    joined = "".join(norm(body_text(b)) for b in art.bodies)
    positions = [joined.find(norm(p)) for p in paragraphs("dongsheng")]
    assert -1 not in positions and positions == sorted(positions)


# -- encodings ------------------------------------------------------------------------------------


def test_essay_site_sends_gbk_bytes_under_a_wrong_utf8_header(sandbox):
    page = get(sandbox.url + "/essay/article/14.html")
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    with pytest.raises(UnicodeDecodeError):
        page.body.decode("utf-8")
    text = page.body.decode("gb18030")
    assert '<meta charset="gb2312">' in text and "湖州市政府工作报告" in text


def test_notes_site_names_no_charset_anywhere(sandbox):
    page = get(sandbox.url + "/notes/view/1.html")
    assert page.headers["Content-Type"] == "text/html"
    assert b"charset" not in page.body.lower()
    with pytest.raises(UnicodeDecodeError):
        page.body.decode("utf-8")
    assert "汇总10篇" in page.body.decode("gb18030")


def test_compilation_mixes_reports_and_essays_with_junk_between_parts(crawled, sandbox):
    art = crawled["sandbox_notes"][1][sandbox.url + "/notes/view/1.html"]
    text = body_text(art.bodies[0])
    assert [h for h in junk.PART_HEADINGS if h in text] == junk.PART_HEADINGS
    for doc in ("xinde_1", "dongsheng", "hecheng"):
        assert marker(doc) in norm(text)
    assert "共3页，当前第2页123" in text and junk.SITE_INTRO in text and junk.NOTE_BLURBS["heshan"] in text


# -- robots and faults ----------------------------------------------------------------------------


def test_robots_disallows_vip_pages_that_list_pages_link_to(sandbox, crawled):
    robots = get(sandbox.url + "/robots.txt").body.decode()
    assert "Disallow: /wenku/vip/" in robots
    lists, articles = crawled["sandbox_wenku"]
    assert "/wenku/vip/" in lists[0].body.decode()
    assert not [u for u in articles if "/wenku/vip/" in u]
    rp = urllib.robotparser.RobotFileParser()
    rp.parse(robots.splitlines())
    assert not rp.can_fetch("*", sandbox.url + "/wenku/vip/201.html") and rp.can_fetch(
        "*", sandbox.url + "/wenku/doc/101.html"
    )


def test_listed_post_that_is_gone_answers_404(sandbox):
    assert "/blog/2024/02/removed-post.html" in get(sandbox.url + "/blog/page/2/").body.decode()
    assert get(sandbox.url + "/blog/2024/02/removed-post.html").status == 404


def test_transient_post_fails_once_then_serves(fresh_sandbox):
    url = fresh_sandbox.url + "/blog/2024/03/hecheng-report.html"
    assert [get(url).status, get(url).status, get(url).status] == [500, 200, 200]
    assert fresh_sandbox.hits["/blog/2024/03/hecheng-report.html"] == 3


def test_old_url_redirects_permanently_to_the_new_one(sandbox):
    old = get(sandbox.url + "/blog/archives/88.html", follow=False)
    assert old.status == 301 and old.headers["Location"] == sandbox.url + "/blog/2024/04/futian-report.html"
    assert "/blog/archives/88.html" in get(sandbox.url + "/blog/page/2/").body.decode()
    assert "福田区" in get(sandbox.url + "/blog/archives/88.html").body.decode()


# -- conditional GET and editions -----------------------------------------------------------------


def all_pages(crawled) -> list[Fetched]:
    return [
        p for lists, arts in crawled.values() for p in lists + [q for a in arts.values() for q in a.pages]
    ]


def test_every_page_revalidates_to_304(crawled):
    pages = all_pages(crawled)
    assert all("ETag" in p.headers and "Last-Modified" in p.headers for p in pages)
    again = [get(p.url, {"If-None-Match": p.headers["ETag"]}) for p in pages]
    assert {a.status for a in again} == {304} and all(a.body == b"" for a in again)
    since = get(pages[0].url, {"If-Modified-Since": pages[0].headers["Last-Modified"]})
    assert since.status == 304
    assert get(pages[0].url, {"If-None-Match": '"stale"'}).status == 200


def test_content_is_the_same_on_every_start(sandbox, fresh_sandbox):
    path = "/notes/view/1.html"
    a, b = get(sandbox.url + path), get(fresh_sandbox.url + path)
    assert a.headers["ETag"] == b.headers["ETag"] and a.body == b.body


def test_new_edition_changes_exactly_that_reports_pages(fresh_sandbox):
    before = {name: crawl(name) for name in SITE_NAMES}
    old = {p.url: p for p in all_pages(before)}
    fresh_sandbox.new_edition("jinghu")
    after = {p.url: p for p in all_pages({name: crawl(name) for name in SITE_NAMES})}
    changed = sorted(u.removeprefix(fresh_sandbox.url) for u in old if old[u].body != after[u].body)
    assert set(changed) <= set(fresh_sandbox.pages_of("jinghu"))
    assert {c.split("/")[1] for c in changed} == {"essay", "wenku", "notes", "blog"}  # one page per site
    assert len(changed) == 4
    for u in (fresh_sandbox.url + c for c in changed):
        assert after[u].headers["ETag"] != old[u].headers["ETag"]
        assert after[u].headers["Last-Modified"] != old[u].headers["Last-Modified"]
        assert get(u, {"If-None-Match": old[u].headers["ETag"]}).status == 200
    unchanged = [u for u in old if u.removeprefix(fresh_sandbox.url) not in changed]
    assert all(after[u].headers["ETag"] == old[u].headers["ETag"] for u in unchanged)
    assert all(after[u].headers["Last-Modified"] == old[u].headers["Last-Modified"] for u in unchanged)
    assert "21xx年是“十三五”开局之年" in decode(
        "sandbox_essay", after[fresh_sandbox.url + "/essay/article/16.html"].body
    )


def test_a_report_published_once_changes_exactly_one_page(fresh_sandbox):
    old = {p.url: p for p in all_pages({name: crawl(name) for name in SITE_NAMES})}
    fresh_sandbox.new_edition("hedong")
    after = {p.url: p for p in all_pages({name: crawl(name) for name in SITE_NAMES})}
    changed = [
        u.removeprefix(fresh_sandbox.url) for u in old if old[u].headers["ETag"] != after[u].headers["ETag"]
    ]
    assert changed == ["/notes/view/1.html"]
    assert marker("hedong") in norm(decode("sandbox_notes", after[fresh_sandbox.url + changed[0]].body))


# -- junk inside article bodies -------------------------------------------------------------------

FAMILIES = {
    "ad": [junk.AD, junk.AD_2],
    "related": ["的人还看了："],
    "blurb": ["下面是本站小编为大家带来的", "以上就是本站小编为大家整理的", junk.NOTE_BLURBS["heshan"]],
    "download_vip": [junk.WORD_PROMPT, junk.VIP_PROMPT, junk.VIP_NOTE],
    "view_counter": [junk.counter(junk.ESSAY_DATE), junk.counter(junk.BLOG_DATE, "政府报告")],
    "tags": [junk.TAGS],
    "share": [junk.SHARE],
    "prev_next": ["上一篇：", "下一篇："],
    "page_counter": junk.PAGE_COUNTERS,
}


@pytest.mark.parametrize("family", FAMILIES)
def test_each_junk_family_sits_inside_an_article_body(family, crawled):
    bodies = [body_text(b) for _, arts in crawled.values() for a in arts.values() for b in a.bodies]
    assert any(s in b for s in FAMILIES[family] for b in bodies)


@pytest.mark.parametrize("name", SITE_NAMES)
def test_rule_drops_remove_addressable_junk_and_keep_the_report(name, crawled):
    r = rule(name)
    addressable = [
        junk.AD,
        junk.AD_2,
        junk.TAGS,
        junk.SHARE,
        junk.DISCLAIMER,
        junk.WORD_PROMPT,
        "上一篇：",
        "下一篇：",
    ]
    for art in crawled[name][1].values():
        raw = "".join(body_text(b) for b in art.bodies)
        kept = "".join(body_text(b, r.article.drop) for b in art.bodies)
        assert [s for s in addressable if s in kept] == []
        assert len(kept) > 0.8 * len(raw) and any(s in raw for s in addressable)


# -- the command ----------------------------------------------------------------------------------


def test_module_entry_point_prints_urls_and_export_line_and_serves():
    proc = subprocess.Popen([sys.executable, "-m", "tests.sandbox"], stdout=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline().strip() for _ in range(5)]
        export = lines[-1]
        assert export.startswith("export BAOGAO_SANDBOX_URL=http://127.0.0.1:")
        base = export.split("=", 1)[1]
        assert lines[0].split() == ["sandbox_essay", base + "/essay/"]
        assert get(base + "/blog/").status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize("name", SITE_NAMES)
def test_rule_junk_patterns_each_match_a_line_the_site_serves(name, crawled):
    lines = [
        line.strip()
        for a in crawled[name][1].values()
        for b in a.bodies
        for line in b.xpath(".//text()").getall()
        if line.strip()
    ]
    patterns = rule(name).junk_patterns
    assert patterns and [p for p in patterns if not any(re.search(p, line) for line in lines)] == []
