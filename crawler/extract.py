"""Read pages with a site rule: pure functions of (rule, url, raw bytes, headers); no network, no store.

`extract` reads an article page (the spider and `baogao rules check` both call it); `list_links` reads a
list page. Decoding, parsing and turning the body into lines are the shared ones of `cleaning/extract/`
(the `html` stage of `baogao clean` uses the same): block elements (p, div, br, li, h1…) become line breaks;
the rule's `article.drop` elements and scripts, styles and form controls are removed before the text is taken.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import urljoin

from cleaning.extract.decode import decode
from cleaning.extract.page import drop, drop_unreadable, lines, parse_html, select
from crawler.items import PageResult
from crawler.rules import SiteRule

SPACE = re.compile(r"[\s\u3000\xa0]+")
DATE = re.compile(r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")


def _node_text(node: Any) -> str:
    """Text of a selected node: an attribute/text value as is, an element's text with spaces collapsed."""
    if isinstance(node, str):
        return SPACE.sub(" ", node).strip()
    return SPACE.sub(" ", " ".join(node.itertext())).strip()


def first_text(root: Any, selector: str | None) -> str | None:
    """The first non-empty text the selector yields, or None."""
    if not selector:
        return None
    for node in select(root, selector):
        if text := _node_text(node):
            return text
    return None


def hrefs(root: Any, selector: str | None, base: str) -> list[str]:
    """Absolute URLs the selector yields (an <a> element stands for its href), in page order, no fragments."""
    if not selector:
        return []
    out = []
    for node in select(root, selector):
        value = node if isinstance(node, str) else node.get("href")
        if value and not value.strip().lower().startswith(("javascript:", "mailto:", "#")):
            out.append(urljoin(base, value.strip()).split("#", 1)[0])
    return list(dict.fromkeys(out))


def normalize_date(text: str | None) -> str | None:
    """ "2018年3月5日" → "2018-03-05"; text without a date is returned stripped."""
    if not text:
        return None
    m = DATE.search(text)
    return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}" if m else text.strip()


def parse(rule: SiteRule, url: str, body: bytes, headers: dict[str, str]) -> tuple[Any, str, str]:
    """Decode with the rule's encoding policy and parse: (root element, encoding, reason)."""
    decoded = decode(body, headers, rule.encoding)
    return parse_html(decoded.text).root, decoded.encoding, decoded.reason


def extract(rule: SiteRule, url: str, body: bytes, headers: dict[str, str]) -> PageResult:
    """Title, date, body lines and next-page URL of one article page, with the encoding used and why."""
    root, encoding, reason = parse(rule, url, body, headers)
    art = rule.article
    # read everything outside the body first: dropping junk edits the tree (a pager is often inside the body)
    title, date = first_text(root, art.title), normalize_date(first_text(root, art.date))
    next_urls = [u for u in hrefs(root, art.next_page, url) if u != url]
    out: list[str] = []
    nodes = select(root, art.body)
    roots = {id(n) for n in nodes if not isinstance(n, str)}
    for node in nodes:
        if not isinstance(node, str) and any(id(a) in roots for a in node.iterancestors()):
            continue  # nested inside another match: its text is read with that one
        if isinstance(node, str):
            out.extend(line for line in (SPACE.sub(" ", x).strip() for x in node.splitlines()) if line)
            continue
        for junk in art.drop:
            for found in select(node, junk):
                if not isinstance(found, str):
                    drop(found)
        drop_unreadable(node)
        out.extend(lines(node))
    return PageResult(
        url=url,
        title=title,
        date=date,
        lines=out,
        next_url=next_urls[0] if next_urls else None,
        encoding=encoding,
        encoding_reason=reason,
        sha256=hashlib.sha256(body).hexdigest(),
    )


def list_links(
    rule: SiteRule, url: str, body: bytes, headers: dict[str, str]
) -> tuple[list[str], str | None]:
    """Article URLs on a list page (those matching `article.url_pattern`) and the next list page, if any."""
    root, _, _ = parse(rule, url, body, headers)
    pattern = re.compile(rule.article.url_pattern)
    articles = [u for u in hrefs(root, rule.list.links, url) if pattern.search(u)]
    nexts = [u for u in hrefs(root, rule.list.next, url) if u != url]
    return articles, (nexts[0] if nexts else None)


def page_url(rule: SiteRule, first_url: str, n: int) -> str | None:
    """URL of page n (>= 2) from `article.page_url_template`: {stem} is the first URL minus its extension."""
    template = rule.article.page_url_template
    if not template:
        return None
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", first_url)
    return template.format(stem=stem, n=n, url=first_url)
