"""A page as text blocks, each judged prose, links, data or short; and the class names of page chrome.

A text block is a run of text between block-element boundaries (the same lines `page.lines` gives), with
the element it belongs to (its owner, the innermost block element around it) and that element's ancestors
up to the page's body (its chain). See `content.py` for how the blocks are judged and scored.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from lxml import etree

from cleaning.extract.page import BLOCK

MIN_PROSE = 10  # characters of a prose block (Chinese sentences are short: "今年经济平稳增长。" is 9)
# sentence punctuation; a full stop only before a space or at the end (not in "3.5" or "www.gov.cn"); two
# searches, as a bare character class is scanned faster than an alternation (kind() runs on every block)
PROSE_MARKS = re.compile(r"[，。；！？、：,;!?]")
FULL_STOP = re.compile(r"\.(?=\s|$)")
LINK_SHARE = 0.5  # a block with more of its characters in links than this is a link block
PROSE_LINK_SHARE = 0.3  # a prose block may have a few links in it
# an encyclopedia's prose links many of its words: still prose when the text between the links has sentences
INLINE_LINK_SHARE = 0.7
SENTENCE_MARKS = re.compile(r"[，。；]")
CHROME_TAGS = frozenset({"nav", "header", "footer", "aside"})
# class/id words of page chrome: navigation, ads, share bars, comments, related lists
CHROME = re.compile(
    r"nav|menu|breadcrumb|crumb|footer|header|sidebar|side-|share|social|comment|reply|related|recommend|"
    r"advert|(?<![a-z])ad(?:s|v|box|-)?(?![a-z])|banner|popup|toolbar|pager|page-?bar|paging|pagination|"
    r"prenext|prev-?next|tags?(?![a-z])|copyright",
    re.I,
)
# class words of content a reader sees folded away until clicking (MediaWiki's collapsed tables and lists)
COLLAPSED = re.compile(r"(?<![\w-])(?:mw-)?collapsed(?![\w-])")


class Block:
    """A run of text between block boundaries: the element it belongs to and its ancestors, size and links."""

    __slots__ = ("chain", "chars", "joined", "link", "plain", "sources")

    def __init__(
        self,
        chain: list[Any],
        parts: list[str],
        plain: list[str],
        sources: list[tuple[Any, str]],
        link: int,
    ) -> None:
        self.chain = chain  # the owning element, then its ancestors up to the body (shared by its blocks)
        self.joined = "".join(parts)  # its text nodes joined
        self.chars = len("".join(self.joined.split()))  # characters other than whitespace
        self.link = link  # characters inside links
        self.plain = plain  # the text nodes outside links
        self.sources = sources  # (element, "text" or "tail") of each text node

    @property
    def text(self) -> str:
        return " ".join(self.joined.split())


def blocks(root: Any) -> list[Block]:
    """The text blocks under `root` in document order (blocks of whitespace only left out).

    One walk with lxml's `iterwalk`; the text nodes of the open block are gathered in local lists and become
    a Block when a block element starts or ends. The blocks of one block element share its chain, sliced
    from the path of open elements at its first text (a page has about as many blocks as elements).
    """
    out: list[Block] = []
    path: list[Any] = []  # the open elements, root first
    tags: list[str] = []  # their tags
    owners = [0]  # index in `path` of each open block element (the root's is 0)
    chains: list[Any] = [None]  # the chain of each open block element, once it has text
    parts: list[str] = []  # the open block's text nodes
    plain: list[str] = []  # those outside links
    sources: list[tuple[Any, str]] = []  # where each was read
    link = 0  # its characters inside links
    links = 0  # open <a> elements
    for event, el in etree.iterwalk(root, events=("start", "end")):  # elements only: comments are gone
        if event == "start":
            tag = el.tag
            path.append(el)
            tags.append(tag)
            if tag in BLOCK:
                if parts:
                    out.append(Block(chains[-1], parts, plain, sources, link))
                    parts, plain, sources, link = [], [], [], 0
                owners.append(len(path) - 1)
                chains.append(None)
            elif tag == "a":
                links += 1
            text, attr = el.text, "text"
        else:
            tag = tags.pop()
            if el is root:
                break
            if tag in BLOCK:
                if parts:
                    out.append(Block(chains[-1], parts, plain, sources, link))
                    parts, plain, sources, link = [], [], [], 0
                owners.pop()
                chains.pop()
            elif tag == "a":
                links -= 1
            path.pop()
            text, attr = el.tail, "tail"
        if text and not text.isspace():  # most text nodes are the indentation between tags
            if not parts and chains[-1] is None:  # the first text of this block element
                chains[-1] = path[owners[-1] :: -1]
            parts.append(text)
            sources.append((el, attr))
            if links:
                link += len("".join(text.split()))
            else:
                plain.append(text)
    if parts:
        out.append(Block(chains[-1], parts, plain, sources, link))
    return out


def kind(block: Block) -> str:
    """ "prose", "links" or "short" (see the module docstring of `content.py`)."""
    if block.link > LINK_SHARE * block.chars:
        if block.link <= INLINE_LINK_SHARE * block.chars and _inline_prose(block):
            return "prose"
        return "links"
    if block.chars >= MIN_PROSE and block.link <= PROSE_LINK_SHARE * block.chars:
        joined = block.joined
        # the two commonest marks by plain substring tests first (faster than a regex scan)
        if "，" in joined or "。" in joined or PROSE_MARKS.search(joined):
            return "prose"
        if "." in joined and FULL_STOP.search(joined):
            return "prose"
    elif _inline_prose(block):
        return "prose"
    return "short"


def _inline_prose(block: Block) -> bool:
    """A sentence with many words linked: enough text outside the links, and sentence punctuation there."""
    return block.chars - block.link >= MIN_PROSE and bool(SENTENCE_MARKS.search("".join(block.plain)))


@lru_cache(maxsize=4096)  # a site's template repeats its class and id names on every page
def _named(cls: str | None, ident: str | None) -> str | None:
    """ "chrome" when the class or id names page chrome, "collapsed" when the class says folded away."""
    if not (cls or ident):
        return None
    if cls and COLLAPSED.search(cls):
        return "collapsed"
    return "chrome" if CHROME.search(f"{cls or ''} {ident or ''}") else None


def named(el: Any) -> str | None:
    """ "chrome" when the element's tag, class or id says it is page chrome (navigation, footer, comments,
    ads…), "collapsed" when its class says it is folded away, else None."""
    return "chrome" if el.tag in CHROME_TAGS else _named(el.get("class"), el.get("id"))


def is_chrome(el: Any) -> bool:
    """The element's tag, class or id says it is page chrome."""
    return named(el) == "chrome"
