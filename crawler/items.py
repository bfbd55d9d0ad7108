"""What a rule reads from one article page; the pages of an article become one Document (crawler/stitch.py)."""

from __future__ import annotations

from dataclasses import dataclass


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
