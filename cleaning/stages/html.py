"""Turn an HTML page into paragraphs: the rule's body selector, or a generic main-content extractor."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from lxml import etree
from lxml import html as lxml_html
from lxml.etree import ParserError

from cleaning.stages.base import Stage
from cleaning.text import cjk_counts
from corpus.document import Document

DROP_TAGS = ("script", "style", "noscript", "iframe", "template", "svg", "form", "button", "select", "input")
CHROME_TAGS = ("nav", "header", "footer", "aside")
# class/id words of page chrome: navigation, ads, share bars, comments, related lists
CHROME = re.compile(
    r"nav|menu|breadcrumb|crumb|footer|header|sidebar|side-|share|social|comment|related|recommend|"
    r"advert|(?<![a-z])ad(?:s|v|box|-)?(?![a-z])|banner|popup|toolbar|pager|page-?bar|paging|pagination|prenext|prev-?next|tags?(?![a-z])|copyright",
    re.I,
)
BLOCKS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "div",
    "td",
    "section",
    "article",
    "blockquote",
    "pre",
    "dd",
    "dt",
}


BLOCK_TAGS = sorted(BLOCKS)
# elements that may be page chrome: a chrome tag, or any class or id (the CHROME test runs on those only)
CANDIDATES = etree.XPath(f"//*[@class or @id or {' or '.join(f'self::{t}' for t in CHROME_TAGS)}]")

BR = "\u2028"  # a <br> inside a block: the block holds several paragraphs
TextOf = Callable[[lxml_html.HtmlElement], str]


def _text(el: lxml_html.HtmlElement) -> str:
    return " ".join(
        el.text_content().replace(BR, " ").split()
    )  # = WS.sub(" ", …).strip(): the same whitespace


class _Texts(dict):
    """`_text` of each element, computed once; valid only while the tree is not changed."""

    def __init__(self) -> None:
        super().__init__()
        self.raw: dict[lxml_html.HtmlElement, str] = {}  # text_content(), for `lines`
        self.densities: dict[lxml_html.HtmlElement, float] = {}

    def __missing__(self, el: lxml_html.HtmlElement) -> str:
        raw = self.raw[el] = el.text_content()
        text = self[el] = " ".join(raw.replace(BR, " ").split())  # as _text(el)
        return text

    def density(self, el: lxml_html.HtmlElement) -> float:
        """`_link_density(el)`, computed once."""
        if (d := self.densities.get(el)) is None:
            d = self.densities[el] = _link_density(el, self.__getitem__)
        return d

    def lines(self, el: lxml_html.HtmlElement) -> list[str]:
        """The element's paragraphs (its text split at <br>), from the text already taken."""
        if el not in self.raw:
            self.__missing__(el)
        return _split_lines(self.raw[el])


def _split_lines(raw: str) -> list[str]:
    return [t for s in raw.split(BR) if (t := " ".join(s.split()))]


def _link_density(el: lxml_html.HtmlElement, text_of: TextOf = _text) -> float:
    """Share of the element's characters inside <a> (jusText's measure; > 0.2 looks like navigation)."""
    total = len(text_of(el))
    links = sum(len(text_of(a)) for a in el.iter("a"))
    return links / total if total else 0.0


def paragraphs(root: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """Leaf text blocks in document order: block elements with no block children, and <br>-split divs."""
    # lxml filters by tag name itself, without making a Python object per node; a block holding another block is
    # that block's nearest block ancestor (marking the nearest one is enough: it is marked in turn by its own)
    blocks = list(root.iter(*BLOCK_TAGS))
    holders = set()
    for el in blocks:
        parent = el.getparent()
        while parent is not None and parent.tag not in BLOCKS:
            parent = parent.getparent()
        if parent is not None:
            holders.add(parent)
    return [el for el in blocks if el not in holders]


def main_container(
    root: lxml_html.HtmlElement, paras: list[lxml_html.HtmlElement] | None = None, texts: _Texts | None = None
) -> lxml_html.HtmlElement:
    """The element whose good paragraphs hold the most Chinese text (parents score, grandparents half).

    `paras` (`paragraphs(root)`) and `texts` (texts taken from this tree as it is now) save work when the
    caller has them.
    """
    texts = texts if texts is not None else _Texts()
    scores: dict[lxml_html.HtmlElement, float] = {}
    paras = paras if paras is not None else paragraphs(root)
    for el, n in zip(paras, cjk_counts([texts[el] for el in paras]), strict=True):
        if n < 10 or texts.density(el) > 0.2:
            continue
        parent = el.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0) + n
            grand = parent.getparent()
            if grand is not None:
                scores[grand] = scores.get(grand, 0) + n / 2
    return max(scores, key=lambda e: scores[e]) if scores else root


