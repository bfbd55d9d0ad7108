"""Find a page's main text without a site rule: the element holding the most prose and the least page chrome.

Content a reader sees folded away until clicking (class `collapsed`/`mw-collapsed`: an encyclopedia's folded
lists) is removed first. The page is then cut into text blocks (the runs of text between block-element
boundaries, the same lines `page.lines` gives). Each block is judged on evidence that carries across sites:

- **prose**: at least MIN_PROSE characters, sentence punctuation (。，；！？ or , . ; ! ?), few of its characters
  inside links; or, with up to INLINE_LINK_SHARE of it linked (an encyclopedia links most of its nouns),
  at least MIN_PROSE characters and a sentence mark (，。；) outside the links;
- **links**: most of its characters inside links (menus, related-article lists, tag clouds, pagers);
- **data**: the short cells of a data table (rows of several cells, mostly not links, no table inside);
- **short**: anything else (headings, bylines, dates, captions, one-word buttons).

Blocks inside an element whose tag or class/id names page chrome (nav, footer, sidebar, comment, share…)
count as links unless that element holds nearly all of the page's prose (CHROME_EXEMPT: a template that
calls its article container "main-side" keeps it; a comment thread longer than the post it follows does
not). The main content is the run of consecutive parts of one element scoring highest: prose counts for
it, data at DATA_WEIGHT (so an encyclopedia's sections that are only tables stay with the article), links
against it, short text at SHORT_WEIGHT against it. An article spread over several paragraphs, headings,
lists and tables is kept whole, and a forum thread whose posts outweigh the chrome between them is kept as
one. Inside it, every element holding no prose but links or chrome is removed (and reported).
A page with no prose block at all gets the element with the most text that is not links, flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from lxml import etree

from cleaning.extract.page import BLOCK, drop, lines

MIN_PROSE = 10  # characters of a prose block (Chinese sentences are short: "今年经济平稳增长。" is 9)
PROSE_MARKS = re.compile(r"[，。；！？、：,;!?]|\.(?=\s|$)")
LINK_SHARE = 0.5  # a block with more of its characters in links than this is a link block
PROSE_LINK_SHARE = 0.3  # a prose block may have a few links in it
# an encyclopedia's prose links many of its words: still prose when the text between the links has sentences
INLINE_LINK_SHARE = 0.7
SENTENCE_MARKS = re.compile(r"[，。；]")
SHORT_WEIGHT = 0.3
DATA_WEIGHT = 0.5  # the short cells of a data table count for the article at this weight
CHROME_EXEMPT = 0.9  # share of the page's prose that makes a chrome-named element the article anyway
EDGE = 80  # characters of short text taken in at each end of the main run
CHROME_TAGS = frozenset({"nav", "header", "footer", "aside"})
# class/id words of page chrome: navigation, ads, share bars, comments, related lists
CHROME = re.compile(
    r"nav|menu|breadcrumb|crumb|footer|header|sidebar|side-|share|social|comment|reply|related|recommend|"
    r"advert|(?<![a-z])ad(?:s|v|box|-)?(?![a-z])|banner|popup|toolbar|pager|page-?bar|paging|pagination|"
    r"prenext|prev-?next|tags?(?![a-z])|copyright",
    re.I,
)


@dataclass
class Block:
    """A run of text between block boundaries: the element it belongs to, its size and its links."""

    owner: Any
    chars: int = 0
    link: int = 0
    parts: list[str] = field(default_factory=list)
    plain: list[str] = field(default_factory=list)  # the parts outside links
    sources: list[tuple[Any, str]] = field(default_factory=list)  # (element, "text" or "tail") of each part

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())


@dataclass
class Main:
    """The main content: the element chosen, what was removed inside it (reason, text), and a flag."""

    element: Any
    lines: list[str]
    removed: list[tuple[str, str]]
    flag: str | None = None  # "no_prose" when the page had no prose block


def blocks(root: Any) -> list[Block]:
    """The text blocks under `root` in document order (empty ones left out)."""
    out: list[Block] = []
    owners = [root]
    current = Block(root)
    links = 0  # open <a> elements
    for event, el in etree.iterwalk(root, events=("start", "end")):  # elements only: comments are gone
        tag = el.tag
        if event == "start":
            if tag in BLOCK:
                _close(current, out)
                owners.append(el)
                current = Block(el)
            if tag == "a":
                links += 1
            if el.text:
                _add(current, el.text, links, el, "text")
            continue
        if tag == "a":
            links -= 1
        if tag in BLOCK and el is not root:
            _close(current, out)
            owners.pop()
            current = Block(owners[-1])
        if el.tail and el is not root:
            _add(current, el.tail, links, el, "tail")
    _close(current, out)
    return out


def _add(block: Block, text: str, links: int, el: Any, attr: str) -> None:
    if text.isspace():  # the indentation between tags: most text nodes of a page
        return
    n = len("".join(text.split()))
    if n:
        block.parts.append(text)
        block.sources.append((el, attr))
        block.chars += n
        if links:
            block.link += n
        else:
            block.plain.append(text)


def _close(block: Block, out: list[Block]) -> None:
    if block.chars:
        out.append(block)


def kind(block: Block) -> str:
    """ "prose", "links" or "short" (see the module docstring)."""
    if block.link > LINK_SHARE * block.chars:
        if block.link <= INLINE_LINK_SHARE * block.chars and _inline_prose(block):
            return "prose"
        return "links"
    if block.chars >= MIN_PROSE and block.link <= PROSE_LINK_SHARE * block.chars:
        if PROSE_MARKS.search("".join(block.parts)):
            return "prose"
    elif _inline_prose(block):
        return "prose"
    return "short"


def _inline_prose(block: Block) -> bool:
    """A sentence with many words linked: enough text outside the links, and sentence punctuation there."""
    return block.chars - block.link >= MIN_PROSE and bool(SENTENCE_MARKS.search("".join(block.plain)))


@lru_cache(maxsize=4096)  # a site's template repeats its class and id names on every page
def _chrome_name(cls: str | None, ident: str | None) -> bool:
    """The class or id names page chrome (an element without either never does)."""
    return bool((cls or ident) and CHROME.search(f"{cls or ''} {ident or ''}"))


def is_chrome(el: Any) -> bool:
    """The element's tag, class or id says it is page chrome (navigation, footer, comments, ads…)."""
    return el.tag in CHROME_TAGS or _chrome_name(el.get("class"), el.get("id"))


