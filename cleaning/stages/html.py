"""Turn an HTML page into paragraphs: the rule's body selector, or the generic main-content extractor.

Parsing, selecting and turning elements into lines are the shared ones of `cleaning/extract/page.py` (the
crawler reads pages the same way); the generic extractor is `cleaning/extract/content.py`.
"""

from __future__ import annotations

from typing import Any

from cleaning.extract.content import find_main, outside
from cleaning.extract.page import drop, drop_unreadable, lines, parse_html, select
from cleaning.stages.base import Stage
from corpus.document import Document


def _text(el: Any) -> str:
    """An element's text on one line (what a removal records)."""
    return " ".join(lines(el)) if not isinstance(el, str) else " ".join(el.split())


class Html(Stage):
    """Extract paragraphs and headings from `doc.html`; record dropped navigation, link lists and ads."""

    name = "html"

    def apply(self, doc: Document) -> Document:
        page, doc.html = doc.html, None
        selector, doc.selector = doc.selector, None
        drops, doc.drop = doc.drop, []
        if not page:
            return doc
        parsed = parse_html(page)
        if parsed.nul_chars:
            self.record(doc, "nul_char", f"{parsed.nul_chars} NUL character(s)")
        root = parsed.root
        if not doc.title:
            doc.title = _title(root)
        if parsed.too_deep:  # the tree stops where libxml2 gave up: read the whole page as text instead
            doc.quality["extraction"] = "flat_too_deep"
            doc.text = "\n".join(parsed.flat_text)
            return doc
        drop_unreadable(root)
        body = next((n for n in select(root, selector) if not isinstance(n, str)), None) if selector else None
        for junk in drops:  # the rule's `drop` selectors inside the body
            for el in select(body if body is not None else root, junk):
                if not isinstance(el, str):
                    self.record(doc, "rule_drop", _text(el))
                    drop(el)
        if body is not None:
            page_body = root.find("body")
            for _, text in outside(body, page_body if page_body is not None else root):
                self.record(doc, "outside_main", text)
            doc.quality["extraction"] = "rule"
            doc.text = "\n".join(lines(body))
            return doc
        main = find_main(root)
        for reason, text in main.removed:
            self.record(doc, reason, text)
        doc.quality["extraction"] = "generic" if main.flag is None else f"generic_{main.flag}"
        doc.text = "\n".join(main.lines)
        return doc


def _title(root: Any) -> str:
    """The page's first <h1>, else its <title>."""
    heading = root.find(".//h1")
    node = heading if heading is not None else root.find(".//title")
    return " ".join(" ".join(node.itertext()).split()) if node is not None else ""
