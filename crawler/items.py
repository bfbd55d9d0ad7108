"""What the spider produces: one `PageResult` per fetched article page, one `RawDocument` per article."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class PageResult:
    """What a rule reads from one page: title, date, body lines, the next page's URL, and the decoding used."""

    url: str
    title: str | None
    date: str | None
    lines: list[str]
    next_url: str | None
    encoding: str
    encoding_reason: str
    sha256: str = ""

    @property
    def text(self) -> str:
        """Body text: one paragraph per line."""
        return "\n".join(self.lines)

    @property
    def fffd(self) -> int:
        """U+FFFD replacement characters in the extracted title and text (a decoding failure)."""
        return self.text.count("\ufffd") + (self.title or "").count("\ufffd")


@dataclass
class RawDocument:
    """One article with all its pages merged in order; `complete` is False when a page could not be fetched."""

    site: str
    url: str
    title: str | None
    date: str | None
    text: str
    page_urls: list[str]
    complete: bool
    encoding: str
    encoding_reason: str
    rule_version: int
    page_hashes: list[str] = field(default_factory=list)
    fffd: int = 0
    frontier_url: str | None = None

    def to_record(self) -> dict[str, Any]:
        return asdict(self)