def _chain(el: Any, body: Any) -> list[Any]:
    """The element and its ancestors up to `body`."""
    chain = [el]
    while el is not body and (el := el.getparent()) is not None:
        chain.append(el)
    return chain


def find_main(root: Any) -> Main:
    """The main content of a parsed page (its DROP elements already removed); the tree is edited in place."""
    body = root.find("body")
    body = body if body is not None else root
    folded = _drop_collapsed(body)
    found = blocks(body)
    kinds = [kind(b) for b in found]
    chains = [_chain(b.owner, body) for b in found]
    # per element: [prose, links, short] characters of the blocks inside it
    totals: dict[Any, list[int]] = {}
    for b, k, chain in zip(found, kinds, chains, strict=True):
        slot = SLOT[k]
        for el in chain:
            totals.setdefault(el, [0, 0, 0])[slot] += b.chars
    prose = totals.get(body, [0, 0, 0])[0]
    chrome = {el for el in totals if isinstance(el.tag, str) and el is not body and is_chrome(el)}
    # chrome that holds nearly all of the page's prose is the article after all
    chrome = {el for el in chrome if totals[el][0] < CHROME_EXEMPT * prose}
    if chrome:  # prose inside chrome counts as links
        for i, (b, chain) in enumerate(zip(found, chains, strict=True)):
            if kinds[i] == "prose" and not chrome.isdisjoint(chain):
                kinds[i] = "links"
                for el in chain:
                    totals[el][0] -= b.chars
                    totals[el][1] += b.chars
    data = {el for el in totals if el.tag == "table" and el not in chrome and _data_table(el, totals[el])}
    if data:  # the short cells of a data table (not inside chrome) are the article's data
        for i, chain in enumerate(chains):
            if kinds[i] == "short" and not data.isdisjoint(chain) and chrome.isdisjoint(chain):
                kinds[i] = "data"
    if prose <= 0 or "prose" not in kinds:
        best = max(totals, key=lambda el: totals[el][2] - totals[el][1]) if totals else body
        removed = [(_reason(el, totals, chrome), text) for el, text in outside(best, body)]
        removed += _strip(best, totals, chrome)
        return Main(best, lines(best), folded + removed, "no_prose")
    element, parts, (start, end) = _best_run(found, kinds, chains, body)
    items = parts[start : end + 1]
    removed = folded + [(_reason(el, totals, chrome), text) for el, text in outside(element, body)]
    first, last = items[0], items[-1]
    cut: list[Any] = []
    for item in parts:
        if first[0] <= item[0] <= last[0]:
            if item[1] is not None:
                removed += _strip(item[1], totals, chrome, whole=True)
            continue
        removed.append((_item_reason(item, totals, chrome), _item_text(item, found)))
        if item[1] is not None:
            cut.append(item[1])
        else:  # the element's own text outside the run: empty the text nodes it was read from
            for i in item[2]:
                for el, attr in found[i].sources:
                    setattr(el, attr, None)
    for child in cut:
        drop(child)
    kept = lines(element)
    return Main(element, kept, removed, None)


