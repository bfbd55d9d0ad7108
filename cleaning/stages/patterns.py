"""Remove text matching a site rule's own `junk_patterns` (regexes written for one site)."""

from __future__ import annotations

import re

from cleaning.document import Document
from cleaning.stages.base import Stage


class Patterns(Stage):
    """Drop matches of the site's `junk_patterns` (config: {"site_patterns": {site: [regex, …]}})."""

    name = "patterns"
    defaults: dict = {"site_patterns": {}}

    def __init__(self, **params: object) -> None:
        super().__init__(**params)
        self.compiled = {
            site: [re.compile(p, re.MULTILINE) for p in pats] for site, pats in self.params["site_patterns"].items()
        }

    def apply(self, doc: Document) -> Document:
        for rx in self.compiled.get(doc.site, []) + self.compiled.get("*", []):
            doc = self.cut(doc, rx, "site_pattern")
        return doc
