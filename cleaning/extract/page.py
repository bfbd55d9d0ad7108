"""An HTML page as a tree, and a tree as paragraphs: the one way baogao reads a page, with a rule or without.

The crawler (`crawler/extract.py`, a site rule's selectors) and the cleaning `html` stage (a rule's selectors,
or the generic main-content extractor in `cleaning/extract/content.py`) both parse with `parse_html`, select
with `select`, remove what is not text with `DROP`, and turn the chosen element into lines with `lines`:
a line break around every element in `BLOCK`, whitespace collapsed, blank lines dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from lxml import etree
from parsel.csstranslator import HTMLTranslator

# elements whose start and end break a line (a <br> too)
BLOCK = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr "
    "li main nav ol p pre section table tbody td th tr ul".split()
)
# elements that never hold the page's text: code, styles, embedded objects and form controls
DROP = ("script", "style", "noscript", "template", "iframe", "svg", "select", "button", "textarea")
# libxml2 stops building the tree at this depth even with huge_tree; deeper pages are read as flat text
MAX_DEPTH = 2048
TOO_DEEP = "Excessive depth"
TRANSLATOR = HTMLTranslator()
EXSLT = {"re": "http://exslt.org/regular-expressions", "set": "http://exslt.org/sets"}


def is_xpath(selector: str) -> bool:
    """XPath selectors start with "/" or "("; everything else is CSS (as in Scrapy's parsel)."""
    return selector.lstrip().startswith(("/", "("))


@dataclass
class Parsed:
    """A parsed page: its tree, and what parsing had to change (NUL characters removed, a cut-off tree)."""

    root: Any
    nul_chars: int = 0
    too_deep: bool = False
    flat_text: list[str] = field(default_factory=list)  # the page's lines when the tree was cut off


def parse_html(text: str) -> Parsed:
    """Parse a decoded page with lxml's HTML parser (recovering from bad markup, no size limit).

    NUL characters are removed first (lxml would turn each into U+FFFD). A page nested deeper than libxml2
    builds (MAX_DEPTH) loses everything after the cut-off point; such a page is marked `too_deep` and its
    whole text is also given as `flat_text`, read without the tree.
    """
    nul = text.count("\x00")
    if nul:
        text = text.replace("\x00", "")
    # lxml's plain HTML parser: elements without lxml.html's per-node Python class lookup (a third of the time
    # of walking a page's tree went to it)
    parser = etree.HTMLParser(recover=True, encoding="utf-8", huge_tree=True)
    root = etree.fromstring(text.strip().encode("utf-8") or b"<html/>", parser=parser)
    if root is None:
        root = etree.fromstring(b"<html/>", parser=parser)
    # the depth limit is a fatal error: parsing stops there, so it is the last one (the log of a messy page holds
    # hundreds of recovered errors, each a Python object when iterated)
    last = parser.error_log.last_error
    too_deep = last is not None and TOO_DEEP in last.message
    return Parsed(root, nul, too_deep, flat_lines(text) if too_deep else [])


@lru_cache(maxsize=1024)
def _compiled(selector: str) -> etree.XPath:
    """A rule selector as compiled XPath: CSS translated by parsel's translator (which reads ::text and
    ::attr(name)), EXSLT's re: and set: prefixes available as in parsel. Compiled once per selector: parsel
    compiles on every call, a sixth of the rule path's extraction time (bench/clean.py)."""
    query = selector if is_xpath(selector) else TRANSLATOR.css_to_xpath(selector)
    return etree.XPath(query, namespaces=EXSLT, smart_strings=False)


def select(root: Any, selector: str) -> list[Any]:
    """Elements and strings a rule selector gives on `root`: XPath when it starts with "/" or "(", else CSS."""
    found = _compiled(selector)(root)
    return found if isinstance(found, list) else [found]


def drop(element: Any) -> None:
    """Remove an element from its tree, keeping the text that follows it (its tail)."""
    parent = element.getparent()
    if parent is None:
        return
    previous, tail = element.getprevious(), element.tail or ""
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def drop_unreadable(element: Any) -> None:
    """Remove the DROP elements (scripts, styles, form controls…), comments and processing instructions under
    `element`; the text after each stays."""
    for found in list(element.iter(*DROP, etree.Comment, etree.ProcessingInstruction)):
        drop(found)


def _block_text(match: str) -> etree.XSLT:
    """A stylesheet giving a subtree's text in one libxslt pass: "\n" around the elements `match` matches."""
    return etree.XSLT(
        etree.XML(f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="utf-8"/>
<xsl:template match="{match}"><xsl:text>&#10;</xsl:text><xsl:apply-templates/><xsl:text>&#10;</xsl:text></xsl:template>
<xsl:template match="comment()|processing-instruction()"/>
</xsl:stylesheet>""")
    )


# one libxslt pass is several times faster than walking the tree in Python (bench/clean.py, extract only);
# the HTML parser lowercases tag names, so the block tags match by name
BLOCK_TEXT = _block_text("|".join(sorted(BLOCK)))


def lines(element: Any) -> list[str]:
    """The element's text as lines: a line break around every block element, blank lines dropped."""
    if not isinstance(element.tag, str):
        return []  # a comment or processing instruction: nothing to read
    text = str(BLOCK_TEXT(element))
    # " ".join(raw.split()) collapses every whitespace run, \u3000 and \xa0 included
    return [line for raw in text.split("\n") if raw and (line := " ".join(raw.split()))]


TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>|<!--.*?-->", re.S)
SKIPPED = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.S | re.I)


def flat_lines(text: str) -> list[str]:
    """A page's lines read without a tree (for pages nested too deep to parse): scripts and styles removed,
    a line break at every block tag, other tags removed, entities resolved."""
    from html import unescape

    def tag(m: re.Match[str]) -> str:
        return "\n" if m.group(2) and m.group(2).lower() in BLOCK else ""

    body = TAG.sub(tag, SKIPPED.sub("", text))
    return [line for raw in unescape(body).split("\n") if (line := " ".join(raw.split()))]
