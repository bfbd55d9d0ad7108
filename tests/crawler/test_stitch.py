"""Merging an article's pages into one raw document."""

import pytest

from crawler.items import PageResult
from crawler.stitch import stitch


def page(url: str, lines: list[str], title: str | None = None, date: str | None = None) -> PageResult:
    return PageResult(url, title, date, lines, None, "gb18030", "detected gb18030", sha256=url[-6:])


def test_pages_are_joined_in_order_and_every_url_is_kept():
    doc = stitch(
        "s",
        [
            page("http://x/a/1.html", ["一、回顾"], "报告"),
            page("http://x/a/1_2.html", ["二、安排"], date="2018-03-05"),
            page("http://x/a/1_3.html", ["三、建设"]),
        ],
        complete=True,
        rule_version=2,
    )
    assert doc.text == "一、回顾\n二、安排\n三、建设"
    assert doc.provenance.pages == ["http://x/a/1.html", "http://x/a/1_2.html", "http://x/a/1_3.html"]
    p = doc.provenance
    assert (doc.url, doc.title, p.date, p.complete, p.rule_version) == (
        "http://x/a/1.html",
        "报告",
        "2018-03-05",
        True,
        2,
    )


def test_incomplete_flag_is_kept():
    assert stitch("s", [page("http://x/a/1.html", ["一"])], complete=False).provenance.complete is False


def test_no_pages_is_an_error():
    with pytest.raises(ValueError):
        stitch("s", [], complete=True)
