"""Cleaning stages in the order they run; `baogao stages` prints this list (see docs/stages.md)."""

from cleaning.stages.advert import Advert
from cleaning.stages.base import Stage
from cleaning.stages.blurb import Blurb
from cleaning.stages.boilerplate import Boilerplate
from cleaning.stages.counter import Counter
from cleaning.stages.download import Download
from cleaning.stages.footer import Footer
from cleaning.stages.html import Html
from cleaning.stages.margins import Margins
from cleaning.stages.metadata import Metadata
from cleaning.stages.navigation import Navigation
from cleaning.stages.pagination import Pagination
from cleaning.stages.patterns import Patterns
from cleaning.stages.reflow import Reflow
from cleaning.stages.related import Related
from cleaning.stages.repair import Repair
from cleaning.stages.split import Split

STAGES: list[type[Stage]] = [
    Html,  # pages → paragraphs; a no-op for text inputs
    Split,  # compilations → one Document per part, before anything is removed, so removals land in their part
    Patterns,  # the site rule's own junk_patterns, on the text as scraped (before punctuation is unified)
    Repair,
    Counter,
    Download,
    Margins,  # header and trailer blocks, before the other line stages take their evidence out of them
    Pagination,
    Related,
    Navigation,
    Blurb,
    Footer,
    Advert,
    Boilerplate,  # after the line-level stages, so it mines only what they left
    Reflow,  # rejoin cut paragraphs once the junk between their halves is gone
    Metadata,
]

__all__ = ["STAGES", "Stage"]
