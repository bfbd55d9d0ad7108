"""Read pages with a site rule: pure functions of (rule, url, raw bytes, headers); no network, no store.

`extract` reads an article page (the spider and `baogao rules check` both call it); `list_links` reads a
list page. Block elements (p, div, br, li, h1…) become line breaks; the rule's `article.drop` elements,
scripts and styles are removed before the text is taken.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html
from parsel import Selector
from parsel.csstranslator import GenericTranslator, HTMLTranslator

from crawler.encoding import decode
from crawler.items import PageResult
from crawler.rules import SiteRule, is_xpath

BLOCK = {
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "th",
    "tr",
    "ul",
}
ALWAYS_DROP = ("script", "style", "noscript", "template")
# as parsel: CSS translated per document type; the EXSLT "re" prefix always mapped, "set" when used
TRANSLATORS = {"html": HTMLTranslator(), "xml": GenericTranslator()}
EXSLT = {"re": "http://exslt.org/regular-expressions", "set": "http://exslt.org/sets"}
HTML_PARSER = lxml_html.HTMLParser(recover=True, encoding="utf-8", huge_tree=True)  # parsel's settings
XML_DECLARATION = re.compile(r"[\s\ufeff]*<\?xml\s")  # parsel parses such a page as XML
SPACE = re.compile(r"[\s\u3000\xa0]+")
UPPER, LOWER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"


def _block_text(match: str) -> etree.XSLT:
    """A stylesheet giving a subtree's text in one libxslt pass: "\n" around the elements `match` matches."""
    return etree.XSLT(
        etree.XML(f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="utf-8"/>
<xsl:template match="{match}"><xsl:text>&#10;</xsl:text><xsl:apply-templates/><xsl:text>&#10;</xsl:text></xsl:template>
<xsl:template match="comment()|processing-instruction()"/>
</xsl:stylesheet>""")
    )


# the HTML parser lowercases tag names, so the block tags can be matched by name (fast: libxslt hashes them);
# an XML tree may use any case, so there the name is lowercased first, as Python's `tag.lower()` would
BLOCK_TEXT_HTML = _block_text("|".join(sorted(BLOCK)))
BLOCK_TEXT_XML = _block_text(
    f"*[namespace-uri() = '' and contains(' {' '.join(sorted(BLOCK))} ', "
    f"concat(' ', translate(name(), '{UPPER}', '{LOWER}'), ' '))]"
)
DATE = re.compile(r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")


@lru_cache(maxsize=1024)
def _compiled(selector: str, kind: str) -> tuple[str, etree.XPath]:
    """(XPath, compiled) for a rule selector on a document of `kind`, translated and compiled once as parsel would."""
    query = selector if is_xpath(selector) else TRANSLATORS[kind].css_to_xpath(selector)
    namespaces = {p: uri for p, uri in EXSLT.items() if p == "re" or f"{p}:" in query}
    try:
        return query, etree.XPath(query, namespaces=namespaces, smart_strings=False)
    except etree.XPathError as exc:
        raise ValueError(f"XPath error: {exc} in {query}") from None


def select(node: Any, kind: str, selector: str) -> list[Any]:
    """Apply a rule selector to an lxml node of a `kind` ("html"/"xml") document: XPath when it starts with "/"
    or "(", CSS otherwise. Gives elements and strings, the way parsel's `.xpath()`/`.css()` would."""
    if kind not in TRANSLATORS:
        raise ValueError(
            f"Cannot use {'xpath' if is_xpath(selector) else 'css'} on a Selector of type {kind!r}"
        )
    query, xpath = _compiled(selector, kind)
    try:
        result = xpath(node)
    except etree.XPathError as exc:
        raise ValueError(f"XPath error: {exc} in {query}") from None
    return result if isinstance(result, list) else [result]


def _node_text(node: Any) -> str:
    """Text of a selected node: an attribute/text value as is, an element's text with spaces collapsed."""
    if isinstance(node, str):
        return SPACE.sub(" ", node).strip()
    return SPACE.sub(" ", " ".join(node.itertext())).strip()


def first_text(sel: Selector, selector: str | None) -> str | None:
    """The first non-empty text the selector yields, or None."""
    if not selector:
        return None
    for node in select(sel.root, sel.type, selector):
        if text := _node_text(node):
            return text
    return None


def hrefs(sel: Selector, selector: str | None, base: str) -> list[str]:
    """Absolute URLs the selector yields (an <a> element stands for its href), in page order, no fragments."""
    if not selector:
        return []
    out = []
    for node in select(sel.root, sel.type, selector):
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


def block_lines(element: lxml_html.HtmlElement) -> list[str]:
    """The element's text as lines: a line break around every block element, blank lines dropped.

    Unresolved entity references in an XML tree are removed from it (their tails stay), as they give no text.
    """
    if not isinstance(element.tag, str):
        return []  # a comment or processing instruction: nothing to read
    for entity in list(
        element.iter(etree.Entity)
    ):  # unresolved XML entities: their tail only, as for comments
        parent, previous = entity.getparent(), entity.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + (entity.tail or "")
        else:
            parent.text = (parent.text or "") + (entity.tail or "")
        parent.remove(entity)
    text = str((BLOCK_TEXT_HTML if isinstance(element, lxml_html.HtmlMixin) else BLOCK_TEXT_XML)(element))
    # " ".join(raw.split()) == SPACE.sub(" ", raw).strip(): str.split and re's \s use the same whitespace
    return [line for raw in text.split("\n") if raw and (line := " ".join(raw.split()))]


def _selector(text: str, url: str) -> Selector:
    """`Selector(text=text, base_url=url)`, parsing an HTML page with one shared parser (lxml locks it per parse).

    Parsel builds a new parser for every page and first tries the text as JSON; a page that could be a JSON
    object or array, or that starts with an XML declaration, still goes through parsel.
    """
    if text.lstrip(" \t\n\r").startswith(("{", "[")) or XML_DECLARATION.match(text):
        return Selector(text=text, base_url=url)
    body = text.strip().replace("\x00", "").encode("utf-8") or b"<html/>"  # as parsel's create_root_node
    root = etree.fromstring(body, parser=HTML_PARSER, base_url=url)
    if root is None:
        root = etree.fromstring(b"<html/>", parser=HTML_PARSER, base_url=url)
    return Selector(root=root, type="html")


def parse(rule: SiteRule, url: str, body: bytes, headers: dict[str, str]) -> tuple[Selector, str, str]:
    """Decode with the rule's encoding policy and parse: (selector, encoding, reason)."""
    decoded = decode(body, headers, rule.encoding)
    return _selector(decoded.text, url), decoded.encoding, decoded.reason


def _drop(found: Any, kind: str) -> None:
    """Remove a selected junk node from its tree, as parsel's `drop` would."""
    if isinstance(found, lxml_html.HtmlMixin) and found.getparent() is not None:
        found.drop_tree()  # what parsel's drop does for an HTML element (keeps the tail)
    else:
        Selector(root=found, type=kind).drop()  # parsel's drop, and its errors for misuse


def extract(rule: SiteRule, url: str, body: bytes, headers: dict[str, str]) -> PageResult:
    """Title, date, body lines and next-page URL of one article page, with the encoding used and why."""
    sel, encoding, reason = parse(rule, url, body, headers)
    art = rule.article
    # read everything outside the body first: dropping junk edits the tree (a pager is often inside the body)
    title, date = first_text(sel, art.title), normalize_date(first_text(sel, art.date))
    next_urls = [u for u in hrefs(sel, art.next_page, url) if u != url]
    lines: list[str] = []
    nodes = select(sel.root, sel.type, art.body)
    roots = {id(n) for n in nodes if not isinstance(n, str)}
    for node in nodes:
        if not isinstance(node, str) and any(id(a) in roots for a in node.iterancestors()):
            continue  # nested inside another match: its text is read with that one
        if isinstance(node, str):
            lines.extend(line for line in (SPACE.sub(" ", x).strip() for x in node.splitlines()) if line)
            continue
        for junk in art.drop if sel.type == "html" else [*art.drop, *ALWAYS_DROP]:
            for found in select(node, sel.type, junk):
                _drop(found, sel.type)
        if (
            sel.type == "html"
        ):  # the CSS tag selectors of ALWAYS_DROP, in one walk of the tree instead of four
            for found in list(node.iter(*ALWAYS_DROP)):
                _drop(found, sel.type)
        lines.extend(block_lines(node))
    return PageResult(
        url=url,
        title=title,
        date=date,
        lines=lines,
        next_url=next_urls[0] if next_urls else None,
        encoding=encoding,
        encoding_reason=reason,
        sha256=hashlib.sha256(body).hexdigest(),
    )


def list_links(
    rule: SiteRule, url: str, body: bytes, headers: dict[str, str]
) -> tuple[list[str], str | None]:
    """Article URLs on a list page (those matching `article.url_pattern`) and the next list page, if any."""
    sel, _, _ = parse(rule, url, body, headers)
    pattern = re.compile(rule.article.url_pattern)
    articles = [u for u in hrefs(sel, rule.list.links, url) if pattern.search(u)]
    nexts = [u for u in hrefs(sel, rule.list.next, url) if u != url]
    return articles, (nexts[0] if nexts else None)


def page_url(rule: SiteRule, first_url: str, n: int) -> str | None:
    """URL of page n (>= 2) from `article.page_url_template`: {stem} is the first URL minus its extension."""
    template = rule.article.page_url_template
    if not template:
        return None
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", first_url)
    return template.format(stem=stem, n=n, url=first_url)
