"""The one document type that flows through cleaning, dedup and release, and the record of what was cut."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class Removal:
    """One piece of text a stage removed, and why (published in the audit trail)."""

    stage: str
    reason: str
    text: str


@dataclass(slots=True)
class Document:
    """A report (or essay) as it moves through the pipeline.

    `text` is paragraphs joined by "\\n". `sources` lists every page URL the text came from, in order.
    Published columns have named fields; anything else goes in `metadata`.
    """

    id: str
    text: str
    title: str = ""
    site: str = ""
    url: str = ""
    sources: list[str] = field(default_factory=list)
    genre: str | None = None
    region: str | None = None
    level: str | None = None
    year: int | None = None
    meeting: str | None = None
    speaker: str | None = None
    removals: list[Removal] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)

    def to_record(self) -> dict[str, Any]:
        """The JSON-ready form: `removed` holds the audit trail as {text, stage, reason}."""
        record = asdict(self)
        record["removed"] = [{"text": r.text, "stage": r.stage, "reason": r.reason} for r in self.removals]
        del record["removals"]
        return record


def make_id(site: str, url: str, part: int = 0) -> str:
    """Stable document id: the same site, first-page URL and compilation part always give the same id."""
    return hashlib.sha1(f"{site}\n{url}\n{part}".encode()).hexdigest()[:16]
