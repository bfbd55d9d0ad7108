"""Merge an article's pages 1..N, in order, into one raw document that keeps every page's URL."""

from __future__ import annotations

from crawler.items import PageResult, RawDocument


def stitch(
    site: str,
    pages: list[PageResult],
    *,
    complete: bool,
    rule_version: int = 1,
    frontier_url: str | None = None,
) -> RawDocument:
    """One RawDocument from pages in reading order: title of page 1, first date found, texts joined by line."""
    if not pages:
        raise ValueError("stitch needs at least one page")
    first = pages[0]
    encodings = sorted({p.encoding for p in pages})
    return RawDocument(
        site=site,
        url=first.url,
        title=first.title or next((p.title for p in pages if p.title), None),
        date=next((p.date for p in pages if p.date), None),
        text="\n".join(line for p in pages for line in p.lines),
        page_urls=[p.url for p in pages],
        complete=complete,
        encoding="+".join(encodings),
        encoding_reason=" | ".join(dict.fromkeys(p.encoding_reason for p in pages)),
        rule_version=rule_version,
        page_hashes=[p.sha256 for p in pages],
        fffd=sum(p.fffd for p in pages),
        frontier_url=frontier_url,
    )
