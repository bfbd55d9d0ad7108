"""Remove text matching a site rule's own `junk_patterns` (regexes written for one site)."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from cleaning.prefilter import prefilter
from cleaning.stages.base import Stage
from corpus.document import Document


class Patterns(Stage):
    """Drop matches of the site's `junk_patterns` (config: {"site_patterns": {site: [regex, …]}})."""

    name = "patterns"
    defaults: ClassVar[dict[str, Any]] = {"site_patterns": {}}

    def __init__(self, **params: object) -> None:
        super().__init__(**params)
        # each with the words its matches need (cleaning/prefilter.py): a text without one is not scanned
        self.compiled = {
            site: [(rx, prefilter(rx).may_match) for rx in (re.compile(literal_first(p), re.M) for p in pats)]
            for site, pats in self.params["site_patterns"].items()
        }

    def apply(self, doc: Document) -> Document:
        for rx, may_match in self.compiled.get(doc.site, []) + self.compiled.get("*", []):
            if may_match(doc.text) is not None:
                doc = self.cut(doc, rx, "site_pattern")
        return doc


SPECIAL = set("\\.^$*+?{}[]|()")


def leading_literal(pattern: str) -> str:
    """The plain characters `pattern` starts with (after "^"), which every match holds, or "".

    Conservative: "" for a pattern with an alternation "|" anywhere; a character followed by a quantifier
    (which may repeat it zero times) is not counted.
    """
    if "|" in pattern:
        return ""
    body = pattern[1:] if pattern.startswith("^") else pattern
    end = 0
    while end < len(body) and body[end] not in SPECIAL:
        end += 1
    if end < len(body) and body[end] in "*+?{":
        end -= 1
    return body[: max(end, 0)]


def literal_first(pattern: str) -> str:
    """`^LIT…` written as `LIT(?<=^LIT)…`: the same matches (the pattern runs in MULTILINE mode), but the regex
    engine finds LIT by a fast literal search instead of trying the anchor at every position of the text (about
    6x faster on a report); any other pattern is returned as it is."""
    literal = leading_literal(pattern)
    if not (literal and pattern.startswith("^") and pattern[1:].startswith(literal)):
        return pattern
    lit = re.escape(literal)
    return f"{lit}(?<=^{lit}){pattern[1 + len(literal) :]}"
