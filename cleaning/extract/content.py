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
one. Inside it, chrome is removed, and so is every element holding no prose but links, unless it stands between
two prose blocks of the run (a box set inside the article's text: a table of contents, a box of headlines);
each removal is reported.
A page with no prose block at all gets the element with the most text that is not links, flagged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from cleaning.extract.blocks import LINK_SHARE, Block, blocks, is_chrome, kind, named
from cleaning.extract.page import drop, lines

SHORT_WEIGHT = 0.3
DATA_WEIGHT = 0.5  # the short cells of a data table count for the article at this weight
CHROME_EXEMPT = 0.9  # share of the page's prose that makes a chrome-named element the article anyway
FOLDED_EXEMPT = 0.5  # share of the page's text that makes a folded-away element the article anyway
EDGE = 80  # characters of short text taken in at each end of the main run
SLOT = {"prose": 0, "links": 1, "short": 2, "data": 3}
# per slot, in tenths: whole numbers, so a run's score is exact whichever order its parts are summed in
WEIGHT = (10, -10, round(-10 * SHORT_WEIGHT), round(10 * DATA_WEIGHT))

# (position, child element or None for the element's own text, block indices)
Item = tuple[int, Any, list[int]]


@dataclass
class Main:
    """The main content: the element chosen, what was removed inside it (reason, text), and a flag."""

    element: Any
    lines: list[str]
    removed: list[tuple[str, str]]
    flag: str | None = None  # "no_prose" when the page had no prose block


class Page:
    """A page's blocks, their kinds, and per element its parts in document order: each run of consecutive
    blocks inside one child, and each of its own blocks, as [child or None, first block, last block]; and per
    element its [prose, links, short, data] characters."""

    def __init__(self, body: Any) -> None:
        self.body = body
        self.found = blocks(body)
        self.kinds = [kind(b) for b in self.found]
        self.parts: dict[Any, list[list[Any]]] = {}
        # elements with blocks of an ancestor between theirs: text right inside an inline element holding block
        # elements belongs to the block element around it
        self.gapped: set[Any] = set()
        parts, gapped = self.parts, self.gapped
        for i, b in enumerate(self.found):
            child = None
            for el in b.chain:
                seq = parts.get(el)
                if seq is None:
                    parts[el] = [[child, i, i]]
                else:
                    if seq[-1][2] != i - 1:
                        gapped.add(el)
                    if child is not None and seq[-1][0] is child:
                        seq[-1][2] = i
                    else:
                        seq.append([child, i, i])
                child = el
        self.totals = self._count()

    def _count(self) -> dict[Any, list[int]]:
        """Per element, its characters per kind: running sums over the blocks, then over its block ranges."""
        run = [0, 0, 0, 0]  # characters per slot up to each block (prose, links, short, data)
        upto: list[tuple[int, ...]] = [(0, 0, 0, 0)]
        for b, k in zip(self.found, self.kinds, strict=True):
            run[SLOT[k]] += b.chars
            upto.append(tuple(run))
        totals = {}
        for el, seq in self.parts.items():
            a, b = upto[seq[0][1]], upto[seq[-1][2] + 1]
            totals[el] = [b[0] - a[0], b[1] - a[1], b[2] - a[2], b[3] - a[3]]
        for el in self.gapped:  # only the blocks inside it
            t = totals[el] = [0, 0, 0, 0]
            for i in self.inside(el, self.parts[el][0][1], self.parts[el][-1][2]):
                t[SLOT[self.kinds[i]]] += self.found[i].chars
        return totals

    def inside(self, el: Any, first: int, last: int) -> list[int]:
        """The blocks from `first` to `last` that are inside `el` (all of them unless `el` is gapped)."""
        if el not in self.gapped:
            return list(range(first, last + 1))
        return [i for i in range(first, last + 1) if el in self.found[i].chain]

    def reclassify(
        self, inside: set[Any], old: str, new: str, unless: frozenset[Any] | set[Any] = frozenset()
    ) -> None:
        """Blocks of kind `old` inside one of `inside` (and none of `unless`) become `new`."""
        was, now = SLOT[old], SLOT[new]
        for i, b in enumerate(self.found):
            if self.kinds[i] == old and not inside.isdisjoint(b.chain) and unless.isdisjoint(b.chain):
                self.kinds[i] = new
                for el in b.chain:
                    t = self.totals[el]
                    t[was] -= b.chars
                    t[now] += b.chars

    def items(self, element: Any) -> list[Item]:
        """The parts of `element` with their positions and block indices."""
        return [
            (j, child, self.inside(element, first, last))
            for j, (child, first, last) in enumerate(self.parts[element])
        ]


def find_main(root: Any) -> Main:
    """The main content of a parsed page (its DROP elements already removed); the tree is edited in place."""
    body = root.find("body")
    body = body if body is not None else root
    page, names, folded = _unfolded(body)
    prose = page.totals[body][0] if body in page.totals else 0
    # chrome that holds nearly all of the page's prose is the article after all
    chrome = {el for el, n in names.items() if n == "chrome" and page.totals[el][0] < CHROME_EXEMPT * prose}
    if chrome:  # prose inside chrome counts as links
        page.reclassify(chrome, "prose", "links")
    data = {
        el for el, t in page.totals.items() if el.tag == "table" and el not in chrome and _data_table(el, t)
    }
    if data:  # the short cells of a data table (not inside chrome) are the article's data
        page.reclassify(data, "short", "data", unless=chrome)
    totals = page.totals
    if prose <= 0 or "prose" not in page.kinds:
        best = max(totals, key=lambda el: totals[el][2] + totals[el][3] - totals[el][1]) if totals else body
        removed = [(_reason(el, totals, chrome), text) for el, text in outside(best, body)]
        removed += _strip(best, totals, chrome)
        return Main(best, lines(best), folded + removed, "no_prose")
    element, parts, (start, end) = _best_run(page)
    found = page.found
    items = parts[start : end + 1]
    removed = folded + [(_reason(el, totals, chrome), text) for el, text in outside(element, body)]
    first, last = items[0], items[-1]
    sentences = [i for item in items for i in item[2] if page.kinds[i] == "prose"]  # the run's prose blocks

    def in_flow(el: Any) -> bool:  # between two prose blocks of the run: a box inside the article's text
        return (
            bool(sentences) and sentences[0] < page.parts[el][0][1] and page.parts[el][-1][2] < sentences[-1]
        )

    cut: list[Any] = []
    for item in parts:
        if first[0] <= item[0] <= last[0]:
            if item[1] is not None:
                removed += _strip(item[1], totals, chrome, whole=True, keep=in_flow)
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


def _unfolded(body: Any) -> tuple[Page, dict[Any, str], list[tuple[str, str]]]:
    """The page read into blocks after removing the content folded away by default (unless it holds
    FOLDED_EXEMPT of the page's text); the elements named chrome or collapsed; ("collapsed", text) of each
    element removed."""
    removed: list[tuple[str, str]] = []
    while True:
        page = Page(body)
        names = {el: n for el in page.totals if el is not body and (n := named(el))}
        whole = sum(page.totals.get(body, (0,)))
        folded = {
            el for el, n in names.items() if n == "collapsed" and sum(page.totals[el]) < FOLDED_EXEMPT * whole
        }
        if not folded:
            return page, names, removed
        for el in (el for el in names if el in folded):  # in document order
            if folded.isdisjoint(el.iterancestors()):  # an outermost one
                removed.append(("collapsed", flat_text(el)))
                drop(el)


def _data_table(table: Any, total: list[int]) -> bool:
    """A table of records: no table inside it, at least two rows of two or more cells, mostly text that is
    not links (a layout table holds other tables or one cell a row; a link table is mostly links)."""
    if total[1] > LINK_SHARE * sum(total) or table.find(".//table") is not None:
        return False
    rows = 0
    for row in table.iter("tr"):
        if sum(1 for cell in row if cell.tag in ("td", "th")) >= 2:
            rows += 1
            if rows >= 2:
                return True
    return False


def _best_run(page: Page) -> tuple[Any, list[Item], tuple[int, int]]:
    """The element, its parts, and the run (first, last) of consecutive parts with the highest score:
    prose characters count for, data a little for, link characters and (less) short text against (Kadane's
    maximum subarray over each element's parts)."""
    # the running score up to each block
    score = list(
        accumulate(
            (WEIGHT[SLOT[k]] * b.chars for b, k in zip(page.found, page.kinds, strict=True)), initial=0
        )
    )
    top, element, start, end = float("-inf"), page.body, 0, 0  # the best run so far: score, element, parts
    gapped = page.gapped
    for el, seq in page.parts.items():
        if len(seq) == 1 and el not in gapped:  # one part (most block elements): the run is that part
            _, first, last = seq[0]
            if (part := score[last + 1] - score[first]) > top:
                top, element, start, end = part, el, 0, 0
            continue
        if el in gapped:
            parts = [sum(score[i + 1] - score[i] for i in page.inside(el, f, last)) for _, f, last in seq]
        else:
            parts = [score[last + 1] - score[first] for _, first, last in seq]
        run, begin = 0, 0
        for j, part in enumerate(parts):
            if run <= 0:
                run, begin = part, j
            else:
                run += part
            if run > top:
                top, element, start, end = run, el, begin, j
    items = page.items(element)
    return element, items, _widen(items, start, end, page.found, page.kinds)


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
    prose, links, short, data = totals.get(el, (0, 0, 0, 0))
    return "link_dense" if links > prose and links >= short + data else "outside_main"


def _strip(
    main: Any,
    totals: dict[Any, list[int]],
    chrome: set[Any],
    whole: bool = False,
    keep: Callable[[Any], bool] | None = None,
) -> list[tuple[str, str]]:
    """Remove, inside `main` (and `main` itself when `whole`), every element that is chrome, or holds links and
    no prose and is not one `keep` keeps; (reason, text) of each."""
    removed: list[tuple[str, str]] = []
    todo = [main] if whole else list(main)
    while todo:
        el = todo.pop()
        if not isinstance(el.tag, str):
            continue
        t = totals.get(el)
        if t is None:
            continue  # no text inside
        links = t[0] <= 0 and t[1] > 0 and t[1] >= t[2] + t[3]
        if el in chrome or (links and not (keep and keep(el))):
            text = flat_text(el)
            removed.append(("chrome" if el in chrome else "link_dense", text))
            drop(el)
        elif t[0] > 0 or links:  # prose around what may go, or a box kept whole but for chrome inside it
            todo.extend(el)
    removed.reverse()
    return removed