# class names of content a reader sees folded away until clicking (MediaWiki's collapsed tables and lists)
COLLAPSED = re.compile(r"(?<![\w-])(?:mw-)?collapsed(?![\w-])")
FIND_COLLAPSED = etree.XPath("//*[contains(@class, 'collapsed')]")


def _drop_collapsed(body: Any) -> list[tuple[str, str]]:
    """Remove the content folded away by default (unless it is most of the page); ("collapsed", text) of each."""
    found = [el for el in FIND_COLLAPSED(body) if COLLAPSED.search(el.get("class"))]
    if not found:
        return []
    page = len(body.xpath("string()"))
    removed: list[tuple[str, str]] = []
    for el in found:
        if el.getroottree().getroot() is not body.getroottree().getroot():
            continue  # inside an element already removed
        text = flat_text(el)
        if len(text) < page / 2:
            removed.append(("collapsed", text))
            drop(el)
    return removed


SLOT = {"prose": 0, "links": 1, "short": 2}
WEIGHT = {"prose": 1.0, "links": -1.0, "short": -SHORT_WEIGHT, "data": DATA_WEIGHT}


def _data_table(table: Any, total: list[int]) -> bool:
    """A table of records: no table inside it, at least two rows of two or more cells, mostly text that is
    not links (a layout table holds other tables or one cell a row; a link table is mostly links)."""
    if total[1] > LINK_SHARE * (total[0] + total[1] + total[2]) or table.find(".//table") is not None:
        return False
    rows = 0
    for row in table.iter("tr"):
        if sum(1 for cell in row if cell.tag in ("td", "th")) >= 2:
            rows += 1
            if rows >= 2:
                return True
    return False


Item = tuple[
    int, Any, list[int]
]  # (position, child element or None for the element's own text, block indices)


def _items(element: Any, found: list[Block], kinds: list[str], chains: list[list[Any]]) -> list[Item]:
    """The parts of `element` in document order: each child holding text, and each run of its own text."""
    items: list[Item] = []
    for i, chain in enumerate(chains):
        try:
            at = chain.index(element)
        except ValueError:
            continue
        child = chain[at - 1] if at > 0 else None
        if items and child is not None and items[-1][1] is child:
            items[-1][2].append(i)
        else:
            items.append((len(items), child, [i]))
    return items


