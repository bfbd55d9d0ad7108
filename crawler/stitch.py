"""Merge an article's pages 1..N, in order, into one Document that keeps every page's URL."""

from __future__ import annotations

from corpus.document import Document, make_id
from corpus.document.model import Provenance
from crawler.items import PageResult


def stitch(
    site: str,
    pages: list[PageResult],
    *,
    complete: bool,
    rule_version: int = 1,
    frontier_url: str | None = None,
) -> Document:
    """One Document from pages in reading order: title of page 1, first date found, texts joined by line."""
    if not pages:
        raise ValueError("stitch needs at least one page")
    first = pages[0]
    provenance = Provenance(
        site=site,
        url=first.url,
        pages=[p.url for p in pages],
        rule=site,
        rule_version=rule_version,
        date=next((p.date for p in pages if p.date), None),
        encoding="+".join(sorted({p.encoding for p in pages})),
        encoding_reason=" | ".join(dict.fromkeys(p.encoding_reason for p in pages)),
        complete=complete,
        page_hashes=[p.sha256 for p in pages],
        frontier_url=frontier_url,
    )
    title = first.title or next((p.title for p in pages if p.title), None) or ""
    text = "\n".join(line for p in pages for line in p.lines)
    return Document(id=make_id(site, first.url), text=text, title=title, provenance=provenance)
