"""Reading pages with a rule: title, date, body lines without junk, next page, list links."""

from crawler.extract import extract, list_links, page_url
from crawler.rules import SiteRule


def make_rule(**article) -> SiteRule:
    return SiteRule.model_validate(
        {
            "name": "t",
            "allowed_domains": ["x.cn"],
            "start_urls": ["http://x.cn/"],
            "list": {"links": "ul.list a", "next": "a.nextlist::attr(href)"},
            "article": {
                "url_pattern": r"/a/\d+\.html$",
                "title": "h1",
                "body": "div.content",
                "date": "span.time",
                "drop": ["div.ad", ".related"],
                "next_page": "div.pages a.next::attr(href)",
            }
            | article,
        }
    )


ARTICLE = """<html><head><meta charset="gbk"><style>p{}</style></head><body>
<h1> 2018年  政府工作报告 </h1><span class="time">时间：2018年3月5日 点击：</span>
<div class="content"><p>各位代表：</p><p>现在，我代表<b>国务院</b>向大会报告。<br>第二行</p>
<div class="ad">【广告】点击领取</div><script>track()</script>
<ul class="related"><li>看过的人还看了</li></ul><div>尾段。</div>
<div class="pages">共2页 <a class="next" href="/a/1_2.html">下一页</a></div></div>
</body></html>"""


def test_article_page_gives_title_date_lines_and_next_page_without_dropped_junk():
    out = extract(make_rule(), "http://x.cn/a/1.html", ARTICLE.encode("gbk"), {"Content-Type": "text/html"})
    assert out.title == "2018年 政府工作报告"
    assert out.date == "2018-03-05"
    assert out.lines == ["各位代表：", "现在，我代表国务院向大会报告。", "第二行", "尾段。", "共2页 下一页"]
    assert out.next_url == "http://x.cn/a/1_2.html"  # read before the pager is part of the kept text
    assert out.encoding == "gb18030" and out.fffd == 0


def test_dropping_the_pager_still_finds_the_next_page():
    rule = make_rule(drop=["div.ad", ".related", "div.pages"])
    out = extract(rule, "http://x.cn/a/1.html", ARTICLE.encode("gbk"), {})
    assert out.lines[-1] == "尾段。"
    assert out.next_url == "http://x.cn/a/1_2.html"


def test_xpath_selectors_work_like_css():
    rule = make_rule(title="//h1/text()", body="//div[@class='content']", next_page="//a[@class='next']")
    out = extract(rule, "http://x.cn/a/1.html", ARTICLE.encode("gbk"), {})
    assert out.title == "2018年 政府工作报告" and out.next_url == "http://x.cn/a/1_2.html"
    assert "各位代表：" in out.lines


def test_body_selector_that_matches_nothing_gives_empty_text_not_an_error():
    out = extract(make_rule(body="div.nothing"), "http://x.cn/a/1.html", ARTICLE.encode("gbk"), {})
    assert out.lines == [] and out.title


def test_list_page_keeps_only_links_matching_the_article_pattern():
    html = (
        b'<ul class="list"><a href="/a/1.html">1</a><a href="/tag/x.html">t</a><a href="a/2.html#c">2</a></ul>'
        b'<a class="nextlist" href="?page=2">next</a>'
    )
    articles, nxt = list_links(make_rule(), "http://x.cn/list/", html, {})
    assert articles == ["http://x.cn/a/1.html", "http://x.cn/list/a/2.html"]
    assert nxt == "http://x.cn/list/?page=2"


def test_page_url_template_uses_the_first_url_stem():
    rule = make_rule(next_page=None, page_url_template="{stem}_{n}.html")
    assert page_url(rule, "http://x.cn/a/12.html", 3) == "http://x.cn/a/12_3.html"
    assert page_url(make_rule(), "http://x.cn/a/12.html", 2) is None


def test_a_body_selector_matching_nested_elements_reads_each_paragraph_once():
    html = "<div class='para'><p>一、回顾</p><div class='para'><p>二、安排</p></div></div><div class='para'><p>三、建设</p></div>"
    out = extract(make_rule(body="div.para"), "http://x.cn/a/1.html", html.encode(), {})
    assert out.lines == ["一、回顾", "二、安排", "三、建设"]
