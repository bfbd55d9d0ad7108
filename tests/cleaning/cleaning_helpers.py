"""Test helpers: build a Document, compare kept text with hand-made gold."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from corpus.document import Document
from corpus.document.model import Provenance

DATA = Path(__file__).resolve().parents[1] / "data"
SEEDS = DATA / "seeds"
GOLD = DATA / "gold"


def make_doc(text: str, title: str = "", site: str = "test", url: str = "http://example.test/a") -> Document:
    """A Document as the store or a .txt file would give it."""
    return Document(id="t", text=text, title=title, provenance=Provenance(site=site, url=url, pages=[url]))


def key(text: str) -> str:
    """Text without width, punctuation or spaces, so a comparison sees only the words and numbers."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text))


def kept_share(gold_lines: list[str], output: str) -> float:
    """Share of the gold characters whose whole line survives somewhere in the output."""
    out = key(output)
    total = sum(len(key(g)) for g in gold_lines)
    kept = sum(len(key(g)) for g in gold_lines if key(g) in out)
    return kept / total


def lines(path: Path) -> list[str]:
    return [s for s in path.read_text(encoding="utf-8").split("\n") if s.strip()]