def _best_run(
    found: list[Block], kinds: list[str], chains: list[list[Any]], body: Any
) -> tuple[Any, list[Item], tuple[int, int]]:
    """The element, its parts, and the run (first, last) of consecutive parts with the highest score:
    prose characters count for, link characters and (less) short text against (Kadane's maximum subarray)."""
    scores = [WEIGHT[k] * b.chars for b, k in zip(found, kinds, strict=True)]
    # per element, its parts in order: (child or None, score), built in one pass over the blocks
    parts: dict[Any, list[list[Any]]] = {}
    for i, chain in enumerate(chains):
        child = None
        for el in chain:
            seq = parts.setdefault(el, [])
            if seq and child is not None and seq[-1][0] is child:
                seq[-1][1] += scores[i]
            else:
                seq.append([child, scores[i]])
            if el is body:
                break
            child = el
    best: tuple[float, Any, int, int] = (float("-inf"), body, 0, 0)
    for el, seq in parts.items():
        run, start = 0.0, 0
        for j, (_, score) in enumerate(seq):
            if run <= 0:
                run, start = score, j
            else:
                run += score
            if run > best[0]:
                best = (run, el, start, j)
    _, element, start, end = best
    items = _items(element, found, kinds, chains)
    return element, items, _widen(items, start, end, found, kinds)


def _widen(items: list[Item], start: int, end: int, found: list[Block], kinds: list[str]) -> tuple[int, int]:
    """Take in the short text right before and after the run (a heading, a salutation, a document number, a
    signature and date) while it has no links, up to EDGE characters a side."""

    def plain(item: Item) -> bool:
        return all(kinds[i] == "short" and not found[i].link for i in item[2])

    for step in (-1, 1):
        budget = EDGE
        at = start if step < 0 else end
        while 0 <= at + step < len(items) and plain(items[at + step]):
            budget -= sum(found[i].chars for i in items[at + step][2])
            if budget < 0:
                break
            at += step
        start, end = (at, end) if step < 0 else (start, at)
    return start, end


def flat_text(el: Any) -> str:
    """An element's text on one line, whitespace collapsed (what a removal records)."""
    return " ".join(" ".join(el.itertext()).split())


def _item_text(item: Item, found: list[Block]) -> str:
    return " ".join(found[i].text for i in item[2])


def _item_reason(item: Item, totals: dict[Any, list[int]], chrome: set[Any]) -> str:
    return _reason(item[1], totals, chrome) if item[1] is not None else "outside_main"


def outside(main: Any, body: Any) -> list[tuple[Any, str]]:
    """(element, text) of the page outside `main`, element by element (what choosing `main` leaves out)."""
    out: list[tuple[Any, str]] = []
    path = main
    while path is not body and (parent := path.getparent()) is not None:
        for sibling in parent:
            if sibling is not path and isinstance(sibling.tag, str) and (text := flat_text(sibling)):
                out.append((sibling, text))
        path = parent
    return out


def _reason(el: Any, totals: dict[Any, list[int]], chrome: set[Any]) -> str:
    """Why an element outside the main content was left out: chrome by name, mostly links, or just outside."""
    if el in chrome or is_chrome(el):
        return "chrome"
    prose, links, short = totals.get(el, (0, 0, 0))
    return "link_dense" if links > prose and links >= short else "outside_main"


def _strip(
    main: Any, totals: dict[Any, list[int]], chrome: set[Any], whole: bool = False
) -> list[tuple[str, str]]:
    """Remove, inside `main` (and `main` itself when `whole`), every element with no prose that holds links or
    is chrome; (reason, text) of each."""
    removed: list[tuple[str, str]] = []
    todo = [main] if whole else list(main)
    while todo:
        el = todo.pop()
        if not isinstance(el.tag, str):
            continue
        t = totals.get(el)
        if t is None:
            continue  # no text inside
        if el in chrome or (t[0] <= 0 and t[1] > 0 and t[1] >= t[2]):
            text = flat_text(el)
            removed.append(("chrome" if el in chrome else "link_dense", text))
            drop(el)
        elif t[0] > 0:
            todo.extend(el)
    removed.reverse()
    return removed
