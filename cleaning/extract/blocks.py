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
PROSE_MARKS = re.compile(r"[，。；！？、：,;!?]|\.(?=\s|$)")
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

    __slots__ = ("chain", "chars", "joined", "link", "parts", "plain", "sources")

    def __init__(self, chain: list[Any]) -> None:
        self.chain = chain  # the owning element, then its ancestors up to the body
        self.chars = 0  # characters other than whitespace (counted when the block closes)
        self.joined = ""  # its text nodes joined (when the block closes)
        self.link = 0  # characters inside links
        self.parts: list[str] = []  # its text nodes
        self.plain: list[str] = []  # the parts outside links
        self.sources: list[tuple[Any, str]] = []  # (element, "text" or "tail") of each part

    @property
    def text(self) -> str:
        return " ".join(self.joined.split())


def blocks(root: Any) -> list[Block]:
    """The text blocks under `root` in document order (blocks of whitespace only left out)."""
    out: list[Block] = []
    path: list[Any] = []  # the open elements, root first
    tags: list[str] = []  # their tags
    owners = [0]  # index in `path` of each open block element (the root's is 0)
    current: Block | None = None
    links = 0  # open <a> elements
    for event, el in etree.iterwalk(root, events=("start", "end")):  # elements only: comments are gone
        if event == "start":
            tag = el.tag
            path.append(el)
            tags.append(tag)
            if tag in BLOCK:
                if current is not None:
                    out.append(_closed(current))
                    current = None
                owners.append(len(path) - 1)
            if tag == "a":
                links += 1
            text, attr = el.text, "text"
        else:
            tag = tags.pop()
            if tag == "a":
                links -= 1
            if el is root:
                break
            if tag in BLOCK:
                if current is not None:
                    out.append(_closed(current))
                    current = None
                owners.pop()
            path.pop()
            text, attr = el.tail, "tail"
        if text and not text.isspace():  # most text nodes are the indentation between tags
            if current is None:
                current = Block(path[owners[-1] :: -1])
            current.parts.append(text)
            current.sources.append((el, attr))
            if links:
                current.link += len("".join(text.split()))
            else:
                current.plain.append(text)
    if current is not None:
        out.append(_closed(current))
    return out


def _closed(block: Block) -> Block:
    """The block with its size counted (characters other than whitespace)."""
    block.joined = "".join(block.parts)
    block.chars = len("".join(block.joined.split()))
    return block


def kind(block: Block) -> str:
    """ "prose", "links" or "short" (see the module docstring of `content.py`)."""
    if block.link > LINK_SHARE * block.chars:
        if block.link <= INLINE_LINK_SHARE * block.chars and _inline_prose(block):
            return "prose"
        return "links"
    if block.chars >= MIN_PROSE and block.link <= PROSE_LINK_SHARE * block.chars:
        if PROSE_MARKS.search(block.joined):
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
