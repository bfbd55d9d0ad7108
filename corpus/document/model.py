"""The one document type every step hands to the next: crawl store → cleaning → dedup → release.

Reading and writing it (crawl-store rows, JSON lines, Parquet rows) is `corpus/document/io.py`; the data flow,
step by step, is docs/architecture.md.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Removal:
    """One piece of text a stage removed, and why (published in the audit trail)."""

    stage: str
    reason: str
    text: str
    # up to 30 characters of the text just before the piece when it was cut ("" = at the start; None = unknown):
    # the research page shows the piece in context there
    before: str | None = None


@dataclass(slots=True)
class Provenance:
    """Where a document came from: set when it is crawled (or read from a file) and never changed after.

    `pages` are every page URL of the article in reading order; `date` is the page's own date as the site
    rule read it; `first_seen` is when the crawl first stored this article, `fetched_at` when it stored the
    version this text comes from.
    """

    site: str = ""
    url: str = ""  # the first page's URL: the document's key in the crawl store
    pages: list[str] = field(default_factory=list)
    rule: str | None = None  # the site rule's name
    rule_version: int | None = None  # the rule's `version`
    fetched_at: str | None = None
    first_seen: str | None = None
    date: str | None = None
    encoding: str | None = None
    encoding_reason: str | None = None
    complete: bool = True  # every page of the article was fetched
    page_hashes: list[str] = field(default_factory=list)  # sha256 of each page's bytes, in `pages` order
    frontier_url: str | None = None  # the URL the crawl queued (before redirects), for marking it done


@dataclass(slots=True)
class Document:
    """A report (or essay) as it moves through the pipeline. `text` is paragraphs joined by "\\n".

    Each step fills named fields and leaves the others as they are: the crawl sets `title`, `text` and
    `provenance`; cleaning consumes the inputs it was given (`html`, `selector`, `drop`), cuts junk into
    `removals`, splits compilations (`part`) and sets the metadata and `quality`; dedup sets the cluster fields.
    """

    id: str
    text: str
    title: str = ""
    provenance: Provenance = field(default_factory=Provenance)
    # what the text says about itself (cleaning's metadata stage)
    genre: str | None = None
    region: str | None = None  # official full name of the division as the report names it ("满城区")
    region_code: str | None = None  # its 6-digit division code (GB/T 2260); "100000" for the nation
    level: str | None = None  # national | province | prefecture | county | township
    province: str | None = None  # the provincial unit the region lies in (itself for a province)
    prefecture: str | None = None  # the prefecture-level division it lies in, if any
    year: int | None = None
    meeting: str | None = None
    speaker: str | None = None
    delivered: str | None = None  # ISO date the report was delivered, when the text gives it
    region_evidence: str | None = None  # what decided region: title | formula | meeting | review | text
    year_evidence: str | None = (
        None  # what decided year: title | formula | meeting | review | session | plan | calendar | results
    )
    flags: list[str] = field(default_factory=list)  # why a field is None: region_conflict, year_template, …
    title_derived: bool = False  # made from the metadata: the text had no title, or one naming only the genre
    quality: dict[str, Any] = field(default_factory=dict)
    removals: list[Removal] = field(default_factory=list)
    # a part of a compilation ("汇总10篇"): its number, heading, and the compilation's title
    part: int | None = None
    part_heading: str | None = None
    compilation_title: str | None = None
    # cleaning's inputs and hand-offs between stages (never published)
    html: str | None = None  # a raw page still to be turned into paragraphs (the html stage)
    selector: str | None = None  # the site rule's article.body, picking the body out of `html`
    drop: list[str] = field(default_factory=list)  # the rule's article.drop selectors inside the body
    truncated: list[str] = field(default_factory=list)  # lines repair found cut short (read by later stages)
    fingerprint: str | None = (
        None  # what the cleaned text was made from (clean --store reuses it if unchanged)
    )
    parts: int | None = None  # how many documents cleaning made of its input (a compilation: its parts)
    # dedup's verdict
    cluster: str | None = None  # id of the canonical copy of this document's cluster
    canonical: bool | None = None
    members: list[dict[str, Any]] | None = (
        None  # on canonical copies: every copy's {id, site, url, first_seen}
    )
    # fields of an input record this version does not know: carried through unchanged, read by no step
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def site(self) -> str:
        return self.provenance.site

    @property
    def url(self) -> str:
        return self.provenance.url

    @property
    def sources(self) -> list[str]:
        """Every page URL the text came from, in order (the first page's URL when none were recorded)."""
        return self.provenance.pages or ([self.provenance.url] if self.provenance.url else [])


def make_id(site: str, url: str, part: int = 0) -> str:
    """Stable document id: the same site, first-page URL and compilation part always give the same id."""
    return hashlib.sha1(f"{site}\n{url}\n{part}".encode()).hexdigest()[:16]