class Html(Stage):
    """Extract paragraphs and headings from `doc.html`; record dropped navigation, link lists and ads."""

    name = "html"
    defaults = {"max_link_density": 0.5}

    def apply(self, doc: Document) -> Document:
        page, doc.html = doc.html, None
        if not page:
            return doc
        try:
            root = lxml_html.document_fromstring(page)
        except (ParserError, ValueError):
            self.record(doc, "unparsable_html", page[:200])
            return doc
        for el in list(root.iter(*DROP_TAGS)):
            el.drop_tree()
        for br in root.iter("br"):
            br.tail = BR + (br.tail or "")
        if not doc.title:
            heading = root.find(".//h1")
            node = heading if heading is not None else root.find(".//title")
            doc.title = _text(node) if node is not None else ""
        selector, doc.selector = doc.selector, None
        body = (_select(root, selector) or [None])[0] if selector else None
        drops, doc.drop = doc.drop, []
        for drop in drops:  # the rule's `drop` selectors inside the body
            for el in _select(body if body is not None else root, drop):
                if text := _text(el):
                    self.record(doc, "rule_drop", text)
                el.drop_tree()
        if body is None:
            root = self._strip_chrome(doc, root)
        # the tree is final from here on: find the leaf blocks once and take each one's text once
        texts = _Texts()
        every = paragraphs(root)
        if body is None:
            body = main_container(root, every, texts)
        within = set(body.iter(*BLOCK_TAGS))  # every paragraph is a block element
        lines = []
        for el in every:
            if el not in within:
                continue
            text = texts[el]
            if not text:
                continue
            if texts.density(el) > self.params["max_link_density"]:
                self.record(doc, "link_dense", text)
                continue
            lines.extend(texts.lines(el))
        outside = [t for el in every if (t := texts[el]) and el not in within]
        for text in outside:
            self.record(doc, "outside_main", text)
        doc.text = "\n".join(lines)
        return doc

    def _strip_chrome(self, doc: Document, root: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
        """Remove nav/header/footer/aside and elements whose class or id names page chrome (recorded)."""
        chrome = [
            el
            for el in CANDIDATES(root)  # in document order, like root.iter(), but only what can be chrome
            if isinstance(el.tag, str)
            and el.tag not in ("html", "body")
            and (el.tag in CHROME_TAGS or _chrome_name(el.get("class"), el.get("id")))
        ]
        marked = set(chrome)
        for el in chrome:
            if any(a in marked for a in el.iterancestors()):
                continue
            text = _text(el)
            if text:
                self.record(doc, "navigation" if el.tag in CHROME_TAGS else "chrome", text)
            el.drop_tree()
        return root


@lru_cache(maxsize=4096)  # a site's template repeats its class and id names on every page
def _chrome_name(cls: str | None, ident: str | None) -> bool:
    """The class or id names page chrome (an element without either never does)."""
    return bool((cls or ident) and CHROME.search(f"{cls or ''} {ident or ''}"))


def _select(root: lxml_html.HtmlElement, selector: str) -> list[lxml_html.HtmlElement]:
    """Elements matching a rule selector: XPath when it starts with "/" or "(", else CSS (as parsel reads them)."""
    selector = re.sub(r"::[\w-]+(?:\([^)]*\))?$", "", selector.strip())
    found = root.xpath(selector) if selector.startswith(("/", "(")) else root.cssselect(selector)
    return [el for el in found if isinstance(el, lxml_html.HtmlElement)]
